"""The fully connected (Dense) layer, plus the input checks every kernel shares.

Shapes are batch-first throughout the course:

    X  (n_samples, n_inputs)     one row per sample
    W  (n_inputs, n_neurons)     one column per neuron
    b  (1, n_neurons)            broadcast over the rows
    Z = X @ W + b  (n_samples, n_neurons)
"""

import numpy as np

from .initializers import as_generator, get_initializer

__all__ = ["Dense", "as_float_array"]

_FLOAT_DTYPES = (np.float32, np.float64)


def as_float_array(x, name="X", dtype=None, finite=True):
    """Turn ``x`` into a NumPy float array, or raise an error that says what to fix.

    Strings, objects and complex numbers raise TypeError; NaN or inf raise ValueError
    (``finite=False`` skips that check, for callers that check another way).
    ``dtype`` (float32/float64) converts the result; ``None`` keeps a float dtype as it is
    and turns integers and booleans into float64.
    """
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged nested lists
        raise ValueError(
            f"{name} could not be turned into an array ({err}); "
            "give every row the same number of values"
        ) from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold numbers, got an array of dtype {arr.dtype} "
            f"(e.g. strings or Python objects); convert it first, e.g. np.asarray({name}, "
            "dtype=np.float32), after removing non-numeric columns"
        )
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one sample")
    if finite and not all_finite(arr):
        n_bad = int(arr.size - np.isfinite(arr).sum())
        raise ValueError(
            f"{name} contains {n_bad} NaN or inf value(s); clean or impute them first, "
            f"e.g. {name} = np.nan_to_num({name})"
        )
    return arr


def all_finite(arr):
    """True if no element of ``arr`` is NaN or inf.

    One fast pass first: a NaN or inf anywhere makes the sum NaN or inf. Only then (or when
    huge values overflow the sum) are the elements checked one by one.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = arr.sum()
    return bool(np.isfinite(total) or np.isfinite(arr).all())


def check_dtype(dtype):
    """Return ``np.dtype(dtype)`` if it is float32 or float64, else raise ValueError."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.type not in _FLOAT_DTYPES:
        raise ValueError(
            f"dtype must be np.float32 (fast, the default) or np.float64 (for gradient checks), "
            f"got {dtype!r}"
        )
    return dt


class Dense:
    """A fully connected layer: every input feeds every neuron.

    Parameters
    ----------
    n_inputs, n_neurons : int
        Number of input features and of neurons (output features).
    init : str or callable
        "he" (for ReLU), "xavier" (for sigmoid/tanh) or "uniform" (classic [-0.5, 0.5)).
    rng : np.random.Generator, int seed or None
        Source of the random initial weights.
    dtype : np.float32 (default) or np.float64
    name : str, used in error messages (default "Dense(n_inputs -> n_neurons)").

    Attributes
    ----------
    W (n_inputs, n_neurons), b (1, n_neurons) starts at zero;
    dW, db : gradients of the loss with respect to W and b, set by ``backward``.
    """

    def __init__(self, n_inputs, n_neurons, init="he", rng=None, dtype=np.float32, name=None):
        dtype = check_dtype(dtype)
        self.W = get_initializer(init)(n_inputs, n_neurons, as_generator(rng), dtype)
        self.b = np.zeros((1, n_neurons), dtype=dtype)
        # Gradients live in arrays allocated once; backward() writes into them.
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.name = name or f"Dense({n_inputs} -> {n_neurons})"
        self.inputs = None

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
        """The gradients ``[dW, db]``, in the same order as ``params``."""
        return [self.dW, self.db]

    def __repr__(self):
        return f"Dense(n_inputs={self.n_inputs}, n_neurons={self.n_neurons}, name={self.name!r})"

    def check_input(self, X):
        """Return X as a 2-D array of the layer's dtype, or raise an error naming the fix."""
        X = np.asarray(X)
        if X.dtype != self.W.dtype:
            X = as_float_array(X, "X", self.W.dtype)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            hint = ""
            if X.ndim == 1 and X.shape[0] == self.n_inputs:
                hint = " For a single sample use X.reshape(1, -1)."
            elif X.ndim > 2 and int(np.prod(X.shape[1:])) == self.n_inputs:
                hint = " Flatten each sample first: X.reshape(len(X), -1)."
            raise ValueError(
                f"{self.name} expects input of shape (n_samples, {self.n_inputs}), "
                f"got shape {X.shape}.{hint}"
            )
        return X

    def forward(self, X):
        """Z = X @ W + b.  X (n_samples, n_inputs) -> Z (n_samples, n_neurons).

        Keeps a reference to X, which ``backward`` needs for dW.
        """
        X = self.check_input(X)
        self.inputs = X
        Z = X @ self.W
        Z += self.b  # in place: no second (n_samples, n_neurons) array
        return Z

    def backward(self, dvalues, input_grad=True):
        """Backpropagate dL/dZ (n_samples, n_neurons) through the layer.

        Sets  dW = X.T @ dvalues  (n_inputs, n_neurons)  and  db = column sums (1, n_neurons),
        and returns dX = dvalues @ W.T  (n_samples, n_inputs), the gradient for the layer
        below. The first layer of a network has nothing below it: ``input_grad=False`` skips
        that product (a third of the work of a 784-input layer) and returns None.
        """
        if self.inputs is None:
            raise ValueError(f"{self.name}: call forward() before backward()")
        dvalues = np.asarray(dvalues)
        if dvalues.shape != (self.inputs.shape[0], self.n_neurons):
            raise ValueError(
                f"{self.name}.backward expects dvalues of shape "
                f"{(self.inputs.shape[0], self.n_neurons)} (the shape forward returned), "
                f"got {dvalues.shape}"
            )
        np.matmul(self.inputs.T, dvalues, out=self.dW)
        dvalues.sum(axis=0, keepdims=True, out=self.db)
        if not input_grad:
            return None
        return dvalues @ self.W.T
