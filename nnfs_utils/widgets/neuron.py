"""Explorers for notebooks 01 and 02: move a neuron's weights and bias, watch the output change.

Both explorers compute first and then write the results into widget traits (``readout.value``,
``plot.value``, ``state``), so a test can move a slider and read the new numbers without a
browser, and JupyterLab shows the same numbers to the learner.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..plots import ACTIVATION_NAMES, activation_function, plot_activation_point, plot_layer_outputs
from ._common import figure_png

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


def _build_controls(explorer, inputs, weights, bias, activation, figsize, bottom):
    """Give ``explorer`` the controls both explorers share: a slider per weight, a bias slider,
    the activation buttons, an HTML readout and a PNG picture drawn by an off-screen figure."""
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
    explorer.readout = widgets.HTML()
    explorer.readout.add_class("nnfs-readout")
    explorer.plot = widgets.Image(format="png")
    explorer.state = {}
    explorer._fig = Figure(figsize=figsize)
    explorer._ax = explorer._fig.add_subplot()
    explorer._fig.subplots_adjust(left=0.12, right=0.97, bottom=bottom, top=0.9)


class NeuronExplorer(widgets.VBox):
    """One neuron: a slider for each weight and for the bias, and a choice of activation.

    ``state`` holds what is on screen: ``z`` (the weighted sum), ``output`` and the point
    marked on the activation curve.
    """

    def __init__(self, inputs, weights, bias, activation):
        self.inputs = _as_vector(inputs, "inputs")
        weights = _as_vector(weights, "weights")
        if weights.size != self.inputs.size:
            raise ValueError(
                f"the neuron has {self.inputs.size} inputs but {weights.size} weights; "
                "give one weight per input."
            )
        _build_controls(self, self.inputs, weights, bias, activation, (5.5, 3.2), 0.16)
        for control in [*self.weight_sliders, self.bias_slider, self.activation]:
            control.observe(self._update, names="value")
        super().__init__(
            [*self.weight_sliders, self.bias_slider, self.activation, self.readout, self.plot]
        )
        self.add_class("nnfs-neuron-explorer")
        self._update()

    @property
    def weights(self):
        return np.array([s.value for s in self.weight_sliders])

    def _update(self, change=None):
        weights, bias, name = self.weights, self.bias_slider.value, self.activation.value
        z = float(self.inputs @ weights + bias)
        output = float(activation_function(name)(z))
        terms = " + ".join(f"{x:g}×({w:.2f})" for x, w in zip(self.inputs, weights))
        self.state = {"z": z, "output": output, "activation": name, "point": (z, output)}
        self.readout.value = (
            f"<div>weighted sum z = {terms} + ({bias:.2f}) = "
            f"<b class='nnfs-z'>{z:.4f}</b></div>"
            f"<div>output = {name}(z) = <b class='nnfs-output'>{output:.4f}</b></div>"
        )
        plot_activation_point(self._ax, name, z)
        self.plot.value = figure_png(self._fig)


def neuron_explorer(
    inputs=(1.0, 2.0, 3.0), weights=(0.2, 0.8, -0.5), bias=2.0, activation="linear"
):
    """A live view of one neuron: sliders for its weights and bias, a choice of activation.

    Moving any control recomputes the weighted sum ``z = x·w + b`` and the output, and redraws
    the activation curve with the neuron's current position marked.
    """
    return NeuronExplorer(inputs, weights, bias, activation)


class LayerExplorer(widgets.VBox):
    """A layer of neurons on one input vector: edit one neuron at a time, watch every output.

    ``weights`` is given one row per neuron, as in notebook 02; internally the layer uses the
    batch-first matrix ``W = weights.T`` of shape (n_inputs, n_neurons).
    """

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
        _build_controls(self, self.inputs, self.W[:, 0], self.b[0], activation, (5.5, 3.0), 0.12)
        self._loading = False
        self.neuron.observe(self._select, names="value")
        for control in [*self.weight_sliders, self.bias_slider, self.activation]:
            control.observe(self._update, names="value")
        super().__init__(
            [
                self.neuron,
                *self.weight_sliders,
                self.bias_slider,
                self.activation,
                self.readout,
                self.plot,
            ]
        )
        self.add_class("nnfs-layer-explorer")
        self._update()

    def _select(self, change):
        """Load the chosen neuron's weights and bias into the sliders."""
        j = self.neuron.value
        self._loading = True
        try:
            for i, slider in enumerate(self.weight_sliders):
                slider.value = float(self.W[i, j])
            self.bias_slider.value = float(self.b[j])
        finally:
            self._loading = False
        self._update()

    def _update(self, change=None):
        if self._loading:
            return
        j = self.neuron.value
        self.W[:, j] = [s.value for s in self.weight_sliders]
        self.b[j] = self.bias_slider.value
        name = self.activation.value
        z = self.inputs @ self.W + self.b
        outputs = activation_function(name)(z)
        self.state = {"z": z.copy(), "outputs": np.array(outputs, dtype=float), "neuron": j}
        shown = ", ".join(f"{v:.4f}" for v in outputs)
        self.readout.value = (
            f"<div>outputs = {name}(x @ W + b) = [<b class='nnfs-outputs'>{shown}</b>]</div>"
            f"<div>neuron {j + 1}: z = <b class='nnfs-z'>{z[j]:.4f}</b></div>"
        )
        plot_layer_outputs(self._ax, outputs, highlight=j)
        self.plot.value = figure_png(self._fig)


def layer_explorer(
    inputs=(1.0, 2.0, 3.0, 2.5),
    weights=((0.2, 0.8, -0.5, 1.0), (0.5, -0.91, 0.26, -0.5), (-0.26, -0.27, 0.17, 0.87)),
    biases=(2.0, 3.0, 0.5),
    activation="linear",
):
    """A live view of a layer: pick a neuron, move its weights and bias, see all outputs."""
    return LayerExplorer(inputs, weights, biases, activation)
