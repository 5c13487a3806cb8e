"""Check that a change to the kernels leaves every trained number exactly as it was.

    python bench/same_results.py --against HEAD~3     # compare the working tree with a commit

trains a set of small networks (float32 and float64; SGD, momentum, RMSProp, Adam, with and
without weight decay; relu, sigmoid, tanh; softmax and sigmoid outputs; optimizer objects that
carry their state over two fit calls; the kernels used by hand) once with the package of the
working tree and once with the package of the given commit, each in a fresh process, and
compares every weight, history value, prediction and gradient byte for byte.
"""

import argparse
import functools
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def train_all():
    """Every result, keyed by what produced it (run with the package under test importable)."""
    from nnfs_utils import MLP
    from nnfs_utils.activations import ReLU, Sigmoid, Softmax, Tanh
    from nnfs_utils.layers import Dense
    from nnfs_utils.losses import (
        BinaryCrossEntropy,
        CategoricalCrossEntropy,
        MeanSquaredError,
        SigmoidBinaryCrossEntropy,
        SoftmaxCrossEntropy,
    )
    from nnfs_utils.optimizers import SGD, Adam, RMSProp

    rng = np.random.default_rng(123)
    X, Xv = rng.normal(size=(301, 20)), rng.normal(size=(57, 20))
    y4, yv4 = X[:, :4].argmax(axis=1), Xv[:, :4].argmax(axis=1)
    y2, yv2 = (X[:, 0] + X[:, 1] > 0).astype(int), (Xv[:, 0] > 0).astype(int)
    runs = []
    for dtype in (np.float32, np.float64):
        for opt, lr, wd in [
            ("sgd", None, 0.0),
            ("sgd", 0.05, 1e-3),
            ("momentum", None, 0.0),
            ("momentum", 0.02, 1e-2),
            ("rmsprop", None, 0.0),
            ("rmsprop", 0.01, 1e-3),
            ("adam", None, 0.0),
            ("adam", 0.01, 1e-2),
        ]:
            for act, init in [
                ("relu", None),
                ("sigmoid", None),
                ("tanh", "uniform"),
                ("relu", "xavier"),
            ]:
                runs.append((dtype, opt, lr, wd, act, init, "softmax", 32, True))
        for opt in ("sgd", "adam", "momentum", "rmsprop"):
            runs.append((dtype, opt, None, 1e-3, "tanh", None, "sigmoid", 50, True))
            runs.append((dtype, opt, None, 0.0, "relu", "he", "softmax", 301, False))
            runs.append((dtype, opt, None, 0.0, "sigmoid", None, "softmax", 7, False))
    out = {}  # fmt: skip
    for i, (dtype, opt, lr, wd, act, init, output, bs, shuffle) in enumerate(runs):
        soft = output == "softmax"
        model = MLP([20, 16, 12, 4] if soft else [20, 8, 1], activation=act, output=output,
                    seed=i, init=init, dtype=dtype)  # fmt: skip
        y, val = (y4, (Xv, yv4)) if soft else (y2, (Xv, yv2))
        logs = []
        h = model.fit(X, y, epochs=4, batch_size=bs, optimizer=opt, lr=lr, weight_decay=wd,
                      validation_data=val, progress=False, shuffle=shuffle,
                      callbacks=[functools.partial(_record, logs)])  # fmt: skip
        loss, grads = model.loss_and_gradients(X[:40], y[:40])
        out[("fit", i)] = dict(
            params=[p.copy() for p in model.params], history=_history(h), logs=logs,
            proba=model.predict_proba(Xv), pred=model.predict(Xv), acc=model.evaluate(*val),
            loss=model.loss(*val), acts=model.activations(Xv[:3]), lg_loss=loss,
            lg=[g.copy() for g in grads],
        )  # fmt: skip
    for dtype in (np.float32, np.float64):
        makers = [lambda: SGD(lr=0.05), lambda: SGD(lr=0.03, momentum=0.9, weight_decay=1e-3),
                  lambda: RMSProp(lr=0.003, rho=0.8),
                  lambda: Adam(lr=0.002, beta1=0.8, weight_decay=1e-2)]  # fmt: skip
        for k, make in enumerate(makers):
            model, opt = MLP([20, 10, 4], seed=k, dtype=dtype), make()
            h1 = model.fit(X, y4, epochs=3, batch_size=16, optimizer=opt, progress=False)
            h2 = model.fit(X, y4, epochs=2, batch_size=64, optimizer=opt, progress=False)
            out[("object", str(dtype), k)] = dict(
                params=[p.copy() for p in model.params], history=(_history(h1), _history(h2))
            )
        for name, act_cls in (("relu", ReLU), ("sigmoid", Sigmoid), ("tanh", Tanh)):
            d1, d2 = (
                Dense(20, 9, rng=0, dtype=dtype),
                Dense(9, 4, init="xavier", rng=1, dtype=dtype),
            )
            act, lf, opt, losses = act_cls(), SoftmaxCrossEntropy(), Adam(lr=0.01), []
            for _ in range(30):
                losses.append(lf.forward(d2.forward(act.forward(d1.forward(X.astype(dtype)))), y4))
                dX = act.backward(d2.backward(lf.backward()))
                d1.backward(dX, input_grad=False)
                opt.step(d1.params + d2.params, d1.grads + d2.grads)
            out[("kernels", str(dtype), name)] = dict(
                params=[p.copy() for p in d1.params + d2.params], losses=losses,
                dX=d1.backward(dX),
            )  # fmt: skip
        Z, yb = X[:10, :4].astype(dtype), (X[:10, :1] > 0).astype(dtype)
        sm, sb, Y = Softmax(), SigmoidBinaryCrossEntropy(), np.eye(4)[y4[:10]]
        P, s = sm.forward(Z), 1 / (1 + np.exp(-X[:10, :1].astype(dtype)))
        out[("losses", str(dtype))] = dict(
            softmax_back=sm.backward(X[10:20, :4].astype(dtype)),
            cce=(CategoricalCrossEntropy().forward(P, y4[:10]),
                 CategoricalCrossEntropy().backward(P, y4[:10])),
            bce=(BinaryCrossEntropy().forward(s, yb), BinaryCrossEntropy().backward(s, yb)),
            mse=(MeanSquaredError().forward(P, Y), MeanSquaredError().backward(P, Y)),
            sbce=(sb.forward(X[:10, :1].astype(dtype), yb), sb.backward()),
        )  # fmt: skip
        for k, opt in enumerate([SGD(lr=0.1, momentum=0.5), RMSProp(weight_decay=0.1),
                                 Adam(lr=0.1, weight_decay=0.1)]):  # fmt: skip
            w = [X[:5, :3].astype(dtype), X[5:6, :3].astype(dtype)]
            for t in range(5):
                opt.step(w, [np.sin(w[0] * t), np.cos(w[1] + t)])
            out[("optimizer", str(dtype), k)] = w
    return out


