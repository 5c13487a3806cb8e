#!/usr/bin/env python3
"""The course's launcher: set up, start, test and check the course on Windows, macOS and Linux.

It needs only Python 3.11 or newer (standard library only), so it runs before anything is
installed::

    python3 course.py lab          # Linux and macOS
    py -3.11 course.py lab         # Windows (PowerShell or cmd)
    python3 course.py check        # what is wrong with this machine, and how to fix it

``python3 course.py --help`` lists every command. The Makefile calls this file for each of its
targets, so ``make lab`` and ``python3 course.py lab`` do exactly the same thing.

The virtual environment lives in ``.venv`` (``.venv/bin/python``, or ``.venv\\Scripts\\python.exe``
on Windows) and is created with the Python that runs this file. The course is installed into it
with the versions pinned in ``requirements/constraints.txt`` (``--newest``, or the environment
variable ``CONSTRAINTS`` set to nothing, installs the newest releases instead). The install is
skipped while ``pyproject.toml``, the constraints file and the extras are unchanged: their
SHA-256 is kept in ``.venv/course-install.json``.
"""

# This file must stay importable by old Pythons (3.7+) so that they reach the version check
# and print its fix instead of a syntax error: no match statements, no `X | Y` at run time.
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent

DEFAULT_CONSTRAINTS = "requirements/constraints.txt"
DEFAULT_EXTRAS = "test"
STATE_FILE = "course-install.json"
STATE_FORMAT = 1  # bump when the install command changes, so every .venv is refreshed once

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
EXECUTE = [
    "--to",
    "notebook",
    "--execute",
    "--inplace",
    "--ExecutePreprocessor.timeout=600",
    "--ExecutePreprocessor.record_timing=False",
    "--ClearMetadataPreprocessor.enabled=True",
    "--ClearMetadataPreprocessor.clear_notebook_metadata=False",
    # keep the cell tags, nbgrader's solution marks and JupyterLab's collapsed state
    "--ClearMetadataPreprocessor.preserve_cell_metadata_mask=tags",
    "--ClearMetadataPreprocessor.preserve_cell_metadata_mask=nbgrader",
    "--ClearMetadataPreprocessor.preserve_cell_metadata_mask=jupyter",
]
CLEAN = (".venv", ".pytest_cache", ".ruff_cache", ".hypothesis", "artifacts")

LAB_PORT = 8888
KERNEL_NAME = "python3"  # the kernel every notebook asks for
WIDGET_EXTENSION = ("share", "jupyter", "labextensions", "@jupyter-widgets", "jupyterlab-manager")

# The data files, as nnfs_utils/data.py looks for them (repeated here because this file cannot
# import NumPy; tests/test_course.py checks that both agree).
SAMPLE_FILE = "mnist_sample.csv.gz"
MNIST_SUBDIR = "mnist"
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
FASHION_SUBDIR = "fashion"
FASHION_STEMS = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")

# Run by .venv's Python: its version, and the kernel JupyterLab (started from .venv) gives the
# notebooks, resolved the way jupyter_client resolves it ("python" means the server's Python).
VENV_PROBE = r"""
import json, sys
out = {"version": list(sys.version_info[:3]), "executable": sys.executable}
try:
    import pip  # noqa: F401
    out["pip"] = True
except ImportError:
    out["pip"] = False
try:
    if not sys.argv[1:]:
        raise LookupError("no kernel asked for")
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(sys.argv[1])
except Exception as err:
    out["kernel_error"] = type(err).__name__ + ": " + str(err)
else:
    argv0 = spec.argv[0]
    if argv0 in {"python", "python%i" % sys.version_info[0], "python%i.%i" % sys.version_info[:2]}:
        argv0 = sys.executable
    out["kernel"] = {"argv0": argv0, "resource_dir": spec.resource_dir, "env": spec.env}
print(json.dumps(out))
"""


class CourseError(Exception):
    """A problem the learner can fix; the message says what is wrong and how to fix it."""


# --------------------------------------------------------------------------------------------
# Where things are
# --------------------------------------------------------------------------------------------


def launcher(os_name: str = os.name) -> str:
    """How a learner on this OS runs this file (used in every printed fix). On Windows the
    py launcher is told this Python's version, so a fix never switches to another Python."""
    if os_name == "nt":
        return f"py -{sys.version_info[0]}.{sys.version_info[1]} course.py"
    return "python3 course.py"


def running_version() -> tuple:
    """The version of the Python that runs this file (a function, so tests can pretend)."""
    return tuple(sys.version_info[:3])


