"""The data figures added for issue 15: the loss surface (03), the hope and the reality (08),
gradient sizes per layer (08) and the prediction gallery (07). Checked on the drawn data."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from nnfs_utils.plots import (
    class_activation_means,
    hand_made_edge_detector,
    most_activating,
    perceptron_loss,
    plot_class_activation_heatmap,
    plot_edge_detector,
    plot_gradient_sizes,
    plot_loss_surface,
    plot_prediction_gallery,
)

X3 = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
Y3 = np.array([0, 1, 1, 0], dtype=float)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def descent_path(steps=300):
    """Notebook 03's training, written out here (seed 1, 2*random - 1, sigmoid updates)."""
    np.random.seed(1)
    w = 2 * np.random.random((3, 1)) - 1
    path = [w[:, 0].copy()]
    for _ in range(steps):
        out = 1 / (1 + np.exp(-(X3 @ w)))
        w += X3.T @ ((Y3[:, None] - out) * out * (1 - out))
        path.append(w[:, 0].copy())
    return np.array(path)


def test_perceptron_loss_matches_notebook_03():
    w0 = np.array([[-0.165956], [0.440649], [-0.999771]])
    assert perceptron_loss(X3, Y3, w0)[0] == pytest.approx(0.6199, abs=1e-4)
    assert perceptron_loss(X3, Y3, np.zeros((3, 2))) == pytest.approx([0.5, 0.5])


def test_loss_surface_is_the_loss_with_one_weight_fixed():
    path = descent_path()
    fig, ax = plt.subplots()
    drawn = plot_loss_surface(ax, X3, Y3, path)
    assert drawn["fixed"] == {1: pytest.approx(path[-1, 1])}
    Wi, Wj = drawn["grid"]
    k = (40, 70)
    w = np.array([[Wi[k]], [path[-1, 1]], [Wj[k]]])
    assert drawn["loss"][k] == pytest.approx(perceptron_loss(X3, Y3, w)[0])
    # the path drawn is the path given, and it lies inside the map
    (line,) = [ln for ln in ax.lines if ln.get_label() == "descent path"]
    np.testing.assert_allclose(line.get_xdata(), path[:, 0])
    np.testing.assert_allclose(line.get_ydata(), path[:, 2])
    assert Wi.min() < path[:, 0].min() and Wi.max() > path[:, 0].max()
    assert Wj.min() < path[:, 2].min() and Wj.max() > path[:, 2].max()
    assert "$w_2$ = " in ax.get_title() and "final value" in ax.get_title()
    assert ax.get_xlabel() == "$w_1$" and ax.get_ylabel() == "$w_3$"
    assert len(fig.axes) == 2  # the map and its colour bar
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["step 0", "step 10", "step 100", "step 300"]


def test_loss_surface_fixed_value_and_bad_input():
    fig, ax = plt.subplots()
    drawn = plot_loss_surface(ax, X3, Y3, descent_path(20), shown=(0, 1), fixed_value=-2.0)
    assert drawn["fixed"] == {2: -2.0} and "$w_3$ = -2.00" in ax.get_title()
    with pytest.raises(ValueError, match=r"path must be \(n_steps, 3\)"):
        plot_loss_surface(ax, X3, Y3, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="two different weights"):
        plot_loss_surface(ax, X3, Y3, descent_path(5), shown=(1, 1))


def test_hand_made_edge_detector():
    W, b = hand_made_edge_detector(row=6, cols=(8, 20), width=2, flank=2)
    assert W.shape == (28, 28) and b == -10.0
    assert (W[6:8, 8:20] == 1).all() and (W[4:6, 8:20] == -1).all() and (W[8:10, 8:20] == -1).all()
    assert np.count_nonzero(W) == 6 * 12 and W.sum() == 24 - 48
    with pytest.raises(ValueError, match="inside the 28x28 image"):
        hand_made_edge_detector(row=1)


def test_most_activating_finds_the_stroke():
    W, b = hand_made_edge_detector()
    X = np.zeros((4, 784))
    img = np.zeros((28, 28))
    img[6:8, 8:20] = 1.0  # ink exactly on the stroke: z = 24 - 10
    X[2] = img.ravel()
    img2 = img.copy()
    img2[4:6, 8:20] = 1.0  # the same plus ink above it: z = 24 - 24 - 10
    X[0] = img2.ravel()
    idx, acts = most_activating(X, W, b, k=2)
    assert idx[0] == 2 and acts[0] == pytest.approx(1 / (1 + np.exp(-14.0)))
    assert acts[1] == pytest.approx(1 / (1 + np.exp(10.0)))  # a blank image: sigmoid(-10)
    with pytest.raises(ValueError, match="flatten"):
        most_activating(np.zeros((2, 28, 28)), W, b)


