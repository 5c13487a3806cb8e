"""Watching a network train: a ``fit`` callback that measures each layer, and a checklist.

    monitor = TrainingMonitor(model, X_dev, y_dev)       # measures the start (epoch 0)
    monitor.fit(X_train, y_train, epochs=5, lr=0.1)       # model.fit with the monitor attached
    for finding in diagnose(monitor):                     # plain-language findings, or none
        print(finding)

After every epoch the monitor measures, on the dev inputs it was given and for every layer:

- ``dead``: the share of hidden units that pass no gradient for any of those inputs (a ReLU
  that is never active, or a sigmoid/tanh unit that is always saturated);
- ``grad_size``: the mean size |dW| of a weight's gradient (the loss on those inputs);
- ``weight_spread``: the standard deviation of the layer's weights W;
- ``update_ratio``: how much the epoch changed W, relative to its size, ||dW_epoch|| / ||W||;

and the dev loss and accuracy and the share of the most often predicted class. ``diagnose``
reads those numbers and returns the findings of the checklist in ``CHECKS``, each with the
evidence (numbers measured) and a fix. ``EarlyStopping`` is a callback that ends training when
the dev accuracy stops improving and puts the best epoch's weights back.
"""

import math
from dataclasses import dataclass

import numpy as np

from .training import StopTraining

__all__ = ["CHECKS", "EarlyStopping", "Finding", "StopTraining", "TrainingMonitor", "diagnose"]

# How little gradient a unit must pass, for every dev input, to count as dead (for ReLU it is
# exactly zero; a sigmoid's slope A(1 - A) below this is saturated).
SATURATED = 1e-3


