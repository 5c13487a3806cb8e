"""`make test-portable`: prove that the stored notebook outputs hold on other CPUs and Pythons.

Strict nbval compares every printed number as an exact string, so a course whose notebooks print
results that depend on the CPU passes on the machine that wrote it and fails on a learner's. This
script runs the whole notebook suite once per OpenBLAS kernel family that this CPU can execute,
and the unit tests plus the notebooks under the newest Python the project supports that is
installed here. Standard library only.

How a kernel family is simulated: ``OPENBLAS_CORETYPE=NAME`` makes OpenBLAS use the matrix-product
routines written for that CPU family, and ``NPY_DISABLE_CPU_FEATURES`` turns off NumPy's own
vectorised loops that such a CPU would not have (a real Sandy Bridge has no AVX2, so NumPy would
run its baseline loops there). A family is run only where /proc/cpuinfo shows the instructions
its routines need: forcing one the CPU lacks can kill the process with an illegal instruction
rather than test anything. "native" unsets both OpenBLAS variables, as on a learner's machine.

    python scripts/test_portable.py                  # every family the CPU supports + Python 3.13
    python scripts/test_portable.py --families Haswell,native --pythons ""
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]

# family -> (CPU flags its kernels need, as /proc/cpuinfo names them; NumPy dispatch targets a
# CPU of that family lacks). SSE3 is called "pni" in /proc/cpuinfo.
FAMILIES = {
    "Haswell": ({"avx2", "fma"}, "X86_V4"),
    "SkylakeX": ({"avx512f"}, ""),
    "Sandybridge": ({"avx"}, "X86_V3 X86_V4"),
    "Prescott": ({"pni"}, "X86_V3 X86_V4"),
}
DEFAULT_FAMILIES = ["Haswell", "SkylakeX", "Sandybridge", "Prescott", "native"]
NEWEST_PYTHON = "3.13"  # the newest Python the project supports (pyproject: >=3.11)


def cpu_flags() -> set[str] | None:
    """The CPU's instruction flags, or None where /proc/cpuinfo does not exist."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def notebooks() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))


