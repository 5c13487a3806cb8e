"""Explorers for notebooks 01 and 02: move a neuron's weights and bias, watch the output change."""

import ipywidgets as widgets
import numpy as np

from ..plots import ACTIVATION_NAMES, activation_function, plot_activation_point, plot_layer_outputs
from .base import Explorer

WEIGHT_RANGE = (-3.0, 3.0)
BIAS_RANGE = (-12.0, 12.0)
STEP = 0.01


def _slider(description, value, bounds):
    lo, hi = bounds
    if not lo <= value <= hi:
        raise ValueError(
            f"{description} = {value} is outside the slider range [{lo}, {hi}]; "
            "pick a value inside it."
        )
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=STEP,
        description=description,
        readout_format=".2f",
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )


def _as_vector(values, what):
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{what} must be a flat list of numbers, got shape {array.shape}.")
    return array


def _neuron_controls(explorer, inputs, weights, bias, activation):
    """Give ``explorer`` the controls both explorers share: a slider per weight, a bias slider
    and the activation buttons. Returns them, top to bottom."""
    if activation not in ACTIVATION_NAMES:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATION_NAMES)}."
        )
    explorer.weight_sliders = [
        _slider(f"w{i + 1} (input {x:g})", float(w), WEIGHT_RANGE)
        for i, (x, w) in enumerate(zip(inputs, weights))
    ]
    explorer.bias_slider = _slider("bias b", float(bias), BIAS_RANGE)
    explorer.activation = widgets.ToggleButtons(
        options=list(ACTIVATION_NAMES), value=activation, description="activation"
    )
    return [*explorer.weight_sliders, explorer.bias_slider, explorer.activation]


class NeuronExplorer(Explorer):
    """One neuron: a slider for each weight and for the bias, and a choice of activation.

    ``state``: ``z`` (the weighted sum), ``output``, ``activation`` and the ``point`` (z, output)
    marked on the activation curve.
    """

    css_class = "nnfs-neuron-explorer"
    figsize = (6.0, 3.4)

    def __init__(self, inputs, weights, bias, activation):
        self.inputs = _as_vector(inputs, "inputs")
        weights = _as_vector(weights, "weights")
        if weights.size != self.inputs.size:
            raise ValueError(
                f"the neuron has {self.inputs.size} inputs but {weights.size} weights; "
                "give one weight per input."
            )
        controls = _neuron_controls(self, self.inputs, weights, bias, activation)
        super().__init__(controls, watch=controls)

    @property
    def weights(self):
        return np.array([s.value for s in self.weight_sliders])

    def _setup_figure(self, figure):
        self._ax = figure.add_subplot()
        # fixed margins: a constrained layout would be recomputed on every slider move
        figure.subplots_adjust(left=0.11, right=0.97, bottom=0.15, top=0.91)

    def _compute(self):
        z = float(self.inputs @ self.weights + self.bias_slider.value)
        name = self.activation.value
        output = float(activation_function(name)(z))
        return {"z": z, "output": output, "activation": name, "point": (z, output)}

    def _show(self, state):
        z, output, name = state["z"], state["output"], state["activation"]
        terms = " + ".join(f"{x:g}×({w:.2f})" for x, w in zip(self.inputs, self.weights))
        self.readout.value = (
            f"<div>weighted sum z = {terms} + ({self.bias_slider.value:.2f}) = "
            f"<b class='nnfs-z'>{z:.4f}</b></div>"
            f"<div>output = {name}(z) = <b class='nnfs-output'>{output:.4f}</b></div>"
        )
        self._show_picture(lambda: plot_activation_point(self._ax, name, z))


def neuron_explorer(
    inputs=(1.0, 2.0, 3.0), weights=(0.2, 0.8, -0.5), bias=2.0, activation="linear"
):
    """A live view of one neuron: sliders for its weights and bias, a choice of activation.

    Moving any control recomputes the weighted sum ``z = x·w + b`` and the output, and redraws
    the activation curve with the neuron's current position marked.
    """
    return NeuronExplorer(inputs, weights, bias, activation)


class LayerExplorer(Explorer):
    """A layer of neurons on one input vector: edit one neuron at a time, watch every output.

    ``weights`` is given one row per neuron, as in notebook 02; internally the layer uses the
    batch-first matrix ``W = weights.T`` of shape (n_inputs, n_neurons). ``state``: ``z`` and
    ``outputs`` (one per neuron) and ``neuron``, the index of the neuron on the sliders.
    """

    css_class = "nnfs-layer-explorer"
    figsize = (6.0, 3.2)

    def __init__(self, inputs, weights, biases, activation):
        self.inputs = _as_vector(inputs, "inputs")
        rows = np.asarray(weights, dtype=float)
        if rows.ndim != 2 or rows.shape[1] != self.inputs.size:
            raise ValueError(
                f"weights must have one row per neuron and {self.inputs.size} columns "
                f"(one per input), got shape {rows.shape}."
            )
        self.W = rows.T.copy()
        self.b = _as_vector(biases, "biases").copy()
        if self.b.size != self.W.shape[1]:
            raise ValueError(
                f"the layer has {self.W.shape[1]} neurons but {self.b.size} biases; "
                "give one bias per neuron."
            )
        self.neuron = widgets.Dropdown(
            options=[(f"neuron {j + 1}", j) for j in range(self.W.shape[1])],
            value=0,
            description="edit",
        )
        self.neuron.observe(self._select, names="value")
        controls = _neuron_controls(self, self.inputs, self.W[:, 0], self.b[0], activation)
        super().__init__([self.neuron, *controls], watch=controls)

    def _select(self, change):
        """Load the chosen neuron's weights and bias into the sliders, then update once."""
        j = self.neuron.value
        with self._hold():
            for i, slider in enumerate(self.weight_sliders):
                slider.value = float(self.W[i, j])
            self.bias_slider.value = float(self.b[j])

    def _setup_figure(self, figure):
        self._ax = figure.add_subplot()
        figure.subplots_adjust(left=0.11, right=0.97, bottom=0.11, top=0.9)  # fixed, as above

    def _compute(self):
        j = self.neuron.value
        # the sliders hold neuron j's parameters: write them into the layer, then run it
        self.W[:, j] = [s.value for s in self.weight_sliders]
        self.b[j] = self.bias_slider.value
        z = self.inputs @ self.W + self.b
        outputs = np.array(activation_function(self.activation.value)(z), dtype=float)
        return {"z": z, "outputs": outputs, "neuron": j}

    def _show(self, state):
        j, z, outputs = state["neuron"], state["z"], state["outputs"]
        shown = ", ".join(f"{v:.4f}" for v in outputs)
        self.readout.value = (
            f"<div>outputs = {self.activation.value}(x @ W + b) = "
            f"[<b class='nnfs-outputs'>{shown}</b>]</div>"
            f"<div>neuron {j + 1}: z = <b class='nnfs-z'>{z[j]:.4f}</b></div>"
        )
        self._show_picture(lambda: plot_layer_outputs(self._ax, outputs, highlight=j))


def layer_explorer(
    inputs=(1.0, 2.0, 3.0, 2.5),
    weights=((0.2, 0.8, -0.5, 1.0), (0.5, -0.91, 0.26, -0.5), (-0.26, -0.27, 0.17, 0.87)),
    biases=(2.0, 3.0, 0.5),
    activation="linear",
):
    """A live view of a layer: pick a neuron, move its weights and bias, see all outputs."""
    return LayerExplorer(inputs, weights, biases, activation)
