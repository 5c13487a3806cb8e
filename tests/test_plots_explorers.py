"""The explorers' figures (nnfs_utils.plots.explorers), checked through what they draw."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnfs_utils.perceptron import perceptron_history  # noqa: E402
from nnfs_utils.plots.explorers import plot_boundary_progress, plot_perceptron_progress  # noqa: E402


@pytest.fixture(scope="module")
def history():
    return perceptron_history(iterations=200)


def coloured(ax):
    """The data drawn in colour: not the faint whole-run copies, the grey zero line or the
    dotted marker of the iteration."""
    greys = {matplotlib.colors.to_rgba(g) for g in ("0.85", "0.6", "0.3")}
    return [line for line in ax.lines if matplotlib.colors.to_rgba(line.get_color()) not in greys]


@pytest.mark.parametrize("k", [0, 7, 150, 200])
def test_perceptron_progress_draws_the_run_up_to_the_iteration(history, k):
    axes = Figure().subplots(1, 3)
    plot_perceptron_progress(axes, history, k)
    ax_loss, ax_out, ax_w = axes
    assert ax_loss.get_title() == f"loss ½Σ(error²) = {history['loss'][k]:.6f}"
    for ax in axes:
        marker = [line for line in ax.lines if line.get_linestyle() == ":"]
        assert [tuple(line.get_xdata()) for line in marker] == [(k, k)]
        assert ax.get_xlim() == (0, 200)
        assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "10", "200"]
    curve, point = coloured(ax_loss)[-2:]
    assert max(curve.get_xdata()) <= k
    np.testing.assert_allclose(curve.get_ydata(), history["loss"][curve.get_xdata()])
    assert tuple(point.get_xydata()[0]) == pytest.approx((k, history["loss"][k]))
    outputs = coloured(ax_out)
    assert len(outputs) == 4  # one per training example
    colours = [matplotlib.colors.to_hex(line.get_color()) for line in outputs]
    expected = ["#d62728" if t > 0.5 else "#1f77b4" for t in history["y"]]
    assert colours == expected  # red: target 1, blue: target 0
    for i, line in enumerate(outputs):
        np.testing.assert_allclose(line.get_ydata(), history["outputs"][line.get_xdata(), i])
    weights = [line for line in coloured(ax_w) if line.get_label().startswith("w")]
    assert [line.get_label() for line in weights] == ["w1", "w2", "w3"]
    assert [t.get_text() for t in ax_w.get_legend().get_texts()] == ["w1", "w2", "w3"]


def test_boundary_progress_draws_regions_and_loss_up_to_the_epoch():
    xx, yy = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5))
    points = np.column_stack([xx.ravel(), yy.ravel()])
    record = {
        "grid": (xx, yy, points),
        "probs": {3: (points[:, 0] > 0).astype(float)},
        "loss": np.array([0.9, 0.7, 0.5, 0.4, 0.35]),
        "accuracy": np.array([0.5, 0.6, 0.75, 1.0, 1.0]),
        "X": np.array([[-0.5, 0.0], [0.5, 0.0]]),
        "y": np.array([0, 1]),
    }
    axes = Figure().subplots(1, 2)
    plot_boundary_progress(axes, record, 3)
    ax_regions, ax_loss = axes
    assert ax_regions.get_title() == "epoch 3: accuracy 100.0%"
    assert len(ax_regions.images) == 1 and len(ax_regions.collections) >= 2
    assert ax_loss.get_title() == "training loss = 0.4000"
    faint, upto, point = ax_loss.lines
    np.testing.assert_array_equal(faint.get_ydata(), record["loss"])
    np.testing.assert_array_equal(upto.get_xdata(), [0, 1, 2, 3])
    assert tuple(point.get_xydata()[0]) == pytest.approx((3, 0.4))


def test_no_text_below_the_course_minimum(history):
    from nnfs_utils.plots.style import MIN_FONT_SIZE

    fig = Figure()
    plot_perceptron_progress(fig.subplots(1, 3), history, 50)
    texts = fig.findobj(lambda a: hasattr(a, "get_fontsize") and a.get_text())
    assert texts and min(t.get_fontsize() for t in texts) >= MIN_FONT_SIZE
