"""Headless tests of the MNIST explorers (notebooks 06 and 08) and their figures.

Each test moves a slider the way a learner would and checks that the text on screen and the
widget's state hold the numbers computed here independently.
"""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from nnfs_utils import MLP  # noqa: E402
from nnfs_utils.plots import (  # noqa: E402
    plot_digit_grid,
    plot_network_activations,
    plot_weight_images,
)
from nnfs_utils.widgets import digit_browser, network_explorer  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def digits():
    """Twenty fake 'digits': sparse random images with labels 0-9 twice over."""
    rng = np.random.default_rng(7)
    X = rng.random((20, 784)).astype(np.float32)
    X[X < 0.8] = 0.0  # like MNIST: most pixels are zero
    y = np.tile(np.arange(10), 2)[rng.permutation(20)].astype(np.int64)
    return X, y


@pytest.fixture(scope="module")
def model(digits):
    X, y = digits
    net = MLP([784, 6, 5, 10], activation="sigmoid", seed=3)
    net.fit(X, y, epochs=3, batch_size=5, optimizer="adam", lr=0.01, progress=False)
    return net


# --------------------------------------------------------------------------- digit_browser


def test_digit_browser_starts_at_the_given_index(digits):
    X, y = digits
    browser = digit_browser(X, y, index=4)
    assert browser.slider.value == 4
    assert browser.slider.max == len(X) - 1
    assert browser.state["label"] == int(y[4])
    assert f"label <b>{int(y[4])}</b>" in browser.readout.value
    assert bytes(browser.plot.value).startswith(PNG_MAGIC)


@pytest.mark.parametrize("index", [0, 9, 19])
def test_moving_the_digit_slider_updates_label_and_pixel_counts(digits, index):
    X, y = digits
    browser = digit_browser(X, y, index=1 if index != 1 else 2)
    before = bytes(browser.plot.value)
    browser.slider.value = index
    nonzero = int(np.count_nonzero(X[index]))
    brightest = float(X[index].max())
    assert browser.state == {
        "index": index,
        "label": int(y[index]),
        "nonzero": nonzero,
        "brightest": pytest.approx(brightest),
    }
    text = browser.readout.value
    assert f"<b>#{index}</b> of {len(X)}" in text
    assert f"label <b>{int(y[index])}</b>" in text
    assert f"{nonzero} of 784 pixels are non-zero" in text
    assert f"the brightest is {brightest:.2f}" in text
    assert bytes(browser.plot.value) != before


def test_digit_browser_accepts_28x28_images_and_class_names(digits):
    X, y = digits
    names = tuple(f"class {k}" for k in range(10))
    browser = digit_browser(X.reshape(-1, 28, 28), y, class_names=names)
    browser.slider.value = 3
    assert f"label <b>class {int(y[3])}</b>" in browser.readout.value


@pytest.mark.parametrize(
    ("X_shape", "y_len", "error", "match"),
    [
        ((5, 783), 5, ValueError, "shape \\(n, 784\\)"),
        ((0, 784), 0, ValueError, "no digits"),
        ((5, 784), 4, ValueError, "5 digits but y has 4 labels"),
    ],
)
def test_digit_browser_rejects_bad_shapes(X_shape, y_len, error, match):
    with pytest.raises(error, match=match):
        digit_browser(np.zeros(X_shape, np.float32), np.zeros(y_len, np.int64))


def test_digit_browser_rejects_one_hot_and_float_labels(digits):
    X, y = digits
    with pytest.raises(ValueError, match="one-hot"):
        digit_browser(X, np.eye(10)[y])
    with pytest.raises(TypeError, match="astype\\(int\\)"):
        digit_browser(X, y.astype(float))


@pytest.mark.parametrize(("index", "error"), [(20, ValueError), (-1, ValueError), (1.5, TypeError)])
def test_digit_browser_rejects_bad_index(digits, index, error):
    X, y = digits
    with pytest.raises(error, match="index"):
        digit_browser(X, y, index=index)


# ------------------------------------------------------------------------ network_explorer


@pytest.mark.parametrize("index", [0, 7, 19])
def test_moving_the_network_slider_shows_the_models_prediction(digits, model, index):
    X, y = digits
    explorer = network_explorer(model, X, y, index=0 if index else 1)
    explorer.slider.value = index
    probs = model.predict_proba(X[index : index + 1])[0].astype(float)
    prediction = int(np.argmax(probs))
    assert explorer.state["index"] == index
    assert explorer.state["label"] == int(y[index])
    assert explorer.state["prediction"] == prediction
    assert explorer.state["correct"] == (prediction == int(y[index]))
    np.testing.assert_allclose(explorer.state["probabilities"], probs, rtol=1e-6)
    text = explorer.readout.value
    assert f"label <b>{int(y[index])}</b>" in text
    assert f"predicted <b>{prediction}</b> with probability {probs[prediction]:.3f}" in text
    for k, p in enumerate(probs):
        assert f"{k}:&nbsp;{p:.3f}" in text
    assert ("(right)" in text) == (prediction == int(y[index]))