def test_plot_edge_detector_draws_the_weights_and_the_top_digits():
    W, b = hand_made_edge_detector()
    rng = np.random.default_rng(0)
    X = rng.random((30, 784)) * 0.3
    y = np.arange(30) % 10
    fig = plt.figure()
    idx, acts = plot_edge_detector(fig, W, b, X, y, k=4)
    np.testing.assert_array_equal(idx, most_activating(X, W, b, 4)[0])
    weight_ax = fig.axes[0]
    np.testing.assert_array_equal(weight_ax.images[0].get_array(), W)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title().startswith("digit")]
    assert titles == [f"digit {y[i]}, a = {a:.2f}" for i, a in zip(idx, acts, strict=True)]
    assert any(ax.get_ylabel() == "weight (blue +, red -)" for ax in fig.axes)  # colour bar


def test_class_activation_heatmap():
    H = np.array([[1.0, 0.0], [0.5, 0.2], [0.0, 1.0]])
    y = np.array([0, 0, 2])
    M = class_activation_means(H, y, n_classes=3)
    np.testing.assert_allclose(M[:, 0], [0.75, 0.1])
    np.testing.assert_allclose(M[:, 2], [0.0, 1.0])
    assert np.isnan(M[:, 1]).all()  # no sample of class 1
    fig, ax = plt.subplots()
    drawn = plot_class_activation_heatmap(ax, H, y, class_names=["a", "b", "c"])
    np.testing.assert_array_equal(drawn, M)
    np.testing.assert_array_equal(ax.images[0].get_array().filled(np.nan), M)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_xlabel() == "digit class" and ax.get_ylabel() == "hidden neuron"
    assert fig.axes[1].get_ylabel() == "mean activation"
    with pytest.raises(ValueError, match="one label per row"):
        class_activation_means(H, [0, 1])


def test_gradient_sizes_bars():
    fig, ax = plt.subplots()
    sizes = [[1e-6, 1e-4, 1e-2], [1e-2, 2e-2, 1e-2]]
    bars = plot_gradient_sizes(ax, sizes, ["sigmoid", "relu"])
    assert [[r.get_height() for r in b] for b in bars] == sizes
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "relu"]
    lo, hi = ax.get_ylim()
    assert lo < 1e-6 and hi > 2e-2
    with pytest.raises(ValueError, match="one label per network"):
        plot_gradient_sizes(ax, sizes, ["sigmoid"])
    with pytest.raises(ValueError, match="above 0"):
        plot_gradient_sizes(ax, [[0.0, 1.0]], ["x"])


def test_prediction_gallery_marks_the_mistakes():
    rng = np.random.default_rng(0)
    images = rng.random((40, 784))
    y_true = np.arange(40) % 10
    y_pred = y_true.copy()
    y_pred[[3, 17, 25]] = [8, 1, 0]
    fig = plt.figure()
    shown = plot_prediction_gallery(fig, images, y_true, y_pred, n_first=10, n_mistakes=5)
    np.testing.assert_array_equal(shown["first"], np.arange(10))
    # the mistakes part starts after the first 10, so digit 3 is not shown twice
    np.testing.assert_array_equal(shown["mistakes"], [17, 25])
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert len(titled) == 12
    red = [ax.get_title() for ax in titled if to_hex(ax.title.get_color()) == to_hex("tab:red")]
    assert red == ["says 8\n(is 3)", "says 1\n(is 7)", "says 0\n(is 5)"]
    assert titled[0].get_title() == "says 0" and titled[0].title.get_fontsize() >= 9
    np.testing.assert_array_equal(titled[3].images[0].get_array(), images[3].reshape(28, 28))
    with pytest.raises(ValueError, match="one label and one prediction per image"):
        plot_prediction_gallery(fig, images, y_true[:5], y_pred)


def test_existing_figures_have_no_text_below_the_minimum_size():
    from matplotlib.figure import Figure

    from nnfs_utils.plots import (
        MIN_FONT_SIZE,
        plot_confusion_matrix,
        plot_digit_gallery,
        plot_mean_digits,
        plot_network_activations,
        plot_training_curves,
        plot_weight_images,
    )

    rng = np.random.default_rng(0)
    X, y = rng.random((20, 784)), np.arange(20) % 10
    figures = [plot_mean_digits(X, y, fig=Figure())]
    figures.append(plot_weight_images(rng.normal(size=(784, 4)), np.zeros(4), fig=Figure()))
    fig = Figure()
    plot_digit_gallery(fig, X[:6], y[:6], rng.dirichlet(np.ones(10), 6), ncols=3)
    figures.append(fig)
    fig = Figure()
    cm = plot_confusion_matrix(fig.add_subplot(), y, (y + 1) % 10)
    assert cm.sum() == 20 and fig.axes[1].get_ylabel() == "mistakes (off-diagonal count)"
    figures.append(fig)
    fig = Figure()
    acts = [X[0], rng.random(16), rng.dirichlet(np.ones(10))]
    plot_network_activations(fig.add_subplot(), acts)
    figures.append(fig)
    fig = Figure()
    history = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.8]}
    plot_training_curves(fig.subplots(1, 2), history, label="run")
    figures.append(fig)
    for fig in figures:
        texts = fig.findobj(lambda a: hasattr(a, "get_fontsize") and a.get_text())
        sizes = [t.get_fontsize() for t in texts]
        assert sizes and min(sizes) >= MIN_FONT_SIZE, sorted(sizes)[:3]
