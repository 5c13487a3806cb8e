"""scripts/full_run.py (`make full-run`): planning, failure messages and the README table.

The notebooks themselves are not run here (that takes minutes); papermill is replaced by a
stand-in wherever a run would start.
"""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("full_run", ROOT / "scripts" / "full_run.py")
full_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(full_run)


def availability(**present):
    return lambda name: present.get(name, False)


def run_main(tmp_path, argv, available, monkeypatch=None, records=()):
    """Call main() with every output in tmp_path; notebooks 'run' by writing ``records``."""
    calls = []
    if monkeypatch is not None:

        def fake_run(name, source, out_dir, timeout):
            calls.append((name, source))
            return [dict(r, notebook=name) for r in records if r["from"] == name]

        monkeypatch.setattr(full_run, "run_notebook", fake_run)
    readme = tmp_path / "README.md"
    if not readme.exists():
        readme.write_text(f"# Course\n\n{full_run.START}\nold table\n{full_run.END}\n\nThe end.\n")
    code = full_run.main(
        [*argv, "--out", str(tmp_path / "runs"), "--results", str(tmp_path / "results.json"),
         "--readme", str(readme)],
        available=available,
    )  # fmt: skip
    return code, calls, readme


@pytest.mark.parametrize(
    ("argv", "present", "message"),
    [
        (["--dataset", "mnist"], {"fashion": True}, "run `make data`"),
        (["--dataset", "fashion"], {"mnist": True}, "dataset-fashion-mnist"),
        ([], {}, "nothing to run"),
    ],
)
def test_a_missing_data_set_fails_clearly(tmp_path, capsys, argv, present, message):
    code, _, readme = run_main(tmp_path, argv, availability(**present))
    assert code == 2
    err = capsys.readouterr().err
    assert "full-run: error:" in err and message in err
    assert not (tmp_path / "results.json").exists()
    assert "old table" in readme.read_text()  # nothing was overwritten


def test_default_runs_what_is_there_and_says_what_was_skipped(tmp_path, capsys, monkeypatch):
    records = [
        {"from": "09_a_better_classifier.ipynb", "dataset": "Fashion-MNIST, 60,000 / 10,000",
         "network": "784-256-128-10", "accuracy": 0.8951, "split": "test",
         "train_seconds": 18.25},
    ]  # fmt: skip
    code, calls, readme = run_main(tmp_path, [], availability(fashion=True), monkeypatch, records)
    assert code == 0
    assert calls == [
        ("09_a_better_classifier.ipynb", "sample"),
        ("12_convolution_from_scratch.ipynb", "sample"),  # its CNN, with train_fashion=True
    ]
    assert full_run.EXTRA_PARAMETERS["12_convolution_from_scratch.ipynb"] == {"train_fashion": True}
    out = capsys.readouterr().out
    assert "SKIPPED: full MNIST" in out and "make data" in out
    results = json.loads((tmp_path / "results.json").read_text())
    (record,) = results["records"]
    assert record["accuracy"] == 0.8951 and record["notebook"] == "09_a_better_classifier.ipynb"
    assert record["cpu"] and record["date"]
    text = readme.read_text()
    assert "old table" not in text and text.startswith("# Course") and text.endswith("The end.\n")
    assert (
        "| Fashion-MNIST, 60,000 / 10,000 | 784-256-128-10 | 0.8951 (test) | 18.2 s | 09 |" in text
    )
    assert "Not run: full MNIST" in text


def test_full_mnist_runs_06_07_08_and_keeps_other_rows(tmp_path, monkeypatch):
    old = {"records": [{"dataset": "Fashion-MNIST", "notebook": "09_a_better_classifier.ipynb",
                        "network": "n", "accuracy": 0.9, "split": "test", "train_seconds": 1.0,
                        "date": "2026-01-01", "cpu": "old cpu"}]}  # fmt: skip
    (tmp_path / "results.json").write_text(json.dumps(old))
    records = [
        {"from": "07_mnist_from_scratch.ipynb", "dataset": "MNIST", "network": "784-10-10",
         "accuracy": 0.9, "split": "test", "train_seconds": 5.0},
    ]  # fmt: skip
    code, calls, _ = run_main(
        tmp_path, ["--dataset", "mnist"], availability(mnist=True), monkeypatch, records
    )
    assert code == 0
    assert [c[1] for c in calls] == ["full", "full", "full"]
    assert [c[0][:2] for c in calls] == ["07", "08", "09"]
    datasets = [
        r["dataset"] for r in json.loads((tmp_path / "results.json").read_text())["records"]
    ]
    assert datasets == ["Fashion-MNIST", "MNIST"]  # the earlier Fashion row is kept


