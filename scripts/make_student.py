"""`make student`: write the student edition of the course with nbgrader's own preprocessor.

The committed notebooks are the teacher edition: every exercise's solution sits between
nbgrader's markers ``### BEGIN SOLUTION`` / ``### END SOLUTION`` in a cell that nbgrader's
metadata marks as a solution, and every "Things to try" answer is a markdown solution cell.
nbgrader's ``ClearSolutions`` replaces each marked region with ``# YOUR CODE HERE`` /
``raise NotImplementedError()`` and each answer with "YOUR ANSWER HERE"; the stored outputs are
cleared too, since they would give the solutions away. The result goes to ``student/``
(git-ignored); give that folder to the class.

    python scripts/make_student.py                 # write student/
    python scripts/make_student.py --execute DIR   # also run each one top to bottom in DIR

``--execute`` is what ``make test`` uses: every student notebook must run without an error,
each unsolved check printing its "not done yet" line while later cells go on with a reference.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, ExecutePreprocessor
from nbgrader.preprocessors import ClearSolutions

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def solution_cells(nb) -> int:
    """How many cells nbgrader's metadata marks as solutions (checked for stray markers)."""
    count = 0
    for index, cell in enumerate(nb.cells):
        marked = cell.metadata.get("nbgrader", {}).get("solution", False)
        if BEGIN in cell.source and not marked:
            raise SystemExit(
                f"cell {index} has {BEGIN!r} but is not marked as a solution cell; add the "
                'metadata {"nbgrader": {"solution": true, ...}} (JupyterLab: the nbgrader '
                "'Create Assignment' toolbar, or copy it from another exercise cell)"
            )
        count += bool(marked)
    return count


def student_edition(path: Path):
    """The student edition of one notebook: solutions replaced, outputs cleared."""
    nb = nbformat.read(path, as_version=4)
    n = solution_cells(nb)
    resources = {"metadata": {"path": str(path.parent)}}
    nb, _ = ClearSolutions(enforce_metadata=True).preprocess(nb, resources)
    nb, _ = ClearOutputPreprocessor().preprocess(nb, resources)
    return nb, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "student"), help="where to write it")
    parser.add_argument(
        "--execute",
        metavar="DIR",
        nargs="?",
        const="",
        help="run each student notebook top to bottom (in DIR, else a temporary folder)",
    )
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/NN_*.ipynb")
    args = parser.parse_args(argv)

    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb, n = student_edition(path)
        target = out / path.name
        partial = target.with_suffix(".ipynb.partial")
        nbformat.write(nb, partial)
        partial.replace(target)  # never leave a half-written notebook behind
        written.append(target)
        print(f"student edition: {target} ({n} solution cell(s) cleared)")

    if args.execute is None:
        return 0
    run_dir = Path(args.execute) if args.execute else Path(tempfile.mkdtemp(prefix="student-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    failed = []
    for target in written:
        nb = nbformat.read(target, as_version=4)
        start = time.perf_counter()
        try:
            ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(
                nb, {"metadata": {"path": str(ROOT / "notebooks")}}
            )
        except Exception as error:  # report every notebook, then fail
            failed.append(target.name)
            print(f"FAILED {target.name}: {str(error).strip().splitlines()[-1]}")
            continue
        finally:
            nbformat.write(nb, run_dir / target.name)
        not_done = sum(
            "not done yet" in "".join(o.get("text", "") for o in cell.get("outputs", []))
            for cell in nb.cells
            if cell.cell_type == "code"
        )
        print(
            f"ran {target.name} in {time.perf_counter() - start:.0f} s: "
            f"{not_done} check(s) say 'not done yet'"
        )
    if not args.execute:
        shutil.rmtree(run_dir, ignore_errors=True)
    if failed:
        print(f"student edition: {len(failed)} notebook(s) failed: {', '.join(failed)}")
        return 1
    print(f"student edition: all {len(written)} notebooks ran top to bottom")
    return 0


if __name__ == "__main__":
    sys.exit(main())
