"""`make bench`: time nnfs_utils against PyTorch (CPU, eager) on one MNIST-sized epoch.

What is measured (each number is the median over --runs fresh processes, the two libraries
alternating which goes first, for every thread count in --threads):

* one training epoch of a 784-128-10 ReLU/softmax network: 60,000 samples, batch 128, plain
  SGD (lr 0.01), float32, shuffled, with the loss and accuracy tracked per batch as both
  training loops do; after a warm-up of 10 batches. For nnfs_utils this is the second epoch
  of `fit(epochs=2)` as `fit` times it, and its CPU time (from a callback at each epoch's
  end); `fit`'s one-off input checks are reported apart;
* inference: class probabilities for 10,000 samples;
* the floor: the epoch's matrix-multiply FLOPs divided by the sgemm throughput that NumPy's
  BLAS reaches on the epoch's own matrix shapes, measured in the same process just before and
  just after the epoch (the mean of the two), so it sees about the same machine load; and
  likewise an inference floor: the two products of a 10,000-sample forward pass, timed alone
  just before and after the inference runs.

OpenBLAS picks its kernels for the CPU it finds unless OPENBLAS_CORETYPE says otherwise
(OPENBLAS_L2_SIZE changes its blocking). The timed processes run with both variables removed
from their environment (only theirs), so the first table shows OpenBLAS's own choice for this
CPU; a second table repeats the timing with OPENBLAS_CORETYPE=Haswell. Every worker reports
the kernel OpenBLAS actually loaded (threadpoolctl), and the report prints it.

With --accuracy (on by default when Fashion-MNIST is available) both libraries also train the
784-128-10 network with Adam (lr 0.001, batch 128) for 10 epochs from the same initial
weights and report the test accuracy.

Results go to the terminal and to bench/RESULTS.md. PyTorch is optional: without it the script
says so and still times nnfs_utils. `bench/epoch_parts.py` shows where the epoch's time goes
beyond the floor, step by step.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

SIZES = (784, 128, 10)
BATCH = 128
LR_SGD = 0.01
WARMUP_BATCHES = 10
N_INFER = 10_000
INFER_REPEATS = 3


# ------------------------------------------------------------------------------ helpers
def epoch_matmul_flops(n, batch=BATCH, sizes=SIZES):
    """FLOPs of the matrix products of one training epoch (2 per multiply-add).

    Per layer: forward X @ W, backward X.T @ dZ for dW, and dZ @ W.T for dX -- except the
    first layer, whose input is the data and needs no gradient.
    """
    flops = 0
    for first in range(0, n, batch):
        b = min(batch, n - first)
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            per_product = 2 * b * n_in * n_out
            flops += per_product * (2 if i == 0 else 3)
    return flops


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


KERNEL_CHOICES = {"auto": None, "Haswell": "Haswell"}  # table -> OPENBLAS_CORETYPE


def infer_matmul_flops(n=N_INFER, sizes=SIZES):
    """FLOPs of the matrix products of one forward pass over n samples."""
    return sum(2 * n * n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def thread_env(threads, coretype=None):
    """The worker's environment: thread counts set, OpenBLAS's CPU overrides removed.

    ``coretype`` (e.g. "Haswell") sets OPENBLAS_CORETYPE for that worker only; None leaves
    OpenBLAS to pick its kernels for this CPU.
    """
    env = dict(os.environ)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(var, None)
    if coretype is not None:
        env["OPENBLAS_CORETYPE"] = coretype
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def load_data():
    """Real MNIST if present, else Fashion-MNIST (same shape), else random data of that shape."""
    try:
        from nnfs_utils.data import load_fashion_mnist, load_mnist
    except ImportError as err:
        load_mnist = load_fashion_mnist = None
        why = f"nnfs_utils.data could not be imported ({err})"
    speed = None
    if load_mnist is not None:
        try:
            speed = load_mnist("full", dev_size=0)  # all 60,000 training images
            speed_name = "MNIST (full, 60,000 train / 10,000 test)"
        except Exception as err:  # noqa: BLE001 - any failure means: not available here
            why = f"full MNIST not available ({type(err).__name__})"
    fashion = None
    if load_fashion_mnist is not None:
        try:
            fashion = load_fashion_mnist(dev_size=0)
        except Exception as err:  # noqa: BLE001
            why_fashion = f"Fashion-MNIST not available ({type(err).__name__})"
        else:
            why_fashion = ""
    else:
        why_fashion = why
    if speed is None and fashion is not None:
        speed, speed_name = fashion, f"Fashion-MNIST (real images of MNIST's shape; {why})"
    if speed is None:
        rng = np.random.default_rng(0)
        X = rng.random((60_000, 784), dtype=np.float32)
        Xt = rng.random((N_INFER, 784), dtype=np.float32)
        arrays = (X, rng.integers(0, 10, 60_000), Xt, rng.integers(0, 10, N_INFER))
        speed_name = f"random data of MNIST's shape ({why}; {why_fashion})"
    else:
        arrays = (speed.X_train, speed.y_train, speed.X_test, speed.y_test)
    return arrays, speed_name, fashion, why_fashion


def save_arrays(folder, name, arrays):
    path = Path(folder) / name
    path.mkdir()
    for key, arr in zip(("X", "y", "Xt", "yt"), arrays, strict=True):
        np.save(path / f"{key}.npy", np.ascontiguousarray(arr))
    return path


def load_arrays(path):
    path = Path(path)
    X, y, Xt, yt = (np.load(path / f"{k}.npy") for k in ("X", "y", "Xt", "yt"))
    return X.astype(np.float32, copy=False), y.astype(np.int64), Xt.astype(np.float32), yt


def run_worker(kind, threads, data, seed=0, timeout=900, coretype=None):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    cmd += ["--threads", str(threads), "--data", str(data), "--seed", str(seed)]
    proc = subprocess.run(
        cmd, env=thread_env(threads, coretype), capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {kind} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------ workers
def sgemm_gflops(threads, seconds=0.6):
    """Throughput of NumPy's sgemm on this epoch's two big products (median of chunks).

    Returns (per wall-clock second, per CPU second of this process).
    """
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(1)
    n_in, n_hidden = SIZES[0], SIZES[1]
    X = rng.random((BATCH, n_in), dtype=np.float32)
    W = rng.random((n_in, n_hidden), dtype=np.float32)
    dZ = rng.random((BATCH, n_hidden), dtype=np.float32)
    Z = np.empty((BATCH, n_hidden), np.float32)
    dW = np.empty((n_in, n_hidden), np.float32)
    flops = 20 * 2 * (2 * BATCH * n_in * n_hidden)
    rates, cpu_rates = [], []
    with threadpool_limits(threads, user_api="blas"):
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(rates) < 5:
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(20):
                np.matmul(X, W, out=Z)  # forward of layer 1
                np.matmul(X.T, dZ, out=dW)  # dW of layer 1
            rates.append(flops / (time.perf_counter() - t0) / 1e9)
            cpu_rates.append(flops / max(time.process_time() - c0, 1e-9) / 1e9)
    return statistics.median(rates), statistics.median(cpu_rates)


def infer_sgemm_seconds(threads, X, repeats=5):
    """Median time of the forward pass's two products alone on X: (wall, CPU) seconds."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(2)
    W1 = rng.random((SIZES[0], SIZES[1]), dtype=np.float32)
    W2 = rng.random((SIZES[1], SIZES[2]), dtype=np.float32)
    times, cpu = [], []
    with threadpool_limits(threads, user_api="blas"):
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            (X @ W1) @ W2
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu)


