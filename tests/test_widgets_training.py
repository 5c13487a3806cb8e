"""Headless tests of the notebook 03/04 explorers: move the slider, check the numbers shown."""

import ast
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnfs_utils import MLP, perceptron
from nnfs_utils.perceptron import perceptron_history
from nnfs_utils.plots import decision_grid, plot_decision_boundary
from nnfs_utils.plots.explorers import log_steps, record_boundaries
from nnfs_utils.widgets import boundary_explorer, training, training_stepper

X4 = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
Y_FIRST = np.array([[0, 1, 1, 0]]).T
Y_XOR = np.array([[0, 0, 1, 1]]).T


def classic_run(y, stops):
    """The classic perceptron, written out independently; weights and outputs at ``stops``."""
    np.random.seed(1)
    weights = 2 * np.random.random((3, 1)) - 1
    seen = {}
    for k in range(max(stops) + 1):
        out = 1 / (1 + np.exp(-(X4 @ weights)))
        if k in stops:
            seen[k] = (weights[:, 0].copy(), out[:, 0].copy(), 0.5 * np.sum((y - out) ** 2))
        weights += X4.T @ ((y - out) * out * (1 - out))
    return seen


def test_log_steps():
    assert log_steps(20) == [0, 1, 2, 3, 5, 7, 10, 15, 20]
    steps = log_steps(20_000)
    assert steps[0] == 0 and steps[-1] == 20_000
    assert 1_000 in steps and 15_000 in steps and steps == sorted(set(steps))
    assert log_steps(12)[-1] == 12
    with pytest.raises(ValueError, match="at least one training step"):
        log_steps(0)


def test_perceptron_history_reproduces_the_classic_numbers():
    h = perceptron_history()
    assert h["weights"].shape == (20_001, 3) and h["outputs"].shape == (20_001, 4)
    np.testing.assert_allclose(h["weights"][0], [-0.165956, 0.440649, -0.999771], atol=1e-6)
    np.testing.assert_allclose(h["outputs"][-1], [0.0068, 0.9945, 0.9955, 0.0055], atol=1e-4)
    np.testing.assert_allclose(h["weights"][-1], [10.3804, -0.2064, -4.9845], atol=1e-4)
    assert np.all(np.diff(h["loss"][10:]) < 0)  # the loss only goes down once under way


def test_perceptron_history_leaves_global_random_state_alone():
    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    perceptron_history(iterations=5)
    np.testing.assert_array_equal(np.random.random(3), expected)


def test_the_perceptron_replay_is_numpy_only():
    tree = ast.parse(Path(perceptron.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"numpy"}


def test_notebook_03_imports_the_progress_figure_from_the_widgets_module():
    from nnfs_utils.plots.explorers import plot_perceptron_progress

    assert training.plot_perceptron_progress is plot_perceptron_progress


@pytest.fixture(scope="module")
def xor_stepper():
    return training_stepper(y=Y_XOR)


@pytest.mark.parametrize(
    ("y", "stops"),
    [(Y_FIRST, [20_000, 7, 0, 150, 3_000, 1]), (Y_XOR, [0, 20_000, 30])],
    ids=["first-input", "xor"],
)
def test_stepper_shows_weights_outputs_and_loss_of_each_iteration(y, stops, xor_stepper):
    expected = classic_run(y, stops)
    stepper = xor_stepper if y is Y_XOR else training_stepper(y=y)
    stepper.slider.value = 0
    pictures = set()
    for k in stops:
        stepper.slider.value = k
        weights, outputs, loss = expected[k]
        text = stepper.readout.value
        assert f"<b class='nnfs-iteration'>{k}</b>" in text
        for w in weights:
            assert f"<b class='nnfs-weight'>{w:.4f}</b>" in text
        for o in outputs:
            assert f"<td class='nnfs-output'>{o:.4f}</td>" in text
        assert f"<b class='nnfs-loss'>{loss:.6f}</b>" in text
        np.testing.assert_allclose(stepper.state["outputs"], outputs, rtol=1e-12)
        assert stepper.state["iteration"] == k
        assert stepper.plot.value[:8] == b"\x89PNG\r\n\x1a\n"
        pictures.add(bytes(stepper.plot.value))
    assert len(pictures) == len(stops)  # each position draws its own picture


def test_stepper_xor_ends_undecided(xor_stepper):
    stepper = xor_stepper
    stepper.slider.value = 20_000
    assert stepper.readout.value.count("<td class='nnfs-output'>0.5000</td>") == 4
    assert np.all(np.abs(stepper.state["weights"]) < 1e-6)


def test_stepper_caches_pictures(monkeypatch):
    drawn = []
    original = training.plot_perceptron_progress

    def counting(axes, history, iteration):
        drawn.append(iteration)
        original(axes, history, iteration)

    monkeypatch.setattr(training, "plot_perceptron_progress", counting)
    stepper = training_stepper(iterations=50)
    first = bytes(stepper.plot.value)
    stepper.slider.value = 50
    stepper.slider.value = 0
    stepper.slider.value = 50
    assert drawn == [0, 50]  # each position is drawn once, then looked up
    assert bytes(stepper.plot.value) != first
    stepper.slider.value = 0
    assert bytes(stepper.plot.value) == first
    assert stepper.slider.options[-1] == 50


def test_stepper_rejects_bad_input():
    with pytest.raises(ValueError, match="one target per row"):
        training_stepper(y=[0, 1, 1])
    with pytest.raises(ValueError, match="positive whole number"):
        training_stepper(iterations=0)


# --- decision boundaries -----------------------------------------------------------------------
def blobs(n=30, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.2]])
    y = np.repeat(np.arange(3), n)
    return centres[y] + rng.normal(0, 0.35, (3 * n, 2)), y


