"""`make full-run`: run the MNIST notebooks on the full-size data sets and record the results.

The committed notebooks run on the shipped 5,000-digit sample so that CI stays fast and works
offline. This script re-runs them with papermill on the full data sets, wherever those are
available, and never touches the committed notebooks:

- full MNIST (`make data`; 55,000 train / 5,000 dev carved from the official training images /
  the 10,000 official test images): notebooks 07, 08 and 09 with ``source="full"``;
- Fashion-MNIST (the same 55,000 / 5,000 / 10,000 split; data/fashion/ or Debian's
  dataset-fashion-mnist package): notebook 09, whose Fashion-MNIST section runs whenever that
  data set is present, and notebook 12, whose convolutional network trains on it when its
  ``train_fashion`` parameter is True (this script sets it; it takes several minutes).

The executed notebooks go to results/runs/ (git-ignored). Every notebook that takes part has a
cell tagged ``parameters`` defining ``source`` and ``results_file``; when ``results_file`` is set,
the notebook writes the results it measured on a full-size data set there, as a JSON list of
records with the keys "dataset", "network", "accuracy", "split" and "train_seconds". "split"
says which split the accuracy was measured on: "dev" (the split the notebooks make their choices
on) or "test" (kept apart from every choice, measured once at the end); any other value fails
the run. This script collects the records, adds the date and the CPU, and writes
results/results.json and the table in README.md between ``<!-- results:start -->`` and
``<!-- results:end -->``, where every accuracy is labelled with its split.

    python scripts/full_run.py                    # everything that is available
    python scripts/full_run.py --dataset fashion  # only Fashion-MNIST (notebooks 09 and 12)
    python scripts/full_run.py --dataset mnist    # only full MNIST; fails if it is missing
    python scripts/full_run.py --table-only       # rewrite the README table from results.json

A data set that was asked for by name but is missing is an error (exit status 2). With the
default ``--dataset all`` a missing data set is skipped with a message saying how to get it;
if nothing at all can run, that is an error too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
RESULTS = ROOT / "results"
README = ROOT / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"

# Parameters a notebook gets on top of `source` and `results_file`.
EXTRA_PARAMETERS = {"12_convolution_from_scratch.ipynb": {"train_fashion": True}}

# Which notebooks run for which data set, and with which value of their `source` parameter.
PLAN = {
    "mnist": {
        "notebooks": [
            "07_mnist_from_scratch.ipynb",
            "08_the_784_16_16_10_network.ipynb",
            "09_a_better_classifier.ipynb",
        ],
        "source": "full",
        "missing": "full MNIST is not in data/mnist/ (or $NNFS_DATA_DIR/mnist/); run `make data`",
    },
    "fashion": {  # 09 covers Fashion-MNIST in the same run as full MNIST
        "notebooks": ["09_a_better_classifier.ipynb", "12_convolution_from_scratch.ipynb"],
        "source": "sample",
        "missing": (
            "Fashion-MNIST was not found in data/fashion/ (or $NNFS_DATA_DIR/fashion/) nor in "
            "/usr/share/datasets/fashion-mnist/; install Debian's dataset-fashion-mnist package "
            "or put its four IDX .gz files in data/fashion/"
        ),
    },
}
RECORD_KEYS = ("dataset", "network", "accuracy", "split", "train_seconds")
SPLITS = {
    "dev": "measured on the dev set, on which the notebooks make their choices (so a little "
    "optimistic)",
    "test": "measured once on the test set, kept apart from every choice",
}


def _show(path: Path) -> str:
    """The path relative to the repository when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


class FullRunError(RuntimeError):
    """A data set or notebook needed for the run is missing or broken."""


def dataset_available(name: str) -> bool:
    """Whether the full-size data set ``name`` ("mnist" or "fashion") can be loaded here."""
    from nnfs_utils import data

    if name == "fashion":
        return bool(data.fashion_mnist_available())
    if name == "mnist":
        return bool(data.full_mnist_available())
    raise ValueError(f"unknown data set {name!r}; choose mnist or fashion")


