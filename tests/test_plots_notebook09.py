"""The figures of notebook 09 in nnfs_utils.plots: confusion matrix, top-k, galleries, curves."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.text import Text

from nnfs_utils.plots import (
    LiveTrainingPlot,
    confusion_matrix,
    plot_confusion_matrix,
    plot_digit_gallery,
    plot_probabilities,
    plot_training_curves,
    top_k,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=60))
def test_confusion_matrix_counts_every_pair(pairs):
    y_true, y_pred = (np.array(v) for v in zip(*pairs, strict=True))
    cm = confusion_matrix(y_true, y_pred, n_classes=5)
    expected = np.zeros((5, 5), dtype=np.int64)
    for t, p in pairs:
        expected[t, p] += 1
    np.testing.assert_array_equal(cm, expected)
    assert cm.sum() == len(pairs) and np.trace(cm) == sum(t == p for t, p in pairs)


def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match="one prediction per sample"):
        confusion_matrix([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="class numbers"):
        confusion_matrix([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="class numbers"):
        confusion_matrix([0, -1], [0, 1])


def test_plot_confusion_matrix_writes_the_counts():
    fig, ax = plt.subplots()
    cm = plot_confusion_matrix(ax, [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], ["a", "b", "c"])
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "1", "1", "1", "2"]  # zero cells stay empty
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]


def test_top_k_sorts_most_likely_first():
    probs = np.array([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]])
    idx, p = top_k(probs, k=2)
    np.testing.assert_array_equal(idx, [[1, 2], [0, 2]])
    np.testing.assert_allclose(p, [[0.6, 0.3], [0.5, 0.3]])
    assert top_k(probs, k=10)[0].shape == (2, 3)  # k is capped at the number of classes
    with pytest.raises(ValueError, match="n_samples, n_classes"):
        top_k(np.ones(3))


def title_color(ax):
    text = ax.get_title(loc="left")
    (title,) = [c for c in ax.get_children() if isinstance(c, Text) and c.get_text() == text]
    return title.get_color()


def test_digit_gallery_titles_show_truth_and_top_3():
    rng = np.random.default_rng(0)
    probs = np.full((5, 10), 0.02)
    probs[np.arange(5), [3, 1, 4, 1, 5]] = 0.82
    fig = plt.figure()
    axes = plot_digit_gallery(fig, rng.random((5, 784)), np.array([3, 7, 4, 1, 2]), probs, ncols=3)
    assert axes.shape == (2, 3)
    first = axes[0, 0].get_title(loc="left")
    assert first.splitlines()[:2] == ["true 3", "3: 82%"] and len(first.splitlines()) == 4
    colors = [title_color(ax) for ax in axes.ravel()[:5]]
    assert colors[1] == colors[4] == "tab:red" and colors.count("black") == 3  # the wrong ones
    with pytest.raises(ValueError, match="no images"):
        plot_digit_gallery(plt.figure(), np.zeros((0, 784)), np.zeros(0, int), np.zeros((0, 10)))


def test_probabilities_mark_the_prediction_and_the_true_class():
    fig, ax = plt.subplots()
    assert plot_probabilities(ax, [0.1, 0.7, 0.2], class_names=("a", "b", "c")) == 1
    colors = [to_hex(bar.get_facecolor()) for bar in ax.patches]
    assert colors == [to_hex("tab:gray"), to_hex("tab:orange"), to_hex("tab:gray")]
    assert ax.get_title() == "predicted b (0.70)"
    plot_probabilities(ax, [0.1, 0.7, 0.2], label=2)  # wrong: prediction orange, truth green
    colors = [to_hex(bar.get_facecolor()) for bar in ax.patches]
    assert colors == [to_hex("tab:gray"), to_hex("tab:orange"), to_hex("tab:green")]
    assert ax.get_title() == "predicted 1 (0.70), true 2"
    plt.close(fig)


def test_training_curves_and_live_plot():
    logs = [
        {"loss": 1.0, "accuracy": 0.5, "val_loss": 1.2, "val_accuracy": 0.45},
        {"loss": 0.5, "accuracy": 0.8, "val_loss": 0.7, "val_accuracy": 0.75},
    ]
    live = LiveTrainingPlot(epochs=5)
    for epoch, entry in enumerate(logs, start=1):
        live(epoch, entry)  # outside a notebook: draws, shows nothing
    assert live.logs == logs
    ax_loss, ax_acc = live.axes
    assert [list(line.get_ydata()) for line in ax_loss.lines] == [[1.0, 0.5], [1.2, 0.7]]
    assert [list(line.get_ydata()) for line in ax_acc.lines] == [[0.5, 0.8], [0.45, 0.75]]
    assert ax_loss.get_xlim() == (0.5, 5.5)
    assert "epoch 2 of 5" in live.figure.texts[0].get_text()
    fig, axes = plt.subplots(1, 2)
    plot_training_curves(axes, {"loss": [1.0, 0.4], "accuracy": [0.6, 0.9]})
    assert len(axes[0].lines) == 1  # no dev curve without validation data
    with pytest.raises(ValueError, match="no epochs"):
        plot_training_curves(axes, {"loss": []})
