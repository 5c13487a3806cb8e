"""The figures of notebook 09 in nnfs_utils.plots: confusion matrix, top-k, galleries, curves."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.text import Text

from nnfs_utils.data import FASHION_CLASS_NAMES
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
    bar = ax.figure.axes[-1]  # the colour bar: whole-number ticks only (the counts go up to 1)
    ticks = [t for t in bar.get_yticks() if 0 <= t <= 1]
    assert ticks == [0, 1]
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


# --- notebook 09 at the sizes it draws them: readable, nothing on top of anything else -------


def _course_figure(figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nnfs_utils.plots import COURSE_STYLE

    with plt.rc_context(COURSE_STYLE):
        fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)  # draws off screen, with a renderer to measure the text
    return fig


def _boxes(texts, renderer):
    return [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]


def _overlapping(boxes):
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a.overlaps(b) and a.intersection(a, b).width * a.intersection(a, b).height > 1
    ]


@pytest.mark.parametrize(
    ("figsize", "names", "n"),
    [((5.2, 4.8), [str(d) for d in range(10)], 500), ((6.4, 6.0), FASHION_CLASS_NAMES, 10_000)],
)
def test_confusion_matrix_at_the_notebook_size_is_readable(figsize, names, n):
    from nnfs_utils.plots import MIN_FONT_SIZE

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, n)
    y_pred = np.where(rng.random(n) < 0.85, y_true, rng.integers(0, 10, n))  # 4-digit counts
    fig = _course_figure(figsize)
    cm = plot_confusion_matrix(fig.add_subplot(), y_true, y_pred, names, title="test set")
    assert cm.sum() == n and cm.max() >= (100 if n > 1000 else 10)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    assert fig.dpi == 100
    cell = ax.transData.transform([(0, 0), (1, 1)])
    cell_width = abs(cell[1, 0] - cell[0, 0])
    texts = fig.findobj(lambda a: hasattr(a, "get_fontsize") and a.get_text())
    assert min(t.get_fontsize() for t in texts) >= MIN_FONT_SIZE
    # the counts stay inside their own cells, and the tick labels do not run into each other
    assert _overlapping(_boxes(ax.texts, renderer)) == []
    xlabels = ax.get_xticklabels()
    angle = xlabels[0].get_rotation()
    if angle:  # slanted labels: parallel lines of text, apart by the tick spacing x sin(angle)
        spacing = cell_width * np.sin(np.radians(angle))
        assert spacing > 1.2 * xlabels[0].get_fontsize() * fig.dpi / 72
    else:
        assert _overlapping(_boxes(xlabels, renderer)) == []
    assert _overlapping(_boxes(ax.get_yticklabels(), renderer)) == []
    assert max(b.width for b in _boxes(ax.texts, renderer)) < cell_width  # e.g. "1234"


@pytest.mark.parametrize(("figsize", "n", "ncols"), [((10, 4.6), 16, 8), ((10, 2.6), 8, 8)])
def test_digit_gallery_captions_do_not_overlap_at_the_notebook_size(figsize, n, ncols):
    from nnfs_utils.plots import MIN_FONT_SIZE

    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(10) * 0.3, n)
    fig = _course_figure(figsize)
    axes = plot_digit_gallery(fig, rng.random((n, 784)), rng.integers(0, 10, n), probs, ncols=ncols)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    titles = [
        next(c for c in ax.get_children() if isinstance(c, Text) and c.get_text() == caption)
        for ax in axes.ravel()[:n]
        for caption in [ax.get_title(loc="left")]
    ]
    boxes = _boxes(titles, renderer)
    assert len(boxes) == n and min(t.get_fontsize() for t in titles) >= MIN_FONT_SIZE
    assert _overlapping(boxes) == []  # neighbours' captions
    images = [ax.get_window_extent(renderer) for ax in axes.ravel()[:n]]
    assert _overlapping(boxes + images) == []  # and no caption over a digit
    assert min(min(b.width, b.height) for b in images) >= 60  # each digit at least 60 px


def test_notebook_09_uses_its_test_sets_once_and_the_course_style():
    import json
    import re
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "notebooks" / "09_a_better_classifier.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    first = next(s for s in code if "import" in s)
    assert "use_course_style()" in first and "figure.dpi" not in "\n".join(code)
    tags = [c["metadata"].get("tags", []) for c in cells]
    checks = [
        s
        for s, t in zip(
            code, [t for c, t in zip(cells, tags) if c["cell_type"] == "code"], strict=True
        )
        if "checks" in t
    ]
    assert len(checks) == 1
    story = [s for s in code if s not in checks]
    # every time a test split goes into a function: one measurement each, at the end
    uses = [
        line.strip()
        for s in story
        for line in s.splitlines()
        # passed to a function (not just named inside a string): a use of the test set
        if re.search(r"[(,]\s*Xf?_test\b", re.sub(r'"[^"]*"', '""', line))
    ]
    assert uses == [
        "test_accuracy = chosen.evaluate(X_test, y_test)",
        "fashion_pred = fashion_model.predict(Xf_test)  # the test set, once",
    ]
    # the MNIST test measurement comes after the choice made on dev
    order = [i for i, s in enumerate(story) if "chosen.evaluate(X_test" in s]
    last_choice = max(i for i, s in enumerate(story) if "chosen_name = max(dev_of" in s)
    assert order and order[0] > last_choice
