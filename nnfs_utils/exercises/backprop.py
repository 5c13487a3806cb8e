"""Notebook 04's exercises: a dense layer's forward and backward pass (batch-first)."""

import numpy as np

from ..activations import sigmoid
from ._engine import ATOL, RTOL, Exercise, Output

__all__ = ["check_dense_backward", "check_dense_forward"]


def _rng_cases():
    return np.random.default_rng(2024)


def _shapes(**arrays):
    return {"ctx": ", ".join(f"{k} is {v.shape}" for k, v in arrays.items())}


# ---------------------------------------------------------------------------------------------
# a dense layer's forward pass
# ---------------------------------------------------------------------------------------------
def _forward_cases():
    rng = _rng_cases()
    cases = []
    for n, i, j in [(4, 3, 2), (1, 4, 3), (5, 3, 3)]:  # (n_samples, n_inputs, n_neurons)
        X = np.round(rng.uniform(-2, 2, size=(n, i)), 2)
        W = np.round(rng.uniform(-1, 1, size=(i, j)), 2)
        b = np.round(rng.uniform(-1, 1, size=(1, j)), 2)
        cases.append((X, W, b))
    return cases


_ACTIVATION_AFTER = "is a separate step that comes after it."

DENSE_FORWARD = Exercise(
    check="check_dense_forward",
    args=("X", "W", "b"),
    cases=_forward_cases,
    reference=lambda X, W, b: X @ W + b,
    todo="return the layer's output for the whole batch, shape (n_samples, n_neurons).",
    context=lambda X, W, b: _shapes(X=X, W=W, b=b),
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="in the batch-first form X is (n_samples, n_inputs) and W is (n_inputs, "
    "n_neurons), so X @ W lines up the inputs and gives (n_samples, n_neurons).",
    in_place_hint="build the result as a new array (Z = X @ W + b), never X += ... or W[...] = ...",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == c.expected.T.shape,
                    "your output is transposed: it "
                    "has one row per neuron. In the batch-first form compute X @ W + b, which has "
                    "one row per sample.",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="X @ W + b has one row per sample and one column per neuron. "
            "Did you use * (elementwise) instead of @, or sum something?",
            rules=(
                (lambda c: c.X @ c.W, "you forgot the bias: add b to X @ W."),
                (lambda c: c.X @ c.W - c.b, "you subtracted the bias; add it: X @ W + b."),
                (
                    lambda c: c.X @ c.W.T + c.b if c.W.shape[0] == c.W.shape[1] else None,
                    "you used W transposed. W is already (n_inputs, n_neurons): compute X @ W + b.",
                ),
                (
                    lambda c: sigmoid(c.expected),
                    "you applied the sigmoid. The dense step is only "
                    f"X @ W + b; the activation {_ACTIVATION_AFTER}",
                ),
                (
                    lambda c: np.maximum(c.expected, 0),
                    "you applied ReLU. The dense step is only "
                    f"X @ W + b; the activation {_ACTIVATION_AFTER}",
                ),
            ),
            wrong_problem="the values are wrong (with {ctx}).",
            difference_problem="with {ctx}, sample {i[0]}, neuron {i[1]} is {g:.4f}, "
            "expected {e:.4f}.",
            difference_hint="each output is the weighted sum of one sample's inputs with one "
            "neuron's column of W, plus that neuron's bias: X @ W + b.",
        ),
    ),
)


def check_dense_forward(fn):
    """Check ``fn(X, W, b)``, a dense layer's forward pass ``X @ W + b`` (batch-first).

    ``X`` is (n_samples, n_inputs), ``W`` is (n_inputs, n_neurons), ``b`` is (1, n_neurons);
    the result is (n_samples, n_neurons). Prints a pass or a hint.
    """
    DENSE_FORWARD.run(fn)


# ---------------------------------------------------------------------------------------------
# a dense layer's backward pass
# ---------------------------------------------------------------------------------------------
def _backward_cases():
    rng = _rng_cases()
    cases = []
    for n, i, j in [(5, 4, 3), (2, 3, 3), (3, 3, 3), (1, 2, 4)]:  # (n_samples, n_inputs, n_neurons)
        dZ = np.round(rng.uniform(-1, 1, size=(n, j)), 2)
        X = np.round(rng.uniform(-2, 2, size=(n, i)), 2)
        W = np.round(rng.uniform(-1, 1, size=(i, j)), 2)
        cases.append((dZ, X, W))
    return cases


def _backward(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)


def _wrong_order(c):
    expected = [e.shape for e in _backward(c.dZ, c.X, c.W)]
    got = [g.shape for g in c.arrays]
    distinct = len(set(expected)) == 3
    return got != expected and distinct and sorted(got) == sorted(expected)


def _values_right_row_missing(c):
    return c.got.shape == (c.dZ.shape[1],) and np.allclose(
        c.got, c.expected.ravel(), rtol=RTOL, atol=ATOL
    )


_WRONG = "with {ctx}, the values of %s are wrong."
_DB = "dZ.sum(axis=0, keepdims=True)"
_DB_SHAPE = "with {ctx}, your bias gradient has shape {got.shape}, expected {expected.shape}."
_SUM_SAMPLES = f"you summed over the neurons (axis=1); sum over the samples instead: {_DB}."