def check_parameters(notebook: Path) -> None:
    """Fail unless the notebook has a ``parameters`` cell defining source and results_file."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            src = "".join(cell["source"])
            missing = [
                n for n in ("source", "results_file") if not re.search(rf"^{n}\s*=", src, re.M)
            ]
            if missing:
                raise FullRunError(
                    f"{notebook.name}: its parameters cell does not define {', '.join(missing)}; "
                    'add e.g. `source = "sample"` and `results_file = ""` to it'
                )
            return
    raise FullRunError(
        f"{notebook.name} has no cell tagged 'parameters'; add one defining "
        '`source = "sample"` and `results_file = ""` (see scripts/full_run.py)'
    )


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
        else:
            name = platform.processor() or platform.machine()
    except OSError:
        name = platform.processor() or platform.machine()
    return f"{name}, {os.cpu_count()} cores"


def run_notebook(name: str, source: str, out_dir: Path, timeout: int) -> list[dict]:
    """Execute one notebook with papermill and return the records it wrote."""
    import papermill as pm

    notebook = NOTEBOOKS / name
    if not notebook.is_file():
        raise FullRunError(f"{_show(notebook)} does not exist")
    check_parameters(notebook)
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / name
    if output.resolve() == notebook.resolve():
        raise FullRunError("the output folder must not be notebooks/: it would overwrite them")
    records_file = out_dir / (Path(name).stem + ".results.json")
    records_file.unlink(missing_ok=True)
    print(f"full-run: running {name} with source={source!r} -> {_show(output)}")
    start = time.perf_counter()
    pm.execute_notebook(
        str(notebook),
        str(output),
        parameters={
            "source": source,
            "results_file": str(records_file),
            **EXTRA_PARAMETERS.get(name, {}),
        },
        cwd=str(NOTEBOOKS),
        kernel_name="python3",
        execution_timeout=timeout,
        progress_bar=False,
    )
    print(f"full-run: {name} finished in {time.perf_counter() - start:.0f} s")
    if not records_file.is_file():
        print(f"full-run: {name} recorded no full-size results (its results_file was not written)")
        return []
    records = json.loads(records_file.read_text())
    for record in records:
        missing = [k for k in RECORD_KEYS if k not in record]
        if missing:
            raise FullRunError(f"{name} wrote a record without {', '.join(missing)}: {record}")
        if record["split"] not in SPLITS:
            raise FullRunError(
                f"{name} wrote a record whose split is {record['split']!r}; it must be 'dev' "
                f"(the split used for choices) or 'test' (kept apart, measured once): {record}"
            )
        record["notebook"] = name
    return records


def results_table(results: dict) -> str:
    """The Markdown table that goes between the README markers."""
    lines = [
        "| Data set | Network | Accuracy (split) | Training time | Notebook | Date | CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results["records"]:
        cpu = r["cpu"]
        load = r.get("load_average_1min")
        if load is not None and load > 1.5:  # other programs were competing for the CPU
            cpu += f" (busy: load {load:.1f})"
        lines.append(
            f"| {r['dataset']} | {r['network']} | {r['accuracy']:.4f} ({r['split']}) "
            f"| {r['train_seconds']:.1f} s | {r['notebook'][:2]} | {r['date']} | {cpu} |"
        )
    if not results["records"]:
        lines.append("| (no full-size data set was available) | | | | | | |")
    else:
        used = [split for split in SPLITS if any(r["split"] == split for r in results["records"])]
        lines.append("")
        lines.append("; ".join(f"({split}): {SPLITS[split]}" for split in used) + ".")
    if results["skipped"]:
        lines.append("")
        lines.append("Not run: " + "; ".join(results["skipped"]) + ".")
    return "\n".join(lines)


def update_readme(results: dict, readme: Path = README) -> bool:
    """Replace the text between the results markers; False (and a message) if there are none."""
    if not readme.is_file():
        print(f"full-run: {readme.name} not found; the table was not written")
        return False
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text or text.index(START) > text.index(END):
        print(f"full-run: {readme.name} has no {START} ... {END} markers; table not written")
        return False
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    table = results_table(results)
    readme.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
    return True


def load_previous(path: Path) -> list[dict]:
    """The records of an earlier run, so a Fashion-only run keeps the full-MNIST rows."""
    try:
        return list(json.loads(path.read_text(encoding="utf-8")).get("records", []))
    except (OSError, ValueError, AttributeError):
        return []


def merge_records(old: list[dict], new: list[dict]) -> list[dict]:
    """New records replace old ones of the same data set and notebook; the rest are kept."""
    fresh = {(r["dataset"], r["notebook"]) for r in new}
    kept = [r for r in old if (r.get("dataset"), r.get("notebook")) not in fresh]
    return kept + new


def plan_runs(dataset: str, available) -> tuple[list[tuple[str, str]], list[str]]:
    """Return ([(notebook, source), ...], [skip messages]); raise FullRunError when needed."""
    wanted = ["mnist", "fashion"] if dataset == "all" else [dataset]
    runs, skipped = [], []
    have = {name: available(name) for name in wanted}
    for name in wanted:
        if not have[name]:
            if dataset != "all":
                raise FullRunError(PLAN[name]["missing"] + ".")
            skipped.append(PLAN[name]["missing"])
    if not any(have.values()):
        raise FullRunError("nothing to run: " + "; ".join(skipped) + ".")
    if have.get("mnist"):
        runs = [(nb, "full") for nb in PLAN["mnist"]["notebooks"]]  # 09 covers Fashion as well
        if have.get("fashion"):  # the notebooks that train on Fashion-MNIST only
            mnist = set(PLAN["mnist"]["notebooks"])
            runs += [
                (nb, PLAN["fashion"]["source"])
                for nb in PLAN["fashion"]["notebooks"]
                if nb not in mnist
            ]
    else:
        runs = [(nb, PLAN["fashion"]["source"]) for nb in PLAN["fashion"]["notebooks"]]
    return runs, skipped


def main(argv=None, available=dataset_available) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=["all", "mnist", "fashion"], default="all")
    parser.add_argument("--out", type=Path, default=RESULTS / "runs", help="executed notebooks")
    parser.add_argument("--results", type=Path, default=RESULTS / "results.json")
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    parser.add_argument(
        "--table-only", action="store_true", help="rewrite the README table from --results"
    )
    args = parser.parse_args(argv)

    if args.table_only:
        try:
            results = json.loads(args.results.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"full-run: error: cannot read {args.results}: {exc}", file=sys.stderr)
            return 2
        update_readme(results, args.readme)
        print(results_table(results))
        return 0

    try:
        runs, skipped = plan_runs(args.dataset, available)
    except FullRunError as exc:
        print(f"full-run: error: {exc}", file=sys.stderr)
        return 2
    for message in skipped:
        print(f"full-run: SKIPPED: {message}")

    records = []
    try:
        for notebook, source in runs:
            records += run_notebook(notebook, source, args.out, args.timeout)
    except FullRunError as exc:
        print(f"full-run: error: {exc}", file=sys.stderr)
        return 2
    if args.dataset == "fashion":
        records = [r for r in records if "fashion" in r["dataset"].lower()]
    machine = {
        "date": dt.date.today().isoformat(),
        "cpu": cpu_name(),
        "python": platform.python_version(),
        "numpy": __import__("numpy").__version__,
        # other work on the machine slows training down: keep the load next to the times
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    for record in records:
        record.update(machine)
    results = {
        "updated": machine["date"],
        "records": merge_records(load_previous(args.results), records),
        "skipped": skipped,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"full-run: wrote {args.results}")
    update_readme(results, args.readme)
    print(results_table(results))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