def blas_kernel():
    """The kernel family OpenBLAS loaded in this process (e.g. "Haswell", "Zen")."""
    from threadpoolctl import threadpool_info

    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return str(blas[0].get("architecture")) if blas else "unknown"


def worker_nnfs(threads, data, seed):
    from nnfs_utils import MLP

    X, y, Xt, _ = load_arrays(data)
    model = MLP(list(SIZES), seed=seed)
    fit = dict(batch_size=BATCH, optimizer="sgd", lr=LR_SGD, progress=False, threads=threads)
    warm = WARMUP_BATCHES * BATCH
    model.fit(X[:warm], y[:warm], epochs=1, **fit)
    # the sgemm rate just before and just after the epochs: the machine's load can change
    before = sgemm_gflops(threads, seconds=0.3)
    ends = []  # CPU time at the end of each epoch (a callback runs right after the epoch)
    t0 = time.perf_counter()
    history = model.fit(X, y, epochs=2, callbacks=[lambda *_: ends.append(time.process_time())],
                        **fit)  # fmt: skip
    call = time.perf_counter() - t0
    after = sgemm_gflops(threads, seconds=0.3)
    # the second epoch, as fit() times it; its CPU time runs from the first epoch's end to its
    # own (so it leaves out fit's one-off input checks, which come before the first epoch)
    train, cpu = history.epoch_time[1], ends[1] - ends[0]
    Xi = np.ascontiguousarray(Xt[:N_INFER])
    model.predict_proba(Xi)
    floor_before = infer_sgemm_seconds(threads, Xi)
    infer, infer_cpu = [], []
    for _ in range(INFER_REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        model.predict_proba(Xi)
        infer.append(time.perf_counter() - t0)
        infer_cpu.append(time.process_time() - c0)
    floor_after = infer_sgemm_seconds(threads, Xi)
    return {
        "train": train,
        "checks": call - sum(history.epoch_time),
        "cpu": cpu,
        "infer": statistics.median(infer),
        "infer_cpu": statistics.median(infer_cpu),
        "gflops": (before[0] + after[0]) / 2,
        "gflops_cpu": (before[1] + after[1]) / 2,
        "infer_floor": (floor_before[0] + floor_after[0]) / 2,
        "infer_floor_cpu": (floor_before[1] + floor_after[1]) / 2,
        "kernel": blas_kernel(),
    }


def _torch_model(seed):
    """A torch 784-128-10 net starting from the same weights as MLP(SIZES, seed=seed)."""
    import torch
    from torch import nn

    from nnfs_utils import MLP

    ref = MLP(list(SIZES), seed=seed)
    net = nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.ReLU(), nn.Linear(SIZES[1], SIZES[2]))
    with torch.no_grad():
        for linear, dense in zip((net[0], net[2]), ref.layers, strict=True):
            linear.weight.copy_(torch.from_numpy(dense.W.T.copy()))  # torch stores W as (out, in)
            linear.bias.copy_(torch.from_numpy(dense.b[0].copy()))
    return net