FIT = {"optimizer": "adam", "lr": 0.01, "batch_size": 16}


def test_boundary_explorer_shows_loss_and_accuracy_of_each_epoch():
    X, y = blobs()
    explorer = boundary_explorer(MLP([2, 8, 3], seed=3), X, y, epochs=12, resolution=30, **FIT)
    assert list(explorer.slider.options) == [0, 1, 2, 3, 5, 7, 10, 12]
    assert explorer.slider.value == 12
    for epoch in [5, 0, 12, 1]:
        explorer.slider.value = epoch
        # an identical model trained separately for `epoch` epochs must agree
        twin = MLP([2, 8, 3], seed=3)
        if epoch:
            twin.fit(X, y, epochs=epoch, progress=False, **FIT)
        loss, accuracy = twin.loss(X, y), twin.evaluate(X, y)
        text = explorer.readout.value
        assert f"<b class='nnfs-epoch'>{epoch}</b>" in text
        assert f"<b class='nnfs-loss'>{loss:.4f}</b>" in text
        assert f"<b class='nnfs-accuracy'>{accuracy:.1%}</b>" in text
        assert explorer.state == {"epoch": epoch, "loss": loss, "accuracy": accuracy}
        xx, yy, points = explorer.record["grid"]
        np.testing.assert_allclose(
            explorer.record["probs"][epoch], twin.predict_proba(points), atol=1e-6
        )
    assert explorer.record["loss"].shape == (13,)
    assert explorer.record["loss"][-1] < explorer.record["loss"][0]


def test_record_boundaries_binary_model_and_chosen_snapshots():
    X, y = blobs()
    y2 = (y == 2).astype(int)
    model = MLP([2, 6, 1], activation="tanh", output="sigmoid", seed=0)
    record = record_boundaries(model, X, y2, 4, snapshot_epochs=[2, 4], resolution=20, **FIT)
    assert record["epochs"] == [0, 2, 4]
    assert record["probs"][4].shape == (400, 1)


def test_record_boundaries_keeps_the_callers_callbacks_and_progress_choice():
    X, y = blobs(5)
    seen = []
    record = record_boundaries(
        MLP([2, 4, 3], seed=0),
        X,
        y,
        3,
        resolution=10,
        callbacks=[lambda epoch, logs: seen.append(epoch)],
        progress=False,
        **FIT,
    )
    assert seen == [1, 2, 3] and record["loss"].shape == (4,)


class Silent:
    """A model that trains without ever calling its callbacks."""

    def fit(self, X, y, epochs, callbacks, progress, **kwargs):
        return None

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)

    def loss(self, X, y):
        return 0.0

    def evaluate(self, X, y):
        return 0.5


def test_boundary_explorer_rejects_bad_input():
    X, y = blobs(5)
    with pytest.raises(TypeError, match="no fit"):
        boundary_explorer(object(), X, y)
    with pytest.raises(ValueError, match="between 0 and epochs=3"):
        record_boundaries(Silent(), X, y, 3, snapshot_epochs=[5])
    with pytest.raises(ValueError, match="positive whole number"):
        record_boundaries(Silent(), X, y, 0)
    with pytest.raises(RuntimeError, match="one call after every epoch"):
        record_boundaries(Silent(), X, y, 3, resolution=10)


def test_decision_grid_and_boundary_plot():
    X, y = blobs(5)
    xx, yy, points = decision_grid(X, resolution=25, padding=0.5)
    assert xx.shape == yy.shape == (25, 25) and points.shape == (625, 2)
    assert points[:, 0].min() == pytest.approx(X[:, 0].min() - 0.5)
    ax = Figure().add_subplot()
    # a classifier that says class 1 right of x = 0
    p1 = (points[:, 0] > 0).astype(float)
    labels = plot_decision_boundary(ax, xx, yy, p1, X, (X[:, 0] > 0).astype(int))
    np.testing.assert_array_equal(labels.ravel(), p1)
    assert len(ax.collections) >= 2  # the boundary line and the points
    with pytest.raises(ValueError, match="shape \\(n_samples, 2\\)"):
        decision_grid(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="computed? probs on the points|compute probs"):
        plot_decision_boundary(ax, xx, yy, p1[:10], X, y)
    with pytest.raises(ValueError, match="up to 5 classes"):
        plot_decision_boundary(ax, xx, yy, np.full((625, 6), 1 / 6), X, y)
