"""The diagrams of nnfs_utils.plots (a neuron, a layer, the chain rule graph) and the style.

Checked on what is drawn: the texts, the arrows' end points and colours, the segments.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from nnfs_utils.plots import (
    COURSE_STYLE,
    MIN_FONT_SIZE,
    plot_computational_graph,
    plot_layer_diagram,
    plot_neuron_diagram,
    use_course_style,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def all_text(ax):
    return [t.get_text() for t in ax.texts]


def test_neuron_diagram_draws_notebook_01s_neuron():
    fig, ax = plt.subplots()
    drawn = plot_neuron_diagram(ax)
    assert drawn["z"] == pytest.approx(2.3) and drawn["output"] == pytest.approx(2.3)
    assert [t.get_text() for t in drawn["inputs"]] == ["$x_1$ = 1", "$x_2$ = 2", "$x_3$ = 3"]
    labels = [t.get_text() for t in drawn["weight_labels"]]
    assert labels == ["$w_1$ = 0.2", "$w_2$ = 0.8", "$w_3$ = -0.5"]
    assert drawn["bias"].get_text() == "bias b = 2"
    assert drawn["output_text"].get_text() == "output\n2.3"
    assert "z = 1·(0.2) + 2·(0.8) + 3·(-0.5) + 2 = 2.3" in all_text(ax)
    # every arrow ends on the sum node and starts on its input
    sum_xy = drawn["sum"].get_position()
    for arrow, text in zip(drawn["arrows"], drawn["inputs"], strict=True):
        assert arrow.xy == pytest.approx(sum_xy)
        assert arrow.xyann == pytest.approx(text.get_position())
    colors = [to_hex(a.arrow_patch.get_edgecolor()) for a in drawn["arrows"]]
    assert colors == [to_hex("tab:blue"), to_hex("tab:blue"), to_hex("tab:red")]
    widths = [a.arrow_patch.get_linewidth() for a in drawn["arrows"]]
    assert widths[1] > widths[2] > widths[0]  # thicker for a larger weight
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "positive weight",
        "negative weight",
    ]


def test_neuron_diagram_with_an_activation():
    fig, ax = plt.subplots()
    drawn = plot_neuron_diagram(ax, [1.0, -1.0], [2.0, 1.0], bias=-3.0, activation="relu")
    assert drawn["z"] == pytest.approx(-2.0) and drawn["output"] == 0.0
    assert drawn["output_text"].get_text() == "output = relu(z)\n0"
    assert "relu" in all_text(ax) and "z = -2" in all_text(ax)
    assert "apply relu" in ax.get_title()


def test_neuron_diagram_rejects_mismatched_weights():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="one weight per input"):
        plot_neuron_diagram(ax, [1, 2, 3], [0.2, 0.8])
    with pytest.raises(ValueError, match="unknown activation"):
        plot_neuron_diagram(ax, activation="tanhh")


def test_layer_diagram_highlights_one_row_of_the_matrix():
    fig, ax = plt.subplots()
    drawn = plot_layer_diagram(ax, highlight=1)
    np.testing.assert_allclose(drawn["outputs"], [4.8, 1.21, 2.385])
    texts = drawn["matrix_texts"]
    assert texts.shape == (3, 4)
    assert [t.get_text() for t in texts[1]] == ["0.5", "-0.91", "0.26", "-0.5"]
    assert all(to_hex(t.get_color()) == to_hex("tab:orange") for t in texts[1])
    assert all(to_hex(t.get_color()) == "#000000" for t in np.r_[texts[0], texts[2]])
    # the four highlighted connections go from the four inputs to neuron 2
    lines = drawn["highlight_lines"]
    assert lines.shape == (4, 2, 2)
    assert np.unique(lines[:, 1], axis=0).shape == (1, 2)  # one end: neuron 2
    assert len(np.unique(lines[:, 0, 1])) == 4  # the other: four different inputs
    orange = [c for c in ax.collections if to_hex(c.get_colors()[0]) == to_hex("tab:orange")]
    assert len(orange) == 1 and len(orange[0].get_segments()) == 4
    grey = [c for c in ax.collections if c is not orange[0]]
    assert sum(len(c.get_segments()) for c in grey) == 8  # the other 2 neurons x 4 inputs
    assert "= 1.21" in all_text(ax) and "neuron 2's weights are row 2" in ax.get_title()


def test_layer_diagram_matrix_header_ends_before_the_bias_header():
    # notebook 02's size: the header above the matrix used to run into "+ b"
    with mpl.rc_context(COURSE_STYLE):
        fig, ax = plt.subplots(figsize=(11, 3.6))
        header, plus_b = plot_layer_diagram(ax)["headers"]
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        header_box, plus_b_box = (t.get_window_extent(renderer) for t in (header, plus_b))
    assert header.get_text() == "weights (3×4), a row per neuron"
    assert header_box.x1 < plus_b_box.x0


def test_computational_graph_gradient_of_z_is_clear_of_the_arrows():
    # notebook 04's size: the b -> z arrowhead used to sit under "dL/dz = -0.1114"
    from matplotlib.path import Path

    with mpl.rc_context(COURSE_STYLE):
        fig, ax = plt.subplots(figsize=(10, 4.8))
        drawn = plot_computational_graph(ax)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = {k: t.get_window_extent(renderer) for k, t in drawn["gradient_texts"].items()}
    label = boxes["z"]
    assert drawn["gradient_texts"]["z"].get_text() == "dL/dz = -0.1114"
    # the line from b's centre to z's centre (the arrow lies on it) misses the label
    ends = ax.transData.transform([drawn["b_arrow"].xyann, drawn["b_arrow"].xy])
    assert not Path(ends).intersects_bbox(label, filled=True)
    # the label stays below the z -> a arrow and does not touch a's gradient
    z_centre = ax.transData.transform(drawn["b_arrow"].xy)
    assert label.y1 < z_centre[1] and boxes["a"].x0 - label.x1 > 15  # pixels apart


def test_layer_diagram_bad_shapes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"shape \(3, 4\)"):
        plot_layer_diagram(ax, weights=np.ones((4, 3)))
    with pytest.raises(ValueError, match="highlight must be a neuron index 0..2"):
        plot_layer_diagram(ax, highlight=3)


def test_computational_graph_values_and_gradients():
    fig, ax = plt.subplots()
    drawn = plot_computational_graph(ax)
    z = 1 * 0.5 + 2 * -0.2 + 0.1
    a = 1 / (1 + np.exp(-z))
    dz = (a - 1) * a * (1 - a)
    assert drawn["z"] == pytest.approx((z, dz))
    assert drawn["a"] == pytest.approx((a, a - 1))
    assert drawn["L"] == pytest.approx((0.5 * (a - 1) ** 2, 1.0))
    assert drawn["w1"][1] == pytest.approx(-0.1114, abs=1e-4)  # notebook 04's numbers
    assert drawn["w2"][1] == pytest.approx(-0.2228, abs=1e-4)
    assert drawn["x2"] == pytest.approx((2.0, dz * -0.2))
    texts = all_text(ax)
    for line in ("z = 0.2", "a = 0.5498", "dL/d$w_1$ = -0.1114", "dL/d$w_2$ = -0.2228"):
        assert line in texts
    # the gradients are red, the values black
    red = [t for t in ax.texts if t.get_text().startswith("dL/d")]
    assert len(red) == 10 and all(to_hex(t.get_color()) == to_hex("tab:red") for t in red)
    # a central difference agrees with the gradient drawn for w1
    eps = 1e-6

    def loss(w1):
        zz = 1 * w1 + 2 * -0.2 + 0.1
        return 0.5 * (1 / (1 + np.exp(-zz)) - 1) ** 2

    assert drawn["w1"][1] == pytest.approx((loss(0.5 + eps) - loss(0.5 - eps)) / (2 * eps))


def test_course_style_sets_readable_defaults():
    with mpl.rc_context():
        assert use_course_style() is None  # a notebook's first cell prints nothing
        assert all(mpl.rcParams[key] == value for key, value in COURSE_STYLE.items())
        assert 100 <= mpl.rcParams["figure.dpi"] <= 110
        for key in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"):
            assert mpl.rcParams[key] >= MIN_FONT_SIZE
    assert MIN_FONT_SIZE >= 9


@pytest.mark.parametrize(
    "draw",
    [plot_neuron_diagram, plot_layer_diagram, plot_computational_graph],
    ids=["neuron", "layer", "graph"],
)
def test_diagram_text_is_at_least_the_minimum_size(draw):
    with mpl.rc_context(COURSE_STYLE):
        fig, ax = plt.subplots()
        draw(ax)
        sizes = [t.get_fontsize() for t in ax.texts] + [ax.title.get_fontsize()]
    assert min(sizes) >= MIN_FONT_SIZE and ax.get_title()
