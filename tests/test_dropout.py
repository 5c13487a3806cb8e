"""Dropout: inverted masks, gradient-checked, and never active outside training."""

import numpy as np
import pytest

from nnfs_utils import MLP
from nnfs_utils.dropout import Dropout
from nnfs_utils.exercises import numerical_gradient, relative_error


def test_forward_drops_the_rate_and_keeps_the_mean():
    drop = Dropout(0.25, rng=0)
    A = np.ones((400, 50))
    out = drop.forward(A)
    dropped = np.mean(out == 0)
    assert abs(dropped - 0.25) < 0.01  # 20,000 draws: the share is within 1 percentage point
    np.testing.assert_allclose(out[out != 0], 1 / 0.75)
    assert abs(out.mean() - 1) < 0.02


def test_evaluation_is_the_identity_and_seeded_masks_repeat():
    A = np.random.default_rng(1).normal(size=(6, 5))
    drop = Dropout(0.5, rng=3)
    assert drop.forward(A, training=False) is not None
    np.testing.assert_array_equal(drop.forward(A, training=False), A)
    assert drop.mask is None
    np.testing.assert_array_equal(drop.backward(A), A)
    first = Dropout(0.5, rng=3).forward(A)
    np.testing.assert_array_equal(first, Dropout(0.5, rng=3).forward(A))
    assert not np.array_equal(first, A)


def test_gradient_matches_central_differences():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 6))
    G = rng.normal(size=(4, 6))  # the loss is sum(G * dropout(A)) with the mask held
    drop = Dropout(0.3, rng=5)
    drop.forward(A)
    mask = drop.mask.copy()

    def loss():
        return float(np.sum(G * A * mask))

    numeric = numerical_gradient(loss, A)
    analytic = drop.backward(G)
    assert relative_error(analytic, numeric) < 1e-7
    assert np.all(analytic[mask == 0] == 0)


def test_bad_rates_are_named():
    with pytest.raises(ValueError, match=r"must be in \[0, 1\)"):
        Dropout(1.0)
    with pytest.raises(ValueError, match=r"must be in \[0, 1\)"):
        Dropout(-0.1)
    with pytest.raises(TypeError, match="rate must be a number"):
        Dropout("0.2")
    with pytest.raises(ValueError, match="rate=0.2"):
        MLP([4, 3, 2], dropout=1.5)
    with pytest.raises(ValueError, match="expects dA of shape"):
        drop = Dropout(0.5, rng=0)
        drop.forward(np.ones((2, 3)))
        drop.backward(np.ones((3, 2)))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 8))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1)
    return X, y


def test_mlp_dropout_only_changes_training(data):
    X, y = data
    plain = MLP([8, 16, 16, 3], seed=1, dtype=np.float64)
    dropped = MLP([8, 16, 16, 3], seed=1, dtype=np.float64, dropout=0.3)
    for a, b in zip(plain.params, dropped.params, strict=True):
        np.testing.assert_array_equal(a, b)  # same start: the masks are not drawn yet
    # before training: every inference method gives the same numbers as without dropout
    np.testing.assert_array_equal(plain.predict_proba(X), dropped.predict_proba(X))
    assert plain.evaluate(X, y) == dropped.evaluate(X, y)
    loss_a, grads_a = plain.loss_and_gradients(X, y)
    loss_b, grads_b = dropped.loss_and_gradients(X, y)
    assert loss_a == loss_b
    for a, b in zip(grads_a, grads_b, strict=True):
        np.testing.assert_array_equal(a, b)
    # evaluation twice gives the same answer (no random masks in evaluation)
    np.testing.assert_array_equal(dropped.predict_proba(X), dropped.predict_proba(X))
    plain.fit(X, y, epochs=3, batch_size=16, lr=0.1, progress=False)
    dropped.fit(X, y, epochs=3, batch_size=16, lr=0.1, progress=False)
    assert not np.array_equal(plain.params[0], dropped.params[0])  # training did drop
    assert "dropout=0.3" in repr(dropped) and "dropout" not in repr(plain)


def test_mlp_dropout_backprop_matches_numerical_with_masks_held(data):
    X, y = data[0][:10], data[1][:10]
    model = MLP([8, 5, 4, 3], seed=2, dtype=np.float64, dropout=0.4)
    # biases away from 0: a sample whose units are all dropped would sit on ReLU's kink
    for layer in model.layers:
        layer.b[...] = np.random.default_rng(3).uniform(0.1, 0.5, size=layer.b.shape)
    model.backprop(X, y, dropout=True)
    masks = [d.mask.copy() for d in model.dropouts]
    analytic = [g.copy() for g in model.grads]

    def loss_with_masks():
        Z = model.layers[0].forward(X)
        for layer, act, mask in zip(model.layers[1:], model.hidden_activations, masks, strict=True):
            Z = layer.forward(act.forward(Z) * mask)
        return model.loss_fn.forward_unchecked(Z, y)

    for p, g in zip(model.params, analytic, strict=True):
        numeric = numerical_gradient(loss_with_masks, p)
        assert relative_error(g, numeric) < 1e-6


def test_dropout_zero_is_bit_identical_to_no_dropout(data):
    X, y = data
    a = MLP([8, 16, 3], seed=4)
    b = MLP([8, 16, 3], seed=4, dropout=0.0)
    ha = a.fit(X, y, epochs=2, batch_size=16, progress=False, validation_data=(X, y))
    hb = b.fit(X, y, epochs=2, batch_size=16, progress=False, validation_data=(X, y))
    assert ha.loss == hb.loss and ha.val_accuracy == hb.val_accuracy
    for p, q in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(p, q)
