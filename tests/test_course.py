"""course.py, the launcher: paths for both venv layouts, the up-to-date check, the commands it
runs, and `check` on a healthy and on deliberately broken environments.

No test here creates a real environment with pip or touches the course's own .venv or data: the
environments are small venvs in tmp_path (no pip, seconds at most) that borrow the packages of
the Python running the tests through a .pth file.
"""

import ast
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import textwrap
import time
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import course  # noqa: E402

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="uses a POSIX shell script or signal")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No variable of the test runner's shell may change what the launcher sees."""
    for name in ("CONSTRAINTS", "NNFS_DATA_DIR", "JUPYTER_PATH", "JUPYTER_PREFER_ENV_PATH"):
        monkeypatch.delenv(name, raising=False)


def options(root, constraints=course.DEFAULT_CONSTRAINTS, extras="test", os_name=os.name):
    return course.Options(course.Layout.at(root, os_name), constraints, extras)


# --------------------------------------------------------------------------------------------
# Paths for both layouts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("os_name", "root", "python", "shown"),
    [
        ("posix", "/home/ada/nnfs", "/home/ada/nnfs/.venv/bin/python", ".venv/bin/python"),
        (
            "nt",
            r"C:\Users\ada\nnfs",
            r"C:\Users\ada\nnfs\.venv\Scripts\python.exe",
            r".venv\Scripts\python.exe",
        ),
    ],
)
def test_layout_paths_for_each_os(os_name, root, python, shown):
    layout = course.Layout.at(root, os_name)
    assert str(layout.python) == python
    assert layout.show(layout.python) == shown
    sep = "\\" if os_name == "nt" else "/"
    assert str(layout.widget_extension).endswith(
        sep.join([".venv", "share", "jupyter", "labextensions", "@jupyter-widgets"])
        + sep
        + "jupyterlab-manager"
    )
    assert str(layout.state_file) == str(layout.venv) + sep + course.STATE_FILE
    assert layout.data_dir({}) == layout.root / "data"
    assert layout.data_dir({"NNFS_DATA_DIR": "  "}) == layout.root / "data"


def test_windows_layout_on_this_machine_is_a_pure_path():
    layout = course.Layout.at(r"C:\course", "nt" if os.name != "nt" else "posix")
    assert not hasattr(layout.root, "exists"), "another OS's paths must not be opened"


def test_windows_fix_lines_use_the_py_launcher():
    layout = course.Layout.at(r"C:\course", "nt")
    opts = course.Options(layout, course.DEFAULT_CONSTRAINTS, "test")
    assert opts.cmd == f"py -{sys.version_info[0]}.{sys.version_info[1]} course.py"
    widgets = course.check_widgets(opts)
    assert r".venv\Scripts\python.exe -m pip install" in widgets.fix
    assert course.launcher("posix") == "python3 course.py"


def test_data_dir_follows_nnfs_data_dir(tmp_path):
    layout = course.Layout.at(tmp_path)
    assert layout.data_dir({"NNFS_DATA_DIR": str(tmp_path / "elsewhere")}) == (
        tmp_path / "elsewhere"
    )


def test_notebook_files_sorted_and_numbered_only(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("10_b.ipynb", "02_a.ipynb", "notes.ipynb", "01_z.ipynb", "03_c.txt"):
        (tmp_path / "notebooks" / name).write_text("{}")
    assert course.Layout.at(tmp_path).notebook_files() == [
        "notebooks/01_z.ipynb",
        "notebooks/02_a.ipynb",
        "notebooks/10_b.ipynb",
    ]


def test_course_py_parses_on_old_pythons_so_they_reach_the_version_check():
    source = (ROOT / "course.py").read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 7))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module)])
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, "standard library only"


@pytest.mark.parametrize(
    ("version", "os_name", "fix"),
    [
        ((3, 10, 12), "posix", "python3.11 course.py setup (or make setup PYTHON=python3.11)"),
        ((3, 9, 6), "nt", "py -3.11 course.py setup"),
    ],
)
def test_old_python_is_refused_with_a_one_line_fix(version, os_name, fix):
    problem = course.python_problem(version, "/usr/bin/python3", os_name)
    found = ".".join(map(str, version))
    assert f"this is Python {found} (/usr/bin/python3)" in problem
    assert problem.endswith(
        f"Fix: install Python 3.11+ (python.org or your package manager), then run: {fix}"
    )
    assert "\n" not in problem
    assert course.python_problem((3, 11, 0)) is None
    assert course.python_problem((3, 13, 1)) is None


