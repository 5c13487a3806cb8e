"""TrainingMonitor, diagnose and EarlyStopping: constructed histories and real short runs."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnfs_utils import MLP
from nnfs_utils.data import load_mnist
from nnfs_utils.monitor import (
    CHECKS,
    EarlyStopping,
    TrainingMonitor,
    diagnose,
    plot_monitor,
    plot_weight_histograms,
)
from nnfs_utils.training import StopTraining


# ------------------------------------------------------------------ constructed histories
def constructed(**fields):
    """A monitor whose records are set by hand (two epochs, three layers, healthy values)."""
    m = TrainingMonitor.__new__(TrainingMonitor)
    m.model = MLP([4, 3, 3, 2], seed=0)  # only its layer count is read
    m.n_classes, m.input_max, m.error, m.one_label_batches = 10, 1.0, None, None
    m.epochs = [0, 1, 2]
    m.loss, m.accuracy = [None, 0.9, 0.5], [None, 0.8, 0.9]
    m.dev_loss, m.dev_accuracy = [2.3, 0.6, 0.4], [0.1, 0.82, 0.88]
    m.top_class_share = [0.3, 0.12, 0.11]
    m.dead = [[0.0, 0.0]] * 3
    m.grad_size = [[3e-3, 5e-3, 8e-3]] * 3
    m.weight_spread = [[0.05, 0.1, 0.2]] * 3
    m.update_ratio = [None, [0.2, 0.1, 0.1], [0.05, 0.04, 0.03]]
    for key, value in fields.items():
        setattr(m, key, value)
    return m


def names(monitor):
    return [f.name for f in diagnose(monitor)]


def test_a_healthy_constructed_history_has_no_findings():
    assert names(constructed()) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"input_max": 255.0}, "unscaled_inputs"),
        ({"one_label_batches": 0.9}, "sorted_batches"),
        ({"grad_size": [[2.0, 3.0, 4.0]] * 3}, "gradient_too_large"),
        ({"dev_loss": [2.3, 4.0, 3.9]}, "diverging"),
        ({"dev_loss": [2.3, float("nan"), float("nan")]}, "diverging"),
        ({"update_ratio": [None, [3.0, 0.1, 0.1], [0.1, 0.1, 0.1]]}, "diverging"),
        ({"error": "the loss became nan ... training diverged"}, "diverging"),
        ({"grad_size": [[1e-8, 1e-5, 1e-3]] * 3}, "vanishing_gradients"),
        ({"dead": [[0, 0], [0.2, 0.7], [0.3, 0.8]]}, "dead_units"),
        ({"update_ratio": [None, [1e-3, 5e-4, 5e-4], [1e-3, 4e-4, 4e-4]]}, "lr_too_small"),
        ({"top_class_share": [0.3, 0.6, 0.7]}, "one_class"),
        ({"dev_accuracy": [0.1, 0.11, 0.12], "accuracy": [None, 0.1, 0.13]}, "stuck_at_chance"),
        ({"accuracy": [None, 0.95, 1.0], "dev_accuracy": [0.1, 0.8, 0.85]}, "overfitting"),
    ],
)
def test_each_check_fires_on_its_constructed_history(fields, expected):
    found = diagnose(constructed(**fields))
    assert [f.name for f in found] == [expected]
    text = str(found[0])
    assert "evidence:" in text and "fix:" in text


def test_thresholds_can_be_changed_and_unknown_ones_are_named():
    m = constructed(accuracy=[None, 0.95, 0.96])  # train 0.96 against dev 0.88: a 0.08 gap
    assert names(m) == []
    assert [f.name for f in diagnose(m, {"overfitting": 0.05})] == ["overfitting"]
    with pytest.raises(KeyError, match="unknown check 'overfit'"):
        diagnose(m, {"overfit": 0.1})
    with pytest.raises(TypeError, match="diagnose reads a TrainingMonitor"):
        diagnose({"loss": [1.0]})
    assert {"diverging", "dead_units", "overfitting", "lr_too_small"} <= set(CHECKS)


# ------------------------------------------------------------------------ real short runs
@pytest.fixture(scope="module")
def mnist():
    d = load_mnist("sample")
    X, y = d.X_train[:2000].astype(np.float64), d.y_train[:2000]
    return X, y, d.X_dev.astype(np.float64), d.y_dev


def monitored(model, X, y, X_dev, y_dev, **fit_options):
    monitor = TrainingMonitor(model, X_dev, y_dev)
    options = {"epochs": 3, "batch_size": 32, "progress": False, **fit_options}
    monitor.fit(X, y, **options)
    return monitor


def net(sizes=(784, 64, 32, 10), **options):
    return MLP(list(sizes), dtype=np.float64, seed=0, **options)


def test_a_healthy_run_has_no_findings(mnist):
    X, y, X_dev, y_dev = mnist
    m = monitored(net(), X, y, X_dev, y_dev, lr=0.1)
    assert diagnose(m) == []
    assert len(m.epochs) == 4 and m.epochs[0] == 0
    assert m.dev_accuracy[-1] > 0.8  # measured 0.822
    assert m.update_ratio[0] is None and len(m.update_ratio[1]) == 3
    assert len(m.dead[0]) == 2 and len(m.grad_size[0]) == 3


def test_learning_rate_far_too_high(mnist):
    X, y, X_dev, y_dev = mnist
    found = names(monitored(net(), X, y, X_dev, y_dev, lr=1.0))
    assert found[0] == "diverging" and "dead_units" in found


def test_learning_rate_far_too_low(mnist):
    X, y, X_dev, y_dev = mnist
    assert names(monitored(net(), X, y, X_dev, y_dev, lr=1e-4))[0] == "lr_too_small"


def test_deep_sigmoid_with_tiny_weights(mnist):
    X, y, X_dev, y_dev = mnist
    model = net((784, 64, 64, 64, 64, 10), activation="sigmoid")
    rng = np.random.default_rng(0)
    for layer in model.layers:
        layer.W[...] = rng.normal(0, 0.01, layer.W.shape)
    assert names(monitored(model, X, y, X_dev, y_dev, lr=0.1))[0] == "vanishing_gradients"


def test_unscaled_pixels(mnist):
    X, y, X_dev, y_dev = mnist
    found = names(monitored(net(), 255 * X, y, 255 * X_dev, y_dev, lr=0.1))
    assert found[0] == "unscaled_inputs"


def test_sorted_labels_never_shuffled(mnist):
    X, y, X_dev, y_dev = mnist
    order = np.argsort(y, kind="stable")
    m = monitored(net(), X[order], y[order], X_dev, y_dev, lr=0.1, shuffle=False)
    assert names(m)[0] == "sorted_batches"
    assert m.one_label_batches > 0.8  # one batch per digit holds two labels


class MissingMean(MLP):
    """A backward pass that forgets to divide by the batch size."""

    def backprop(self, X, targets, dropout=False):
        loss = self.loss_fn.forward_unchecked(self.logits(X), targets)
        dZ = self.loss_fn.backward() * len(X)
        for layer, activation in zip(
            self.layers[:0:-1], self.hidden_activations[::-1], strict=True
        ):
            dZ = activation.backward(layer.backward(dZ))
        self.layers[0].backward(dZ, input_grad=False)
        return loss


def test_backward_pass_missing_one_over_n(mnist):
    X, y, X_dev, y_dev = mnist
    model = MissingMean([784, 64, 32, 10], dtype=np.float64, seed=0)
    assert names(monitored(model, X, y, X_dev, y_dev, lr=0.1))[0] == "gradient_too_large"


def test_the_monitor_does_not_change_training(mnist):
    X, y, X_dev, y_dev = mnist
    a, b = net(), net()
    a.fit(X, y, epochs=2, lr=0.1, progress=False)
    monitored(b, X, y, X_dev, y_dev, epochs=2, lr=0.1)
    for p, q in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(p, q)


class BlowsUp(MLP):
    """A model whose loss becomes NaN in its 100th training step (as a diverging run's)."""

    steps = 0

    def train_step(self, X, targets, step):
        self.steps += 1
        loss = super().train_step(X, targets, step)
        return float("nan") if self.steps >= 100 else loss


def test_nan_divergence_is_kept_as_a_finding(mnist):
    X, y, X_dev, y_dev = mnist
    model = BlowsUp([784, 32, 10], dtype=np.float64, seed=0)
    m = monitored(model, X, y, X_dev, y_dev, lr=0.1)  # 63 steps per epoch: NaN in epoch 2
    assert m.error is not None and "training diverged" in m.error
    assert m.epochs == [0, 1]
    found = diagnose(m)
    assert found[0].name == "diverging" and "NaN or inf" in found[0].evidence
    with pytest.raises(ValueError, match="expects integer labels|labels"):
        m.fit(X, np.full(len(X), 0.5))  # other errors are not swallowed


def test_monitor_plots_and_table(mnist):
    X, y, X_dev, y_dev = mnist
    m = monitored(net(), X[:300], y[:300], X_dev, y_dev, epochs=2, lr=0.1)
    fig = Figure(figsize=(10, 6), layout="constrained")
    axes = plot_monitor(fig, m, title="t")
    assert axes.shape == (2, 3)
    assert len(axes[1, 0].lines) == 3  # one line per layer
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["layer 1", "layer 2", "layer 3"]
    hist_axes = plot_weight_histograms(Figure(figsize=(10, 3)), m)
    assert len(hist_axes) == 3
    lines = m.table().splitlines()
    assert len(lines) == 4 and lines[1].split()[0] == "0"


def test_monitor_plot_shows_zeros_and_a_wide_loss_on_log_axes():
    # the loss spans more than a factor 100 and every gradient is exactly 0 from epoch 1 on
    m = constructed(
        loss=[None, 7e7, 2.3],
        dev_loss=[167.0, 2.3, 2.3],
        grad_size=[[3e-3, 5e-3, 8e-3], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    )
    axes = plot_monitor(Figure(figsize=(11, 5.6), layout="constrained"), m)
    assert axes[0, 0].get_yscale() == "log"
    notes = [t.get_text() for t in axes[1, 0].texts]
    assert notes == ["0 from epoch 1 on\n(not drawable on a log axis)"]
    assert len(axes[1, 1].texts) == 0  # the update ratios are never 0
    assert all(t.get_fontsize() >= 9 for t in axes[0, 0].get_legend().get_texts())
    # the healthy history keeps a linear loss axis
    healthy = plot_monitor(Figure(figsize=(11, 5.6), layout="constrained"), constructed())
    assert healthy[0, 0].get_yscale() == "linear"


def test_monitor_errors_name_the_fix():
    with pytest.raises(TypeError, match="TrainingMonitor watches an nnfs_utils MLP"):
        TrainingMonitor(object(), np.zeros((2, 4)), [0, 1])
    with pytest.raises(ValueError, match="n_probe must be at least 1"):
        TrainingMonitor(MLP([4, 2]), np.zeros((2, 4)), [0, 1], n_probe=0)


# ------------------------------------------------------------------------- early stopping
def test_early_stopping_stops_and_restores_the_best_epoch(mnist):
    X, y, X_dev, y_dev = mnist
    model = net()
    stop = EarlyStopping(model, patience=2)
    seen = []

    def remember(epoch, logs):
        seen.append(logs["val_accuracy"])

    history = model.fit(X, y, epochs=30, lr=0.5, batch_size=16, progress=False,
                        validation_data=(X_dev, y_dev), callbacks=[stop, remember])  # fmt: skip
    assert stop.stopped_epoch is not None and stop.stopped_epoch < 30
    assert len(history.loss) == stop.stopped_epoch == len(seen)  # later callbacks still ran
    assert stop.stopped_epoch - stop.best_epoch == 2
    assert stop.best_accuracy == max(seen) == seen[stop.best_epoch - 1]
    assert model.evaluate(X_dev, y_dev) == stop.best_accuracy  # the best weights are back


def test_early_stopping_restores_at_the_end_and_needs_dev_data(mnist):
    X, y, X_dev, y_dev = mnist
    model = net()
    stop = EarlyStopping(model, patience=10)
    history = model.fit(X[:500], y[:500], epochs=4, lr=0.1, progress=False,
                        validation_data=(X_dev, y_dev), callbacks=[stop])  # fmt: skip
    assert stop.stopped_epoch is None
    assert model.evaluate(X_dev, y_dev) == max(history.val_accuracy)
    with pytest.raises(ValueError, match="pass validation_data"):
        model.fit(X[:50], y[:50], epochs=1, progress=False, callbacks=[EarlyStopping(model)])
    with pytest.raises(ValueError, match="patience must be at least 1"):
        EarlyStopping(model, patience=0)


def test_a_callback_can_stop_training(mnist):
    X, y, _, _ = mnist

    def stop_after_two(epoch, logs):
        if epoch == 2:
            raise StopTraining

    history = net().fit(X[:200], y[:200], epochs=10, progress=False, callbacks=[stop_after_two])
    assert len(history.loss) == 2