class TrainingMonitor:
    """A ``fit`` callback that records per layer and epoch what ``diagnose`` needs.

    model: the MLP being trained. X, y: dev inputs and labels (at most ``n_probe`` of them are
    used, the first ones). The start (epoch 0) is measured when the monitor is created, so
    create it just before training.

    Lists indexed by record (epoch 0, 1, 2, ...): ``epochs``, ``loss`` and ``accuracy``
    (training, from fit; None at epoch 0), ``dev_loss``, ``dev_accuracy``, ``top_class_share``;
    and per layer ``dead`` (hidden layers only), ``grad_size``, ``weight_spread``,
    ``update_ratio`` (None at epoch 0), each a list of per-layer lists. ``error`` holds fit's
    message when training diverged to NaN/inf (see ``fit``); ``start_weights`` the start's W.
    """

    def __init__(self, model, X, y, n_probe=500):
        if not hasattr(model, "layers") or not hasattr(model, "loss_and_gradients"):
            raise TypeError(
                f"TrainingMonitor watches an nnfs_utils MLP, got {type(model).__name__}; "
                "pass the model you are about to train: TrainingMonitor(model, X_dev, y_dev)"
            )
        n_probe = int(n_probe)
        if n_probe < 1:
            raise ValueError(f"n_probe must be at least 1, got {n_probe}")
        self.model = model
        self.X = model._check_X(np.asarray(X)[:n_probe], "X")
        self.y = model._check_y(np.asarray(y)[:n_probe], len(self.X), "y")
        self.n_classes = model.layer_sizes[-1] if model.output == "softmax" else 2
        self.input_max = float(np.max(np.abs(self.X)))
        self.start_weights = [layer.W.copy() for layer in model.layers]
        self._previous = [W.copy() for W in self.start_weights]
        self.error = None
        self.one_label_batches = None  # set by fit: share of batches holding a single label
        self.epochs, self.loss, self.accuracy = [], [], []
        self.dev_loss, self.dev_accuracy, self.top_class_share = [], [], []
        self.dead, self.grad_size, self.weight_spread, self.update_ratio = [], [], [], []
        self._record(0, {})

    def __repr__(self):
        return f"TrainingMonitor({len(self.epochs) - 1} epochs recorded, {self.model!r})"

    @property
    def layer_names(self):
        return [f"layer {i + 1}" for i in range(len(self.model.layers))]

    def __call__(self, epoch, logs):
        self._record(epoch, logs)

    def fit(self, X, y, callbacks=(), **fit_kwargs):
        """``model.fit(X, y, ...)`` with this monitor as a callback; returns the History.

        A run that diverges to NaN/inf (fit's ValueError) is not an error here: its message is
        kept in ``error`` for ``diagnose``, and the History so far is not available (None).
        With ``shuffle=False`` the monitor also looks at the batches in the order fit takes
        them: ``one_label_batches`` is the share that hold a single label.
        """
        self.one_label_batches = None
        if not fit_kwargs.get("shuffle", True):
            labels = np.asarray(y).ravel()
            size = max(1, min(int(fit_kwargs.get("batch_size", 32)), len(labels)))
            batches = [labels[i : i + size] for i in range(0, len(labels), size)]
            single = sum(1 for b in batches if np.all(b == b[0]))
            self.one_label_batches = single / max(len(batches), 1)
        try:
            return self.model.fit(X, y, callbacks=[self, *callbacks], **fit_kwargs)
        except ValueError as err:
            if "training diverged" not in str(err):
                raise
            self.error = str(err)
            return None

    def _record(self, epoch, logs):
        model = self.model
        with np.errstate(all="ignore"):
            A = model.activations(self.X)[1:-1]  # the hidden layers' outputs
            P = model.forward(self.X)
            loss, grads = model.loss_and_gradients(self.X, self.y)
        predicted = model._labels(P)
        self.epochs.append(int(epoch))
        self.loss.append(logs.get("loss"))
        self.accuracy.append(logs.get("accuracy"))
        self.dev_loss.append(float(loss))
        self.dev_accuracy.append(float(np.mean(predicted == self.y)))
        counts = np.bincount(predicted, minlength=self.n_classes)
        self.top_class_share.append(float(counts.max() / len(predicted)))
        self.dead.append([_dead_share(a, model.activation) for a in A])
        weights = [layer.W for layer in model.layers]
        self.grad_size.append([float(np.mean(np.abs(g))) for g in grads[::2]])
        self.weight_spread.append([float(np.std(W)) for W in weights])
        if epoch == 0:
            self.update_ratio.append(None)
        else:
            self.update_ratio.append(
                [_ratio(W - W0, W0) for W, W0 in zip(weights, self._previous, strict=True)]
            )
        self._previous = [W.copy() for W in weights]

    def table(self):
        """The records as printable lines, one per epoch (per-layer values separated by /)."""
        lines = ["epoch  dev loss  dev acc  dead units        grad size per weight"]
        for i, epoch in enumerate(self.epochs):
            dead = " / ".join(f"{d:.0%}" for d in self.dead[i])
            grads = " / ".join(f"{g:.1e}" for g in self.grad_size[i])
            lines.append(
                f"{epoch:5d}  {self.dev_loss[i]:8.3f}  {self.dev_accuracy[i]:7.3f}  "
                f"{dead:16s}  {grads}"
            )
        return "\n".join(lines)


def _dead_share(A, activation):
    """Share of units (columns of A) that pass no gradient for any row."""
    if activation == "relu":
        alive = np.any(A > 0, axis=0)
    elif activation == "sigmoid":
        alive = np.any(A * (1 - A) >= SATURATED, axis=0)
    else:  # tanh: slope 1 - A^2
        alive = np.any(1 - A * A >= SATURATED, axis=0)
    return float(1 - np.mean(alive))


def _ratio(change, W):
    size = float(np.linalg.norm(W))
    return float(np.linalg.norm(change)) / size if size > 0 else math.inf


