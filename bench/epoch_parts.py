"""Where one training epoch's time goes: each step of ``MLP.fit``'s inner loop, timed by hand.

    .venv/bin/python bench/epoch_parts.py            # 784-128-10, batch 128, SGD, float32

Runs one epoch with ``fit`` (its CPU time, as ``make bench`` measures it), then the same epoch
again with the model's own kernels called one by one (the gather, Dense.forward, ReLU, the
fused softmax cross-entropy, Dense.backward, the SGD step, the predicted labels), adding up
each step's CPU seconds (``time.process_time``, so other programs on the machine count less).
It prints each step per epoch and its share, and the floor of ``make bench`` (the epoch's
products at the sgemm rate measured here): the gap between the epoch and the floor is what
the steps other than the products cost. One BLAS thread; OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are removed from this process's environment, as for ``make bench``.
"""

import os
import sys

_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(var in os.environ for var in _OVERRIDES):  # OpenBLAS reads them when NumPy loads it
    env = {k: v for k, v in os.environ.items() if k not in _OVERRIDES}
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

import statistics  # noqa: E402 - after the re-exec above
import time  # noqa: E402

import numpy as np  # noqa: E402
from run import BATCH, LR_SGD, SIZES, blas_kernel, epoch_matmul_flops, sgemm_gflops  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from nnfs_utils import MLP  # noqa: E402 - run.py puts the checkout on sys.path
from nnfs_utils.optimizers import SGD  # noqa: E402

N = 60_000
STEPS = (
    "gather the batch (X.take)",
    "layer 1 forward  X @ W + b",
    "ReLU forward",
    "layer 2 forward  A @ W + b",
    "loss forward (softmax, cross-entropy)",
    "loss backward  (P - Y) / n",
    "layer 2 backward (dW, db, dX)",
    "ReLU backward",
    "layer 1 backward (dW, db)",
    "SGD step  p -= lr * dp",
    "predicted labels (argmax)",
)


def fit_epoch_cpu(model, X, y):
    """CPU seconds of fit's second epoch (a callback marks each epoch's end)."""
    ends = []
    model.fit(X, y, epochs=2, batch_size=BATCH, optimizer="sgd", lr=LR_SGD, progress=False,
              callbacks=[lambda *_: ends.append(time.process_time())])  # fmt: skip
    return ends[1] - ends[0]


def timed_epoch(model, X, y, order):
    """The epoch of ``fit`` (samples in ``order``), each step timed: CPU seconds per step.

    Also returns what the clock calls themselves cost. The model must have one hidden layer;
    the steps are the ones ``fit`` runs, so the weights end as ``fit`` would leave them.
    """
    (dense1, dense2), relu, loss = model.layers, model.hidden_activations[0], model.loss_fn
    opt = SGD(lr=LR_SGD)
    params = model.params
    opt.prepare(params)
    spent = np.zeros(len(STEPS))
    n = len(X)
    batch = np.empty((BATCH, X.shape[1]), X.dtype)
    y_epoch, predicted = y[order], np.empty(n, np.int64)
    clock = time.process_time
    for first in range(0, n, BATCH):
        last = min(first + BATCH, n)
        t0 = clock()
        Xb = X.take(order[first:last], axis=0, out=batch[: last - first], mode="clip")
        t1 = clock()
        Z1 = dense1.forward(Xb)
        t2 = clock()
        A1 = relu.forward(Z1)
        t3 = clock()
        Z2 = dense2.forward(A1)
        t4 = clock()
        loss.forward_unchecked(Z2, y_epoch[first:last])
        t5 = clock()
        dZ2 = loss.backward()
        t6 = clock()
        dA1 = dense2.backward(dZ2)
        t7 = clock()
        dZ1 = relu.backward(dA1)
        t8 = clock()
        dense1.backward(dZ1, input_grad=False)
        t9 = clock()
        opt.step_unchecked(params, model.grads)
        t10 = clock()
        predicted[first:last] = loss.P.argmax(axis=1)
        t11 = clock()
        spent += np.diff([t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11])
    t0 = clock()
    for _ in range(0, n, BATCH):
        for _ in range(len(STEPS) + 1):
            clock()
    return spent, clock() - t0


def main():
    rng = np.random.default_rng(0)
    X = rng.random((N, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], N)
    rounds = 5
    print(f"load average {os.getloadavg()}; {rounds} rounds; one BLAS thread")
    with threadpool_limits(1, user_api="blas"):
        model = MLP(list(SIZES), seed=0)
        fit_cpu, parts, timer, gflops = [], [], [], []
        for _ in range(rounds):
            gflops.append(sgemm_gflops(1, seconds=0.3)[1])
            fit_cpu.append(fit_epoch_cpu(model, X, y))
            spent, cost = timed_epoch(model, X, y, rng.permutation(N))
            parts.append(spent)
            timer.append(cost)
        kernel = blas_kernel()
    epoch = statistics.median(fit_cpu)
    floor = epoch_matmul_flops(N) / (statistics.median(gflops) * 1e9)
    steps = np.median(parts, axis=0)
    print(f"OpenBLAS kernel: {kernel}; sgemm {statistics.median(gflops):.1f} GFLOPS per CPU s")
    print(f"fit's epoch: {epoch * 1e3:.1f} ms CPU; floor {floor * 1e3:.1f} ms; "
          f"share of the floor {floor / epoch:.1%}\n")  # fmt: skip
    print(f"{'step (by hand, CPU ms per epoch)':40s} {'ms':>7s} {'share':>6s}")
    for name, ms in zip(STEPS, steps * 1e3, strict=True):
        print(f"{name:40s} {ms:7.1f} {ms / 1e3 / steps.sum():6.1%}")
    print(f"{'sum of the steps':40s} {steps.sum() * 1e3:7.1f}")
    print(f"{'the clock calls themselves (included)':40s} {statistics.median(timer) * 1e3:7.1f}")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
