"""Explorers for notebooks 03 and 04: step through training and watch a network learn.

``training_stepper`` replays the classic single-neuron perceptron: a slider over the
iteration shows the weights, the four outputs and the loss up to that point.
``boundary_explorer`` trains a model once, keeps snapshots of its decision regions, and lets a
slider move through the epochs.

Both compute everything up front, then only look results up and write them into widget traits
(``readout.value``, ``plot.value``, ``state``), so moving a slider is instant and a test can set
a slider and read the numbers without a browser. Rendered pictures are cached per position.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..plots import decision_grid, plot_decision_boundary
from ._common import figure_png

PERCEPTRON_X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
PERCEPTRON_Y = np.array([[0, 1, 1, 0]], dtype=float).T


def log_steps(last):
    """0 and then 1, 1.5, 2, 3, 5, 7 times each power of ten up to ``last`` (always included).

    A slider over these positions spends as much travel on the first ten steps of training,
    where most changes happen, as on the last ten thousand.
    """
    last = int(last)
    if last < 1:
        raise ValueError(f"need at least one training step to show, got {last!r}.")
    steps = {0, last}
    power = 1
    while power <= last:
        for factor in (1, 1.5, 2, 3, 5, 7):
            step = int(round(factor * power))
            if step <= last:
                steps.add(step)
        power *= 10
    return sorted(steps)


def _sigmoid(z):
    # The classic perceptron's own formula, not nnfs_utils.activations.sigmoid (which uses the
    # overflow-free tanh form): the stepper must replay notebook 03's run to the last bit.
    return 1.0 / (1.0 + np.exp(-z))


def perceptron_history(X=PERCEPTRON_X, y=PERCEPTRON_Y, iterations=20_000, seed=1):
    """Train the classic perceptron and keep every step.

    The weights start as ``2 * np.random.random((3, 1)) - 1`` after ``np.random.seed(seed)``
    (drawn from a private ``RandomState``, so the global NumPy state is left alone), then
    ``iterations`` times: ``out = sigmoid(X @ w)``, ``w += X.T @ ((y - out) * out * (1 - out))``.

    Returns a dict of arrays indexed by iteration k = 0..iterations (k updates done):
    ``weights`` (k, n_inputs), ``outputs`` (k, n_samples) = sigmoid(X @ weights[k]) and
    ``loss`` (k,) = ½ Σ (y - outputs[k])², the quantity each update walks down.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X must be (n_samples, n_inputs) with one target per row; got X {X.shape} and "
            f"{y.shape[0]} targets. Pass targets as a column, e.g. np.array([[0, 1, 1, 0]]).T."
        )
    if int(iterations) < 1:
        raise ValueError(f"iterations must be a positive whole number, got {iterations!r}.")
    iterations = int(iterations)
    w = 2 * np.random.RandomState(seed).random_sample((X.shape[1], 1)) - 1
    weights = np.empty((iterations + 1, X.shape[1]))
    outputs = np.empty((iterations + 1, X.shape[0]))
    for k in range(iterations + 1):
        out = _sigmoid(X @ w)
        weights[k] = w[:, 0]
        outputs[k] = out[:, 0]
        if k < iterations:
            w += X.T @ ((y - out) * out * (1 - out))
    loss = 0.5 * np.sum((y[:, 0] - outputs) ** 2, axis=1)
    return {"X": X, "y": y[:, 0], "weights": weights, "outputs": outputs, "loss": loss}


def plot_perceptron_progress(axes, history, iteration):
    """Three panels up to ``iteration``: the loss, the four outputs, the weights (log-like x).

    The whole run is drawn faintly so the view does not jump; the part up to ``iteration`` is
    drawn in colour and a dotted line marks where the slider is.
    """
    ax_loss, ax_out, ax_w = axes
    n = history["loss"].size - 1
    k = int(iteration)
    # a few hundred log-spaced iterations draw the same curves as all 20,000, much faster
    its = np.unique(np.concatenate([np.arange(min(n, 20) + 1), np.geomspace(1, n, 300).round()]))
    its = its.astype(int)
    upto = its <= k
    for ax in axes:
        ax.clear()
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlim(0, n)
        ticks = [t for t in (0, 1, 10, 100, 1_000, 10_000, 100_000) if t <= n]
        ax.set_xticks(ticks, [f"{t:,}" for t in ticks])  # plain labels: no slow mathtext
        ax.minorticks_off()
        ax.axvline(k, color="0.3", ls=":", lw=1)
        ax.set_xlabel("iteration")
    ax_loss.plot(its, history["loss"][its], color="0.85")
    ax_loss.plot(its[upto], history["loss"][its[upto]], color="tab:purple")
    ax_loss.plot([k], [history["loss"][k]], "o", color="tab:purple")
    ax_loss.set_ylim(0, max(1.0, float(history["loss"].max()) * 1.05))
    ax_loss.set_title(f"loss ½Σ(error²) = {history['loss'][k]:.6f}", fontsize=10)
    for i, target in enumerate(history["y"]):
        color = "tab:red" if target > 0.5 else "tab:blue"
        ax_out.plot(its, history["outputs"][its, i], color="0.85")
        ax_out.plot(its[upto], history["outputs"][its[upto], i], color=color)
    ax_out.set_ylim(-0.03, 1.03)
    ax_out.set_title("outputs (red: target 1, blue: target 0)", fontsize=10)
    for j in range(history["weights"].shape[1]):
        ax_w.plot(its, history["weights"][its, j], color="0.85")
        ax_w.plot(its[upto], history["weights"][its[upto], j], label=f"w{j + 1}")
    ax_w.axhline(0, color="0.6", lw=0.8)
    ax_w.legend(loc="upper left", fontsize=8)
    ax_w.set_title("weights", fontsize=10)


