"""Drive the explorers of notebooks 01 and 02 without a browser: move every control and check
the numbers the learner reads against a computation done here."""

import numpy as np
import pytest

from nnfs_utils.widgets import layer_explorer, neuron_explorer

X3 = np.array([1.0, 2.0, 3.0])
X4 = np.array([1.0, 2.0, 3.0, 2.5])
LAYER_W = np.array([[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]])
LAYER_B = np.array([2.0, 3.0, 0.5])

ACTIVATIONS = {
    "linear": lambda z: z,
    "step": lambda z: np.where(z > 0, 1.0, 0.0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: np.maximum(0, z),
}


def shown(html, css_class):
    """The number inside <b class='css_class'>...</b> of a readout."""
    start = html.index(f"class='{css_class}'>") + len(css_class) + 9
    return html[start : html.index("</b>", start)]


def test_neuron_explorer_starts_on_the_source_neuron():
    explorer = neuron_explorer()
    assert explorer.state["z"] == pytest.approx(2.3)
    assert shown(explorer.readout.value, "nnfs-z") == "2.3000"
    assert shown(explorer.readout.value, "nnfs-output") == "2.3000"
    assert explorer.plot.value[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("index", range(3))
def test_each_weight_slider_moves_the_weighted_sum(index):
    explorer = neuron_explorer()
    before = explorer.plot.value
    explorer.weight_sliders[index].value = 1.25
    weights = np.array([0.2, 0.8, -0.5])
    weights[index] = 1.25
    z = X3 @ weights + 2.0
    assert explorer.state["z"] == pytest.approx(z)
    assert shown(explorer.readout.value, "nnfs-z") == f"{z:.4f}"
    assert explorer.plot.value != before, "the activation plot must be redrawn"


def test_bias_slider_is_a_threshold():
    explorer = neuron_explorer(activation="step")
    explorer.bias_slider.value = -10.0
    # weighted sum of the inputs is 0.3, far below the threshold of 10: the neuron stays dark
    assert explorer.state["z"] == pytest.approx(0.3 - 10.0)
    assert explorer.state["output"] == 0.0
    explorer.weight_sliders[2].value = 3.0  # 3 * 3 pushes the sum to 10.8 - 10 > 0
    assert explorer.state["output"] == 1.0
    assert shown(explorer.readout.value, "nnfs-output") == "1.0000"


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_choice_changes_the_output(name):
    explorer = neuron_explorer(weights=(0.2, 0.8, -0.9))  # z = 1.1
    explorer.activation.value = name
    z = X3 @ np.array([0.2, 0.8, -0.9]) + 2.0
    expected = float(ACTIVATIONS[name](np.array(z)))
    assert explorer.state["output"] == pytest.approx(expected)
    assert shown(explorer.readout.value, "nnfs-output") == f"{expected:.4f}"


def test_four_input_neuron_gives_4_8():
    explorer = neuron_explorer(inputs=X4, weights=(0.2, 0.8, -0.5, 1.0), bias=2.0)
    assert shown(explorer.readout.value, "nnfs-z") == "4.8000"


def test_neuron_explorer_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="3 inputs but 2 weights"):
        neuron_explorer(weights=(0.1, 0.2))
    with pytest.raises(ValueError, match="unknown activation 'tanhh'"):
        neuron_explorer(activation="tanhh")
    with pytest.raises(ValueError, match="outside the slider range"):
        neuron_explorer(bias=50)


def test_layer_explorer_starts_on_the_source_layer():
    explorer = layer_explorer()
    assert np.allclose(explorer.state["outputs"], [4.8, 1.21, 2.385])
    assert shown(explorer.readout.value, "nnfs-outputs") == "4.8000, 1.2100, 2.3850"


@pytest.mark.parametrize("neuron", range(3))
def test_every_slider_of_every_neuron_moves_only_that_output(neuron):
    explorer = layer_explorer()
    explorer.neuron.value = neuron
    # the sliders now show this neuron's own parameters
    assert [s.value for s in explorer.weight_sliders] == pytest.approx(LAYER_W[neuron])
    assert explorer.bias_slider.value == pytest.approx(LAYER_B[neuron])
    weights, biases = LAYER_W.copy(), LAYER_B.copy()
    for i, slider in enumerate(explorer.weight_sliders):
        before = explorer.plot.value
        slider.value = -1.5 + i
        weights[neuron, i] = -1.5 + i
        expected = X4 @ weights.T + biases
        assert explorer.state["outputs"] == pytest.approx(expected)
        assert explorer.plot.value != before
    explorer.bias_slider.value = -4.0
    biases[neuron] = -4.0
    expected = X4 @ weights.T + biases
    assert explorer.state["outputs"] == pytest.approx(expected)
    text = ", ".join(f"{v:.4f}" for v in expected)
    assert shown(explorer.readout.value, "nnfs-outputs") == text
    # the other neurons kept their source outputs
    others = [j for j in range(3) if j != neuron]
    assert explorer.state["outputs"][others] == pytest.approx(np.array([4.8, 1.21, 2.385])[others])


def test_layer_explorer_remembers_edits_when_switching_neurons():
    explorer = layer_explorer()
    explorer.weight_sliders[0].value = 1.0  # neuron 1: w1 0.2 -> 1.0, output +0.8
    explorer.neuron.value = 1
    explorer.neuron.value = 0
    assert explorer.weight_sliders[0].value == pytest.approx(1.0)
    assert explorer.state["outputs"] == pytest.approx([5.6, 1.21, 2.385])


def test_layer_explorer_relu_clips_negative_outputs():
    explorer = layer_explorer(activation="relu")
    explorer.neuron.value = 1
    explorer.bias_slider.value = -5.0  # neuron 2: 1.21 - 3 - 5 = -6.79 -> 0
    assert explorer.state["z"][1] == pytest.approx(-6.79)
    assert explorer.state["outputs"][1] == 0.0


def test_layer_explorer_rejects_bad_shapes():
    with pytest.raises(ValueError, match="4 columns"):
        layer_explorer(weights=[[0.1, 0.2, 0.3]])
    with pytest.raises(ValueError, match="3 neurons but 2 biases"):
        layer_explorer(biases=(1.0, 2.0))
