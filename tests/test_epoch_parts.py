"""bench/epoch_parts.py times the steps that fit runs: by hand they train to the same weights."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from nnfs_utils import MLP

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def parts():
    sys.path.insert(0, str(BENCH))  # epoch_parts imports run.py from its own folder
    try:
        spec = importlib.util.spec_from_file_location("bench_epoch_parts", BENCH / "epoch_parts.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def test_the_timed_steps_are_fits_steps(parts):
    rng = np.random.default_rng(3)
    X = rng.random((300, 20), dtype=np.float32)  # 3 batches of 128, the last one smaller
    y = rng.integers(0, 4, 300)
    order = rng.permutation(300)
    by_fit, by_hand = MLP([20, 8, 4], seed=1), MLP([20, 8, 4], seed=1)
    by_fit.fit(X[order], y[order], epochs=1, batch_size=parts.BATCH, lr=parts.LR_SGD,
               shuffle=False, progress=False)  # fmt: skip
    spent, clock_cost = parts.timed_epoch(by_hand, X, y, order)
    assert spent.shape == (len(parts.STEPS),) and (spent >= 0).all() and clock_cost >= 0
    for p_fit, p_hand in zip(by_fit.params, by_hand.params, strict=True):
        assert p_fit.tobytes() == p_hand.tobytes()