def python_problem(version=None, executable=None, os_name: str = os.name):
    """None when ``version`` (default: this Python's) is new enough, else the one-line fix."""
    version = tuple(running_version() if version is None else version)
    if version[:2] >= MIN_PYTHON:
        return None
    found = ".".join(str(v) for v in version)
    where = f" ({executable})" if executable else ""
    if os_name == "nt":
        new = "py -3.11 course.py setup"
    else:
        new = "python3.11 course.py setup (or make setup PYTHON=python3.11)"
    return (
        f"the course needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer, but this is Python "
        f"{found}{where}. Fix: install Python 3.11+ (python.org or your package manager), "
        f"then run: {new}"
    )


@dataclass(frozen=True)
class Layout:
    """The course's folders and the virtual environment's paths, for one OS.

    ``os_name`` is ``os.name``'s value: ``"nt"`` gives Windows' ``Scripts\\python.exe`` layout,
    anything else the POSIX ``bin/python`` layout. For another OS than this one the paths are
    pure paths (for display and tests); they cannot be opened.
    """

    root: PurePath
    os_name: str = os.name

    @classmethod
    def at(cls, root=ROOT, os_name: str = os.name) -> Layout:
        if os_name == os.name:
            flavour = Path
        else:
            flavour = PureWindowsPath if os_name == "nt" else PurePosixPath
        return cls(flavour(root), os_name)

    @property
    def venv(self) -> PurePath:
        return self.root / ".venv"

    @property
    def bin_dir(self) -> PurePath:
        return self.venv / ("Scripts" if self.os_name == "nt" else "bin")

    @property
    def python(self) -> PurePath:
        return self.bin_dir / ("python.exe" if self.os_name == "nt" else "python")

    @property
    def state_file(self) -> PurePath:
        return self.venv / STATE_FILE

    @property
    def widget_extension(self) -> PurePath:
        return self.venv.joinpath(*WIDGET_EXTENSION)

    @property
    def notebooks(self) -> PurePath:
        return self.root / "notebooks"

    def show(self, path) -> str:
        """``path`` relative to the course folder when inside it, as this OS writes it."""
        path = type(self.root)(path)
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def data_dir(self, environ=None) -> PurePath:
        """Where nnfs_utils looks for data: ``$NNFS_DATA_DIR``, else the course's data/."""
        environ = os.environ if environ is None else environ
        value = environ.get("NNFS_DATA_DIR", "").strip()
        if value:
            return type(self.root)(os.path.expanduser(value))
        return self.root / "data"

    def notebook_files(self) -> list[str]:
        """notebooks/[0-9]*.ipynb, sorted, relative to the course folder (as the Makefile had)."""
        names = sorted(p.name for p in Path(self.notebooks).glob("[0-9]*.ipynb") if p.is_file())
        return [f"notebooks/{name}" for name in names]


# --------------------------------------------------------------------------------------------
# Options shared by every command
# --------------------------------------------------------------------------------------------


@dataclass
class Options:
    layout: Layout
    constraints: str  # "" = the newest releases
    extras: str
    ready: bool = False  # set once .venv is checked and current in this run

    @property
    def cmd(self) -> str:
        return launcher(self.layout.os_name)


def constraints_from(flag, newest: bool, environ=None) -> str:
    """The constraints file to install with; "" means the newest releases.

    ``--newest`` wins, then ``--constraints``, then the environment variable ``CONSTRAINTS``
    (the Makefile's variable, so ``CONSTRAINTS= python3 course.py test`` works), then the pins.
    """
    environ = os.environ if environ is None else environ
    if newest:
        return ""
    if flag is not None:
        return flag.strip()
    if "CONSTRAINTS" in environ:
        return environ["CONSTRAINTS"].strip()
    return DEFAULT_CONSTRAINTS


def check_extras(extras: str) -> str:
    names = [e.strip() for e in extras.split(",")]
    if not all(names) or not all(n.replace("-", "").replace("_", "").isalnum() for n in names):
        raise CourseError(
            f"--extras {extras!r} is not a comma-separated list of extras names. "
            f"Fix: use the names in pyproject.toml's [project.optional-dependencies], e.g. "
            f"--extras {DEFAULT_EXTRAS}"
        )
    return ",".join(names)


# --------------------------------------------------------------------------------------------
# The install state: is .venv current?
# --------------------------------------------------------------------------------------------


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install_key(opts: Options) -> dict:
    """What the install in .venv depends on: the content of pyproject.toml and of the
    constraints file, the extras and the install command's format."""
    root = Path(opts.layout.root)
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise CourseError(
            f"{pyproject} is missing, so this is not the course's folder. Fix: run course.py "
            f"from the folder you cloned (it holds pyproject.toml)."
        )
    key = {"format": STATE_FORMAT, "pyproject.toml": sha256_of(pyproject), "extras": opts.extras}
    if opts.constraints:
        path = root / opts.constraints
        if not path.is_file():
            raise CourseError(
                f"the constraints file {opts.constraints} does not exist. Fix: restore it "
                f"(`git checkout -- {DEFAULT_CONSTRAINTS}`), name an existing file with "
                f"--constraints, or use --newest for the newest releases."
            )
        key["constraints"] = {"file": opts.constraints, "sha256": sha256_of(path)}
    else:
        key["constraints"] = "newest releases"
    return key