def family_env(family: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if family == "native":
        env.pop("OPENBLAS_L2_SIZE", None)
        return env
    env["OPENBLAS_CORETYPE"] = family
    disable = FAMILIES[family][1]
    if disable:
        env["NPY_DISABLE_CPU_FEATURES"] = disable
    return env


def blas_kernel(python: Path, env: dict[str, str]) -> str:
    """The kernel OpenBLAS reports under env (threadpoolctl), or why it could not be read."""
    code = (
        "import numpy, threadpoolctl\n"
        "info = [i for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas']\n"
        "print(info[0].get('architecture', '?') if info else 'not OpenBLAS')\n"
    )
    out = subprocess.run(
        [str(python), "-c", code], env=env, capture_output=True, text=True, cwd=ROOT
    )
    return out.stdout.strip() or f"unknown ({out.stderr.strip().splitlines()[-1:]})"


def run_jobs(jobs: list[tuple[str, list[str], dict[str, str]]], parallel: int, results) -> bool:
    """Run (label, command, env) jobs, ``parallel`` at a time; each one's output goes to a log
    that is printed when it ends (whole if it failed, its last line if it passed)."""
    logs = Path(tempfile.mkdtemp(prefix="test-portable-"))
    pending, running, ok = list(jobs), [], True
    while pending or running:
        while pending and len(running) < parallel:
            label, cmd, env = pending.pop(0)
            if parallel > 1:  # one BLAS thread per job: the jobs share the cores
                env = dict(env, OPENBLAS_NUM_THREADS="1")
            log = logs / f"{len(results) + len(running)}.log"
            handle = log.open("w")
            print(f"test-portable: started  {label}", flush=True)
            proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
            running.append((label, proc, handle, log, time.perf_counter()))
        time.sleep(0.5)
        for item in list(running):
            label, proc, handle, log, start = item
            if proc.poll() is None:
                continue
            running.remove(item)
            handle.close()
            seconds = time.perf_counter() - start
            lines = log.read_text(errors="replace").rstrip().splitlines()
            passed = proc.returncode == 0
            ok &= passed
            results.append(
                (label, "passed" if passed else f"FAILED (exit {proc.returncode})", seconds)
            )
            print(
                f"test-portable: finished {label} in {seconds:.0f} s: "
                f"{lines[-1] if lines else 'no output'}",
                flush=True,
            )
            if not passed:
                print("\n".join(lines[-200:]), flush=True)
    shutil.rmtree(logs, ignore_errors=True)
    return ok


def find_python(version: str) -> Path | None:
    """The interpreter itself (pyenv's shims refuse a version that is not selected)."""
    candidates = []
    root = os.environ.get("PYENV_ROOT") or (
        subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
        if shutil.which("pyenv")
        else ""
    )
    if root:
        candidates += sorted(glob.glob(f"{root}/versions/{version}.*/bin/python{version}"))[::-1]
    for name in (f"python{version}",):
        found = shutil.which(name)
        if found:
            candidates.append(found)
    for candidate in candidates:
        ok = subprocess.run([candidate, "-c", "import venv, ensurepip"], capture_output=True)
        if ok.returncode == 0:
            return Path(candidate)
    return None


def ensure_venv(python: Path, venv: Path, constraints: str) -> Path:
    """Create venv with python and install the course (skipped when nothing changed)."""
    digest = hashlib.sha256()
    for path in ("pyproject.toml", constraints):
        if path:
            digest.update((ROOT / path).read_bytes())
    digest.update(str(python).encode())
    stamp = venv / ".installed-test"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return venv_python(venv)
    print(f"test-portable: creating {venv.name} with {python}", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    pip = [str(venv_python(venv)), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    pip += ["-c", constraints] if constraints else ["--upgrade"]
    subprocess.run(pip + ["-e", ".[test]"], check=True, cwd=ROOT)
    stamp.write_text(digest.hexdigest())
    return venv_python(venv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--families",
        default=",".join(DEFAULT_FAMILIES),
        help="comma-separated OpenBLAS kernel families, 'native' = both variables unset",
    )
    parser.add_argument(
        "--pythons",
        default=NEWEST_PYTHON,
        help="comma-separated Python versions to test besides the main .venv ('' for none)",
    )
    parser.add_argument("--venv", default=".venv", help="the main virtual environment")
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="runs at a time (each with one BLAS thread when more than one)",
    )
    parser.add_argument(
        "--no-skip-main",
        dest="skip_main",
        action="store_false",
        help="also run the configuration make test has just run",
    )
    parser.add_argument(
        "--constraints",
        default=os.environ.get("CONSTRAINTS", "requirements/constraints.txt"),
        help="pins for the extra Python's venv ('' for the newest releases)",
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    python = venv_python(ROOT / args.venv)
    if not python.exists():
        print(f"test-portable: {python} is missing; run `make setup` first", file=sys.stderr)
        return 2
    flags = cpu_flags()
    results: list[tuple[str, str, float]] = []
    skipped: list[str] = []
    ok = True

    # make test has just run the notebooks in this very environment: the family it used is
    # not run twice (OPENBLAS_CORETYPE as exported, or OpenBLAS's own choice when unset).
    already = os.environ.get("OPENBLAS_CORETYPE") or "native"
    jobs = []
    families = [f.strip() for f in args.families.split(",") if f.strip()]
    for family in families:
        if family != "native":
            if family not in FAMILIES:
                parser.error(f"unknown family {family!r}; use {', '.join(FAMILIES)} or native")
            need = FAMILIES[family][0]
            if flags is None:
                skipped.append(f"{family}: no /proc/cpuinfo ({platform.system()}), not forced")
                continue
            if not need <= flags:
                missing = " ".join(sorted(need - flags))
                skipped.append(f"{family}: this CPU lacks {missing}, never forced")
                continue
        env = family_env(family)
        kernel = blas_kernel(python, env)
        if args.skip_main and family.lower() == already.lower():
            skipped.append(f"{family} (OpenBLAS reports {kernel}): already run by make test")
            continue
        label = f"notebooks, {family} (OpenBLAS reports {kernel})"
        jobs.append((label, [str(python), "-m", "pytest", "-q", *NBVAL, *notebooks()], env))

    versions = [v.strip() for v in args.pythons.split(",") if v.strip()]
    for version in versions:
        interpreter = find_python(version)
        if interpreter is None:  # truly absent: neither under pyenv nor on PATH
            skipped.append(f"Python {version}: not installed on this machine")
            continue
        try:
            extra = ensure_venv(interpreter, ROOT / f".venv-py{version}", args.constraints)
        except subprocess.CalledProcessError as err:
            results.append((f"Python {version}: install", f"FAILED ({err})", 0.0))
            ok = False
            continue
        env = dict(os.environ)
        # the browser tests run once, in the main environment; here the unit tests
        cmd = [str(extra), "-m", "pytest", "-q", "tests", "--ignore=tests/e2e"]
        jobs.append((f"unit tests, Python {version}", cmd, env))
        cmd = [str(extra), "-m", "pytest", "-q", *NBVAL, *notebooks()]
        jobs.append((f"notebooks, Python {version}", cmd, env))

    start = time.perf_counter()
    ok &= run_jobs(jobs, max(1, args.jobs), results)
    print(f"\ntest-portable summary ({time.perf_counter() - start:.0f} s, {args.jobs} at a time)")
    for label, outcome, seconds in results:
        print(f"  {outcome:18s} {seconds:6.0f} s  {label}")
    for reason in skipped:
        print(f"  {'skipped':18s} {'':8s}  {reason}")
    print("test-portable: " + ("all runs passed" if ok else "SOME RUNS FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