DW = Output(
    index=1,
    shape_rules=(
        (
            lambda c: c.got.shape == c.expected.T.shape,
            "with {ctx}, your weights gradient has shape {got.shape} but W has shape {W.shape}.",
            "your weights gradient is transposed: compute X.T @ dZ (not dZ.T @ X); "
            "dW always has the shape of W.",
        ),
    ),
    shape_problem="with {ctx}, your weights gradient has shape {got.shape}, expected {W.shape} "
    "(the shape of W).",
    shape_hint="dW = X.T @ dZ: (n_inputs, n_samples) @ (n_samples, n_neurons) = (n_inputs, "
    "n_neurons).",
    rules=(
        (
            lambda c: c.expected.T,
            "your weights gradient is transposed: compute X.T @ dZ (not dZ.T @ X).",
        ),
        (
            lambda c: c.expected / c.n if c.n > 1 else None,
            "you divided by the batch size ({n}). "
            "dZ already carries the 1/n of the mean loss, so dW = X.T @ dZ with no extra division.",
        ),
        (lambda c: -c.expected, "the sign is flipped: dW = X.T @ dZ."),
    ),
    wrong_problem=_WRONG % "dW",
    difference_problem="with {ctx}, dW{at} is {g:.4f}, expected {e:.4f}.",
    difference_hint="each weight W[i, j] multiplies input i into neuron j, so its gradient adds "
    "up X[:, i] * dZ[:, j] over the batch: dW = X.T @ dZ.",
)

DB = Output(
    index=2,
    shape_rules=(
        (lambda c: c.got.shape == (), f"did you sum without axis=0? Use {_DB}."),
        (
            _values_right_row_missing,
            "the values are right but the row dimension is missing: "
            f"use {_DB} so db has the shape of b.",
        ),
        (lambda c: c.got.shape in ((c.n,), (c.n, 1)), _SUM_SAMPLES),
        (
            lambda c: c.got.shape == c.dZ.shape,
            f"db still has one row per sample: add the rows up over the batch with {_DB}.",
        ),
    ),
    shape_problem=_DB_SHAPE,
    shape_hint=f"db has the shape of b: {_DB}.",
    rules=(
        (
            lambda c: c.expected / c.n if c.n > 1 else None,
            "you took the mean over the batch; "
            "take the sum: dZ already carries the 1/n of the mean loss.",
        ),
        (
            lambda c: c.dZ.sum(axis=1, keepdims=True).T if c.dZ.shape[0] == c.dZ.shape[1] else None,
            f"you summed over the neurons (axis=1); sum over the samples: {_DB}.",
        ),
    ),
    wrong_problem=_WRONG % "db",
    difference_problem="with {ctx}, db{at} is {g:.4f}, expected {e:.4f}.",
    difference_hint="a bias is added to every sample, so its gradient is the sum of dZ over the "
    f"samples: {_DB}.",
)

DX = Output(
    index=0,
    shape_rules=(
        (
            lambda c: c.got.shape == c.expected.T.shape,
            "with {ctx}, your input gradient has shape {got.shape} but X has shape {X.shape}.",
            "your input gradient is transposed: compute dZ @ W.T; dX always has the shape of X.",
        ),
    ),
    shape_problem="with {ctx}, your input gradient has shape {got.shape}, expected {X.shape} "
    "(the shape of X).",
    shape_hint="dX = dZ @ W.T: (n_samples, n_neurons) @ (n_neurons, n_inputs) = (n_samples, "
    "n_inputs).",
    rules=(
        (
            lambda c: c.dZ @ c.W if c.W.shape[0] == c.W.shape[1] else None,
            "you multiplied by W instead of W transposed: dX = dZ @ W.T.",
        ),
        (lambda c: c.expected.T, "your input gradient is transposed: compute dZ @ W.T."),
    ),
    wrong_problem=_WRONG % "dX",
    difference_problem="with {ctx}, dX{at} is {g:.4f}, expected {e:.4f}.",
    difference_hint="each input feeds every neuron, so its gradient adds up dZ times that "
    "neuron's weight over the neurons: dX = dZ @ W.T.",
)

DENSE_BACKWARD = Exercise(
    check="check_dense_backward",
    args=("dZ", "X", "W"),
    cases=_backward_cases,
    reference=_backward,
    todo="return dX, dW, db, the gradients for X, W and b; each has the shape of the array it is "
    "the gradient of.",
    context=lambda dZ, X, W: {**_shapes(dZ=dZ, X=X, W=W), "n": dZ.shape[0]},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="line the shapes up: dW = X.T @ dZ has the shape of W, "
    f"db = {_DB} the shape of b, dX = dZ @ W.T the shape of X.",
    none_hint="did you forget the `return dX, dW, db` line, or leave the stub's "
    "`return None` in place?",
    n_results=3,
    structure=(
        "it returned a {result_type}, not three arrays.",
        "return all three gradients, in this order: return dX, dW, db",
    ),
    not_array=("one of the three results is not an array.", "return dX, dW, db"),
    in_place_hint="compute each gradient into a new array; never modify dZ, X or W.",
    result_rules=(
        (
            _wrong_order,
            lambda c: (
                "it returned the right gradients in the wrong order (shapes "
                f"{', '.join(str(g.shape) for g in c.arrays)})."
            ),
            lambda c: (
                "return dX, dW, db in this order: shapes "
                + ", ".join(str(e.shape) for e in _backward(c.dZ, c.X, c.W))
                + "."
            ),
        ),
    ),
    outputs=(DW, DB, DX),
    passed="✓ {name} is correct on {n_cases} test cases: dX, dW and db all match.",
)


def check_dense_backward(fn):
    """Check ``fn(dZ, X, W) -> (dX, dW, db)``, a dense layer's backward pass (batch-first).

    ``dZ`` is the gradient of the loss with respect to the layer's output ``X @ W + b``,
    shape (n_samples, n_neurons). The reference is ``dX = dZ @ W.T``, ``dW = X.T @ dZ``,
    ``db = dZ.sum(axis=0, keepdims=True)``. Prints a pass or a hint.
    """
    DENSE_BACKWARD.run(fn)