def read_state(layout: Layout):
    try:
        with open(layout.state_file, encoding="utf-8") as f:
            state = json.load(f)
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def write_state(layout: Layout, key: dict) -> None:
    """Write the state atomically: a crash leaves the old file or none, never half a file."""
    path = Path(layout.state_file)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(key, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def stale_reasons(old, new: dict) -> list[str]:
    """Why the install recorded as ``old`` does not match ``new`` ([] when it does)."""
    if old is None:
        return ["no install recorded in .venv (new, interrupted, or made by an older Makefile)"]
    reasons = []
    if old.get("format") != new["format"]:
        reasons.append("course.py installs differently now")
    if old.get("pyproject.toml") != new["pyproject.toml"]:
        reasons.append("pyproject.toml changed")
    was, now = old.get("constraints"), new["constraints"]
    if was != now:
        if isinstance(was, dict) and isinstance(now, dict) and was["file"] == now["file"]:
            reasons.append(f"{now['file']} changed")
        elif isinstance(now, dict):
            reasons.append(f"now pinned by {now['file']}")
        else:
            reasons.append("now the newest releases instead of the pinned versions")
    if old.get("extras") != new["extras"]:
        reasons.append(f"extras changed from [{old.get('extras')}] to [{new['extras']}]")
    return reasons


# --------------------------------------------------------------------------------------------
# Running things
# --------------------------------------------------------------------------------------------


def show_command(cmd, layout: Layout) -> str:
    parts = [layout.show(cmd[0])] + [str(c) for c in cmd[1:]]
    if layout.os_name == "nt":
        return subprocess.list2cmdline(parts)
    return shlex.join(parts)


def run(cmd, layout: Layout, env=None) -> int:
    """Run ``cmd`` in the course folder, showing it first; return its exit status.

    Ctrl-C reaches the child too (same console), so this waits for the child to decide, as
    JupyterLab asks before it stops. A SIGTERM or SIGHUP sent to this process (``timeout``,
    a closed terminal) is passed on, so no JupyterLab is left running behind it.
    """
    print("> " + show_command(cmd, layout), flush=True)
    try:
        proc = subprocess.Popen([str(c) for c in cmd], cwd=str(layout.root), env=env)
    except OSError as err:
        raise CourseError(
            f"cannot start {layout.show(cmd[0])}: {err}. Fix: {launcher(layout.os_name)} "
            f"setup (recreates a broken .venv)"
        ) from err
    forwarded = {}
    if os.name == "posix":
        for sig in (signal.SIGTERM, signal.SIGHUP):
            forwarded[sig] = signal.signal(sig, lambda signum, frame: proc.send_signal(signum))
    try:
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:
                continue
    finally:
        for sig, handler in forwarded.items():
            signal.signal(sig, handler)


def probe_venv(layout: Layout, kernel: bool = True, timeout: float = 120.0):
    """Ask .venv's Python about itself (and, with ``kernel``, about the notebooks' kernel):
    (facts as a dict, None) or (None, what is wrong)."""
    python = Path(layout.python)
    if not python.exists():  # also False for a link whose target is gone
        if os.path.lexists(python):
            target = os.readlink(python) if python.is_symlink() else "?"
            return None, (
                f"{layout.show(python)} points to {target}, which no longer exists "
                f"(was Python upgraded or removed?)"
            )
        if not Path(layout.venv).exists():
            return None, f"there is no {layout.show(layout.venv)} yet"
        return None, f"{layout.show(python)} is missing"
    try:
        done = subprocess.run(
            [str(python), "-c", VENV_PROBE, *([KERNEL_NAME] if kernel else [])],
            cwd=str(layout.root),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return None, f"{layout.show(python)} does not start ({err})"
    try:
        facts = json.loads(done.stdout.strip().splitlines()[-1])
        version = tuple(int(v) for v in facts["version"])
    except (IndexError, ValueError, KeyError, TypeError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"{layout.show(python)} does not run ({last})"
    facts["version"] = version
    return facts, None


def venv_problem(facts, reason):
    """None when .venv can be used as it is, else why it must be made again."""
    if facts is None:
        return reason
    if python_problem(facts["version"]) is not None:
        found = ".".join(str(v) for v in facts["version"])
        return f".venv was made with Python {found}, older than {MIN_PYTHON[0]}.{MIN_PYTHON[1]}"
    if not facts.get("pip"):
        return ".venv has no pip (an interrupted setup?)"
    return None


def make_venv(layout: Layout, clear: bool) -> None:
    """Create .venv with the Python that runs this file (pip included)."""
    import venv  # here, so that `check` works even where venv is broken

    if importlib.util.find_spec("ensurepip") is None:
        minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
        raise CourseError(
            f"this Python ({sys.executable}) cannot make a virtual environment with pip: its "
            f"ensurepip module is missing. Fix: sudo apt install python{minor}-venv "
            f"(Debian/Ubuntu), or use a Python from python.org"
        )
    print(
        f"course.py: creating {layout.show(layout.venv)} with Python "
        f"{sys.version.split()[0]} ({sys.executable})",
        flush=True,
    )
    builder = venv.EnvBuilder(with_pip=True, clear=clear, symlinks=(os.name != "nt"))
    try:
        builder.create(str(layout.venv))
    except (OSError, subprocess.CalledProcessError) as err:
        raise CourseError(
            f"could not create {layout.show(layout.venv)}: {err}. Fix: delete the folder "
            f"{layout.show(layout.venv)} and run {launcher(layout.os_name)} setup again"
        ) from err


def ensure_setup(opts: Options, force: bool = False, verbose: bool = False) -> None:
    """Make .venv current: create it (again) when it is missing or broken, and install the
    course when pyproject.toml, the constraints or the extras changed since the last install."""
    if opts.ready and not force:
        return
    layout = opts.layout
    problem = python_problem()
    if problem:
        raise CourseError(problem)
    key = install_key(opts)
    facts, reason = probe_venv(layout, kernel=False)
    broken = venv_problem(facts, reason)
    if broken:
        venv_dir = Path(layout.venv)
        exists = venv_dir.exists()
        if exists and not (venv_dir / "pyvenv.cfg").is_file():
            raise CourseError(
                f"{layout.show(venv_dir)} exists but is not a virtual environment (no "
                f"pyvenv.cfg), so course.py leaves it alone. Fix: move or delete that folder, "
                f"then run {opts.cmd} setup"
            )
        if exists:
            print(f"course.py: {broken}; making .venv again", flush=True)
        make_venv(layout, clear=exists)
    else:
        reasons = stale_reasons(read_state(layout), key)
        if not reasons and not force:
            if verbose:
                print(
                    "course.py: .venv is up to date (pyproject.toml, constraints and extras "
                    "unchanged); `setup --force` reinstalls anyway"
                )
            opts.ready = True
            return
        if reasons:
            print(f"course.py: updating .venv: {'; '.join(reasons)}", flush=True)
    pip = [layout.python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    pins = ["-c", opts.constraints] if opts.constraints else ["--upgrade"]
    print("course.py: installing the course into .venv (about a minute the first time)", flush=True)
    status = run(pip + pins + ["-e", f".[{opts.extras}]"], layout)
    if status != 0:
        raise CourseError(
            f"pip could not install the course (exit status {status}); its messages above say "
            f"why. Fix: check your internet connection or proxy, then run {opts.cmd} setup again"
        )
    write_state(layout, key)
    opts.ready = True


def venv_run(opts: Options, args, env=None) -> int:
    """Make .venv current, then run its Python with ``args``."""
    ensure_setup(opts)
    return run([opts.layout.python, *args], opts.layout, env=env)


def running_as_root() -> bool:
    return os.name == "posix" and os.geteuid() == 0


# --------------------------------------------------------------------------------------------
# The commands (one function each; COMMANDS below lists them for --help)
# --------------------------------------------------------------------------------------------


def cmd_setup(opts: Options, extra, force: bool = False) -> int:
    ensure_setup(opts, force=force, verbose=True)
    return 0


def cmd_lab(opts: Options, extra) -> int:
    root_flag = ["--allow-root"] if running_as_root() else []
    return venv_run(opts, ["-m", "jupyterlab", *root_flag, "notebooks", *extra])


def cmd_lint(opts: Options, extra) -> int:
    status = venv_run(opts, ["-m", "ruff", "check", "."])
    if status == 0:
        status = venv_run(opts, ["-m", "ruff", "format", "--check", "."])
    return status


def cmd_format(opts: Options, extra) -> int:
    status = venv_run(opts, ["-m", "ruff", "check", "--fix", "."])
    if status == 0:
        status = venv_run(opts, ["-m", "ruff", "format", "."])
    return status


def cmd_test_unit(opts: Options, extra) -> int:
    return venv_run(opts, ["-m", "pytest", "tests", "-q", *extra])


def cmd_test_notebooks(opts: Options, extra) -> int:
    notebooks = opts.layout.notebook_files()
    if not notebooks:
        raise CourseError(f"no notebooks/[0-9]*.ipynb in {opts.layout.root}")
    return venv_run(opts, ["-m", "pytest", "-q", *NBVAL, *extra, *notebooks])


def cmd_test_e2e(opts: Options, extra) -> int:
    return venv_run(opts, ["-m", "pytest", "tests/e2e", "-v", *extra])


def cmd_test(opts: Options, extra) -> int:
    """lint, unit tests, notebooks: stops at the first step that fails."""
    for name, step in (
        ("lint", cmd_lint),
        ("test-unit", cmd_test_unit),
        ("test-notebooks", cmd_test_notebooks),
        ("test-student", cmd_test_student),
    ):
        status = step(opts, [])
        if status != 0:
            print(f"course.py test: {name} failed (exit status {status}); stopped there")
            return status
    print("course.py test: all checks passed")
    return 0


def cmd_test_student(opts: Options, extra) -> int:
    """Write the student edition to a temporary folder and run every notebook of it."""
    with tempfile.TemporaryDirectory(prefix="nnfs-student-") as tmp:
        out = os.path.join(tmp, "student")
        return venv_run(opts, ["scripts/make_student.py", "--out", out, "--execute", *extra])


def cmd_student(opts: Options, extra) -> int:
    """The student edition (solutions cleared by nbgrader) in student/."""
    return venv_run(opts, ["scripts/make_student.py", *extra])


def cmd_test_portable(opts: Options, extra) -> int:
    """The notebooks under every OpenBLAS kernel family the CPU has, and the newest Python."""
    ensure_setup(opts)
    env = dict(os.environ, CONSTRAINTS=opts.constraints or "")
    return run([sys.executable, "scripts/test_portable.py", *extra], opts.layout, env=env)


def cmd_execute(opts: Options, extra) -> int:
    notebooks = list(extra) or opts.layout.notebook_files()
    return venv_run(opts, ["-m", "nbconvert", *EXECUTE, *notebooks])


def cmd_data(opts: Options, extra) -> int:
    return venv_run(opts, ["-m", "nnfs_utils.data", "download", *extra])


def cmd_full_run(opts: Options, extra) -> int:
    return venv_run(opts, ["scripts/full_run.py", *extra])


def _install_extra(opts: Options, extra_name: str) -> int:
    pins = ["-c", opts.constraints] if opts.constraints else []
    return venv_run(opts, ["-m", "pip", "install", "-q", *pins, "-e", f".[{extra_name}]"])


def cmd_bench(opts: Options, extra) -> int:
    status = _install_extra(opts, "bench")
    status = status or venv_run(opts, ["bench/run.py", *extra])
    return status or venv_run(opts, ["bench/conv.py"])  # notebook 12's network


def cmd_data_sample(opts: Options, extra) -> int:
    status = _install_extra(opts, "data")
    return status or venv_run(opts, ["scripts/make_mnist_sample.py", *extra])


def cmd_lock(opts: Options, extra) -> int:
    """Re-pin the constraints file to what .venv has (all but the course itself)."""
    if not opts.constraints:
        raise CourseError(
            "lock needs a constraints file to write. Fix: drop --newest "
            "(or give --constraints requirements/constraints.txt)"
        )
    layout = opts.layout
    facts, reason = probe_venv(layout, kernel=False)
    if venv_problem(facts, reason):
        raise CourseError(f"{venv_problem(facts, reason)}. Fix: {opts.cmd} setup")
    freeze = subprocess.run(
        [str(layout.python), "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        cwd=str(layout.root),
    )
    if freeze.returncode != 0:
        raise CourseError(f"pip freeze failed: {freeze.stderr.strip()}")
    lines = [line for line in freeze.stdout.splitlines() if not line.startswith("-e")]
    target = Path(layout.root) / opts.constraints
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    print(f"course.py: pinned {len(lines)} packages in {opts.constraints}")
    return 0


def _rmtree(path: Path) -> None:
    def retry_writable(func, name, *_):  # Windows refuses to delete read-only files
        os.chmod(name, stat.S_IWRITE)
        func(name)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry_writable)
    else:
        shutil.rmtree(path, onerror=retry_writable)


def cmd_clean(opts: Options, extra) -> int:
    """Remove .venv and the caches; notebooks and data stay."""
    root = Path(opts.layout.root)
    if Path(sys.prefix).resolve() == Path(opts.layout.venv).resolve():
        raise CourseError(
            "course.py is running on .venv's own Python, which cannot delete itself. Fix: "
            f"run it with your system Python: {opts.cmd} clean"
        )
    for name in CLEAN:
        if (root / name).is_dir():
            print(f"course.py: removing {name}")
            _rmtree(root / name)
    for dirpath, dirnames, _ in os.walk(root):
        if "__pycache__" in dirnames:
            _rmtree(Path(dirpath) / "__pycache__")
        dirnames[:] = [d for d in dirnames if d not in ("__pycache__", ".git")]
    return 0


# --------------------------------------------------------------------------------------------
# check: what is wrong with this machine, and the fix for each problem
# --------------------------------------------------------------------------------------------

OK, PROBLEM, INFO = "OK", "PROBLEM", "INFO"


@dataclass(frozen=True)
class Finding:
    status: str  # OK, PROBLEM (the course will not work) or INFO (optional things)
    topic: str
    text: str
    fix: str = ""
    fix_label: str = "Fix"

    def line(self) -> str:
        text = self.text
        if self.fix:
            text = f"{text.rstrip('.')}. {self.fix_label}: {self.fix}"
        return f"{self.status:<8} {self.topic}: {text}"


def check_python(version=None, executable=None, os_name: str = os.name) -> Finding:
    version = tuple(running_version() if version is None else version)
    executable = sys.executable if executable is None else executable
    problem = python_problem(version, executable, os_name)
    if problem:
        text, fix = problem.split(" Fix: ", 1)
        return Finding(PROBLEM, "Python", text, fix)
    found = ".".join(str(v) for v in version)
    return Finding(OK, "Python", f"{found} ({executable}) runs course.py and makes .venv")


def check_venv(opts: Options, facts, reason) -> Finding:
    layout = opts.layout
    broken = venv_problem(facts, reason)
    if broken:
        return Finding(PROBLEM, ".venv", broken, f"{opts.cmd} setup (makes .venv again)")
    try:
        key = install_key(opts)
    except CourseError as err:
        return Finding(
            PROBLEM, ".venv", str(err).split(" Fix: ")[0], str(err).split(" Fix: ", 1)[-1]
        )
    reasons = stale_reasons(read_state(layout), key)
    pins = opts.constraints or "the newest releases"
    if reasons:
        return Finding(
            PROBLEM,
            ".venv",
            f"the install is not current: {'; '.join(reasons)}",
            f"{opts.cmd} setup",
        )
    found = ".".join(str(v) for v in facts["version"])
    return Finding(
        OK, ".venv", f"Python {found}, course installed with [{opts.extras}] and {pins}, up to date"
    )


def check_kernel(opts: Options, facts, timeout: float = 120.0) -> Finding:
    layout = opts.layout
    topic = "kernel"
    if facts is None:
        return Finding(
            PROBLEM, topic, "cannot be checked without a working .venv", f"{opts.cmd} setup"
        )
    if "kernel" not in facts:
        return Finding(
            PROBLEM,
            topic,
            f"JupyterLab in .venv has no {KERNEL_NAME!r} kernel "
            f"({facts.get('kernel_error', 'unknown error')})",
            f"{opts.cmd} setup --force",
        )
    kernel = facts["kernel"]
    argv0, resource_dir = kernel["argv0"], kernel["resource_dir"]
    shown = f"{layout.show(argv0)} (from {layout.show(resource_dir)})"
    env = dict(os.environ)
    env.update({str(k): str(v) for k, v in (kernel.get("env") or {}).items()})
    if _same_path(argv0, facts.get("executable", "")) or _same_path(argv0, layout.python):
        fix = f"{opts.cmd} setup --force (reinstalls the course into .venv)"
    elif _is_inside(resource_dir, layout.venv):
        fix = (
            f"{layout.show(layout.python)} -m ipykernel install --sys-prefix (points the "
            f"course's kernel at .venv's Python again)"
        )
    else:
        fix = (
            f"delete or rename the folder {resource_dir}: it is the kernel of another Python "
            f"and hides the course's own"
        )
        jupyter_path = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
        if any(_is_inside(resource_dir, p) for p in jupyter_path):
            fix += " (or unset JUPYTER_PATH, which points there)"
    try:
        done = subprocess.run(
            [argv0, "-c", "import nnfs_utils"],
            cwd=str(layout.notebooks),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return Finding(
            PROBLEM,
            topic,
            f"the notebooks' kernel {shown} does not start: {err}",
            fix,
        )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return Finding(
            PROBLEM,
            topic,
            f"the notebooks' kernel runs {shown}, which cannot import nnfs_utils ({last})",
            fix,
        )
    return Finding(OK, topic, f"the notebooks' kernel ({layout.show(argv0)}) imports nnfs_utils")


def _same_path(a, b) -> bool:
    """Same file name, without following links (a venv's python links to the system's)."""
    return (
        bool(a)
        and bool(b)
        and os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
    )


def _is_inside(path, folder) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except (ValueError, OSError):
        return False
    return True


def check_widgets(opts: Options) -> Finding:
    layout = opts.layout
    manifest = Path(layout.widget_extension) / "package.json"
    if manifest.is_file():
        return Finding(OK, "widgets", "the ipywidgets JupyterLab extension is installed in .venv")
    pins = f" -c {opts.constraints}" if opts.constraints else ""
    return Finding(
        PROBLEM,
        "widgets",
        f"the ipywidgets JupyterLab extension is missing ({layout.show(manifest)}), so the "
        f"sliders would show as text",
        f"{layout.show(layout.python)} -m pip install --force-reinstall --no-deps{pins} "
        f"jupyterlab_widgets",
    )


def expected_sample_sha256(layout: Layout):
    """The sample's SHA-256 listed in data/SHA256SUMS, or None."""
    sums = Path(layout.root) / "data" / "SHA256SUMS"
    try:
        text = sums.read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("*") == SAMPLE_FILE:
            return parts[0].lower()
    return None


def check_sample(opts: Options, environ=None) -> Finding:
    layout = opts.layout
    restore = f"git checkout -- data/{SAMPLE_FILE} (or download the course again)"
    expected = expected_sample_sha256(layout)
    if expected is None:
        return Finding(
            PROBLEM,
            "sample",
            f"data/SHA256SUMS is missing or does not list {SAMPLE_FILE}",
            "git checkout -- data/SHA256SUMS",
        )
    # nnfs_utils reads a sample in $NNFS_DATA_DIR first, else the course's own.
    path = Path(layout.data_dir(environ)) / SAMPLE_FILE
    if not path.is_file():
        path = Path(layout.root) / "data" / SAMPLE_FILE
    if not path.is_file():
        return Finding(PROBLEM, "sample", f"{layout.show(path)} is missing", restore)
    actual = sha256_of(path)
    if actual != expected:
        if not _is_inside(path, layout.root):
            restore = f"delete {path} (the course then uses its own copy in data/)"
        return Finding(
            PROBLEM,
            "sample",
            f"{layout.show(path)} has SHA-256 {actual[:12]}..., "
            f"not {expected[:12]}... as data/SHA256SUMS says: changed or damaged",
            restore,
        )
    return Finding(
        OK, "sample", f"{layout.show(path)} (5,000 MNIST digits) matches data/SHA256SUMS"
    )


def check_full_mnist(opts: Options, environ=None) -> Finding:
    layout = opts.layout
    folder = Path(layout.data_dir(environ)) / MNIST_SUBDIR
    get = f"{opts.cmd} data (or make data) downloads and verifies it"
    missing = [name for name in MNIST_FILES if not (folder / name).is_file()]
    if missing:
        return Finding(
            INFO,
            "full MNIST",
            f"not in {layout.show(folder)} (optional: the notebooks use the shipped sample).",
            get,
            "To get it",
        )
    for name, md5 in MNIST_FILES.items():
        if hashlib.md5((folder / name).read_bytes()).hexdigest() != md5:
            return Finding(
                INFO,
                "full MNIST",
                f"{layout.show(folder / name)} has the wrong MD5 "
                f"(damaged or another file), so the notebooks use the sample",
                f"delete it; {get}",
            )
    return Finding(OK, "full MNIST", f"70,000 digits in {layout.show(folder)}, MD5s verified")


def check_fashion(opts: Options, environ=None, debian_dir=DEBIAN_FASHION_DIR) -> Finding:
    layout = opts.layout
    folders = [Path(layout.data_dir(environ)) / FASHION_SUBDIR, Path(debian_dir)]
    for folder in folders:
        if all((folder / (s + ".gz")).is_file() or (folder / s).is_file() for s in FASHION_STEMS):
            return Finding(
                OK, "Fashion-MNIST", f"found in {layout.show(folder)} (notebook 09 trains on it)"
            )
    return Finding(
        INFO,
        "Fashion-MNIST",
        f"not found in {layout.show(folders[0])} or {folders[1]} (optional: notebook 09 skips "
        f"that section).",
        f"sudo apt install dataset-fashion-mnist (Debian/Ubuntu), or put the four files from "
        f"github.com/zalandoresearch/fashion-mnist into {layout.show(folders[0])}",
        "To get it",
    )


def check_port(port: int = LAB_PORT) -> Finding:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return Finding(
                INFO,
                "port",
                f"{port} is in use: JupyterLab will take the next free "
                f"port and print the address to open",
            )
    return Finding(OK, "port", f"{port} is free for JupyterLab")


def run_check(
    opts: Options,
    environ=None,
    python_version=None,
    port: int = LAB_PORT,
    debian_dir=DEBIAN_FASHION_DIR,
) -> list[Finding]:
    """Every check, in the order a learner should fix them."""
    facts, reason = probe_venv(opts.layout)
    findings = [
        check_python(python_version, os_name=opts.layout.os_name),
        check_venv(opts, facts, reason),
    ]
    findings.append(check_kernel(opts, facts if not venv_problem(facts, reason) else None))
    if venv_problem(facts, reason):
        findings.append(
            Finding(
                PROBLEM, "widgets", "cannot be checked without a working .venv", f"{opts.cmd} setup"
            )
        )
    else:
        findings.append(check_widgets(opts))
    findings += [
        check_sample(opts, environ),
        check_full_mnist(opts, environ),
        check_fashion(opts, environ, debian_dir),
        check_port(port),
    ]
    return findings


def cmd_check(opts: Options, extra) -> int:
    findings = run_check(opts)
    for finding in findings:
        print(finding.line())
    problems = sum(f.status == PROBLEM for f in findings)
    if problems:
        print(
            f"course.py check: {problems} problem{'s' * (problems > 1)}; fix them in the order "
            f"listed, then run {opts.cmd} check again"
        )
        return 1
    print(f"course.py check: the course is ready; start it with {opts.cmd} lab")
    return 0


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

# name: (function, one-line help, takes extra arguments). Add a new command here: write its
# function above and give it one row.
COMMANDS = {
    "setup": (cmd_setup, "create .venv and install the course (fast when nothing changed)", False),
    "lab": (cmd_lab, "start JupyterLab on the notebooks (extra arguments go to JupyterLab)", True),
    "check": (cmd_check, "say what is wrong with this machine and how to fix it", False),
    "test": (
        cmd_test,
        "lint, unit and browser tests, notebooks, the student edition run top to bottom",
        False,
    ),
    "test-unit": (cmd_test_unit, "pytest on tests/ (extra arguments go to pytest)", True),
    "test-notebooks": (
        cmd_test_notebooks,
        "run every notebook and compare its outputs (nbval)",
        True,
    ),
    "test-e2e": (cmd_test_e2e, "only the browser tests (JupyterLab + Chromium)", True),
    "test-student": (
        cmd_test_student,
        "write the student edition to a temporary folder and run it top to bottom",
        True,
    ),
    "test-portable": (
        cmd_test_portable,
        "the notebooks under each OpenBLAS kernel family this CPU has, and the newest Python",
        True,
    ),
    "student": (cmd_student, "write the student edition (solutions cleared) to student/", True),
    "lint": (cmd_lint, "ruff on the code and the notebooks", False),
    "format": (cmd_format, "let ruff fix and format code and notebooks", False),
    "execute": (
        cmd_execute,
        "re-execute notebooks in place: execute [NOTEBOOK ...] (default all)",
        True,
    ),
    "data": (cmd_data, "download the full MNIST set into data/mnist/, checksums verified", True),
    "full-run": (
        cmd_full_run,
        "run notebooks 07-09 and 12 on the full data sets into results/",
        True,
    ),
    "bench": (
        cmd_bench,
        "time nnfs_utils (MLP, CNN) against PyTorch (installs the bench extra)",
        True,
    ),
    "data-sample": (cmd_data_sample, "maintainers: rebuild data/mnist_sample.csv.gz", True),
    "lock": (cmd_lock, "re-pin the constraints file to the versions installed in .venv", False),
    "clean": (cmd_clean, "remove .venv and caches (your notebooks and data stay)", False),
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    common.add_argument(
        "--constraints",
        default=None,
        metavar="FILE",
        help=f"pins to install with (default {DEFAULT_CONSTRAINTS}, or "
        f"$CONSTRAINTS; empty = the newest releases)",
    )
    common.add_argument(
        "--newest",
        action="store_true",
        help="install the newest releases instead of the pinned versions",
    )
    common.add_argument(
        "--extras",
        default=DEFAULT_EXTRAS,
        help=f"extras of pyproject.toml to install (default {DEFAULT_EXTRAS})",
    )
    common.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog=f"{launcher()}",
        description="Set up, start, test and check the Neural Networks from Scratch course.",
        epilog="Start with: lab. Something wrong? Run: check.",
        allow_abbrev=False,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text, _) in COMMANDS.items():
        command = sub.add_parser(
            name, help=help_text, description=help_text, parents=[common], allow_abbrev=False
        )
        if name == "setup":
            command.add_argument(
                "--force", action="store_true", help="run the install even when .venv is up to date"
            )
    return parser


def main(argv=None) -> int:
    problem = python_problem(executable=sys.executable)
    if problem:
        print(f"course.py: {problem}", file=sys.stderr)
        return 2
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    function, _, takes_extra = COMMANDS[args.command]
    if extra and extra[0] == "--":
        extra = extra[1:]
    if extra and not takes_extra:
        parser.error(f"{args.command} takes no arguments {' '.join(extra)!r}")
    try:
        opts = Options(
            layout=Layout.at(args.root),
            constraints=constraints_from(args.constraints, args.newest),
            extras=check_extras(args.extras),
        )
        if args.command == "setup":
            status = cmd_setup(opts, extra, force=args.force)
        else:
            status = function(opts, extra)
    except CourseError as err:
        print(f"course.py {args.command}: {err}", file=sys.stderr)
        return 1
    # A child killed by signal N reports -N; a shell reports 128 + N.
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main())
