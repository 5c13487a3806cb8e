"""Notebook 11's threshold slider, driven without a browser, and the coverage-accuracy curve."""

import io
import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnfs_utils import MLP
from nnfs_utils.data import load_mnist
from nnfs_utils.plots.confidence import (
    UNSURE,
    answers,
    coverage_accuracy,
    plot_confidence_histograms,
    plot_coverage_accuracy,
)
from nnfs_utils.widgets import confidence_explorer
from nnfs_utils.widgets.confidence import ConfidenceExplorer

P = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.45, 0.55]])
y = np.array([0, 1, 1, 0])  # confidences 0.9, 0.6, 0.8, 0.55; right, wrong, right, wrong


def test_answers_and_coverage_by_hand():
    np.testing.assert_array_equal(answers(P, 0.7), [0, UNSURE, 1, UNSURE])
    np.testing.assert_array_equal(answers(P, 0.0), [0, 0, 1, 1])
    coverage, accuracy = coverage_accuracy(P, y, [0.0, 0.58, 0.7, 0.85, 0.95])
    np.testing.assert_allclose(coverage, [1.0, 0.75, 0.5, 0.25, 0.0])
    np.testing.assert_allclose(accuracy[:4], [0.5, 2 / 3, 1.0, 1.0])
    assert np.isnan(accuracy[4])
    with pytest.raises(ValueError, match="threshold is a probability"):
        answers(P, 1.5)
    with pytest.raises(ValueError, match="pass model.predict_proba"):
        coverage_accuracy(P[:, 0], y, [0.5])
    with pytest.raises(ValueError, match="one label per row"):
        coverage_accuracy(P, y[:2], [0.5])


def test_the_still_picture_marks_the_threshold():
    fig = Figure()
    ax_curve, ax_hist = fig.subplots(1, 2)
    point = plot_coverage_accuracy(ax_curve, P, y, threshold=0.7)
    assert point == (0.5, 1.0)
    # the coverage axis starts at the smallest coverage with answers (0.25), rounded down
    assert ax_curve.get_xlim() == pytest.approx((0.2, 1.01))
    plot_confidence_histograms(ax_hist, P, y, {"noise": P[::-1]}, threshold=0.7)
    labels = [t.get_text() for t in ax_hist.get_legend().get_texts()]
    assert sorted(labels) == ["dev, right", "dev, wrong", "noise", "threshold"]
    assert all(t.get_fontsize() >= 9 for t in ax_hist.get_legend().get_texts())


def test_slider_updates_state_readout_and_picture():
    w = ConfidenceExplorer(P, y, others={"noise": [[0.95, 0.05], [0.5, 0.5]]}, threshold=0.7)
    s = w.state
    assert (s["answered"], s["unsure"], s["n"]) == (2, 2, 4)
    assert s["coverage"] == 0.5 and s["accuracy"] == 1.0
    assert s["others"] == {"noise": 0.5}
    assert "answers 2 of 4 dev digits (coverage 0.500), 1.000 right" in w.readout.value
    assert "noise: answers 0.500 of them" in w.readout.value
    first = w.plot.value
    w.slider.value = 0.0
    assert w.state["answered"] == 4 and w.state["accuracy"] == 0.5
    assert w.state["others"] == {"noise": 1.0}
    assert w.plot.value != first
    w.slider.value = 0.99
    assert w.state["answered"] == 0 and w.state["accuracy"] is None
    assert "no answers" in w.readout.value
    width, height = Image.open(io.BytesIO(w.plot.value)).size
    assert (width, height) == (1800, 680)  # 9 x 3.4 inches at 200 pixels per inch


@pytest.fixture(scope="module")
def trained():
    d = load_mnist("sample")
    model = MLP([784, 64, 10], dtype=np.float64, seed=0)
    model.fit(d.X_train, d.y_train, epochs=3, optimizer="adam", progress=False)
    return model, d.X_dev, d.y_dev


def test_explorer_on_a_trained_model_matches_the_curve(trained):
    model, X_dev, y_dev = trained
    noise = np.random.default_rng(0).uniform(size=(50, 784))
    w = confidence_explorer(model, X_dev, y_dev, others={"noise": noise}, threshold=0.9)
    Pd = model.predict_proba(X_dev)
    coverage, accuracy = coverage_accuracy(Pd, y_dev, [0.9])
    assert w.state["coverage"] == pytest.approx(coverage[0])
    assert w.state["accuracy"] == pytest.approx(accuracy[0])
    shown = re.search(r"coverage ([\d.]+)\), ([\d.]+) right", w.readout.value)
    assert float(shown.group(1)) == pytest.approx(coverage[0], abs=5e-4)
    assert float(shown.group(2)) == pytest.approx(accuracy[0], abs=5e-4)
    # a higher threshold answers fewer digits, and no fewer of them right
    w.slider.value = 0.5
    low = dict(w.state)
    w.slider.value = 0.98
    assert w.state["coverage"] <= low["coverage"] and w.state["accuracy"] >= low["accuracy"]
    with pytest.raises(TypeError, match="predict_proba"):
        confidence_explorer(object(), X_dev, y_dev)
