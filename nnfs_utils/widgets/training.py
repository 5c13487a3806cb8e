"""Explorers for notebooks 03 and 04: step through training and watch a network learn.

``training_stepper`` replays the classic single-neuron perceptron (``nnfs_utils.perceptron``):
a slider over the iterations shows the weights, the four outputs and the loss up to that point.
``boundary_explorer`` trains a model once, keeping snapshots of its decision regions
(``nnfs_utils.plots.explorers.record_boundaries``), and a slider moves through the epochs.

Both compute everything up front; moving the slider only looks results up, and each position's
picture is drawn once and kept. Notebook 03 imports ``plot_perceptron_progress`` from here.
"""

import ipywidgets as widgets

from ..perceptron import PERCEPTRON_X, PERCEPTRON_Y, perceptron_history
from ..plots.explorers import (
    log_steps,
    plot_boundary_progress,
    plot_perceptron_progress,
    record_boundaries,
)
from .base import Explorer

__all__ = [
    "BoundaryExplorer",
    "TrainingStepper",
    "boundary_explorer",
    "plot_perceptron_progress",
    "training_stepper",
]


def _position_slider(options, value, description):
    return widgets.SelectionSlider(
        options=options,
        value=value,
        description=description,
        continuous_update=True,
        readout=False,  # the readout below says where the slider is; its box would ignore typing
        style={"description_width": "initial"},
        layout=widgets.Layout(width="520px"),
    )


class TrainingStepper(Explorer):
    """A slider over the iterations of a precomputed perceptron run (``history``).

    ``state``: ``iteration``, and the ``weights``, ``outputs`` and ``loss`` after it.
    """

    css_class = "nnfs-training-stepper"
    figsize = (8.4, 2.9)
    figure_layout = "constrained"
    keep_pictures = True

    def __init__(self, history):
        self.history = history
        self.slider = _position_slider(log_steps(history["loss"].size - 1), 0, "iteration")
        super().__init__([self.slider], watch=[self.slider])

    def _setup_figure(self, figure):
        self._axes = figure.subplots(1, 3)

    def _compute(self):
        k = int(self.slider.value)
        h = self.history
        return {
            "iteration": k,
            "weights": h["weights"][k],
            "outputs": h["outputs"][k],
            "loss": float(h["loss"][k]),
        }

    def _show(self, state):
        k, h = state["iteration"], self.history
        rows = "".join(
            f"<tr><td>{' '.join(f'{v:g}' for v in x)}</td><td>{t:g}</td>"
            f"<td class='nnfs-output'>{o:.4f}</td></tr>"
            for x, t, o in zip(h["X"], h["y"], state["outputs"])
        )
        w_text = ", ".join(f"<b class='nnfs-weight'>{w:.4f}</b>" for w in state["weights"])
        self.readout.value = (
            f"<div>after <b class='nnfs-iteration'>{k}</b> updates: weights [{w_text}], "
            f"loss <b class='nnfs-loss'>{state['loss']:.6f}</b></div>"
            "<table style='border-spacing: 16px 2px; margin-left: -16px'>"
            "<tr><th>input</th><th>target</th><th>output</th></tr>"
            f"{rows}</table>"
        )
        self._show_picture(lambda: plot_perceptron_progress(self._axes, h, k), key=k)


def training_stepper(X=PERCEPTRON_X, y=PERCEPTRON_Y, iterations=20_000, seed=1):
    """Step through the classic perceptron's training with a slider (log-like positions).

    Trains once (``nnfs_utils.perceptron.perceptron_history``), then the slider only looks
    results up. The defaults are notebook 03's training set; pass ``y=[[0], [0], [1], [1]]``
    for XOR of the first two inputs. ``.history`` holds the run, ``.state`` what is on screen.
    """
    return TrainingStepper(perceptron_history(X, y, iterations, seed))


class BoundaryExplorer(Explorer):
    """A slider over the snapshot epochs of a recorded training run (``record``).

    ``state``: ``epoch``, and the ``loss`` and ``accuracy`` on the training data after it.
    """

    css_class = "nnfs-boundary-explorer"
    figsize = (8.4, 3.6)
    figure_layout = "constrained"
    keep_pictures = True

    def __init__(self, record):
        self.record = record
        epochs = record["epochs"]
        self.slider = _position_slider(epochs, epochs[-1], "epoch")
        super().__init__([self.slider], watch=[self.slider])

    def _setup_figure(self, figure):
        self._axes = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})

    def _compute(self):
        epoch = int(self.slider.value)
        return {
            "epoch": epoch,
            "loss": float(self.record["loss"][epoch]),
            "accuracy": float(self.record["accuracy"][epoch]),
        }

    def _show(self, state):
        epoch = state["epoch"]
        self.readout.value = (
            f"<div>after <b class='nnfs-epoch'>{epoch}</b> epochs: "
            f"loss <b class='nnfs-loss'>{state['loss']:.4f}</b>, "
            f"accuracy <b class='nnfs-accuracy'>{state['accuracy']:.1%}</b></div>"
        )
        self._show_picture(lambda: plot_boundary_progress(self._axes, self.record, epoch), epoch)


def boundary_explorer(model, X, y, epochs=200, snapshot_epochs=None, resolution=100, **fit_kwargs):
    """Train ``model`` on 2-D data once, then slide through the epochs to watch it learn.

    Each position shows the decision regions after that epoch, the loss curve up to it, and
    the loss and accuracy on (X, y). Extra keyword arguments go to ``model.fit`` (for
    example ``optimizer="adam", lr=0.01, batch_size=32``). ``.record`` holds the snapshots
    (see ``nnfs_utils.plots.explorers.record_boundaries``), ``.state`` what is on screen.
    """
    return BoundaryExplorer(
        record_boundaries(model, X, y, epochs, snapshot_epochs, resolution, **fit_kwargs)
    )
