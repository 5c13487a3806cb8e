"""nnfs_utils.data is a package with one module per source; its public names stay where they were."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnfs_utils import data

PACKAGE = Path(data.__file__).resolve().parent
REPO = PACKAGE.parents[1]

# Every name imported from nnfs_utils.data by the notebooks, scripts, bench and tests.
PUBLIC = [
    "load_mnist",
    "load_fashion_mnist",
    "read_idx",
    "download_mnist",
    "Dataset",
    "get_data_dir",
    "DIGIT_CLASS_NAMES",
    "FASHION_CLASS_NAMES",
    "DownloadError",
    "fashion_mnist_available",
    "full_mnist_available",
    "main",
]
# Each setting, re-exported for reading, and the module that owns (and looks up) it.
SETTINGS = {
    "REPO_DATA_DIR": "common",
    "N_PIXELS": "common",
    "IMAGE_SHAPE": "common",
    "CSV_COLUMNS": "common",
    "SAMPLE_FILE": "sample",
    "SAMPLE_SHA256": "sample",
    "SAMPLE_SIZE": "sample",
    "MNIST_SUBDIR": "full_mnist",
    "MNIST_FILES": "full_mnist",
    "MNIST_MIRRORS": "full_mnist",
    "KAGGLE_FILE": "kaggle",
    "SOURCES": "mnist",
    "FASHION_SUBDIR": "fashion",
    "DEBIAN_FASHION_DIR": "fashion",
    "FASHION_CONTENT_SHA256": "fashion",
    "DEFAULT_TIMEOUT": "download",
    "SAMPLE_DEV_SIZE": "sample",
    "SAMPLE_TEST_SIZE": "sample",
    "FULL_DEV_SIZE": "full_mnist",
    "KAGGLE_DEV_SIZE": "kaggle",
    "KAGGLE_TEST_SIZE": "kaggle",
    "FASHION_DEV_SIZE": "fashion",
}


def test_public_names_are_importable_from_the_package():
    namespace: dict = {}
    exec(f"from nnfs_utils.data import {', '.join(PUBLIC)}", namespace)
    assert all(namespace[name] is getattr(data, name) for name in PUBLIC)
    assert set(data.__all__) >= set(PUBLIC) | set(SETTINGS)


@pytest.mark.parametrize(("name", "module"), sorted(SETTINGS.items()))
def test_each_setting_is_its_owning_modules_object(name, module):
    owner = importlib.import_module(f"nnfs_utils.data.{module}")
    assert getattr(data, name) is getattr(owner, name)


def test_one_module_per_source_none_over_400_lines():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert modules == [
        "__init__.py",
        "__main__.py",
        "cli.py",
        "common.py",
        "download.py",
        "fashion.py",
        "full_mnist.py",
        "idx.py",
        "kaggle.py",
        "mnist.py",
        "sample.py",
    ]
    for path in PACKAGE.glob("*.py"):
        n_lines = len(path.read_text().splitlines())
        assert n_lines <= 400, f"{path.name} has {n_lines} lines"


def test_patching_the_owning_module_reaches_every_user(tmp_path, monkeypatch):
    """load_mnist, full_mnist_available and download_mnist all read full_mnist.MNIST_FILES."""
    monkeypatch.delenv("NNFS_DATA_DIR", raising=False)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(data.full_mnist, "MNIST_FILES", {"only-file.gz": "0" * 32})
    (tmp_path / "mnist").mkdir()
    (tmp_path / "mnist" / "only-file.gz").write_bytes(b"x")
    with pytest.raises(ValueError, match=r"only-file\.gz has MD5 .* expected 0{32}"):
        data.load_mnist("full", data_dir=tmp_path)
    assert not data.full_mnist_available(tmp_path)
    with pytest.raises(data.DownloadError, match=r"only-file\.gz"):
        data.download_mnist(data_dir=tmp_path, mirrors=["http://127.0.0.1:9/"], timeout=0.5)


def test_the_default_split_sizes_are_read_from_their_modules(monkeypatch):
    """The default dev and test sizes are settings of their source's module, read at each call."""
    assert (data.SAMPLE_DEV_SIZE, data.SAMPLE_TEST_SIZE) == (500, 500)
    assert (data.KAGGLE_DEV_SIZE, data.KAGGLE_TEST_SIZE) == (1000, 1000)
    assert data.FULL_DEV_SIZE == data.FASHION_DEV_SIZE == 5000
    monkeypatch.setattr(data.sample, "SAMPLE_DEV_SIZE", 300)
    monkeypatch.setattr(data.sample, "SAMPLE_TEST_SIZE", 200)
    assert data.load_mnist("sample").sizes == {"train": 4500, "dev": 300, "test": 200}


def test_python_m_runs_the_command_line_without_warnings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NNFS_DATA_DIR"}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "nnfs_utils.data", "info", "--data-dir", tmp_path],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "MNIST sample: ok" in result.stdout and result.stderr == ""
