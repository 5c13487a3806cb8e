"""Every input check of the package, with the message it gives.

The public entry points (``MLP``, ``MLP.fit``, ``MLP.predict``, ``Dense`` when called
directly, the optimizers, the data loaders) call these once, at the door; the training loop
inside never checks again. Each check returns the value it accepted (converted where that is
its job) or raises ``TypeError``/``ValueError`` with a message that names the problem and
the fix.

This module imports only NumPy and the standard library, so every other module may use it.
"""

import math
import numbers

import numpy as np

__all__ = [
    "all_finite",
    "as_float_array",
    "as_generator",
    "check_bool",
    "check_callbacks",
    "check_dtype",
    "check_features",
    "check_int",
    "check_labels",
    "check_layer_sizes",
    "check_number",
    "check_params_and_grads",
]

_FLOAT_DTYPES = (np.float32, np.float64)


# ------------------------------------------------------------------------- plain settings
def check_bool(name, value):
    """Return ``value`` if it is True or False (Python or NumPy bool), else raise TypeError."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}.")
    return value


def check_int(name, value, minimum=0, example=None):
    """Return ``value`` as an int if it is a whole number >= ``minimum``.

    Two wordings, one rule: with ``example`` (the training settings use ``example=32``) the
    message suggests ``name=example``; without it (the data loaders) it names the type given.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if example is None:
            raise TypeError(
                f"{name} must be a whole number, got {value!r} ({type(value).__name__})."
            )
        raise TypeError(f"{name} must be a whole number, got {value!r}; e.g. {name}={example}")
    if value < minimum:
        end = "." if example is None else ""
        raise ValueError(f"{name} must be at least {minimum}, got {value}{end}")
    return int(value)


def check_number(name, value, allow_zero=False, below_one=False):
    """Return ``value`` as a Python float if it is finite and > 0 (or >= 0, or also < 1).

    A Python float, on purpose: under NumPy 2 a NumPy float64 scalar times a float32 array
    is a float64 array, so a setting kept as np.float64 would silently double the work.
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}; pass e.g. {name}=0.01")
    value = float(value)
    ok = math.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if below_one:
        ok = ok and value < 1
    if not ok:
        rule = ">= 0" if allow_zero else "> 0"
        rule += " and < 1" if below_one else ""
        raise ValueError(f"{name} must be a finite number {rule}, got {value}")
    return value


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


def as_generator(rng=None):
    """Return a ``np.random.Generator``: ``rng`` itself, or a new one seeded with ``rng``.

    ``None`` gives an unseeded generator (different numbers on every run).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be a np.random.Generator, an int seed or None, got {type(rng).__name__}; "
        "pass e.g. rng=0 or rng=np.random.default_rng(0)"
    )


def check_callbacks(callbacks):
    """A list of callables from None, one callable or a sequence of callables."""
    if callbacks is None:
        return []
    if callable(callbacks):
        return [callbacks]
    callbacks = list(callbacks)
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(
                f"callbacks must be functions cb(epoch, logs), got {cb!r}; "
                "pass callbacks=[my_function]"
            )
    return callbacks


# ------------------------------------------------------------------------- layer sizes
def check_size(name, value):
    """One layer width given to an initializer: an int >= 1."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {value!r}; pass a whole number like 128")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}; a layer needs neurons")
    return int(value)


def check_layer_sizes(layer_sizes):
    """``MLP``'s layer_sizes as a list of ints >= 1, at least two of them."""
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__iter__"):
        raise TypeError(
            f"layer_sizes must be a list of ints like [784, 128, 10], got {layer_sizes!r}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least 2 numbers (inputs and outputs), got {sizes}; "
            "e.g. [784, 128, 10]"
        )
    out = []
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral):
            raise TypeError(f"layer_sizes must hold ints, got {s!r} in {sizes}")
        if s < 1:
            raise ValueError(f"every layer size must be at least 1, got {s} in {sizes}")
        out.append(int(s))
    return out