def _record(logs, epoch, log):
    logs.append((epoch, dict(log)))


def _history(h):
    d = h.as_dict()
    d.pop("epoch_time")  # a measured time, not a result
    return d


def differences(a, b, path=()):
    """Paths where a and b differ: arrays by dtype, shape and bytes, numbers by ==."""
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return [path + ("keys",)]
        return [d for k in a for d in differences(a[k], b[k], path + (k,))]
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [path + ("length",)]
        return [d for i, (u, v) in enumerate(zip(a, b)) for d in differences(u, v, path + (i,))]
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        same = a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    else:
        same = type(a) is type(b) and (a == b or (a != a and b != b))
    return [] if same else [path]


def run_with(package_root, out):
    env = dict(os.environ, PYTHONPATH=str(package_root))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--train", str(out)]
    subprocess.run(cmd, env=env, check=True, cwd=package_root)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default="HEAD", help="the commit to compare with")
    parser.add_argument("--train", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.train:
        Path(args.train).write_bytes(pickle.dumps(train_all()))
        return 0
    with tempfile.TemporaryDirectory(prefix="same-results-") as tmp:
        old = Path(tmp) / "old"
        files = subprocess.run(["git", "ls-tree", "-r", "--name-only", args.against, "nnfs_utils"],
                               cwd=ROOT, check=True, capture_output=True, text=True).stdout  # fmt: skip
        for name in files.split():
            if name.endswith(".py"):
                target = old / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(subprocess.run(["git", "show", f"{args.against}:{name}"],
                                                  cwd=ROOT, check=True, capture_output=True).stdout)  # fmt: skip
        run_with(old, Path(tmp) / "old.pkl")
        run_with(ROOT, Path(tmp) / "new.pkl")
        a, b = (pickle.loads((Path(tmp) / f).read_bytes()) for f in ("old.pkl", "new.pkl"))
    bad = differences(a, b)
    for path in bad:
        print("differs:", path)
    print(f"{len(a) - len({p[0] for p in bad})}/{len(a)} results identical to {args.against}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
