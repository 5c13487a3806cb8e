"""Notebooks 01 and 02 in JupyterLab: a learner runs all cells, then moves the explorers.

The expected numbers are computed here from the neuron formula, output = f(sum(w * x) + b),
with the course's stated inputs, weights and biases and the moves the test makes; nothing is
copied from the notebooks' stored outputs.
"""

import math
import re

from . import lab

TOLERANCE = 6e-5  # the explorers print 4 decimals
STEP = 0.01  # one ArrowRight on a weight slider


def run_all_cells(page):
    """Expand all code, then Run All Cells. The notebook's checks cell is stored with its code
    collapsed; a collapsed cell shows a placeholder prompt that never gets an execution count,
    which lab.run_all_cells would wait for."""
    lab.menu(page, "View", "Expand All Code")
    lab.run_all_cells(page)


ACTIVATIONS = {
    "linear": lambda z: z,
    "step": lambda z: 1.0 if z > 0 else 0.0,
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "relu": lambda z: max(0.0, z),
}


def neuron(inputs, weights, bias):
    """The weighted sum of one neuron, written out as the course first writes it."""
    return sum(x * w for x, w in zip(inputs, weights, strict=True)) + bias


def labelled_inputs(explorer, n_inputs):
    """The inputs x_i as the learner reads them on the sliders' labels: 'w1 (input 1)'."""
    labels = lab.wait_for_texts(explorer.locator(".widget-slider .widget-label"), n_inputs + 1)
    found = [re.fullmatch(r"w(\d+) \(input (\S+)\)", label) for label in labels]
    return [float(match.group(2)) for match in found if match]


def choose_activation(explorer, name):
    button = explorer.locator(".widget-toggle-buttons button", has_text=re.compile(f"^{name}$"))
    button.click()
    lab.wait_for_class(button, "mod-active")


def test_neuron_explorer_notebook_01(page, lab_server):
    inputs, weights, bias = [1.0, 2.0, 3.0], [0.2, 0.8, -0.5], 2.0  # the course's neuron

    lab.open_notebook(page, lab_server, "notebooks/01_a_single_neuron.ipynb")
    run_all_cells(page)
    explorer = lab.explorer(page, ".nnfs-neuron-explorer")
    z_shown, output_shown = explorer.locator(".nnfs-z"), explorer.locator(".nnfs-output")
    w = [lab.slider(explorer, f"w{i + 1} (input {x:g})") for i, x in enumerate(inputs)]
    b = lab.slider(explorer, "bias b")

    # as the notebook opens it: the course's neuron, weighted sum 2.3, through a sigmoid
    assert labelled_inputs(explorer, len(inputs)) == inputs
    for slider, value in zip(w, weights, strict=True):
        lab.wait_for_readout(slider, value)
    lab.wait_for_readout(b, bias)
    lab.wait_for_text(explorer.locator(".widget-toggle-buttons button.mod-active"), "sigmoid")
    z = neuron(inputs, weights, bias)
    assert abs(z - 2.3) < 1e-12
    lab.wait_for_number(z_shown, z, TOLERANCE)
    lab.wait_for_number(output_shown, ACTIVATIONS["sigmoid"](z), TOLERANCE)

    # two ArrowRight presses on w1: 0.20 -> 0.22; the activation plot is redrawn too
    plot = lab.image_source(explorer)
    lab.press_right(w[0], times=2)
    weights[0] += 2 * STEP
    lab.wait_for_readout(w[0], weights[0], tolerance=1e-9)
    z = neuron(inputs, weights, bias)
    lab.wait_for_number(z_shown, z, TOLERANCE)
    lab.wait_for_number(output_shown, ACTIVATIONS["sigmoid"](z), TOLERANCE)
    lab.wait_for_new_image(explorer, plot)

    # type a new bias into the slider's box
    lab.type_into_readout(b, "-0.25")
    bias = -0.25
    lab.wait_for_readout(b, bias)
    z = neuron(inputs, weights, bias)
    lab.wait_for_number(z_shown, z, TOLERANCE)
    lab.wait_for_number(output_shown, ACTIVATIONS["sigmoid"](z), TOLERANCE)

    # the same weighted sum (0.07) through ReLU instead of the sigmoid
    choose_activation(explorer, "relu")
    lab.wait_for_number(output_shown, ACTIVATIONS["relu"](z), TOLERANCE)
    lab.wait_for_number(z_shown, z, TOLERANCE)
    assert 0 < z < ACTIVATIONS["sigmoid"](z)  # so ReLU and sigmoid show different outputs
    lab.screenshot(page, explorer, "01_neuron_explorer")


def test_layer_explorer_notebook_02(page, lab_server):
    inputs = [1.0, 2.0, 3.0, 2.5]  # the course's layer of three neurons
    rows = [[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]]
    biases = [2.0, 3.0, 0.5]

    def layer(activation="linear"):
        f = ACTIVATIONS[activation]
        return [f(neuron(inputs, row, bias)) for row, bias in zip(rows, biases, strict=True)]

    lab.open_notebook(page, lab_server, "notebooks/02_a_layer_of_neurons.ipynb")
    run_all_cells(page)
    explorer = lab.explorer(page, ".nnfs-layer-explorer")
    outputs_shown, z_shown = explorer.locator(".nnfs-outputs"), explorer.locator(".nnfs-z")
    w = [lab.slider(explorer, f"w{i + 1} (input {x:g})") for i, x in enumerate(inputs)]
    b = lab.slider(explorer, "bias b")
    pick = explorer.locator(".widget-dropdown select")

    # as the notebook opens it: outputs 4.8, 1.21, 2.385, neuron 1 on the sliders
    assert labelled_inputs(explorer, len(inputs)) == inputs
    expected = layer()
    assert all(abs(a - e) < 1e-12 for a, e in zip(expected, [4.8, 1.21, 2.385], strict=True))
    lab.wait_for_numbers(outputs_shown, expected, TOLERANCE)
    for slider, value in zip(w, rows[0], strict=True):
        lab.wait_for_readout(slider, value)
    lab.wait_for_readout(b, biases[0])

    # pick neuron 2: its weights and bias move onto the sliders
    pick.select_option(label="neuron 2")
    for slider, value in zip(w, rows[1], strict=True):
        lab.wait_for_readout(slider, value)
    lab.wait_for_readout(b, biases[1])
    lab.wait_for_number(z_shown, neuron(inputs, rows[1], biases[1]), TOLERANCE)

    # two ArrowRight presses on neuron 2's w2: -0.91 -> -0.89; only output 2 changes
    chart = lab.image_source(explorer)
    lab.press_right(w[1], times=2)
    rows[1][1] += 2 * STEP
    lab.wait_for_readout(w[1], rows[1][1], tolerance=1e-9)
    lab.wait_for_numbers(outputs_shown, layer(), TOLERANCE)
    lab.wait_for_new_image(explorer, chart)

    # type a bias for neuron 2 that pushes its weighted sum below zero
    lab.type_into_readout(b, "1.5")
    biases[1] = 1.5
    lab.wait_for_readout(b, biases[1])
    lab.wait_for_numbers(outputs_shown, layer(), TOLERANCE)
    z = neuron(inputs, rows[1], biases[1])
    assert z < 0
    lab.wait_for_number(z_shown, z, TOLERANCE)

    # ReLU on the whole layer: neuron 2 is now silent, the other two pass unchanged
    choose_activation(explorer, "relu")
    lab.wait_for_numbers(outputs_shown, layer("relu"), TOLERANCE)
    assert layer("relu")[1] == 0.0

    lab.screenshot(page, explorer, "02_layer_explorer")
