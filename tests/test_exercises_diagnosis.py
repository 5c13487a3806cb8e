"""Checkers of notebooks 10 and 11: dead units, the checklist, coverage and dropout."""

import numpy as np
import pytest
from checker_helpers import assert_fails_with, not_written, run

from nnfs_utils import MLP
from nnfs_utils.exercises import (
    check_coverage_at,
    check_dead_share,
    check_dropout_forward,
    check_name_the_problem,
    passes,
    run_summary,
)
from nnfs_utils.exercises.diagnosis import PROBLEMS
from nnfs_utils.monitor import TrainingMonitor


# ------------------------------------------------------------------------------ dead_share
def dead_share(A):
    return np.mean(np.all(A == 0, axis=0))


def test_dead_share(capsys):
    assert run(check_dead_share, dead_share, capsys) == "✓ dead_share is correct on 3 test cases.\n"
    assert run(check_dead_share, not_written, capsys).startswith("○ not_written: not done yet")
    assert_fails_with(run(check_dead_share, lambda A: np.mean(A == 0), capsys), "zero entries")
    assert_fails_with(
        run(check_dead_share, lambda A: np.mean(np.all(A == 0, axis=1)), capsys), "axis=0"
    )
    assert_fails_with(
        run(check_dead_share, lambda A: 1 - dead_share(A), capsys), "share of units that are alive"
    )
    assert_fails_with(
        run(check_dead_share, lambda A: np.sum(np.all(A == 0, axis=0)), capsys), "number of dead"
    )
    assert_fails_with(run(check_dead_share, lambda A: None, capsys), "returned None")
    assert passes(check_dead_share, dead_share) and not passes(check_dead_share, not_written)


# ------------------------------------------------------------------------ name_the_problem
def name_the_problem(s):
    if s["input_max"] > 10:
        return "unscaled inputs"
    if s["largest_update"] > 1:
        return "learning rate too high"
    if s["grad_ratio"] < 0.01:
        return "vanishing gradients"
    if s["largest_update"] < 0.002:
        return "learning rate too low"
    if s["train_accuracy"] - s["dev_accuracy"] > 0.1:
        return "overfitting"
    return "healthy"


def test_name_the_problem(capsys):
    out = run(check_name_the_problem, name_the_problem, capsys)
    assert out == "✓ name_the_problem is correct on 8 test cases.\n"
    assert run(check_name_the_problem, not_written, capsys).startswith("○")
    assert_fails_with(
        run(check_name_the_problem, lambda s: "broken", capsys),
        "returned 'broken', which is not one of the names",
        "'learning rate too high'",
    )
    assert_fails_with(run(check_name_the_problem, lambda s: "healthy", capsys), "it said 'healthy'")

    def too_high_first(s):
        return "learning rate too high" if s["largest_update"] > 1 else name_the_problem(s)

    assert_fails_with(run(check_name_the_problem, too_high_first, capsys), "check input_max first")

    def too_high_early(s):
        return "learning rate too high" if s["largest_update"] > 0.5 else name_the_problem(s)

    assert_fails_with(run(check_name_the_problem, too_high_early, capsys), "largest_update above 1")

    def strict_gap(s):
        if s["train_accuracy"] - s["dev_accuracy"] > 0.05:
            return "overfitting"
        return name_the_problem(s)

    assert_fails_with(run(check_name_the_problem, strict_gap, capsys), "gap above 0.1")
    # upper case and spaces around the name are accepted
    out = run(check_name_the_problem, lambda s: f" {name_the_problem(s).upper()} ", capsys)
    assert out.startswith("✓")


def test_run_summary_of_a_real_run():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(60, 6))
    y = (X[:, 0] > 0.5).astype(int)
    model = MLP([6, 8, 2], dtype=np.float64, seed=0)
    monitor = TrainingMonitor(model, X, y)
    monitor.fit(X, y, epochs=2, lr=0.1, progress=False)
    s = run_summary(monitor)
    assert set(s) == {
        "input_max", "largest_update", "grad_ratio", "dead", "train_accuracy", "dev_accuracy"
    }  # fmt: skip
    assert s["input_max"] == pytest.approx(X.max(), abs=1e-6)
    assert s["largest_update"] == max(max(r) for r in monitor.update_ratio[1:])
    assert s["dev_accuracy"] == monitor.dev_accuracy[-1]
    assert name_the_problem(s) in PROBLEMS


# ----------------------------------------------------------------------------- coverage_at
def coverage_at(P, y, threshold):
    answered = P.max(axis=1) >= threshold
    right = P.argmax(axis=1) == y
    return answered.mean(), right[answered].mean()


def test_coverage_at(capsys):
    assert run(check_coverage_at, coverage_at, capsys).startswith("✓ coverage_at is correct")
    assert run(check_coverage_at, not_written, capsys).startswith("○")
    everyone = lambda P, y, t: (coverage_at(P, y, t)[0], np.mean(P.argmax(axis=1) == y))  # noqa: E731
    assert_fails_with(run(check_coverage_at, everyone, capsys), "count only the answered")

    def over_all(P, y, t):
        answered, right = P.max(axis=1) >= t, P.argmax(axis=1) == y
        return answered.mean(), np.mean(answered & right)

    assert_fails_with(run(check_coverage_at, over_all, capsys), "divided by all inputs")
    count = lambda P, y, t: (np.sum(P.max(axis=1) >= t), coverage_at(P, y, t)[1])  # noqa: E731
    assert_fails_with(run(check_coverage_at, count, capsys), "divide by len(P)")
    assert_fails_with(run(check_coverage_at, lambda P, y, t: 0.5, capsys), "not 2 numbers")


# ------------------------------------------------------------------------- dropout_forward
def dropout_forward(A, rate, u):
    return A * (u >= rate) / (1 - rate)


def test_dropout_forward(capsys):
    assert run(check_dropout_forward, dropout_forward, capsys).startswith("✓")
    assert run(check_dropout_forward, not_written, capsys).startswith("○")
    assert_fails_with(
        run(check_dropout_forward, lambda A, r, u: A * (u >= r), capsys), "divided by (1 - rate)"
    )
    assert_fails_with(
        run(check_dropout_forward, lambda A, r, u: A * (u < r) / (1 - r), capsys), "keep u >= rate"
    )
    assert_fails_with(
        run(check_dropout_forward, lambda A, r, u: A * (u >= r) / r, capsys), "not by rate"
    )

    def in_place(A, rate, u):
        A *= (u >= rate) / (1 - rate)
        return A

    assert_fails_with(run(check_dropout_forward, in_place, capsys), "changed its input A")
