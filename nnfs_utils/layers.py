"""The fully connected (Dense) layer, written as notebook 04 derives it.

Shapes are batch-first throughout the course:

    X  (n_samples, n_inputs)     one row per sample
    W  (n_inputs, n_neurons)     one column per neuron
    b  (1, n_neurons)            broadcast over the rows
    Z = X @ W + b  (n_samples, n_neurons)

and backward, from dZ = dL/dZ:  dW = X.T @ dZ,  db = dZ summed over the rows,  dX = dZ @ W.T.
"""

import numpy as np

from ._compat import renamed, renamed_arguments
from .checks import all_finite, as_float_array, as_generator, check_dtype, check_features
from .initializers import get_initializer

# as_float_array and all_finite moved to nnfs_utils.checks; importing them from here still works.
__all__ = [
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "MaxPool2D",
    "all_finite",
    "as_float_array",
    "check_dtype",
]


class Dense:
    """A fully connected layer: every input feeds every neuron.

    Parameters
    ----------
    n_inputs, n_neurons : int
        Number of input features and of neurons (output features).
    init : str or callable
        A name from ``initializers.INITIALIZERS`` ("he" for ReLU, "xavier"/"glorot" for
        sigmoid/tanh, "uniform" for the classic [-0.5, 0.5)) or f(n_in, n_out, rng, dtype).
    rng : np.random.Generator, int seed or None
        Source of the random initial weights.
    dtype : np.float32 (default) or np.float64
    name : str, used in error messages (default "Dense(n_inputs -> n_neurons)").

    Attributes
    ----------
    W (n_inputs, n_neurons); b (1, n_neurons), starts at zero;
    X : the input of the last ``forward``, which ``backward`` needs for dW;
    dW, db : gradients of the loss with respect to W and b, set by ``backward``.
    check_inputs : True when you call the layer yourself: ``forward`` and ``backward``
        check their arguments. ``MLP`` sets it to False for its own layers, because it
        checks its data once, at the door, and the training loop never needs to again.
    """

    def __init__(self, n_inputs, n_neurons, init="he", rng=None, dtype=np.float32, name=None):
        dtype = check_dtype(dtype)
        self.W = get_initializer(init)(n_inputs, n_neurons, as_generator(rng), dtype)
        self.b = np.zeros((1, n_neurons), dtype=dtype)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.X = None
        self.name = name or f"Dense({n_inputs} -> {n_neurons})"
        self.check_inputs = True

    inputs = renamed("X")

    @property
    def n_inputs(self):
        return self.W.shape[0]

    @property
    def n_neurons(self):
        return self.W.shape[1]

    @property
    def params(self):
        """The trainable arrays ``[W, b]`` (optimizers update them in place)."""
        return [self.W, self.b]

    @property
    def grads(self):
        """The gradients ``[dW, db]`` of the last ``backward``, in the order of ``params``."""
        return [self.dW, self.db]

    def __repr__(self):
        return f"Dense(n_inputs={self.n_inputs}, n_neurons={self.n_neurons}, name={self.name!r})"

    def forward(self, X):
        """Z = X @ W + b.  X (n_samples, n_inputs) -> Z (n_samples, n_neurons)."""
        if self.check_inputs:
            X = self.check_input(X)
        self.X = X
        return X @ self.W + self.b

    @renamed_arguments(dvalues="dZ")
    def backward(self, dZ, input_grad=True):
        """From dZ = dL/dZ (n_samples, n_neurons): set dW and db, return dX for the layer below.

        The first layer of a network has nothing below it: ``input_grad=False`` skips the
        product for dX (a third of the work of a 784-input layer) and returns None.
        """
        if self.check_inputs:
            dZ = self.check_gradient(dZ)
        self.dW = self.X.T @ dZ
        self.db = dZ.sum(axis=0, keepdims=True)
        return dZ @ self.W.T if input_grad else None

    def check_input(self, X):
        """Return X as a 2-D array of the layer's dtype, or raise an error naming the fix."""
        X = np.asarray(X)
        if X.dtype != self.W.dtype:
            X = as_float_array(X, "X", self.W.dtype)
        return check_features(X, self.n_inputs, self.name)

    def check_gradient(self, dZ):
        """Return dZ as an array shaped like the last forward's output, or raise ValueError."""
        if self.X is None:
            raise ValueError(f"{self.name}: call forward() before backward()")
        dZ = np.asarray(dZ)
        if dZ.shape != (self.X.shape[0], self.n_neurons):
            raise ValueError(
                f"{self.name}.backward expects dZ of shape "
                f"{(self.X.shape[0], self.n_neurons)} (the shape forward returned), "
                f"got {dZ.shape}"
            )
        return dZ


# The other layers live in modules of their own; they are importable from here too, so that
# ``from nnfs_utils.layers import Dropout, Conv2D`` works like ``Dense``.
from .conv import Conv2D, Flatten, MaxPool2D  # noqa: E402
from .dropout import Dropout  # noqa: E402