def test_readme_without_markers_is_left_alone(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers here\n")
    assert not full_run.update_readme({"records": [], "skipped": []}, readme)
    assert readme.read_text() == "# no markers here\n"
    assert "no <!-- results:start -->" in capsys.readouterr().out


def test_a_notebook_without_a_parameters_cell_is_refused(tmp_path):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": ["x = 1\n"]}]}
    path = tmp_path / "06_x.ipynb"
    path.write_text(json.dumps(nb))
    with pytest.raises(full_run.FullRunError, match="no cell tagged 'parameters'"):
        full_run.check_parameters(path)
    nb["cells"][0]["metadata"]["tags"] = ["parameters"]
    nb["cells"][0]["source"] = ['source = "sample"\n']
    path.write_text(json.dumps(nb))
    with pytest.raises(full_run.FullRunError, match="does not define results_file"):
        full_run.check_parameters(path)


def test_notebook_08_has_the_parameters_full_run_needs():
    full_run.check_parameters(ROOT / "notebooks" / "09_a_better_classifier.ipynb")


def test_records_without_required_keys_are_rejected(tmp_path, monkeypatch):
    """A notebook that writes an incomplete record makes the run fail, not the table lie."""
    import sys
    import types

    def fake_execute(src, out, parameters, **kw):
        Path(parameters["results_file"]).write_text(json.dumps([{"dataset": "x"}]))

    monkeypatch.setitem(
        sys.modules, "papermill", types.SimpleNamespace(execute_notebook=fake_execute)
    )
    with pytest.raises(full_run.FullRunError, match="without network, accuracy"):
        full_run.run_notebook("09_a_better_classifier.ipynb", "sample", tmp_path, 60)


@pytest.mark.parametrize("split", ["validation", "Test", "", None])
def test_records_with_an_unknown_split_are_rejected(tmp_path, monkeypatch, split):
    """Every number must say whether it comes from the dev or the test set."""
    import sys
    import types

    record = {"dataset": "x", "network": "n", "accuracy": 0.9, "split": split,
              "train_seconds": 1.0}  # fmt: skip

    def fake_execute(src, out, parameters, **kw):
        Path(parameters["results_file"]).write_text(json.dumps([record]))

    monkeypatch.setitem(
        sys.modules, "papermill", types.SimpleNamespace(execute_notebook=fake_execute)
    )
    with pytest.raises(full_run.FullRunError, match=r"must be 'dev' .* or 'test'"):
        full_run.run_notebook("09_a_better_classifier.ipynb", "sample", tmp_path, 60)


def test_dev_and_test_numbers_are_labelled_in_results_and_table(tmp_path, monkeypatch):
    records = [
        {"from": "09_a_better_classifier.ipynb", "dataset": "MNIST", "network": "784-128-10",
         "accuracy": 0.9791, "split": "dev", "train_seconds": 30.0},
        {"from": "09_a_better_classifier.ipynb", "dataset": "MNIST", "network": "784-128-10",
         "accuracy": 0.9788, "split": "test", "train_seconds": 30.0},
    ]  # fmt: skip
    code, _, readme = run_main(tmp_path, [], availability(mnist=True), monkeypatch, records)
    assert code == 0
    saved = json.loads((tmp_path / "results.json").read_text())["records"]
    assert [(r["accuracy"], r["split"]) for r in saved] == [(0.9791, "dev"), (0.9788, "test")]
    text = readme.read_text()
    assert "| Data set | Network | Accuracy (split) |" in text
    assert "| MNIST | 784-128-10 | 0.9791 (dev) | 30.0 s | 09 |" in text
    assert "| MNIST | 784-128-10 | 0.9788 (test) | 30.0 s | 09 |" in text
    assert "(dev): measured on the dev set, on which the notebooks make their choices" in text
    assert "(test): measured once on the test set, kept apart from every choice." in text


def test_table_only_rebuilds_the_readme_from_results_json(tmp_path, capsys):
    results = {
        "records": [
            {"dataset": "Fashion-MNIST", "network": "784-256-128-10", "accuracy": 0.895,
             "split": "test", "train_seconds": 36.77, "notebook": "09_a_better_classifier.ipynb",
             "date": "2026-11-23", "cpu": "AMD EPYC, 2 cores", "load_average_1min": 4.33},
        ],
        "skipped": [],
    }  # fmt: skip
    (tmp_path / "results.json").write_text(json.dumps(results))
    code, _, readme = run_main(tmp_path, ["--table-only"], availability())
    assert code == 0
    row = "| Fashion-MNIST | 784-256-128-10 | 0.8950 (test) | 36.8 s | 09 | 2026-11-23 "
    assert row + "| AMD EPYC, 2 cores (busy: load 4.3) |" in readme.read_text()
    assert "(test): measured once on the test set" in readme.read_text()
    assert "(dev):" not in readme.read_text()  # only the splits that appear are explained
    (tmp_path / "results.json").unlink()
    code, _, _ = run_main(tmp_path, ["--table-only"], availability())
    assert code == 2 and "cannot read" in capsys.readouterr().err
