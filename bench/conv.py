"""Time one training epoch of notebook 12's convolutional network: nnfs_utils against PyTorch.

    .venv/bin/python bench/conv.py              # 3 runs of each, 1 thread
    .venv/bin/python bench/conv.py --runs 5 --n 60000

The network (float32 here): Conv2D(1, 16, 5), ReLU, MaxPool2D(2), Conv2D(16, 32, 5), ReLU,
MaxPool2D(2), Flatten, Dense(512, 64), ReLU, Dense(64, 10); softmax cross-entropy, Adam
(lr 0.002), batches of 32 as in the notebook, shuffled, loss and accuracy tracked per batch.
The data is random (n images of 1 x 28 x 28, labels 0-9): the time of an epoch does not
depend on the pixel values.

Each run is a fresh process with one BLAS/OpenMP thread and without OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE in its environment (the timed processes only), so OpenBLAS picks its own
kernels for this CPU. nnfs_utils and PyTorch alternate which goes first; each reports the
median over --runs. Each process warms up on 10 batches, then times one epoch.

The floor: the epoch's convolution FLOPs (2 per multiply-add of the forward products of both
convolutions, their weight gradients, and the input gradient of the second; the first layer
needs none) divided by the sgemm rate that NumPy's BLAS reaches on exactly those matrix shapes,
timed in the nnfs_utils process just before and just after its epoch (the mean of the two, so
it sees about the same machine load). "Share of the floor" is floor / epoch time: 100% would
mean the epoch did nothing but those matrix products at full speed.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

BATCH = 32
LR = 0.002
WARMUP_BATCHES = 10


def conv_gemm_shapes(batch=BATCH):
    """The (m, k, n) of every convolution matrix product of one training step."""
    n1, n2 = batch * 24 * 24, batch * 8 * 8  # output positions of conv 1 and conv 2
    return [
        (16, 25, n1),  # conv 1 forward: W (16, 25) @ cols (25, n1)
        (16, n1, 25),  # conv 1 dW: dZ (16, n1) @ cols.T (n1, 25)
        (32, 400, n2),  # conv 2 forward
        (32, n2, 400),  # conv 2 dW
        (400, 32, n2),  # conv 2 dcols: W.T (400, 32) @ dZ (32, n2)
    ]


def step_flops(batch=BATCH):
    return sum(2 * m * k * n for m, k, n in conv_gemm_shapes(batch))


def sgemm_seconds_per_step(batch=BATCH, seconds=0.5):
    """Seconds the convolution products of one step take in NumPy's BLAS (float32), best of a
    loop that runs for about ``seconds``."""
    rng = np.random.default_rng(0)
    pairs = [
        (
            rng.standard_normal((m, k), dtype=np.float32),
            rng.standard_normal((k, n), dtype=np.float32),
        )
        for m, k, n in conv_gemm_shapes(batch)
    ]
    best, stop = float("inf"), time.perf_counter() + seconds
    while time.perf_counter() < stop:
        start = time.perf_counter()
        for a, b in pairs:
            a @ b
        best = min(best, time.perf_counter() - start)
    return best


def make_data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, size=n)
    return X, y


# ------------------------------------------------------------------------------ workers
def worker_nnfs(n):
    from threadpoolctl import threadpool_info

    from nnfs_utils.activations import ReLU
    from nnfs_utils.conv import Conv2D, Flatten, MaxPool2D, Sequential
    from nnfs_utils.layers import Dense
    from nnfs_utils.optimizers import Adam

    X, y = make_data(n)
    rng = np.random.default_rng(0)
    net = Sequential(
        [
            Conv2D(1, 16, 5, rng=rng),
            ReLU(),
            MaxPool2D(),
            Conv2D(16, 32, 5, rng=rng),
            ReLU(),
            MaxPool2D(),
            Flatten(),
            Dense(512, 64, rng=rng),
            ReLU(),
            Dense(64, 10, rng=rng),
        ]
    )
    opt = Adam(lr=LR)
    warm = WARMUP_BATCHES * BATCH
    net.fit(X[:warm], y[:warm], epochs=1, batch_size=BATCH, optimizer=opt, progress=False,
            threads=None)  # fmt: skip
    before = sgemm_seconds_per_step()
    history = net.fit(X, y, epochs=1, batch_size=BATCH, optimizer=opt, progress=False,
                      threads=None)  # fmt: skip
    after = sgemm_seconds_per_step()
    n_steps = -(-n // BATCH)
    step_seconds = (before + after) / 2
    kernels = sorted(
        {i.get("architecture", "?") for i in threadpool_info() if i["user_api"] == "blas"}
    )
    return {
        "epoch": history.epoch_time[0],
        "floor": step_seconds * n_steps,
        "sgemm_gflops": step_flops() / step_seconds / 1e9,
        "blas_kernel": ",".join(kernels),
    }


def worker_torch(n):
    import torch
    from torch import nn

    torch.set_num_threads(1)
    torch.manual_seed(0)
    X, y = make_data(n)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    net = nn.Sequential(
        nn.Conv2d(1, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(512, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(0)

    def epoch(Xe, ye):
        order = torch.randperm(len(Xe), generator=generator)
        loss_sum, correct = 0.0, 0
        for first in range(0, len(Xe), BATCH):
            idx = order[first : first + BATCH]
            xb, yb = Xe[idx], ye[idx]
            opt.zero_grad()
            out = net(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)  # tracked per batch, as nnfs_utils' fit does
            correct += int((out.argmax(dim=1) == yb).sum())
        return loss_sum / len(Xe), correct / len(Xe)

    warm = WARMUP_BATCHES * BATCH
    epoch(X[:warm], y[:warm])
    start = time.perf_counter()
    epoch(X, y)
    return {"epoch": time.perf_counter() - start, "torch": torch.__version__}


# ------------------------------------------------------------------------------ driver
def worker_env(threads):
    """The environment of a timed process: `threads` threads, OpenBLAS left to its own choice."""
    env = dict(os.environ)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(var, None)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    return env


def run_worker(kind, n, threads):
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--n", str(n)],
        env=worker_env(threads),
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the {kind} worker failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def loadavg():
    try:
        return Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return ["?"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per library (>= 3)")
    parser.add_argument("--n", type=int, default=60_000, help="images in the epoch")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker", choices=["nnfs", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("RESULTS.md"),
                        help="the report whose CNN section this run replaces (or adds)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.worker:
        result = (worker_nnfs if args.worker == "nnfs" else worker_torch)(args.n)
        print(json.dumps(result))
        return 0
    if args.runs < 3:
        parser.error("--runs must be at least 3 (the report gives medians)")
    try:
        import torch  # noqa: F401

        have_torch = True
    except ImportError:
        have_torch = False
        print("PyTorch is not installed (pip install -e '.[bench]'): timing nnfs_utils only.")
    print(f"notebook 12's CNN, one epoch of {args.n:,} images 1x28x28, batch {BATCH}, float32, "
          f"{args.threads} thread(s), {args.runs} runs each; {platform.processor() or platform.machine()}")  # fmt: skip
    load_start = " ".join(loadavg())
    print(f"load average at the start: {load_start}")
    results = {"nnfs": [], "torch": []}
    for run in range(args.runs):
        order = ["nnfs", "torch"] if run % 2 == 0 else ["torch", "nnfs"]
        for kind in order:
            if kind == "torch" and not have_torch:
                continue
            res = run_worker(kind, args.n, args.threads)
            results[kind].append(res)
            extra = f", floor {res['floor']:.1f} s" if kind == "nnfs" else ""
            print(f"  run {run + 1} {kind:>5}: epoch {res['epoch']:.1f} s{extra}", flush=True)
    nnfs = statistics.median(r["epoch"] for r in results["nnfs"])
    floor = statistics.median(r["floor"] for r in results["nnfs"])
    gflops = statistics.median(r["sgemm_gflops"] for r in results["nnfs"])
    print(f"load average at the end: {' '.join(loadavg())}")
    print(f"nnfs_utils: median epoch {nnfs:.1f} s (OpenBLAS kernel "
          f"{results['nnfs'][0]['blas_kernel']})")  # fmt: skip
    print(f"floor: {step_flops() * -(-args.n // BATCH) / 1e9:.1f} GFLOP of convolution products "
          f"at {gflops:.1f} GFLOP/s (sgemm on the same shapes) = {floor:.1f} s; "
          f"nnfs_utils reaches {floor / nnfs:.0%} of it")  # fmt: skip
    torch_s = None
    if have_torch:
        torch_s = statistics.median(r["epoch"] for r in results["torch"])
        print(f"PyTorch {results['torch'][0]['torch']} eager: median epoch {torch_s:.1f} s; "
              f"nnfs_utils / PyTorch = {nnfs / torch_s:.2f}")  # fmt: skip
    section = report_section(args, results, load_start, " ".join(loadavg()), nnfs, torch_s,
                             floor, gflops)  # fmt: skip
    write_section(args.output, section)
    print(f"written to {args.output}")
    return 0


HEADING = "## Notebook 12's convolutional network (bench/conv.py)"


def report_section(args, results, load_start, load_end, nnfs, torch_s, floor, gflops):
    """The CNN section of RESULTS.md, as lines (the heading first)."""
    kernel = results["nnfs"][0]["blas_kernel"]
    lines = [
        HEADING,
        "",
        "One float32 training epoch of the notebook's network (Conv2D(1, 16, 5), ReLU, "
        "MaxPool2D(2), Conv2D(16, 32, 5), ReLU, MaxPool2D(2), Flatten, Dense(512, 64), ReLU, "
        f"Dense(64, 10); Adam, batches of {BATCH}) on {args.n:,} random 28x28 images, "
        f"{args.threads} thread(s), OpenBLAS's own kernels ({kernel} here), fresh processes, "
        f"alternating, medians of {args.runs} runs; written by `bench/conv.py` on "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} (UTC).",
        "",
        "| load (`/proc/loadavg`, before -> after) | nnfs_utils | PyTorch eager | ratio | "
        "share of the floor |",
        "|---|---|---|---|---|",
    ]
    if torch_s is None:
        torch_cols = "not installed | n/a"
    else:
        torch_cols = f"{torch_s:.1f} s ({results['torch'][0]['torch']}) | {nnfs / torch_s:.2f}"
    lines.append(
        f"| {load_start} -> {load_end} | {nnfs:.1f} s | {torch_cols} | {floor / nnfs:.0%} "
        f"({floor:.1f} s of products at {gflops:.0f} GFLOP/s) |"
    )
    runs = f"nnfs_utils epochs (s), in run order: {_epochs(results['nnfs'])}."
    if torch_s is not None:
        runs += f" PyTorch: {_epochs(results['torch'])}."
    lines += ["", runs]
    lines += [
        "",
        "Target: no worse than 1.5x PyTorch with one thread. The rest of the epoch goes to "
        "copying the input windows (im2col with `sliding_window_view`) and adding their "
        "gradients back (col2im).",
    ]
    return lines


def _epochs(runs):
    return ", ".join(f"{r['epoch']:.1f}" for r in runs)


def write_section(path, section):
    """Put ``section`` into the report at ``path``: replace the CNN section, or add it at the end.

    The file is written whole to a temporary file and then renamed, so an interrupted run
    never leaves half a report.
    """
    text = path.read_text() if path.exists() else "# `make bench` results\n"
    start = text.find(HEADING)
    if start >= 0:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start].rstrip("\n") + ("\n" + text[end:] if end >= 0 else "")
    text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
