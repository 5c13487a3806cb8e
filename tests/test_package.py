"""The package's small top-level helpers and its import rules."""

import ast
from pathlib import Path

import pytest

from nnfs_utils import count_params

PACKAGE = Path(__file__).resolve().parents[1] / "nnfs_utils"
KERNELS = [
    "layers",
    "activations",
    "losses",
    "initializers",
    "optimizers",
    "model",
    "training",
    "saving",
    "checks",
    "_compat",
    "conv",
    "sequential",
    "dropout",
    "perceptron",
]


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [([784, 16, 16, 10], 13_002), ([784, 10, 10], 7_960), ([4, 3], 15), ([2, 2, 1], 9)],
)
def test_count_params(sizes, expected):
    assert count_params(sizes) == expected


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ([784], "at least two layer sizes"),
        ([784, 0, 10], "positive whole number"),
        ([784, 2.5, 10], "positive whole number"),
        ([784, True], "positive whole number"),
    ],
)
def test_count_params_rejects_bad_sizes(sizes, message):
    with pytest.raises(ValueError, match=message):
        count_params(sizes)


@pytest.mark.parametrize("module", KERNELS)
def test_kernels_import_no_plotting_widgets_or_data(module):
    path = PACKAGE / f"{module}.py"
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            imported |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    forbidden = ("matplotlib", "ipywidgets", "pandas", "plots", "widgets", "data", "IPython")
    bad = sorted(name for name in imported if any(part in forbidden for part in name.split(".")))
    assert not bad, f"kernel module {module} imports {bad}; kernels must stay NumPy-only"


def test_nothing_imports_a_notebook():
    for path in PACKAGE.rglob("*.py"):
        assert "ipynb" not in path.read_text(), f"{path} refers to a notebook"
