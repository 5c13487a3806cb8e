"""The arithmetic and the report of bench/run.py (the timings themselves are never asserted)."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_epoch_flops_count_the_products_of_one_epoch(bench):
    # per sample: layer 1 forward and dW (no dX: its input is the data), layer 2 all three
    per_sample = 2 * 784 * 128 * 2 + 2 * 128 * 10 * 3
    assert bench.epoch_matmul_flops(60_000) == 60_000 * per_sample
    assert bench.epoch_matmul_flops(60_000) / 1e9 == pytest.approx(24.5, abs=0.05)
    assert bench.epoch_matmul_flops(129) == 129 * per_sample  # a last, smaller batch


def _fake_runs(train, infer, gflops=None, cpu=None):
    runs = []
    for t in train:
        run = {"train": t, "infer": infer, "cpu": cpu or t}
        if gflops is not None:
            run["gflops"] = gflops
        runs.append(run)
    return runs


def test_summary_ratios_and_floor_share(bench):
    flops = bench.epoch_matmul_flops(60_000)
    gflops = flops / 0.4 / 1e9  # a rate at which the floor is exactly 0.4 s
    results = {
        1: {
            "nnfs": _fake_runs([0.5, 0.6, 0.55], 0.04, gflops),
            "torch": _fake_runs([1.0, 1.1, 0.9], 0.05),
        }
    }
    rows, _ = bench.summarise(results, 60_000, have_torch=True)
    row = rows[1]
    assert row["nnfs_train"] == 0.55 and row["torch_train"] == 1.0
    assert row["train_ratio"] == pytest.approx(0.55)
    assert row["infer_ratio"] == pytest.approx(0.8)
    assert row["floor"] == pytest.approx(0.4)
    assert row["floor_share"] == pytest.approx(0.4 / 0.55)
    info = {
        "date": "2026-01-01 00:00",
        "runs": 3,
        "cpu": "Test CPU",
        "cores": 2,
        "load_start": "0.0",
        "load_end": "0.0",
        "numpy": "2",
        "blas": "openblas",
        "torch": "2.13.0",
        "data": "random",
        "n_train": 60_000,
    }
    accuracy = {
        "epochs": 10,
        "seeds": [0],
        "threads": 1,
        "nnfs": [{"accuracy": 0.88, "seconds": 10.0}],
        "torch": [{"accuracy": 0.885, "seconds": 12.0}],
    }
    report = bench.format_report(info, rows, bench.epoch_matmul_flops(60_000), accuracy)
    assert "| 1 | 0.550 | 1.000 | **0.55** | 40.0 | 50.0 | **0.80** |" in report
    assert "**72.7%**" in report and "Test CPU" in report  # one decimal: 0.4 / 0.55
    assert "(share of the floor: 80.0%, 66.7%, 72.7%)" in report  # each run's share
    assert "Difference nnfs_utils - PyTorch: -0.50 points." in report


def test_summary_without_torch(bench):
    results = {1: {"nnfs": _fake_runs([0.5], 0.04, 50.0), "torch": []}}
    rows, flops = bench.summarise(results, 60_000, have_torch=False)
    assert "train_ratio" not in rows[1]
    info = dict.fromkeys(
        ["date", "runs", "cpu", "cores", "load_start", "load_end", "numpy", "blas", "data"], "x"
    )
    info.update(torch="not installed", n_train=60_000, accuracy_note="Not run.")
    report = bench.format_report(info, rows, flops, None)
    assert "n/a" in report and "Not run." in report


def test_conv_bench_replaces_its_own_section_of_the_report(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_conv", BENCH.with_name("conv.py"))
    conv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conv)
    report = tmp_path / "RESULTS.md"
    report.write_text("# `make bench` results\n\nthe MLP\n\n## Accuracy\n\n88%\n")
    for epoch in (18.0, 19.0):  # a second run replaces the first run's section
        section = conv.report_section(
            type("Args", (), {"n": 60_000, "threads": 1, "runs": 3}),
            {"nnfs": [{"epoch": epoch, "blas_kernel": "Haswell"}] * 3, "torch": []},
            "1.0 1.0 1.0", "1.1 1.0 1.0", epoch, None, 5.0, 70.0,
        )  # fmt: skip
        conv.write_section(report, section)
    text = report.read_text()
    assert text.startswith(
        "# `make bench` results\n\nthe MLP\n\n## Accuracy\n\n88%\n\n## Notebook 12"
    )
    assert text.count(conv.HEADING) == 1 and "| 19.0 s | not installed | n/a | 26% " in text
    assert [p.name for p in tmp_path.iterdir()] == ["RESULTS.md"]  # no temporary file left