def test_main_refuses_an_old_python_before_doing_anything(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(course, "running_version", lambda: (3, 10, 4))
    assert course.main(["setup", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "needs Python 3.11 or newer, but this is Python 3.10.4" in err
    assert "Fix: install Python 3.11+" in err
    assert not (tmp_path / ".venv").exists()


# --------------------------------------------------------------------------------------------
# Options and the up-to-date check
# --------------------------------------------------------------------------------------------


def test_constraints_choice():
    assert course.constraints_from(None, False, {}) == "requirements/constraints.txt"
    assert course.constraints_from(None, False, {"CONSTRAINTS": ""}) == ""
    assert course.constraints_from(None, False, {"CONSTRAINTS": "pins.txt"}) == "pins.txt"
    assert course.constraints_from("other.txt", False, {"CONSTRAINTS": ""}) == "other.txt"
    assert course.constraints_from("", False, {}) == ""
    assert course.constraints_from("other.txt", True, {}) == ""


@pytest.mark.parametrize("extras", ["", "test,", "te st", "test;rm"])
def test_bad_extras_are_refused(extras):
    with pytest.raises(course.CourseError, match="Fix: use the names in pyproject.toml"):
        course.check_extras(extras)
    assert course.check_extras("test, bench") == "test,bench"


@pytest.fixture
def project(tmp_path):
    """A course folder with just what the install depends on."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "constraints.txt").write_text("numpy==2.0.0\n")
    return tmp_path


def test_install_key_changes_with_content_not_with_mtime(project):
    opts = options(project)
    key = course.install_key(opts)
    os.utime(project / "pyproject.toml", (1, 1))  # touched: same content, new mtime
    assert course.stale_reasons(key, course.install_key(opts)) == []

    (project / "pyproject.toml").write_text('[project]\nname = "y"\n')
    assert course.stale_reasons(key, course.install_key(opts)) == ["pyproject.toml changed"]
    key = course.install_key(opts)

    (project / "requirements" / "constraints.txt").write_text("numpy==2.1.0\n")
    assert course.stale_reasons(key, course.install_key(opts)) == [
        "requirements/constraints.txt changed"
    ]
    key = course.install_key(opts)

    assert course.stale_reasons(key, course.install_key(options(project, extras="bench"))) == [
        "extras changed from [test] to [bench]"
    ]
    newest = course.install_key(options(project, constraints=""))
    assert course.stale_reasons(key, newest) == [
        "now the newest releases instead of the pinned versions"
    ]
    assert course.stale_reasons(newest, key) == ["now pinned by requirements/constraints.txt"]
    assert course.stale_reasons(None, key)[0].startswith("no install recorded")


def test_missing_constraints_file_names_the_fix(project):
    with pytest.raises(course.CourseError, match=r"does not exist\. Fix: restore it"):
        course.install_key(options(project, constraints="requirements/nope.txt"))
    with pytest.raises(course.CourseError, match="not the course's folder"):
        course.install_key(options(project / "requirements"))


@pytest.fixture
def fake_install(project, monkeypatch):
    """ensure_setup with a working .venv whose pip is replaced by a recorder."""
    (project / ".venv").mkdir()
    (project / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    facts = {"version": (3, 11, 7), "pip": True}
    monkeypatch.setattr(course, "probe_venv", lambda layout, kernel=True: (facts, None))
    calls = []
    status = {"pip": 0}

    def fake_run(cmd, layout, env=None):
        calls.append([str(c) for c in cmd])
        return status["pip"]

    monkeypatch.setattr(course, "run", fake_run)
    return project, calls, status


def test_setup_installs_once_then_only_when_something_changed(fake_install):
    project, calls, _ = fake_install
    course.ensure_setup(options(project))
    assert len(calls) == 1
    layout = course.Layout.at(project)
    assert calls[0][:2] == [str(layout.python), "-m"]
    assert calls[0][2:] == [
        "pip", "install", "-q", "--disable-pip-version-check",
        "-c", "requirements/constraints.txt", "-e", ".[test]",
    ]  # fmt: skip
    state = json.loads((project / ".venv" / course.STATE_FILE).read_text())
    assert (
        state["pyproject.toml"]
        == hashlib.sha256((project / "pyproject.toml").read_bytes()).hexdigest()
    )

    course.ensure_setup(options(project))  # nothing changed: no install
    assert len(calls) == 1
    (project / "requirements" / "constraints.txt").write_text("numpy==2.2.0\n")
    course.ensure_setup(options(project))
    assert len(calls) == 2
    course.ensure_setup(options(project, constraints=""))
    assert calls[-1][-4:] == ["--disable-pip-version-check", "--upgrade", "-e", ".[test]"]
    course.ensure_setup(options(project, constraints="", extras="test,bench"))
    assert calls[-1][-1] == ".[test,bench]"
    n = len(calls)
    course.ensure_setup(options(project, constraints="", extras="test,bench"), force=True)
    assert len(calls) == n + 1


def test_failed_install_records_nothing_and_says_how_to_retry(fake_install):
    project, calls, status = fake_install
    status["pip"] = 1
    with pytest.raises(course.CourseError, match=r"exit status 1.*run python3 course\.py setup"):
        course.ensure_setup(options(project))
    assert not (project / ".venv" / course.STATE_FILE).exists()
    status["pip"] = 0
    course.ensure_setup(options(project))
    assert len(calls) == 2 and (project / ".venv" / course.STATE_FILE).exists()


def test_broken_venv_is_made_again_and_a_foreign_folder_is_left_alone(fake_install, monkeypatch):
    project, calls, _ = fake_install
    made = []

    def fake_make_venv(layout, clear):
        made.append(clear)
        Path(layout.venv).mkdir(exist_ok=True)

    monkeypatch.setattr(course, "make_venv", fake_make_venv)
    monkeypatch.setattr(
        course, "probe_venv", lambda layout, kernel=True: (None, ".venv/bin/python points to /gone")
    )
    course.ensure_setup(options(project))
    assert made == [True] and len(calls) == 1

    (project / ".venv" / "pyvenv.cfg").unlink()
    with pytest.raises(course.CourseError, match="not a virtual environment.*move or delete"):
        course.ensure_setup(options(project))
    assert made == [True]
    shutil.rmtree(project / ".venv")
    course.ensure_setup(options(project))
    assert made == [True, False]


# --------------------------------------------------------------------------------------------
# The commands run what the Makefile ran
# --------------------------------------------------------------------------------------------


@pytest.fixture
def recorded(monkeypatch):
    """venv_run replaced by a recorder: the commands' arguments, without running anything."""
    calls = []

    def fake(opts, args, env=None):
        calls.append(list(args))
        return 0

    monkeypatch.setattr(course, "venv_run", fake)
    return calls


def test_lab_starts_jupyterlab_on_the_notebooks(recorded, monkeypatch):
    for as_root in (True, False):
        monkeypatch.setattr(course, "running_as_root", lambda as_root=as_root: as_root)
        course.cmd_lab(options(ROOT), ["--port", "9999"])
    assert recorded == [
        ["-m", "jupyterlab", "--allow-root", "notebooks", "--port", "9999"],
        ["-m", "jupyterlab", "notebooks", "--port", "9999"],
    ]


def test_notebooks_are_tested_with_the_makefiles_nbval_flags(recorded):
    course.cmd_test_notebooks(options(ROOT), [])
    args = recorded[0]
    assert args[:3] == ["-m", "pytest", "-q"]
    assert args[3:7] == [
        "--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
    ]  # fmt: skip
    notebooks = args[7:]
    assert notebooks == sorted(notebooks) and len(notebooks) >= 8
    assert notebooks[0] == "notebooks/01_a_single_neuron.ipynb"


def test_execute_passes_the_chosen_notebooks(recorded):
    course.cmd_execute(options(ROOT), ["notebooks/01_a_single_neuron.ipynb"])
    course.cmd_execute(options(ROOT), [])
    assert recorded[0][:2] == ["-m", "nbconvert"] and "--inplace" in recorded[0]
    assert recorded[0][-1] == "notebooks/01_a_single_neuron.ipynb"
    assert recorded[1][-8:] == course.Layout.at(ROOT).notebook_files()[-8:]


def test_test_stops_at_the_first_failing_step(monkeypatch, capsys):
    ran = []

    def step(name, status):
        def run(opts, extra):
            ran.append(name)
            return status

        return run

    monkeypatch.setattr(course, "cmd_lint", step("lint", 0))
    monkeypatch.setattr(course, "cmd_test_unit", step("test-unit", 3))
    monkeypatch.setattr(course, "cmd_test_notebooks", step("test-notebooks", 0))
    monkeypatch.setattr(course, "cmd_test_student", step("test-student", 0))
    assert course.cmd_test(options(ROOT), []) == 3
    assert ran == ["lint", "test-unit"]
    assert "test-unit failed (exit status 3); stopped there" in capsys.readouterr().out

    monkeypatch.setattr(course, "cmd_test_unit", step("test-unit", 0))
    assert course.cmd_test(options(ROOT), []) == 0
    assert ran[-4:] == ["lint", "test-unit", "test-notebooks", "test-student"]
    assert "course.py test: all checks passed" in capsys.readouterr().out


def test_extra_arguments_reach_pytest_and_are_refused_elsewhere(recorded, capsys):
    assert course.main(["test-unit", "-k", "course", "--constraints", "", "-x"]) == 0
    assert recorded[-1] == ["-m", "pytest", "tests", "-q", "-k", "course", "-x"]
    with pytest.raises(SystemExit):
        course.main(["lint", "--fix"])
    assert "lint takes no arguments '--fix'" in capsys.readouterr().err


MAKE_TARGETS = {
    "setup", "lab", "check", "test", "test-unit", "test-notebooks", "test-e2e", "lint", "format",
    "execute", "bench", "data", "data-sample", "full-run", "lock", "clean",
}  # fmt: skip


def test_make_targets_call_the_launcher():
    """One implementation: each of these targets only runs course.py's command of that name
    (the Makefile may have other targets of its own)."""
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):.*## ", makefile, re.M))
    assert MAKE_TARGETS | {"help"} <= targets
    for target in MAKE_TARGETS:
        assert target in course.COMMANDS, f"course.py has no command for make {target}"
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
        assert f"$(COURSE) {target}" in recipe, f"make {target} must call course.py {target}"
        assert ".venv" not in recipe, "only course.py knows the venv layout"
    assert "$(COURSE) execute $(OPTS) $(NB)" in makefile


def test_clean_removes_venv_and_caches_only(tmp_path):
    for name in (".venv/bin", ".pytest_cache", "artifacts", "pkg/__pycache__", "notebooks"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "notebooks" / "01_x.ipynb").write_text("{}")
    (tmp_path / "pkg" / "__pycache__" / "m.pyc").write_bytes(b"x")
    (tmp_path / ".venv" / "bin" / "ro").write_text("read-only")
    os.chmod(tmp_path / ".venv" / "bin" / "ro", 0o444)
    assert course.cmd_clean(options(tmp_path), []) == 0
    left = sorted(str(p.relative_to(tmp_path).as_posix()) for p in tmp_path.rglob("*"))
    assert left == ["notebooks", "notebooks/01_x.ipynb", "pkg"]


@POSIX_ONLY
def test_sigterm_stops_the_child_too(tmp_path):
    """`timeout 40 python3 course.py lab` must not leave JupyterLab running."""
    pid_file = tmp_path / "child.pid"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import course
        child = [sys.executable, "-c",
                 "import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid()));"
                 " time.sleep(60)"]
        sys.exit(course.run(child, course.Layout.at({str(tmp_path)!r})) == -15 and 143)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=30) == 143  # run() returned the child's -SIGTERM
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


# --------------------------------------------------------------------------------------------
# check: environments in tmp_path, healthy and broken
# --------------------------------------------------------------------------------------------

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
KERNEL_JSON = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
WIDGETS = Path(sys.prefix).joinpath(*course.WIDGET_EXTENSION)


def small_venv(path, borrow_packages, with_course=True):
    """A venv without pip (fast). With borrow_packages it imports what this Python imports;
    without with_course all but the course, whose editable install is found through a .pth
    file of its own, which a plain path line does not run."""
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(path)
    if borrow_packages:
        site = path / SITE_PACKAGES.relative_to(sys.prefix)
        site.mkdir(parents=True, exist_ok=True)
        if with_course:
            line = f"import site; site.addsitedir({str(SITE_PACKAGES)!r})"
        else:
            line = str(SITE_PACKAGES)
        (site / "borrow.pth").write_text(line + "\n")
    return path


@pytest.fixture
def course_copy(tmp_path):
    """A course folder with a healthy .venv: the data, the kernel and the widget extension."""
    root = tmp_path / "nnfs"
    (root / "notebooks").mkdir(parents=True)
    (root / "data").mkdir()
    for name in ("pyproject.toml", "requirements/constraints.txt"):
        (root / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    for name in ("mnist_sample.csv.gz", "SHA256SUMS"):
        shutil.copy(ROOT / "data" / name, root / "data" / name)
    small_venv(root / ".venv", borrow_packages=True)
    kernel_dir = root / ".venv" / "share" / "jupyter" / "kernels" / "python3"
    kernel_dir.mkdir(parents=True)
    shutil.copy(KERNEL_JSON, kernel_dir / "kernel.json")
    shutil.copytree(WIDGETS, root.joinpath(".venv", *course.WIDGET_EXTENSION))
    opts = options(root)
    course.write_state(opts.layout, course.install_key(opts))
    return root


def check(root, **kwargs):
    """Run check on ``root``; return (exit status, {topic: printed line})."""
    opts = options(root)
    kwargs.setdefault("port", free_port())
    kwargs.setdefault("debian_dir", root / "no-debian")
    findings = course.run_check(opts, **kwargs)
    lines = {f.topic: f.line() for f in findings}
    status = 1 if any(f.status == course.PROBLEM for f in findings) else 0
    return status, lines


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_check_on_a_healthy_environment(course_copy, capsys, monkeypatch):
    status, lines = check(course_copy)
    assert status == 0, "\n".join(lines.values())
    for topic in ("Python", ".venv", "kernel", "widgets", "sample", "port"):
        assert lines[topic].startswith("OK "), lines[topic]
    assert (
        lines["full MNIST"].startswith("INFO ") and "python3 course.py data" in lines["full MNIST"]
    )
    assert "sudo apt install dataset-fashion-mnist" in lines["Fashion-MNIST"]

    monkeypatch.setattr(course, "ROOT", course_copy)
    monkeypatch.setattr(course, "DEBIAN_FASHION_DIR", course_copy / "no-debian")
    assert course.main(["check", "--root", str(course_copy)]) == 0  # a busy 8888 is only INFO
    out = capsys.readouterr().out
    assert "course.py check: the course is ready; start it with python3 course.py lab" in out


def test_check_on_the_courses_own_venv():
    """The real .venv: everything but the install record must be in order (the record is
    there once `course.py setup` ran, as in CI)."""
    opts = options(ROOT)
    findings = {f.topic: f for f in course.run_check(opts, port=free_port())}
    for topic in ("Python", "kernel", "widgets", "sample"):
        assert findings[topic].status == course.OK, findings[topic].line()
    venv_line = findings[".venv"]
    assert venv_line.status == course.OK or venv_line.fix == "python3 course.py setup"


def test_check_missing_widget_extension(course_copy):
    shutil.rmtree(course_copy.joinpath(".venv", *course.WIDGET_EXTENSION))
    status, lines = check(course_copy)
    assert status == 1
    assert lines["widgets"].startswith("PROBLEM ")
    assert "sliders would show as text" in lines["widgets"]
    python = course.Layout.at(course_copy).show(course.Layout.at(course_copy).python)
    assert lines["widgets"].endswith(
        f"Fix: {python} -m pip install --force-reinstall --no-deps "
        "-c requirements/constraints.txt jupyterlab_widgets"
    )


def test_check_damaged_sample(course_copy):
    sample = course_copy / "data" / "mnist_sample.csv.gz"
    data = bytearray(sample.read_bytes())
    data[1000] ^= 0x01
    sample.write_bytes(bytes(data))
    status, lines = check(course_copy)
    assert status == 1
    assert "changed or damaged" in lines["sample"]
    assert lines["sample"].endswith(
        "Fix: git checkout -- data/mnist_sample.csv.gz (or download the course again)"
    )
    assert (ROOT / "data" / "mnist_sample.csv.gz").read_bytes() != bytes(data)


def test_check_damaged_sample_in_nnfs_data_dir(course_copy, monkeypatch, tmp_path):
    elsewhere = tmp_path / "mydata"
    elsewhere.mkdir()
    (elsewhere / "mnist_sample.csv.gz").write_bytes(b"not the sample")
    monkeypatch.setenv("NNFS_DATA_DIR", str(elsewhere))
    status, lines = check(course_copy)
    assert status == 1
    assert f"Fix: delete {elsewhere / 'mnist_sample.csv.gz'}" in lines["sample"]


def test_check_missing_checksum_list(course_copy):
    (course_copy / "data" / "SHA256SUMS").unlink()
    status, lines = check(course_copy)
    assert status == 1 and "Fix: git checkout -- data/SHA256SUMS" in lines["sample"]


def test_check_kernel_of_another_python_shadows_the_course(course_copy, tmp_path, monkeypatch):
    other = small_venv(tmp_path / "other", borrow_packages=False)
    other_python = course.Layout.at(tmp_path / "x").python.relative_to(tmp_path / "x" / ".venv")
    shadow = tmp_path / "jupyter" / "kernels" / "python3"
    shadow.mkdir(parents=True)
    spec = json.loads(KERNEL_JSON.read_text())
    spec["argv"][0] = str(other / other_python)
    (shadow / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    status, lines = check(course_copy)
    assert status == 1
    assert (
        "cannot import nnfs_utils (ModuleNotFoundError: No module named 'nnfs_utils')"
        in (lines["kernel"])
    )
    assert lines["kernel"].endswith(
        f"Fix: delete or rename the folder {shadow}: it is the kernel of another Python and "
        "hides the course's own (or unset JUPYTER_PATH, which points there)"
    )


def test_check_kernel_in_venv_that_cannot_import_the_course(course_copy, tmp_path):
    other = small_venv(tmp_path / "other", borrow_packages=False)
    other_python = course.Layout.at(tmp_path / "x").python.relative_to(tmp_path / "x" / ".venv")
    kernel_json = course_copy / ".venv" / "share" / "jupyter" / "kernels" / "python3"
    spec = json.loads(KERNEL_JSON.read_text())
    spec["argv"][0] = str(other / other_python)
    (kernel_json / "kernel.json").write_text(json.dumps(spec))
    status, lines = check(course_copy)
    assert status == 1 and "cannot import nnfs_utils" in lines["kernel"]
    python = course.Layout.at(course_copy).show(course.Layout.at(course_copy).python)
    assert lines["kernel"].endswith(
        f"Fix: {python} -m ipykernel install --sys-prefix (points the course's kernel at "
        ".venv's Python again)"
    )


@pytest.mark.skipif(
    (SITE_PACKAGES / "nnfs_utils").exists(), reason="needs the course installed in editable mode"
)
def test_check_venv_without_the_course(course_copy):
    shutil.rmtree(course_copy / ".venv")
    small_venv(course_copy / ".venv", borrow_packages=True, with_course=False)
    kernel_dir = course_copy / ".venv" / "share" / "jupyter" / "kernels" / "python3"
    kernel_dir.mkdir(parents=True)
    shutil.copy(KERNEL_JSON, kernel_dir / "kernel.json")
    opts = options(course_copy)
    course.write_state(opts.layout, course.install_key(opts))
    status, lines = check(course_copy)
    assert status == 1
    assert "No module named 'nnfs_utils'" in lines["kernel"]
    assert lines["kernel"].endswith(
        "Fix: python3 course.py setup --force (reinstalls the course into .venv)"
    )


@POSIX_ONLY
def test_check_venv_made_with_an_old_python(course_copy):
    python = course_copy / ".venv" / "bin" / "python"
    python.unlink()
    python.write_text('#!/bin/sh\necho \'{"version": [3, 10, 12], "pip": true}\'\n')
    python.chmod(0o755)
    status, lines = check(course_copy)
    assert status == 1
    assert lines[".venv"] == (
        "PROBLEM  .venv: .venv was made with Python 3.10.12, older than 3.11. "
        "Fix: python3 course.py setup (makes .venv again)"
    )
    assert "cannot be checked without a working .venv" in lines["kernel"]
    assert "cannot be checked without a working .venv" in lines["widgets"]


@POSIX_ONLY
def test_check_venv_whose_python_was_removed(course_copy, tmp_path):
    python = course_copy / ".venv" / "bin" / "python"
    python.unlink()
    python.symlink_to(tmp_path / "python3.11-uninstalled")
    status, lines = check(course_copy)
    assert status == 1
    assert "no longer exists (was Python upgraded or removed?)" in lines[".venv"]
    assert lines[".venv"].endswith("Fix: python3 course.py setup (makes .venv again)")


def test_check_without_venv(course_copy):
    shutil.rmtree(course_copy / ".venv")
    status, lines = check(course_copy)
    assert status == 1
    assert lines[".venv"] == (
        "PROBLEM  .venv: there is no .venv yet. Fix: python3 course.py setup (makes .venv again)"
    )


def test_check_install_out_of_date(course_copy):
    with open(course_copy / "pyproject.toml", "a") as f:
        f.write("\n# a new dependency\n")
    status, lines = check(course_copy)
    assert status == 1
    assert lines[".venv"] == (
        "PROBLEM  .venv: the install is not current: pyproject.toml changed. "
        "Fix: python3 course.py setup"
    )


def test_check_old_python_running_course_py(course_copy):
    status, lines = check(course_copy, python_version=(3, 10, 2))
    assert status == 1
    assert (
        "this is Python 3.10.2" in lines["Python"]
        and "Fix: install Python 3.11+" in (lines["Python"])
    )


def test_check_busy_port_is_information_only():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        finding = course.check_port(port)
    assert finding.status == course.INFO
    assert "JupyterLab will take the next free port" in finding.line()
    assert course.check_port(port).status == course.OK


def test_check_data_sets(course_copy, tmp_path, monkeypatch):
    data = tmp_path / "mydata"
    (data / "fashion").mkdir(parents=True)
    for stem in course.FASHION_STEMS:
        (data / "fashion" / (stem + ".gz")).write_bytes(b"")
    (data / "mnist").mkdir()
    for name in course.MNIST_FILES:
        (data / "mnist" / name).write_bytes(b"not mnist")
    monkeypatch.setenv("NNFS_DATA_DIR", str(data))
    status, lines = check(course_copy)
    assert status == 0, "optional data sets never make check fail"
    assert (
        lines["Fashion-MNIST"].startswith("OK ")
        and str(data / "fashion") in (lines["Fashion-MNIST"])
    )
    assert lines["full MNIST"].startswith("INFO ") and "wrong MD5" in lines["full MNIST"]
    assert "python3 course.py data" in lines["full MNIST"]


def test_data_paths_agree_with_nnfs_utils():
    from nnfs_utils import data

    assert course.MNIST_FILES == data.MNIST_FILES
    assert course.MNIST_SUBDIR == data.MNIST_SUBDIR and course.FASHION_SUBDIR == (
        data.FASHION_SUBDIR
    )
    assert course.FASHION_STEMS == tuple(data.FASHION_CONTENT_SHA256)
    assert course.DEBIAN_FASHION_DIR == data.DEBIAN_FASHION_DIR
    assert course.SAMPLE_FILE == data.SAMPLE_FILE
    assert course.expected_sample_sha256(course.Layout.at(ROOT)) == data.SAMPLE_SHA256


def test_lock_writes_the_installed_versions(course_copy):
    opts = options(course_copy)
    assert course.cmd_lock(opts, []) == 0
    lines = (course_copy / "requirements" / "constraints.txt").read_text().splitlines()
    assert any(line.startswith("numpy==") for line in lines)
    assert not any(line.startswith("-e") or "nnfs" in line for line in lines)
    assert not (course_copy / "requirements" / "constraints.txt.tmp").exists()


def test_check_kernel_whose_python_is_gone(course_copy, tmp_path):
    kernel_dir = course_copy / ".venv" / "share" / "jupyter" / "kernels" / "python3"
    spec = json.loads(KERNEL_JSON.read_text())
    spec["argv"][0] = str(tmp_path / "uninstalled" / "python")
    (kernel_dir / "kernel.json").write_text(json.dumps(spec))
    status, lines = check(course_copy)
    assert status == 1
    source = os.path.join(".venv", "share", "jupyter", "kernels", "python3")
    gone = tmp_path / "uninstalled" / "python"
    assert f"kernel {gone} (from {source}) does not start" in lines["kernel"]
    assert lines["kernel"].endswith(
        "-m ipykernel install --sys-prefix (points the course's kernel at .venv's Python again)"
    )