# --------------------------------------------------------------------------------------------
# the checklist
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One finding of ``diagnose``: a short ``name``, what it means, the evidence, the fix."""

    name: str
    title: str
    evidence: str
    fix: str

    def __str__(self):
        return f"{self.title}\n  evidence: {self.evidence}\n  fix: {self.fix}"


# The thresholds of the checklist (see each check below for what they mean).
CHECKS = {
    "unscaled_inputs": 10.0,  # an input value above this: not scaled to about [0, 1]
    "sorted_batches": 0.5,  # without shuffling, more than this share of one-label batches
    "gradient_too_large": 1.0,  # mean |dW| of a layer at the start above this
    "diverging": 1.5,  # the dev loss rose above this times its start (or became NaN/inf)
    "huge_update": 1.0,  # or an epoch changed a layer's weights by more than this times W
    "vanishing_gradients": 0.01,  # first layer's |dW| below this times the last layer's
    "dead_units": 0.5,  # a hidden layer with more than this share of dead units
    "lr_too_small": 0.002,  # every layer's update ratio per epoch below this
    "one_class": 0.5,  # one class given as the answer for more than this share of dev inputs
    "stuck_at_chance": 1.5,  # dev accuracy below this times chance (1 / n_classes)
    "overfitting": 0.1,  # training accuracy above dev accuracy by more than this
}


def diagnose(monitor, checks=None):
    """The findings for a monitored run, most basic cause first; [] for a healthy run.

    ``checks`` overrides thresholds of ``CHECKS`` (a dict with some of its keys).
    """
    if not isinstance(monitor, TrainingMonitor):
        raise TypeError(
            f"diagnose reads a TrainingMonitor, got {type(monitor).__name__}; train with "
            "monitor = TrainingMonitor(model, X_dev, y_dev) and monitor.fit(...) first"
        )
    limits = dict(CHECKS)
    for key, value in (checks or {}).items():
        if key not in CHECKS:
            raise KeyError(f"unknown check {key!r}; the checks are {sorted(CHECKS)}")
        limits[key] = float(value)
    m = monitor
    last = -1
    chance = 1 / m.n_classes
    names = m.layer_names
    findings = []

    def add(name, title, evidence, fix):
        findings.append(Finding(name, title, evidence, fix))

    if m.input_max > limits["unscaled_inputs"]:
        add(
            "unscaled_inputs",
            "The inputs are not scaled",
            f"the largest input value is {m.input_max:g}; a network expects inputs of about "
            "0 to 1 (or mean 0, spread 1)",
            "divide the pixels by 255 (or standardise the features) before training, and do "
            "the same to every input you predict on",
        )
    if m.one_label_batches is not None and m.one_label_batches > limits["sorted_batches"]:
        add(
            "sorted_batches",
            "The training batches are sorted by label and never shuffled",
            f"{m.one_label_batches:.0%} of the training batches hold a single label "
            "(fit ran with shuffle=False)",
            "shuffle the training data every epoch (fit's default, shuffle=True): each batch "
            "should look like the whole data set",
        )
    start_grads = m.grad_size[0]
    big = [i for i, g in enumerate(start_grads) if not g <= limits["gradient_too_large"]]
    if big:
        add(
            "gradient_too_large",
            "The gradient is far too large from the very start",
            "mean |dW| at the start: "
            + ", ".join(f"{names[i]} {start_grads[i]:.3g}" for i in big)
            + f" (above {limits['gradient_too_large']:g}; a loss averaged over the batch gives "
            "about 0.001 to 0.1)",
            "check the backward pass against numerical gradients: a missing 1/n (the loss "
            "summed instead of averaged) or a transposed product makes it this large; with "
            "unscaled inputs, scale them",
        )
    losses = np.array(m.dev_loss)
    rose = not np.all(np.isfinite(losses)) or losses.max() > limits["diverging"] * losses[0]
    ratios = [r for r in m.update_ratio[1:] if r is not None]
    jump = max((max(r) for r in ratios), default=0.0)
    if m.error is not None or rose or jump > limits["huge_update"]:
        if m.error is not None:
            evidence = "fit stopped: the loss became NaN or inf"
        elif not rose:
            epoch, layer = next(
                (m.epochs[1 + i], j)
                for i, r in enumerate(ratios)
                for j, v in enumerate(r)
                if v == jump
            )
            evidence = (
                f"epoch {epoch} changed the weights of {names[layer]} by {jump:.3g} times their "
                "own size (a healthy epoch changes them by a few percent)"
            )
        else:
            peak = int(np.argmax(losses))
            evidence = (
                f"the dev loss went from {losses[0]:.3f} at the start to {losses[peak]:.3g} "
                f"after epoch {m.epochs[peak]}"
            )
        add(
            "diverging",
            "Training diverged: the steps overshoot",
            evidence,
            "lower the learning rate (try 10 times smaller), or use Adam",
        )
    first, top = start_grads[0], start_grads[-1]
    if len(start_grads) > 2 and first < limits["vanishing_gradients"] * top:
        add(
            "vanishing_gradients",
            "Vanishing gradients: the first layers learn far slower than the last",
            f"at the start, mean |dW| is {first:.1e} in layer 1 and {top:.1e} in "
            f"{names[-1]}, {top / max(first, 1e-300):.0f} times smaller in the first layer",
            "use ReLU in the hidden layers with He initialisation (or at least Xavier "
            "initialisation for sigmoid), or a shallower network",
        )
    dead = m.dead[last]
    worst = int(np.argmax(dead)) if dead else 0
    if dead and dead[worst] > limits["dead_units"]:
        add(
            "dead_units",
            "Too many dead units",
            ", ".join(f"{names[i]} {d:.0%}" for i, d in enumerate(dead))
            + " of the hidden units pass no gradient for any dev input (never active, or "
            "saturated); they cannot learn any more",
            "a learning rate that is too large kills ReLUs: lower it; check the inputs are "
            "scaled and the initialisation matches the activation (He for ReLU)",
        )
    if ratios and m.error is None:
        largest = jump
        if largest < limits["lr_too_small"]:
            add(
                "lr_too_small",
                "The learning rate is too small to move the weights",
                f"no epoch changed any layer's weights by more than {largest:.1e} of their "
                f"size (a learning network changes them by about 0.01 to 0.1 per epoch); the "
                f"dev loss went from {losses[0]:.3f} to {losses[last]:.3f}",
                "raise the learning rate 10 to 100 times (or use Adam with its default rate)",
            )
    share = m.top_class_share[last]
    if share > limits["one_class"]:
        add(
            "one_class",
            "The network gives nearly the same answer to everything",
            f"{share:.0%} of the dev inputs get the same predicted class",
            "a symptom: see the findings above. If there are none, check that the training "
            "data is shuffled and that the labels belong to the inputs",
        )
    acc = m.dev_accuracy[last]
    if acc < limits["stuck_at_chance"] * chance:
        add(
            "stuck_at_chance",
            "Stuck near chance",
            f"dev accuracy {acc:.3f} after epoch {m.epochs[last]}; guessing gives {chance:.3f}",
            "the findings above name the likely cause; if there are none, check that the "
            "labels belong to the inputs and try a learning rate 10 times smaller",
        )
    train_acc = m.accuracy[last]
    if train_acc is not None and train_acc - acc > limits["overfitting"]:
        add(
            "overfitting",
            "Overfitting: much better on the training data than on the dev data",
            f"training accuracy {train_acc:.3f}, dev accuracy {acc:.3f}",
            "more data (or augmentation), dropout or weight decay, a smaller network, or "
            "early stopping at the best dev epoch",
        )
    return findings


# --------------------------------------------------------------------------------------------
# early stopping
# --------------------------------------------------------------------------------------------
class EarlyStopping:
    """A ``fit`` callback: stop when the dev accuracy has not improved for ``patience`` epochs.

    Needs ``validation_data`` in fit. When training ends (stopped or not), the weights of the
    best epoch are put back (``restore_best=True``). ``best_epoch``, ``best_accuracy`` and
    ``stopped_epoch`` (None when all epochs ran) say what happened.
    """

    def __init__(self, model, patience=3, min_delta=0.0, restore_best=True):
        self.model = model
        self.patience = int(patience)
        if self.patience < 1:
            raise ValueError(f"patience must be at least 1 epoch, got {patience!r}")
        self.min_delta = float(min_delta)
        self.restore_best = bool(restore_best)
        self.best_epoch, self.best_accuracy, self.stopped_epoch = None, -math.inf, None
        self._best = None

    def __call__(self, epoch, logs):
        if "val_accuracy" not in logs:
            raise ValueError(
                "EarlyStopping watches the dev accuracy: pass validation_data=(X_dev, y_dev) to fit"
            )
        if logs["val_accuracy"] > self.best_accuracy + self.min_delta:
            self.best_epoch, self.best_accuracy = epoch, logs["val_accuracy"]
            self._best = [p.copy() for p in self.model.params]
        elif epoch - self.best_epoch >= self.patience:
            self.stopped_epoch = epoch
            raise StopTraining

    def on_train_end(self):
        if self.restore_best and self._best is not None:
            for p, best in zip(self.model.params, self._best, strict=True):
                p[...] = best


def __getattr__(name):
    """The monitor's figures live in nnfs_utils.plots; importing them from here works too."""
    if name in ("plot_monitor", "plot_weight_histograms"):
        from . import plots

        return getattr(plots, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
