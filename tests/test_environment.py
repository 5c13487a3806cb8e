"""The dependency lists must agree: pyproject.toml is the source of truth, environment.yml
mirrors its core dependencies for conda and Binder users, and the constraints file pins them."""

import re
import tomllib
from pathlib import Path

import nnfs_utils

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def core_from_pyproject():
    return {normalise(NAME.match(dep).group(1)) for dep in pyproject()["project"]["dependencies"]}


def conda_packages():
    """Package names of environment.yml's conda section (not its pip section)."""
    names, in_deps = set(), False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        if in_deps and re.match(r"^  - ", line):
            entry = line[4:].split("#")[0].strip()
            if entry.endswith(":"):  # the nested pip: section
                continue
            names.add(normalise(NAME.match(entry).group(1)))
        elif in_deps and line and not line.startswith(" "):
            in_deps = False
    return names


def test_environment_yml_lists_exactly_the_core_dependencies():
    conda = conda_packages() - {"python", "pip"}
    core = core_from_pyproject()
    assert conda == core, (
        f"environment.yml and pyproject.toml disagree. Only in environment.yml: "
        f"{sorted(conda - core)}; only in pyproject.toml: {sorted(core - conda)}. "
        "pyproject.toml is the source of truth: update environment.yml to match."
    )


def test_environment_yml_pins_python_and_installs_the_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^  - python=3\.11\b", text, re.M)
    assert re.search(r"^      - -e \.", text, re.M), "environment.yml must pip-install the course"


def test_every_environment_line_says_why():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    entries = [ln for ln in lines if re.match(r"^\s+- ", ln)]
    missing = [ln.strip() for ln in entries if "#" not in ln]
    assert not missing, f"these environment.yml lines have no comment saying why: {missing}"


def test_constraints_pin_every_declared_dependency():
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[normalise(name)] = version.strip()
    extras = pyproject()["project"]["optional-dependencies"]
    declared = core_from_pyproject() | {
        normalise(NAME.match(dep).group(1)) for dep in extras["test"]
    }
    unpinned = sorted(declared - set(pins))
    assert not unpinned, f"not pinned in requirements/constraints.txt: {unpinned}; run make lock"


def test_package_version_is_exposed():
    assert re.fullmatch(r"\d+\.\d+\.\d+", nnfs_utils.__version__)