def check_count_params_sizes(layer_sizes):
    """``count_params``'s argument: at least two positive whole numbers (ValueError otherwise)."""
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"count_params needs at least two layer sizes (inputs and outputs), got {sizes}. "
            "Example: count_params([784, 16, 16, 10])."
        )
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(
                f"every layer size must be a positive whole number, got {size!r} in {sizes}."
            )
    return sizes


# ------------------------------------------------------------------------- arrays
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


def _shape_fix(shape, n_features):
    """How to fix input of the wrong shape, when the fix is obvious ("" otherwise)."""
    if len(shape) == 1 and shape[0] == n_features:
        return "for a single sample use X.reshape(1, -1)"
    if len(shape) > 2 and int(np.prod(shape[1:])) == n_features:
        return "flatten each sample first: X.reshape(len(X), -1)"
    return ""


def check_features(X, n_features, layer_name, name=None):
    """Raise ValueError unless X is 2-D with ``n_features`` columns; return X.

    ``name=None`` words the message for a layer called directly (``Dense.forward``); a name
    such as "X" or "X_val" words it for the model's own inputs.
    """
    if X.ndim == 2 and X.shape[1] == n_features:
        return X
    fix = _shape_fix(X.shape, n_features)
    if name is None:
        hint = f" {fix[0].upper()}{fix[1:]}." if fix else ""
        raise ValueError(
            f"{layer_name} expects input of shape (n_samples, {n_features}), "
            f"got shape {X.shape}.{hint}"
        )
    hint = f"; {fix}." if fix else "."
    raise ValueError(
        f"{name} has shape {X.shape} but {layer_name} expects "
        f"(n_samples, {n_features}): {n_features} features per sample{hint}"
    )


def check_first_layer_output(Z1, X, name, layer_name):
    """Check new input for NaN/inf by checking the first layer's output instead.

    A NaN or inf anywhere in a row of X makes that whole row of X @ W1 NaN or inf, so
    the first layer's output (128 numbers per sample instead of 784) is non-finite exactly
    when X is, or when X is so large that the products overflow. Cheaper than scanning X.
    """
    if all_finite(Z1):
        return
    as_float_array(X, name)  # raises the NaN/inf error if X itself holds any
    raise ValueError(
        f"{name} is so large that {layer_name} overflows (its outputs are inf); "
        f"scale the inputs to a small range first, e.g. {name} / {name}.max()"
    )