class TrainingStepper(widgets.VBox):
    """A slider over the iterations of a precomputed perceptron run (``history``)."""

    def __init__(self, history):
        self.history = history
        n = history["loss"].size - 1
        self.slider = widgets.SelectionSlider(
            options=log_steps(n),
            value=0,
            description="iteration",
            continuous_update=True,
            readout=False,  # the readout below says which iteration; the box would ignore typing
            style={"description_width": "initial"},
            layout=widgets.Layout(width="520px"),
        )
        self.readout = widgets.HTML()
        self.readout.add_class("nnfs-readout")
        self.plot = widgets.Image(format="png")
        self.state = {}
        self._pngs = {}
        self._fig = Figure(figsize=(10.5, 2.9))
        self._axes = self._fig.subplots(1, 3)
        self._fig.subplots_adjust(left=0.05, right=0.99, bottom=0.18, top=0.88, wspace=0.25)
        self.slider.observe(self._update, names="value")
        super().__init__([self.slider, self.readout, self.plot])
        self.add_class("nnfs-training-stepper")
        self._update()

    def _update(self, change=None):
        k = int(self.slider.value)
        h = self.history
        weights, outputs, loss = h["weights"][k], h["outputs"][k], float(h["loss"][k])
        self.state = {"iteration": k, "weights": weights, "outputs": outputs, "loss": loss}
        rows = "".join(
            f"<tr><td>{' '.join(f'{v:g}' for v in x)}</td><td>{t:g}</td>"
            f"<td class='nnfs-output'>{o:.4f}</td></tr>"
            for x, t, o in zip(h["X"], h["y"], outputs)
        )
        w_text = ", ".join(f"<b class='nnfs-weight'>{w:.4f}</b>" for w in weights)
        self.readout.value = (
            f"<div>after <b class='nnfs-iteration'>{k}</b> updates: weights [{w_text}], "
            f"loss <b class='nnfs-loss'>{loss:.6f}</b></div>"
            "<table style='border-spacing: 16px 2px; margin-left: -16px'>"
            "<tr><th>input</th><th>target</th><th>output</th></tr>"
            f"{rows}</table>"
        )
        if k not in self._pngs:
            plot_perceptron_progress(self._axes, h, k)
            self._pngs[k] = figure_png(self._fig, dpi=72)
        self.plot.value = self._pngs[k]


def training_stepper(X=PERCEPTRON_X, y=PERCEPTRON_Y, iterations=20_000, seed=1):
    """Step through the classic perceptron's training with a slider (log-like positions).

    Trains once (``perceptron_history``), then the slider only looks results up. The defaults
    are notebook 03's training set; pass ``y=[[0], [0], [1], [1]]`` for XOR of the first two
    inputs. ``.state`` holds the iteration, weights, outputs and loss on screen.
    """
    return TrainingStepper(perceptron_history(X, y, iterations, seed))


