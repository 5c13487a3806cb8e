"""Activation functions, as plain functions and as layers with forward/backward.

All of them work element-wise except softmax, which works on each row (one row = one sample).
The classes remember what backward needs from forward:

    ReLU     keeps its input z        dz = dvalues * (z > 0)
    Sigmoid  keeps its output s       dz = dvalues * s * (1 - s)
    Tanh     keeps its output t       dz = dvalues * (1 - t**2)
    Softmax  keeps its output p       dz = p * (dvalues - sum(dvalues * p, per row))
"""

import numpy as np

from .layers import as_float_array

__all__ = [
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "step",
    "tanh",
]


def _floats(z):
    """Accept NumPy float arrays as they are (fast path); check and convert anything else."""
    if isinstance(z, np.ndarray) and z.dtype.kind == "f":
        return z
    return as_float_array(z, "z")


def step(z):
    """Heaviside step: 1.0 where z > 0, else 0.0 (the original perceptron's activation)."""
    z = _floats(z)
    return (z > 0).astype(z.dtype)


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), computed as (1 + tanh(z/2)) / 2.

    The two are equal, but the tanh form never overflows: sigmoid(-1000) is exactly 0
    without a RuntimeWarning.
    """
    z = _floats(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_derivative(z):
    """d sigmoid / dz = s * (1 - s) with s = sigmoid(z). Largest (0.25) at z = 0."""
    s = sigmoid(z)
    return s * (1.0 - s)


def relu(z):
    """Rectified linear unit: max(0, z)."""
    z = _floats(z)
    return np.maximum(z, 0)


def relu_derivative(z):
    """1 where z > 0, else 0 (we pick 0 at z = 0, where ReLU has a kink)."""
    z = _floats(z)
    return (z > 0).astype(z.dtype)


def tanh(z):
    """Hyperbolic tangent, output in (-1, 1); derivative 1 - tanh(z)**2."""
    return np.tanh(_floats(z))


def softmax(z):
    """Row-wise softmax: turns each row of scores into probabilities that sum to 1.

    The row maximum is subtracted first. That leaves the result unchanged (it cancels in the
    fraction) but keeps every exponent <= 0, so scores of +-1000 cannot overflow.
    z: (n_samples, n_classes), or 1-D for a single sample.
    """
    z = _floats(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    e /= e.sum(axis=-1, keepdims=True)
    return e


class ReLU:
    """ReLU layer. forward(z) -> max(0, z); backward(dvalues) -> dvalues where z > 0."""

    def forward(self, z):
        self.inputs = _floats(z)
        return np.maximum(self.inputs, 0)

    def backward(self, dvalues):
        return dvalues * (self.inputs > 0)


class Sigmoid:
    """Sigmoid layer. backward uses the stored output: dz = dvalues * s * (1 - s)."""

    def forward(self, z):
        self.output = sigmoid(z)
        return self.output

    def backward(self, dvalues):
        s = self.output
        return dvalues * s * (1.0 - s)


class Tanh:
    """Tanh layer. backward uses the stored output: dz = dvalues * (1 - t**2)."""

    def forward(self, z):
        self.output = np.tanh(_floats(z))
        return self.output

    def backward(self, dvalues):
        t = self.output
        return dvalues * (1.0 - t * t)


class Softmax:
    """Softmax layer (row-wise).

    Its Jacobian for one row is diag(p) - p p^T, so the backward pass for a batch is
        dz = p * (dvalues - sum(dvalues * p, axis=1))
    without ever building the (n_classes, n_classes) matrix. Paired with cross-entropy the
    whole thing collapses to (p - one_hot) / n: see losses.SoftmaxCrossEntropy.
    """

    def forward(self, z):
        self.output = softmax(z)
        return self.output

    def backward(self, dvalues):
        p = self.output
        return p * (dvalues - np.sum(dvalues * p, axis=-1, keepdims=True))
