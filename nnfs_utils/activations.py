"""Activation functions, as plain functions and as layers with forward/backward.

All of them work element-wise except softmax, which works on each row (one row = one sample).
The layer classes take Z (a layer's output before the activation) forward to A, and take
dA = dL/dA backward to dZ, remembering what that needs:

    ReLU     keeps its input Z     dZ = dA * (Z > 0)
    Sigmoid  keeps its output A    dZ = dA * A * (1 - A)
    Tanh     keeps its output A    dZ = dA * (1 - A * A)
    Softmax  keeps its output A    dZ = A * (dA - sum(dA * A, per row))

``ACTIVATIONS`` is the one table of the hidden-layer activations (name -> class, each with
the initializer that suits it); ``FUNCTIONS`` the table of plain functions, for plots.
"""

import numpy as np

from ._compat import renamed, renamed_arguments
from .checks import as_float_array

__all__ = [
    "ACTIVATIONS",
    "FUNCTIONS",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "relu",
    "relu_derivative",
    "row_max",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "step",
    "linear",
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
    e = np.exp(z - row_max(z))
    e /= e.sum(axis=-1, keepdims=True)
    return e


def row_max(Z):
    """Z.max(axis=-1, keepdims=True), computed column by column for a 2-D Z.

    For a few columns NumPy's row-by-row reduction spends its time starting one small loop per
    row; the maximum of the columns is the same number (a maximum does not depend on the
    order) at 2-5x the speed.
    """
    if Z.ndim != 2:
        return Z.max(axis=-1, keepdims=True)
    return np.ascontiguousarray(Z.T).max(axis=0)[:, None]


class ReLU:
    """ReLU layer. forward(Z) -> max(0, Z); backward(dA) -> dA where Z > 0, else 0."""

    default_init = "he"  # He init makes up for ReLU zeroing half of its inputs
    inputs = renamed("Z")

    _zeros = np.zeros(0)  # zeros shaped like the last Z (see forward)

    @renamed_arguments(z="Z")
    def forward(self, Z):
        self.Z = _floats(Z)
        # max(Z, 0), with 0 as an array of zeros shaped like Z (kept for the next batch):
        # NumPy's fastest (SIMD) loop for maximum takes two arrays of one shape; with a plain
        # 0 it falls back to a loop 2-4 times slower. Same result.
        if self._zeros.shape != self.Z.shape or self._zeros.dtype != self.Z.dtype:
            self._zeros = np.zeros_like(self.Z)
        return np.maximum(self.Z, self._zeros)

    @renamed_arguments(dvalues="dA")
    def backward(self, dA):
        return dA * (self.Z > 0)


class Sigmoid:
    """Sigmoid layer. backward uses the stored output A: dZ = dA * A * (1 - A)."""

    default_init = "xavier"
    output = renamed("A")

    @renamed_arguments(z="Z")
    def forward(self, Z):
        self.A = sigmoid(Z)
        return self.A

    @renamed_arguments(dvalues="dA")
    def backward(self, dA):
        return dA * self.A * (1.0 - self.A)


class Tanh:
    """Tanh layer. backward uses the stored output A: dZ = dA * (1 - A * A)."""

    default_init = "xavier"
    output = renamed("A")

    @renamed_arguments(z="Z")
    def forward(self, Z):
        self.A = np.tanh(_floats(Z))
        return self.A

    @renamed_arguments(dvalues="dA")
    def backward(self, dA):
        return dA * (1.0 - self.A * self.A)


class Softmax:
    """Softmax layer (row-wise).

    Its Jacobian for one row is diag(A) - A A^T, so the backward pass for a batch is
        dZ = A * (dA - sum(dA * A, axis=1))
    without ever building the (n_classes, n_classes) matrix. Paired with cross-entropy the
    whole thing collapses to (P - Y) / n: see losses.SoftmaxCrossEntropy.
    """

    output = renamed("A")

    @renamed_arguments(z="Z")
    def forward(self, Z):
        self.A = softmax(Z)
        return self.A

    @renamed_arguments(dvalues="dA")
    def backward(self, dA):
        return self.A * (dA - np.sum(dA * self.A, axis=-1, keepdims=True))


# The one table of hidden-layer activations, used by MLP (and its error messages).
ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}


def linear(z):
    """The identity: a neuron without an activation."""
    return _floats(z)


# The one table of plain activation functions, for plots and widgets (name -> function).
FUNCTIONS = {"linear": linear, "step": step, "sigmoid": sigmoid, "relu": relu, "tanh": tanh}