def check_predictions(x, name):
    """A loss's predictions: a 2-D float array (n_samples, n_outputs)."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = as_float_array(x, name)
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_outputs), got shape {x.shape}")
    return x


def check_targets(y, pred, name="y"):
    """Float targets shaped like ``pred`` (a 1-D y for one output becomes a column)."""
    y = as_float_array(y, name, pred.dtype)
    if y.shape != pred.shape:
        if y.ndim == 1 and pred.ndim == 2 and pred.shape == (y.shape[0], 1):
            return y[:, None]
        raise ValueError(
            f"{name} has shape {y.shape} but the predictions have shape {pred.shape}; "
            "they must match (for one output use y.reshape(-1, 1))"
        )
    return y


# ------------------------------------------------------------------------- labels
def check_labels(y, n_classes, n_samples=None):
    """Return integer class labels (int64, shape (n,)) or raise an error that names the fix.

    Accepts integer arrays, floats that are whole numbers (e.g. 3.0) and booleans.
    """
    try:
        y = np.asarray(y)
    except ValueError as err:
        raise ValueError(f"y could not be turned into an array ({err})") from None
    if y.dtype.kind not in "biuf":
        raise TypeError(
            f"labels y must be integers 0..{n_classes - 1}, got dtype {y.dtype}; "
            "map class names to numbers first, e.g. with np.unique(y, return_inverse=True)"
        )
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"labels y must be a 1-D array of class indices of shape (n_samples,), "
            f"got shape {y.shape}; for one-hot labels use y.argmax(axis=1)"
        )
    if y.size == 0:
        raise ValueError("labels y are empty; pass one label per sample")
    if n_samples is not None and y.shape[0] != n_samples:
        raise ValueError(
            f"X has {n_samples} samples but y has {y.shape[0]} labels; "
            "they must have the same length (one label per row of X)"
        )
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or (y != np.round(y)).any():
            raise ValueError(
                "labels y must be whole numbers (class indices), found values like "
                f"{y[(~np.isfinite(y)) | (y != np.round(y))][:3]}; "
                "round them or use y.astype(int) if they are really classes"
            )
    y = y.astype(np.int64, copy=False)
    lo, hi = int(y.min()), int(y.max())
    if lo < 0 or hi >= n_classes:
        raise ValueError(
            f"labels must be in 0..{n_classes - 1} for {n_classes} output classes, "
            f"found labels from {lo} to {hi}; "
            "check the labels or make the output layer as wide as the number of classes"
        )
    return y


def labels_or_one_hot(y, n, n_classes):
    """Integer labels (n,) from labels or from one-hot rows (n, n_classes)."""
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape == (n, n_classes) and n_classes > 1:
        return check_labels(y_arr.argmax(axis=1), n_classes, n)
    return check_labels(y_arr, n_classes, n)


def check_model_labels(y, n_samples, output, n_classes, name="y"):
    """``MLP``'s labels: class indices or one-hot rows (softmax), or 0/1 (sigmoid)."""
    y_arr = np.asarray(y)
    if output == "softmax" and y_arr.ndim == 2 and y_arr.shape[1] == n_classes:
        if y_arr.dtype.kind in "biuf":
            # one-hot rows: turn them into labels after checking they really are one-hot
            if not (np.isin(y_arr, (0, 1)).all() and (y_arr.sum(axis=1) == 1).all()):
                raise ValueError(
                    f"{name} has shape {y_arr.shape} but its rows are not one-hot; pass integer "
                    f"labels of shape ({n_samples},) instead"
                )
            y_arr = y_arr.argmax(axis=1)
    try:
        return check_labels(y_arr, n_classes, n_samples)
    except ValueError as err:
        if output == "sigmoid" and "labels must be in" in str(err):
            raise ValueError(
                f"{err}. output='sigmoid' takes labels 0 and 1; for more classes use "
                "output='softmax' with one output unit per class"
            ) from None
        raise


# ------------------------------------------------------------------------- optimizers
def check_params_and_grads(params, grads):
    """Parameters and gradients must pair up one to one, with equal shapes."""
    if len(params) != len(grads):
        raise ValueError(
            f"got {len(params)} parameter arrays but {len(grads)} gradients; "
            "pass matching lists, e.g. layer.params and layer.grads"
        )
    for p, g in zip(params, grads, strict=True):
        if p.shape != g.shape:
            raise ValueError(
                f"a gradient of shape {g.shape} does not match its parameter of shape {p.shape}"
            )


# ------------------------------------------------------------------------- MLP settings
def check_choice(what, value, table):
    """``value`` if it is a key of ``table``, else ValueError listing the keys."""
    if not isinstance(value, str) or value not in table:
        raise ValueError(f"unknown {what} {value!r}; use one of {sorted(table)}")
    return value


def check_output(output, n_out):
    """``MLP``'s output: "softmax" with >= 2 units or "sigmoid" with exactly 1."""
    if output not in ("softmax", "sigmoid"):
        raise ValueError(f"unknown output {output!r}; use 'softmax' or 'sigmoid'")
    if output == "sigmoid" and n_out != 1:
        raise ValueError(
            f"output='sigmoid' is for yes/no problems and needs 1 output unit, got {n_out}; "
            f"use layer_sizes=[..., 1], or output='softmax' for {n_out} classes"
        )
    if output == "softmax" and n_out < 2:
        raise ValueError(
            "output='softmax' needs at least 2 output units (one per class); "
            "for a yes/no problem use 1 unit with output='sigmoid'"
        )
    return output


def check_validation_data(validation_data):
    """A pair (X_val, y_val), not yet checked themselves."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError(
            "validation_data must be a pair (X_val, y_val), e.g. validation_data=(X_dev, y_dev)"
        )
    return validation_data