def _torch_epoch(net, opt, X, y, generator):
    """One shuffled epoch the way a PyTorch tutorial writes it, tracking loss and accuracy."""
    import torch
    import torch.nn.functional as F

    n = X.shape[0]
    order = torch.randperm(n, generator=generator)
    loss_sum = correct = 0.0
    for first in range(0, n, BATCH):
        idx = order[first : first + BATCH]
        xb, yb = X[idx], y[idx]
        logits = net(xb)
        loss = F.cross_entropy(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(idx)
        correct += (logits.argmax(dim=1) == yb).sum().item()
    return loss_sum / n, correct / n


def worker_torch(threads, data, seed):
    import torch

    torch.set_num_threads(threads)
    X, y, Xt, _ = load_arrays(data)
    X, y, Xt = torch.from_numpy(X), torch.from_numpy(y), torch.from_numpy(Xt[:N_INFER])
    net = _torch_model(seed)
    opt = torch.optim.SGD(net.parameters(), lr=LR_SGD)
    gen = torch.Generator().manual_seed(seed)
    warm = WARMUP_BATCHES * BATCH
    _torch_epoch(net, opt, X[:warm], y[:warm], gen)
    t0, c0 = time.perf_counter(), time.process_time()
    _torch_epoch(net, opt, X, y, gen)
    train, cpu = time.perf_counter() - t0, time.process_time() - c0
    infer = []
    with torch.inference_mode():
        torch.softmax(net(Xt), dim=1)
        for _ in range(INFER_REPEATS):
            t0 = time.perf_counter()
            torch.softmax(net(Xt), dim=1)
            infer.append(time.perf_counter() - t0)
    return {
        "train": train,
        "cpu": cpu,
        "infer": statistics.median(infer),
        "torch": torch.__version__,
    }


def worker_nnfs_accuracy(threads, data, seed, epochs=10):
    from nnfs_utils import MLP

    X, y, Xt, yt = load_arrays(data)
    model = MLP(list(SIZES), seed=seed)
    t0 = time.perf_counter()
    model.fit(X, y, epochs=epochs, batch_size=BATCH, optimizer="adam", lr=1e-3,
              progress=False, threads=threads)  # fmt: skip
    return {"accuracy": model.evaluate(Xt, yt), "seconds": time.perf_counter() - t0}


def worker_torch_accuracy(threads, data, seed, epochs=10):
    import torch

    torch.set_num_threads(threads)
    X, y, Xt, yt = (torch.from_numpy(a) for a in load_arrays(data))
    net = _torch_model(seed)
    # the same Adam as nnfs_utils: eps 1e-7 (PyTorch's default is 1e-8)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    gen = torch.Generator().manual_seed(seed)
    t0 = time.perf_counter()
    for _ in range(epochs):
        _torch_epoch(net, opt, X, y, gen)
    with torch.inference_mode():
        acc = (net(Xt).argmax(dim=1) == yt).double().mean().item()
    return {"accuracy": acc, "seconds": time.perf_counter() - t0}


WORKERS = {
    "nnfs": worker_nnfs,
    "torch": worker_torch,
    "nnfs-accuracy": worker_nnfs_accuracy,
    "torch-accuracy": worker_torch_accuracy,
}


# ------------------------------------------------------------------------------ report
def med(values):
    return statistics.median(values) if values else float("nan")


def spread(values):
    return f"{min(values):.3f}-{max(values):.3f}" if values else "-"


def summarise(results, n_train, have_torch):
    """Per thread count: medians, ratios and share of the floor."""
    rows = {}
    flops = epoch_matmul_flops(n_train)
    for threads, res in results.items():
        nn_train = [r["train"] for r in res["nnfs"]]
        nn_infer = [r["infer"] for r in res["nnfs"]]
        gflops = [r["gflops"] for r in res["nnfs"]]
        floor = [flops / (g * 1e9) for g in gflops]
        row = {
            "nnfs_checks": med([r.get("checks", 0.0) for r in res["nnfs"]]),
            "nnfs_train": med(nn_train),
            "nnfs_train_all": nn_train,
            "nnfs_infer": med(nn_infer),
            "gflops": med(gflops),
            "floor": med(floor),
            # share of the floor: per run (floor and epoch from the same process), then median
            "floor_share": med([f / t for f, t in zip(floor, nn_train, strict=True)]),
            "floor_share_all": [f / t for f, t in zip(floor, nn_train, strict=True)],
            "kernels": sorted({r.get("kernel", "unknown") for r in res["nnfs"]}),
        }
        with_floors = [r for r in res["nnfs"] if "infer_floor" in r]
        if with_floors:
            row["infer_floor"] = med([r["infer_floor"] for r in with_floors])
            row["infer_floor_share"] = med([r["infer_floor"] / r["infer"] for r in with_floors])
            # the same shares in CPU seconds of the process: steadier on a busy machine
            row["floor_share_cpu"] = med(
                [flops / (r["gflops_cpu"] * 1e9) / r["cpu"] for r in with_floors]
            )
            row["infer_floor_share_cpu"] = med(
                [r["infer_floor_cpu"] / r["infer_cpu"] for r in with_floors]
            )
        if have_torch:
            t_train = [r["train"] for r in res["torch"]]
            t_infer = [r["infer"] for r in res["torch"]]
            row.update(
                torch_train=med(t_train),
                torch_train_all=t_train,
                torch_infer=med(t_infer),
                train_ratio=med(nn_train) / med(t_train),
                cpu_ratio=med([r["cpu"] for r in res["nnfs"]])
                / med([r["cpu"] for r in res["torch"]]),
                infer_ratio=med(nn_infer) / med(t_infer),
            )
        rows[threads] = row
    return rows, flops


def format_report(info, rows, flops, accuracy, haswell_rows=None):
    lines = [
        "# `make bench` results",
        "",
        f"Written by `bench/run.py` on {info['date']} (UTC). Each time is the median of "
        f"{info['runs']} fresh processes, nnfs_utils and PyTorch alternating which runs first.",
        "",
        f"- CPU: {info['cpu']} ({info['cores']} cores visible); load average at start "
        f"{info['load_start']}, at end {info['load_end']}",
        f"- NumPy {info['numpy']} with {info['blas']}; PyTorch {info['torch']}",
        f"- Data: {info['data']}",
        f"- Task: {'-'.join(map(str, SIZES))} ReLU/softmax, batch {BATCH}, SGD lr {LR_SGD}, "
        f"float32, one epoch over {info['n_train']:,} samples; inference on {N_INFER:,}",
        f"- Floor: {flops / 1e9:.1f} GFLOP of matrix products per epoch at the sgemm rate "
        "measured on the epoch's shapes in the same process, just before and after the epoch",
        f"- Inference floor: the {infer_matmul_flops() / 1e9:.2f} GFLOP of a {N_INFER:,}-sample "
        "forward pass's two products, timed alone in the same process just before and after",
        "",
        "OpenBLAS's own choice of kernels for this CPU (`OPENBLAS_CORETYPE` and "
        "`OPENBLAS_L2_SIZE` unset for the timed processes):",
        "",
        *_table(rows),
    ]
    if haswell_rows:
        lines += [
            "",
            "The same with `OPENBLAS_CORETYPE=Haswell` (the timed processes only):",
            "",
            *_table(haswell_rows),
        ]
    lines += [
        "",
        "The nnfs epoch is the second epoch of a `fit(epochs=2)` call, as `fit` times it "
        f"(`history.epoch_time`); `fit`'s one-off checks of the {info['n_train']:,} inputs "
        "(NaN/inf, labels) before the first epoch took "
        + ", ".join(f"{r['nnfs_checks']:.3f} s ({t} thread(s))" for t, r in rows.items())
        + " (medians). The shares in CPU seconds divide the floor and the epoch (or inference) "
        "as measured by the process's CPU clock: time spent waiting for a core, on a busy "
        "machine, is left out of both.",
    ]
    if any("cpu_ratio" in r for r in rows.values()):
        lines += [
            "",
            "Measured in CPU seconds of the process instead of wall-clock time (less sensitive "
            "to other programs competing for the cores; with 2 threads it also counts threads "
            "spinning while they wait for each other; nnfs side: the second epoch), the "
            "ratio nnfs/torch is "
            + ", ".join(f"{r['cpu_ratio']:.2f} with {t} thread(s)" for t, r in rows.items())
            + ".",
        ]
    lines += [
        "",
        "How to read this: the epoch is dominated by two matrix products per batch, "
        "(128, 784) @ (784, 128) forward and its transpose product for dW; the floor is what "
        "those products alone cost at the measured sgemm rate. Wall-clock times depend on what "
        "else the machine is running: when the load average above exceeds the number of "
        "cores, the medians are dominated by waiting for a core and vary a lot between runs "
        "(see the lists below); the CPU-seconds ratio is the steadier comparison then. "
        "`MLP.fit` uses one BLAS thread by default (`threads=1`) because two threads on these "
        "small matrices are slower, by a large factor, on a busy machine.",
    ]
    lines += ["", "All epoch times (s), in run order:", ""]
    for label, table in (("", rows), ("Haswell, ", haswell_rows or {})):
        for threads, r in table.items():
            shares = ", ".join(f"{x:.1%}" for x in r["floor_share_all"])
            lines.append(
                f"- {label}{threads} thread(s): nnfs_utils {_fmt_list(r['nnfs_train_all'])} "
                f"(share of the floor: {shares})"
            )
            if "torch_train_all" in r:
                lines.append(
                    f"- {label}{threads} thread(s): PyTorch {_fmt_list(r['torch_train_all'])}"
                )
    lines += ["", "## Accuracy", ""]
    if accuracy is None:
        lines.append(info["accuracy_note"])
    else:
        lines += [
            f"784-128-10 ReLU/softmax, Adam (lr 0.001, eps 1e-7), batch {BATCH}, "
            f"{accuracy['epochs']} epochs on Fashion-MNIST (60,000 train), test accuracy on the "
            f"10,000 test images; both start from the same initial weights (seeds "
            f"{accuracy['seeds']}), {accuracy['threads']} thread.",
            "",
            "| library | test accuracy per seed | mean | training time per run (s) |",
            "|---|---|---|---|",
        ]
        for lib in ("nnfs", "torch"):
            if lib in accuracy:
                accs = [r["accuracy"] for r in accuracy[lib]]
                secs = [r["seconds"] for r in accuracy[lib]]
                lines.append(
                    f"| {'nnfs_utils' if lib == 'nnfs' else 'PyTorch'} | "
                    f"{', '.join(f'{a:.2%}' for a in accs)} | {np.mean(accs):.2%} | "
                    f"{_fmt_list(secs)} |"
                )
        if "torch" in accuracy:
            diff = np.mean([r["accuracy"] for r in accuracy["nnfs"]]) - np.mean(
                [r["accuracy"] for r in accuracy["torch"]]
            )
            lines += ["", f"Difference nnfs_utils - PyTorch: {diff * 100:+.2f} points."]
    return "\n".join(lines) + "\n"


def _table(rows):
    """The markdown table of one kernel choice: a row per thread count."""
    lines = [
        "| threads | nnfs epoch (s) | torch epoch (s) | epoch ratio nnfs/torch | "
        "nnfs infer (ms) | torch infer (ms) | infer ratio | sgemm GFLOPS | floor (s) | "
        "share of floor | infer floor (ms) | infer share of floor | shares in CPU s (epoch / "
        "infer) | OpenBLAS kernel |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for threads, r in rows.items():
        torch_cols = (
            f"{r['torch_train']:.3f} | **{r['train_ratio']:.2f}** | {r['nnfs_infer'] * 1e3:.1f} | "
            f"{r['torch_infer'] * 1e3:.1f} | **{r['infer_ratio']:.2f}**"
            if "torch_train" in r
            else f"n/a | n/a | {r['nnfs_infer'] * 1e3:.1f} | n/a | n/a"
        )
        infer_cols = (
            f"{r['infer_floor'] * 1e3:.1f} | **{r['infer_floor_share']:.1%}** | "
            f"{r['floor_share_cpu']:.1%} / {r['infer_floor_share_cpu']:.1%}"
            if "infer_floor" in r
            else "n/a | n/a | n/a"
        )
        lines.append(
            f"| {threads} | {r['nnfs_train']:.3f} | {torch_cols} | {r['gflops']:.1f} | "
            f"{r['floor']:.3f} | **{r['floor_share']:.1%}** | {infer_cols} | "
            f"{', '.join(r.get('kernels', [])) or 'n/a'} |"
        )
    return lines


def _run_summary(res, n_train):
    """One worker's result in a line: times, and for nnfs_utils the floor shares and kernel."""
    line = f"epoch {res['train']:.3f} s, inference {res['infer'] * 1e3:.1f} ms"
    if "gflops" in res:
        floor = epoch_matmul_flops(n_train) / (res["gflops"] * 1e9)
        line += (
            f", sgemm {res['gflops']:.1f} GFLOPS, share of floor {floor / res['train']:.0%} "
            f"(inference {res['infer_floor'] / res['infer']:.0%}; in CPU time "
            f"{epoch_matmul_flops(n_train) / (res['gflops_cpu'] * 1e9) / res['cpu']:.0%} / "
            f"{res['infer_floor_cpu'] / res['infer_cpu']:.0%}), OpenBLAS kernel {res['kernel']}"
        )
    return line


def _fmt_list(values):
    return ", ".join(f"{v:.3f}" for v in values)


def blas_description():
    from threadpoolctl import threadpool_info

    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not blas:
        return "an unknown BLAS"
    b = blas[0]
    return f"{b.get('internal_api')} {b.get('version')}"


# -------------------------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per library")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--accuracy", action=argparse.BooleanOptionalAction, default=True,
                        help="also compare test accuracy after Adam training on Fashion-MNIST")  # fmt: skip
    parser.add_argument("--accuracy-seeds", type=int, default=2)
    parser.add_argument("--accuracy-epochs", type=int, default=10)
    parser.add_argument("--no-torch", action="store_true", help="time nnfs_utils only")
    parser.add_argument("--no-haswell", action="store_true",
                        help="skip the second table (OPENBLAS_CORETYPE=Haswell)")  # fmt: skip
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kwargs = {}
        if args.worker.endswith("accuracy"):
            kwargs["epochs"] = args.accuracy_epochs
        result = WORKERS[args.worker](args.threads[0], args.data, args.seed, **kwargs)
        print(json.dumps(result))
        return 0

    have_torch = find_spec("torch") is not None and not args.no_torch
    if not have_torch:
        print(
            "PyTorch is not installed (or --no-torch was given): timing nnfs_utils only; "
            "`make bench` installs it."
        )
    start = time.time()
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "runs": args.runs,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_start": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "numpy": np.__version__,
        "blas": blas_description(),
        "torch": "not installed",
    }
    arrays, info["data"], fashion, why_fashion = load_data()
    info["n_train"] = len(arrays[0])
    print(f"data: {info['data']}")
    print(f"CPU: {info['cpu']}; NumPy {info['numpy']} with {info['blas']}")

    with tempfile.TemporaryDirectory(prefix="nnfs-bench-") as tmp:
        data = save_arrays(tmp, "speed", arrays)
        kernel_choices = ["auto"] if args.no_haswell else list(KERNEL_CHOICES)
        results = {k: {t: {"nnfs": [], "torch": []} for t in args.threads} for k in kernel_choices}
        for run in range(args.runs):
            for j, kernels in enumerate(kernel_choices):
                for k, threads in enumerate(args.threads):
                    libs = ["nnfs", "torch"] if have_torch else ["nnfs"]
                    if (run + j + k) % 2:
                        libs.reverse()
                    for lib in libs:
                        res = run_worker(lib, threads, data, coretype=KERNEL_CHOICES[kernels])
                        results[kernels][threads][lib].append(res)
                        if "torch" in res:
                            info["torch"] = res["torch"]
                        where = f"run {run + 1}/{args.runs}, kernels {kernels}, {threads} thread(s)"
                        print(
                            f"{where}, {lib:5s}: {_run_summary(res, info['n_train'])}", flush=True
                        )

        accuracy = None
        if not args.accuracy:
            info["accuracy_note"] = "Not run (use `python bench/run.py --accuracy`)."
        elif fashion is None:
            info["accuracy_note"] = f"Not run: {why_fashion}."
            print(info["accuracy_note"])
        else:
            fdata = save_arrays(
                tmp, "fashion", (fashion.X_train, fashion.y_train, fashion.X_test, fashion.y_test)
            )
            seeds = list(range(args.accuracy_seeds))
            accuracy = {"epochs": args.accuracy_epochs, "seeds": seeds, "threads": 1}
            for seed in seeds:
                libs = ["nnfs", "torch"] if have_torch else ["nnfs"]
                if seed % 2:
                    libs.reverse()
                for lib in libs:
                    res = run_worker(f"{lib}-accuracy", 1, fdata, seed=seed)
                    accuracy.setdefault(lib, []).append(res)
                    print(
                        f"accuracy, seed {seed}, {lib:5s}: test accuracy {res['accuracy']:.2%} "
                        f"({res['seconds']:.1f} s for {args.accuracy_epochs} epochs)",
                        flush=True,
                    )

    info["load_end"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    tables = {k: summarise(results[k], info["n_train"], have_torch)[0] for k in results}
    flops = epoch_matmul_flops(info["n_train"])
    report = format_report(info, tables["auto"], flops, accuracy, tables.get("Haswell"))
    args.output.write_text(report)
    print()
    print(report)
    print(f"written to {args.output} ({time.time() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