def test_network_explorer_names_its_digits_dev_digits(digits, model):
    """Notebook 08 explores the dev set: the slider and the readout both say "dev digit"."""
    X, y = digits
    explorer = network_explorer(model, X, y, index=3)
    assert explorer.slider.description == "dev digit"
    assert explorer.readout.value.startswith("dev digit <b>#3</b>:")
    explorer.slider.value = 11
    assert explorer.readout.value.startswith("dev digit <b>#11</b>:")


def test_network_explorer_picture_changes_with_the_digit(digits, model):
    X, y = digits
    explorer = network_explorer(model, X, y)
    first = bytes(explorer.plot.value)
    assert first.startswith(PNG_MAGIC)
    explorer.slider.value = 5
    assert bytes(explorer.plot.value).startswith(PNG_MAGIC)
    assert bytes(explorer.plot.value) != first


def test_network_explorer_state_matches_the_activations(digits, model):
    X, y = digits
    explorer = network_explorer(model, X, y, index=2)
    layers = model.activations(X[2:3])
    assert len(layers) == 4  # input, two hidden layers, output
    np.testing.assert_allclose(explorer.state["probabilities"], layers[-1][0], rtol=1e-6)
    assert explorer.weights[0].shape == (784, 6)


def test_network_explorer_needs_a_model_with_activations(digits):
    X, y = digits
    with pytest.raises(TypeError, match="activations"):
        network_explorer(object(), X, y)


def test_network_explorer_needs_one_output_per_class(digits):
    X, y = digits
    with pytest.raises(ValueError, match="outputs"):
        network_explorer(MLP([784, 4, 3], seed=0), X, y)


# ----------------------------------------------------------------------------------- plots


def test_weight_images_reject_column_form_weights():
    with pytest.raises(ValueError, match="needs .T"):
        plot_weight_images(np.zeros((16, 784)), np.zeros(16))
    with pytest.raises(ValueError, match="16 neurons but b has 10"):
        plot_weight_images(np.zeros((784, 16)), np.zeros(10))


def test_weight_images_draw_one_panel_per_neuron_and_the_biases():
    W = np.random.default_rng(0).normal(size=(784, 16))
    fig = plot_weight_images(W, np.linspace(-1, 1, 16), fig=Figure())
    image_axes = [ax for ax in fig.axes if ax.images]
    assert len(image_axes) == 16
    limit = float(np.abs(W).max())
    assert image_axes[0].images[0].get_clim() == (-limit, limit)


def test_digit_grid_titles_and_wrong_predictions(digits):
    X, y = digits
    pred = y.copy()
    pred[0] = (y[0] + 1) % 10
    fig = plot_digit_grid(X, y, n_rows=1, n_cols=3, predictions=pred, fig=Figure())
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [f"{y[i]}/{pred[i]}" for i in range(3)]
    assert fig.axes[0].title.get_color() == "tab:red"
    with pytest.raises(ValueError, match="784 pixels"):
        plot_digit_grid(np.zeros((3, 100)), y[:3], fig=Figure())


def test_network_activations_circle_the_most_probable_output():
    fig = Figure()
    ax = fig.add_subplot()
    probs = np.array([0.1, 0.6, 0.3])
    best = plot_network_activations(ax, [np.zeros(784), np.array([0.2, 0.9]), probs])
    assert best == 1
    with pytest.raises(ValueError, match="expected \\(2, 3\\)"):
        plot_network_activations(
            ax,
            [np.zeros(784), np.zeros(2), probs],
            weights=[np.zeros((784, 2)), np.zeros((3, 3))],
        )


def test_network_connections_are_coloured_by_sign_and_faded_by_size():
    fig = Figure()
    ax = fig.add_subplot()
    W2 = np.array([[1.0, -0.5, 0.0], [-1.0, 0.25, 2.0]])  # 2 hidden -> 3 outputs
    plot_network_activations(
        ax,
        [np.zeros(784), np.array([0.2, 0.9]), np.array([0.1, 0.6, 0.3])],
        weights=[np.zeros((784, 2)), W2],
    )
    (lines,) = ax.collections[:1]
    assert len(lines.get_segments()) == W2.size
    colors = lines.get_colors()
    blue, red = matplotlib.colors.to_rgb("tab:blue"), matplotlib.colors.to_rgb("tab:red")
    for rgba, w in zip(colors, W2.ravel()):
        assert tuple(rgba[:3]) == pytest.approx(blue if w >= 0 else red)
        assert rgba[3] == pytest.approx(0.6 * abs(w) / 2.0)
    # segment k joins hidden neuron k // 3 (x = 0) to output k % 3 (x = 1)
    first = lines.get_segments()[5]
    assert first[0][0] == 0.0 and first[1][0] == 1.0
