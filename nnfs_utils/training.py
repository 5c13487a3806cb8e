"""The training loop of ``MLP.fit`` and ``Sequential.fit``: epochs, mini-batches, the history
and the callbacks.

The model's ``fit`` checks its data and settings once; ``fit`` here then runs the epochs without
checking again. Each epoch shuffles the samples, gathers each mini-batch's rows into one
reused array, and calls ``model.train_step`` on it (the learning algorithm lives in the model).
What it asks of a model: ``train_step(X, targets, step)``, ``params``, ``rng``, ``loss_fn``
(whose ``P`` holds the last batch's probabilities), ``_loss_targets(y)``, ``_labels(P)`` and
``_loss_and_accuracy(X_val, y_val)``.

A callback ``cb(epoch, logs)`` runs after every epoch. It stops training by raising
``StopTraining``: the epochs already done stay in the History and ``fit`` returns normally. A
callback that has an ``on_train_end()`` method gets it called once training ends (after the
last epoch, or after a stop); early stopping puts the best epoch's weights back there.
"""

import contextlib
import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from . import checks
from .optimizers import Optimizer, get_optimizer

__all__ = ["History", "StopTraining", "check_settings", "fit", "optimizer_for_fit"]

_THREADPOOLS = None  # a threadpoolctl controller, created the first time fit() needs it


class StopTraining(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a callback to end training after the current epoch (``fit`` catches it)."""


@dataclass
class History:
    """What ``fit`` measured, one entry per epoch.

    loss, accuracy: averages over the epoch's batches (the weights change during the epoch).
    val_loss, val_accuracy: on validation_data after the epoch (empty without it).
    epoch_time: seconds each epoch took (training only, without the validation pass).
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    epoch_time: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def check_settings(epochs, batch_size, callbacks, threads):
    """fit's plain settings, checked once (the wording of the training settings' errors)."""
    return {
        "epochs": checks.check_int("epochs", epochs, minimum=1, example=32),
        "batch_size": checks.check_int("batch_size", batch_size, minimum=1, example=32),
        "callbacks": checks.check_callbacks(callbacks),
        "threads": None if threads is None else checks.check_int("threads", threads, 1, 32),
    }


def optimizer_for_fit(optimizer, lr, weight_decay):
    """The optimizer fit will use: a name, or an object whose settings are checked here."""
    extra = {"weight_decay": weight_decay} if weight_decay else {}
    return get_optimizer(optimizer, lr, **extra)


def blas_threads(threads):
    """Context manager that limits NumPy's BLAS to ``threads`` threads (None: no limit)."""
    global _THREADPOOLS
    if threads is None:
        return contextlib.nullcontext()
    if _THREADPOOLS is None:
        from threadpoolctl import ThreadpoolController

        _THREADPOOLS = ThreadpoolController()
    return _THREADPOOLS.limit(limits=threads, user_api="blas")


def fit(model, X, y, opt, val, progress, shuffle, epochs, batch_size, callbacks, threads):
    """Train ``model`` on checked (X, y) and return a History (see ``MLP.fit``)."""
    from tqdm.auto import tqdm  # imported here: it is slow to import and only fit needs it

    bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=not progress)
    # A diverging run overflows; fit reports that itself, so NumPy's warnings are muted.
    with blas_threads(threads), np.errstate(over="ignore", invalid="ignore"):
        history = _epochs(model, X, y, opt, val, shuffle, bar, min(batch_size, len(X)), callbacks)
    bar.close()
    return history


def _batch_buffer(batch_size, sample_shape, dtype):
    """The array each batch is gathered into, (batch_size, *sample_shape): page-aligned, inside
    a block of at least 4 MiB.

    NumPy asks Linux to back arrays of 4 MiB and more with huge pages (2 MiB), so the batch
    lies in one stretch of physical memory: 0.4% off an MNIST training epoch (measured).
    Elsewhere the block is just larger than it needs to be.
    """
    dtype = np.dtype(dtype)
    size, page = batch_size * math.prod(sample_shape), 4096 // dtype.itemsize
    block = np.empty(max(size + page, (4 << 20) // dtype.itemsize), dtype)
    start = (-block.ctypes.data % 4096) // dtype.itemsize
    return block[start : start + size].reshape(batch_size, *sample_shape)


def _epochs(model, X, y, opt, val, shuffle, bar, batch_size, callbacks):
    n = len(X)
    targets = model._loss_targets(y)
    # the optimizer's own step checks params against grads; they match here by construction
    if isinstance(opt, Optimizer):
        opt.prepare(model.params)
        step = opt.step_unchecked
    else:
        step = opt.step
    # every batch is gathered into this one array: no new (batch, n_features) array per batch
    batch = _batch_buffer(batch_size, X.shape[1:], X.dtype)
    predicted = np.empty(n, dtype=np.int64)  # the labels predicted during the epoch
    params, history = model.params, History()
    for epoch in bar:
        start = time.perf_counter()
        saved = [p.copy() for p in params]  # put back if this epoch diverges
        order = model.rng.permutation(n) if shuffle else np.arange(n)
        # the labels (and targets) in the epoch's order, gathered once; batches are slices
        y_epoch = y[order]
        t_epoch = y_epoch if targets is y else targets[order]
        loss_sum = 0.0
        for first in range(0, n, batch_size):
            last = min(first + batch_size, n)
            if shuffle:  # mode="clip": the indices are valid; "raise" gathers twice
                Xb = X.take(order[first:last], axis=0, out=batch[: last - first], mode="clip")
            else:
                Xb = X[first:last]  # in order: a view, nothing to gather
            batch_loss = model.train_step(Xb, t_epoch[first:last], step)
            if not math.isfinite(batch_loss):
                for p, p0 in zip(params, saved, strict=True):
                    p[...] = p0
                bar.close()
                raise ValueError(
                    f"the loss became {batch_loss} in epoch {epoch} (batch starting at "
                    f"sample {first}): training diverged, usually because the learning rate "
                    f"lr={opt.lr:g} is too large. Try a smaller one, e.g. lr={opt.lr / 10:g}. "
                    "The weights were reset to the start of that epoch."
                )
            loss_sum += batch_loss * (last - first)
            predicted[first:last] = model._labels(model.loss_fn.P)
        correct = np.count_nonzero(predicted == y_epoch)  # one comparison per epoch
        history.epoch_time.append(time.perf_counter() - start)
        history.loss.append(loss_sum / n)
        history.accuracy.append(correct / n)
        logs = {"loss": history.loss[-1], "accuracy": history.accuracy[-1]}
        if val is not None:
            val_loss, val_acc = model._loss_and_accuracy(*val)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_acc)
            logs.update(val_loss=val_loss, val_accuracy=val_acc)
        bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()})
        stop = False
        for cb in callbacks:
            try:
                cb(epoch, dict(logs))
            except StopTraining:
                stop = True  # the other callbacks still see this epoch
        if stop:
            break
    for cb in callbacks:
        end = getattr(cb, "on_train_end", None)
        if end is not None:
            end()
    return history