# ---------------------------------------------------------------------------------------------
# decision boundaries over the epochs
# ---------------------------------------------------------------------------------------------
def record_boundaries(model, X, y, epochs, snapshot_epochs=None, resolution=100, **fit_kwargs):
    """Train ``model`` on 2-D data for ``epochs`` and keep what it says on a grid over time.

    ``model`` follows the nnfs_utils MLP interface: ``fit(X, y, epochs=..., callbacks=...,
    progress=...)``, ``predict_proba``, ``loss`` and ``evaluate``. After every epoch the loss
    and accuracy on (X, y) are recorded; at each of ``snapshot_epochs`` (default: log-like
    positions) the class probabilities on the grid are kept. Epoch 0 is the untrained model.

    Returns a dict: ``epochs`` (list of snapshot epochs), ``probs`` (epoch -> grid
    probabilities), ``loss`` and ``accuracy`` (arrays of length epochs + 1), ``grid``
    ``(xx, yy, points)``, ``X``, ``y``.
    """
    for method in ("fit", "predict_proba", "loss", "evaluate"):
        if not callable(getattr(model, method, None)):
            raise TypeError(
                f"model has no {method}() method; pass an nnfs_utils.MLP "
                "(or an object with fit, predict_proba, loss and evaluate)."
            )
    if int(epochs) < 1:
        raise ValueError(f"epochs must be a positive whole number, got {epochs!r}.")
    epochs = int(epochs)
    wanted = set(log_steps(epochs) if snapshot_epochs is None else snapshot_epochs)
    if not wanted <= set(range(epochs + 1)):
        raise ValueError(f"snapshot_epochs must lie between 0 and epochs={epochs}.")
    wanted.add(0)
    grid = decision_grid(X, resolution=resolution)
    record = {"probs": {}, "loss": [], "accuracy": []}

    def snapshot(epoch):
        record["loss"].append(float(model.loss(X, y)))
        record["accuracy"].append(float(model.evaluate(X, y)))
        if epoch in wanted:
            record["probs"][epoch] = np.asarray(model.predict_proba(grid[2]), dtype=np.float32)

    snapshot(0)

    def callback(epoch, logs):
        snapshot(len(record["loss"]))

    callbacks = [*fit_kwargs.pop("callbacks", ()), callback]
    fit_kwargs.setdefault("progress", False)
    model.fit(X, y, epochs=epochs, callbacks=callbacks, **fit_kwargs)
    if len(record["loss"]) != epochs + 1:
        raise RuntimeError(
            f"the model called its callbacks {len(record['loss']) - 1} times for {epochs} "
            "epochs; boundary_explorer needs one call after every epoch."
        )
    return {
        "epochs": sorted(record["probs"]),
        "probs": record["probs"],
        "loss": np.array(record["loss"]),
        "accuracy": np.array(record["accuracy"]),
        "grid": grid,
        "X": np.asarray(X),
        "y": np.asarray(y),
    }


def plot_boundary_progress(axes, record, epoch):
    """Two panels: the decision regions after ``epoch`` and the loss curve up to it."""
    ax_regions, ax_loss = axes
    xx, yy, _ = record["grid"]
    plot_decision_boundary(
        ax_regions,
        xx,
        yy,
        record["probs"][epoch],
        record["X"],
        record["y"],
        title=f"epoch {epoch}: accuracy {record['accuracy'][epoch]:.1%}",
    )
    loss = record["loss"]
    epochs = np.arange(loss.size)
    ax_loss.clear()
    ax_loss.plot(epochs, loss, color="0.85")
    ax_loss.plot(epochs[: epoch + 1], loss[: epoch + 1], color="tab:purple")
    ax_loss.plot([epoch], [loss[epoch]], "o", color="tab:purple")
    ax_loss.set_xlim(0, loss.size - 1)
    ax_loss.set_ylim(0, float(loss.max()) * 1.05)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_title(f"training loss = {loss[epoch]:.4f}", fontsize=10)


class BoundaryExplorer(widgets.VBox):
    """A slider over the snapshot epochs of a recorded training run (``record``)."""

    def __init__(self, record):
        self.record = record
        self.slider = widgets.SelectionSlider(
            options=record["epochs"],
            value=record["epochs"][-1],
            description="epoch",
            continuous_update=True,
            readout=False,  # the readout below says which epoch; the box would ignore typing
            layout=widgets.Layout(width="520px"),
        )
        self.readout = widgets.HTML()
        self.readout.add_class("nnfs-readout")
        self.plot = widgets.Image(format="png")
        self.state = {}
        self._pngs = {}
        self._fig = Figure(figsize=(9.0, 3.8))
        self._axes = self._fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
        self._fig.subplots_adjust(left=0.06, right=0.98, bottom=0.13, top=0.9, wspace=0.2)
        self.slider.observe(self._update, names="value")
        super().__init__([self.slider, self.readout, self.plot])
        self.add_class("nnfs-boundary-explorer")
        self._update()

    def _update(self, change=None):
        epoch = int(self.slider.value)
        loss = float(self.record["loss"][epoch])
        accuracy = float(self.record["accuracy"][epoch])
        self.state = {"epoch": epoch, "loss": loss, "accuracy": accuracy}
        self.readout.value = (
            f"<div>after <b class='nnfs-epoch'>{epoch}</b> epochs: "
            f"loss <b class='nnfs-loss'>{loss:.4f}</b>, "
            f"accuracy <b class='nnfs-accuracy'>{accuracy:.1%}</b></div>"
        )
        if epoch not in self._pngs:
            plot_boundary_progress(self._axes, self.record, epoch)
            self._pngs[epoch] = figure_png(self._fig, dpi=72)
        self.plot.value = self._pngs[epoch]


def boundary_explorer(model, X, y, epochs=200, snapshot_epochs=None, resolution=100, **fit_kwargs):
    """Train ``model`` on 2-D data once, then slide through the epochs to watch it learn.

    Each position shows the decision regions after that epoch, the loss curve up to it, and
    the loss and accuracy on (X, y). Extra keyword arguments go to ``model.fit`` (for
    example ``optimizer="adam", lr=0.01, batch_size=32``). ``.record`` holds the snapshots
    (see ``record_boundaries``), ``.state`` what is on screen.
    """
    return BoundaryExplorer(
        record_boundaries(model, X, y, epochs, snapshot_epochs, resolution, **fit_kwargs)
    )
