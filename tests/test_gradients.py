"""Central-difference gradient checks, in float64, for every layer, activation and loss.

For a function with output out = f(x) and a random upstream gradient G, the scalar
L = sum(G * f(x)) has dL/dx = backward(G). We compare that with (L(x + h) - L(x - h)) / 2h
for every element of x. Shapes and values come from hypothesis (derandomized, so the same
examples run every time).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnfs_utils import MLP
from nnfs_utils.activations import ReLU, Sigmoid, Softmax, Tanh
from nnfs_utils.layers import Dense
from nnfs_utils.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    MeanSquaredError,
    SigmoidBinaryCrossEntropy,
    SoftmaxCrossEntropy,
)

CHECK = settings(max_examples=15, deadline=None, derandomize=True, database=None)
H = 1e-6
RTOL, ATOL = 1e-5, 1e-8

sizes = st.integers(min_value=1, max_value=5)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def numerical_gradient(f, x, h=H):
    """d f() / d x by central differences, changing x in place one element at a time."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f()
        x[idx] = old - h
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def assert_close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)


@CHECK
@given(n=sizes, n_in=sizes, n_out=sizes, seed=seeds)
def test_dense_gradients(n, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, rng=rng, dtype=np.float64)
    layer.b[...] = rng.standard_normal(layer.b.shape)
    X = rng.standard_normal((n, n_in))
    G = rng.standard_normal((n, n_out))

    def loss():
        return np.sum(G * layer.forward(X))

    loss()
    dX = layer.backward(G)
    assert layer.dW.shape == layer.W.shape and layer.db.shape == layer.b.shape
    assert_close(dX, numerical_gradient(loss, X))
    assert_close(layer.dW, numerical_gradient(loss, layer.W))
    assert_close(layer.db, numerical_gradient(loss, layer.b))


@pytest.mark.parametrize("cls", [ReLU, Sigmoid, Tanh, Softmax])
@CHECK
@given(n=sizes, width=st.integers(1, 6), seed=seeds)
def test_activation_gradients(cls, n, width, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, width)) * 3
    if cls is ReLU:  # keep away from the kink at 0, where the derivative is not defined
        z = np.sign(z) * (0.1 + np.abs(z))
    G = rng.standard_normal((n, width))
    act = cls()

    def loss():
        return np.sum(G * act.forward(z))

    loss()
    dz = act.backward(G)
    assert dz.shape == z.shape
    assert_close(dz, numerical_gradient(loss, z))


@CHECK
@given(n=sizes, n_classes=st.integers(2, 6), seed=seeds, as_one_hot=st.booleans())
def test_softmax_cross_entropy_gradient(n, n_classes, seed, as_one_hot):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((n, n_classes)) * 3
    y = rng.integers(0, n_classes, n)
    labels = np.eye(n_classes)[y] if as_one_hot else y
    loss_fn = SoftmaxCrossEntropy()

    def loss():
        return loss_fn.forward(logits, labels)

    loss()
    assert_close(loss_fn.backward(), numerical_gradient(loss, logits))


@CHECK
@given(n=sizes, n_classes=st.integers(2, 6), seed=seeds)
def test_categorical_cross_entropy_gradient(n, n_classes, seed):
    rng = np.random.default_rng(seed)
    probs = rng.uniform(0.05, 0.95, (n, n_classes))
    y = rng.integers(0, n_classes, n)
    loss_fn = CategoricalCrossEntropy()
    numeric = numerical_gradient(lambda: loss_fn.forward(probs, y), probs)
    assert_close(loss_fn.backward(probs, y), numeric)


@CHECK
@given(n=sizes, width=st.integers(1, 4), seed=seeds)
def test_binary_cross_entropy_gradient(n, width, seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 0.95, (n, width))
    y = rng.integers(0, 2, (n, width)).astype(np.float64)
    loss_fn = BinaryCrossEntropy()
    numeric = numerical_gradient(lambda: loss_fn.forward(p, y), p)
    assert_close(loss_fn.backward(p, y), numeric)


@CHECK
@given(n=sizes, seed=seeds)
def test_sigmoid_binary_cross_entropy_gradient(n, seed):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((n, 1)) * 3
    y = rng.integers(0, 2, n)
    loss_fn = SigmoidBinaryCrossEntropy()

    def loss():
        return loss_fn.forward(logits, y)

    loss()
    assert_close(loss_fn.backward(), numerical_gradient(loss, logits))


@CHECK
@given(n=sizes, width=st.integers(1, 4), seed=seeds)
def test_mean_squared_error_gradient(n, width, seed):
    rng = np.random.default_rng(seed)
    pred = rng.standard_normal((n, width))
    y = rng.standard_normal((n, width))
    loss_fn = MeanSquaredError()
    numeric = numerical_gradient(lambda: loss_fn.forward(pred, y), pred)
    assert_close(loss_fn.backward(pred, y), numeric)


@pytest.mark.parametrize(
    ("activation", "output", "n_out"),
    [("relu", "softmax", 3), ("sigmoid", "softmax", 4), ("tanh", "sigmoid", 1)],
)
@CHECK
@given(n=sizes, n_in=st.integers(1, 4), hidden=st.integers(1, 4), seed=seeds)
def test_mlp_backprop_matches_numerical_gradient(activation, output, n_out, n, n_in, hidden, seed):
    """The whole network: backprop through two hidden layers against central differences."""
    rng = np.random.default_rng(seed)
    model = MLP([n_in, hidden, hidden, n_out], activation, output, seed=seed, dtype=np.float64)
    for layer in model.layers:
        layer.b[...] = rng.standard_normal(layer.b.shape) * 0.5
    X = rng.standard_normal((n, n_in))
    if activation == "relu":
        X = np.sign(X) * (0.5 + np.abs(X))
    y = rng.integers(0, max(n_out, 2), n)
    _, grads = model.loss_and_gradients(X, y)
    grads = [g.copy() for g in grads]
    for p, g in zip(model.params, grads, strict=True):
        numeric = numerical_gradient(lambda: model.loss(X, y), p)
        # ReLU: a hidden unit sitting exactly at its kink would make both sides differ;
        # with these inputs that is vanishingly rare, and the tolerance covers rounding.
        np.testing.assert_allclose(g, numeric, rtol=1e-4, atol=1e-7)
