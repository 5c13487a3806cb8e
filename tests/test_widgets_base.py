"""The explorer base class: one update convention, ``state`` a dict, pictures shown 1:1."""

import ast
import io
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from nnfs_utils import MLP
from nnfs_utils.widgets import (
    boundary_explorer,
    digit_browser,
    drawing_classifier,
    layer_explorer,
    network_explorer,
    neuron_explorer,
    training_stepper,
)
from nnfs_utils.widgets.base import PX_PER_INCH, SHARPNESS, Explorer

WIDGETS = Path(__file__).resolve().parents[1] / "nnfs_utils" / "widgets"


class Counter(Explorer):
    """A minimal explorer: one slider, its square shown, a picture of a bar."""

    css_class = "test-counter"
    figsize = (3.0, 2.0)
    keep_pictures = True

    def __init__(self):
        self.slider = widgets.IntSlider(value=2, min=0, max=10)
        self.computed = 0
        self.drawn = []
        super().__init__([self.slider], watch=[self.slider])

    def _setup_figure(self, figure):
        self._ax = figure.add_subplot()

    def _compute(self):
        self.computed += 1
        return {"n": self.slider.value, "square": self.slider.value**2}

    def _show(self, state):
        self.readout.value = f"<b>{state['square']}</b>"

        def draw():
            self.drawn.append(state["n"])
            self._ax.clear()
            self._ax.bar([0], [state["square"]])

        self._show_picture(draw, key=state["n"])


def test_a_watched_control_updates_state_readout_and_picture():
    counter = Counter()
    assert counter.state == {"n": 2, "square": 4} and counter.readout.value == "<b>4</b>"
    assert counter.children == (counter.slider, counter.readout, counter.plot)
    assert "test-counter" in counter._dom_classes and "nnfs-readout" in counter.readout._dom_classes
    first = bytes(counter.plot.value)
    counter.slider.value = 3
    assert counter.state == {"n": 3, "square": 9} and counter.readout.value == "<b>9</b>"
    assert bytes(counter.plot.value) != first
    counter.slider.value = 2
    assert bytes(counter.plot.value) == first
    assert counter.drawn == [2, 3]  # keep_pictures: each position is drawn once


def test_hold_gives_one_update_for_many_changes():
    counter = Counter()
    before = counter.computed
    with counter._hold():
        counter.slider.value = 5
        counter.slider.value = 6
        assert counter.state["n"] == 2  # nothing recomputed while held
    assert counter.computed == before + 1 and counter.state == {"n": 6, "square": 36}


def test_pictures_are_drawn_at_twice_the_size_they_are_shown():
    counter = Counter()
    width, height = Image.open(io.BytesIO(counter.plot.value)).size
    shown = round(3.0 * PX_PER_INCH)
    assert counter.plot.layout.width == f"{shown}px"
    assert counter.plot.layout.max_width == "100%"
    assert (width, height) == (shown * SHARPNESS, round(2.0 * PX_PER_INCH) * SHARPNESS)


def blobs():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 10)
    return np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.2]])[y] + rng.normal(0, 0.3, (30, 2)), y


def digits():
    rng = np.random.default_rng(1)
    X = (rng.random((10, 784)) > 0.8).astype(np.float32)
    return X, np.arange(10)


EXPLORERS = {
    "neuron": lambda: neuron_explorer(),
    "layer": lambda: layer_explorer(),
    "stepper": lambda: training_stepper(iterations=20),
    "boundary": lambda: boundary_explorer(MLP([2, 4, 3], seed=0), *blobs(), 3, resolution=10),
    "digits": lambda: digit_browser(*digits()),
    "network": lambda: network_explorer(MLP([784, 4, 10], seed=0), *digits()),
    "drawing": lambda: drawing_classifier(MLP([784, 4, 10], seed=0)),
}


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_explorer_is_an_explorer_with_a_state_dict(name):
    explorer = EXPLORERS[name]()
    assert isinstance(explorer, Explorer) and isinstance(explorer, widgets.VBox)
    assert isinstance(explorer.state, dict) and explorer.state
    assert explorer.css_class in explorer._dom_classes
    assert explorer.css_class.startswith("nnfs-")
    if explorer.figsize is not None:
        # no wider than JupyterLab's output area in a 1280 x 1000 window (848 px, measured)
        shown = round(explorer.figsize[0] * PX_PER_INCH)
        assert shown <= 848 and explorer.plot.layout.width == f"{shown}px"
        width, _ = Image.open(io.BytesIO(explorer.plot.value)).size
        assert width == shown * SHARPNESS


def test_no_figure_code_in_the_widgets():
    """Figures live in nnfs_utils.plots; the widgets only call them (and never pyplot)."""
    drawing = {"plot", "bar", "imshow", "contour", "scatter", "set_title", "set_xlabel", "legend"}
    for path in WIDGETS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in drawing, (
                    f"{path.name}:{node.lineno} draws on an axes; move the figure code to plots"
                )
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [getattr(node, "module", None) or ""] + [a.name for a in node.names]
                assert not any("pyplot" in name for name in names), f"{path.name} imports pyplot"
