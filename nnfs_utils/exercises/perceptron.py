"""Notebook 03's exercises: a slope computed numerically, the sigmoid's slope, one update step."""

import numpy as np

from ..activations import sigmoid
from ._engine import Exercise, Output

__all__ = ["check_numerical_slope", "check_sigmoid_derivative", "check_update_step"]


def _square(x):
    return x * x


def _cube(x):
    return x**3 - 2 * x


# ---------------------------------------------------------------------------------------------
# the slope of f at x, numerically: (f(x + h) - f(x)) / h
# ---------------------------------------------------------------------------------------------
def _slope(f, x, h):
    return (f(x + h) - f(x)) / h


def _slope_said(c):
    return (
        f"for f = {c.f_name} at x = {c.x}, h = {c.h} it returned {float(c.got):.6f}, "
        f"expected {float(c.expected):.6f}."
    )


SLOPE = Exercise(
    check="check_numerical_slope",
    args=("f", "x", "h"),
    cases=lambda: [(sigmoid, 0.5, 1e-4), (_square, 3.0, 0.1), (_cube, -1.5, 0.01)],
    reference=_slope,
    todo="return the slope of f at x measured over the small step h: how much f rises from x to "
    "x + h, divided by h.",
    context=lambda f, x, h: {"f_name": f.__name__},
    error_hint="f is a function: call it as f(x) and f(x + h); x and h are plain numbers.",
    not_array=("it returned a {result_type}.", "return one number: (f(x + h) - f(x)) / h."),
    outputs=(
        Output(
            shape_problem="it returned shape {got.shape}, expected one number.",
            shape_hint="return one number, the slope: (f(x + h) - f(x)) / h.",
            rules=(
                (
                    lambda c: _slope(c.f, c.x, c.h) / 2,
                    "you divided by 2h; the step from x to "
                    "x + h has length h: (f(x + h) - f(x)) / h.",
                ),
                (
                    lambda c: (c.f(c.x) - c.f(c.x + c.h)) / c.h,
                    "the sign is flipped: subtract "
                    "the value at x from the value at x + h, (f(x + h) - f(x)) / h.",
                ),
                (
                    lambda c: c.f(c.x + c.h) - c.f(c.x),
                    "you forgot to divide by h: the slope is "
                    "the rise divided by the run, (f(x + h) - f(x)) / h.",
                ),
                (
                    lambda c: (c.f(c.x + c.h) - c.f(c.x - c.h)) / (2 * c.h),
                    "you computed the "
                    "central difference (f(x + h) - f(x - h)) / (2h). It is the better estimate "
                    "(notebook 04 uses it), but this exercise asks for (f(x + h) - f(x)) / h.",
                ),
                (
                    lambda c: c.f(c.x + c.h) / c.h,
                    "you forgot to subtract f(x): the slope "
                    "measures the change (f(x + h) - f(x)) / h.",
                ),
                (
                    lambda c: (c.f(c.x + c.h) - c.f(c.x)) * c.h,
                    "you multiplied by h; divide by it: (f(x + h) - f(x)) / h.",
                ),
            ),
            wrong_problem=_slope_said,
            difference_problem=_slope_said,
            difference_hint="nudge x by h and see how much f moves: (f(x + h) - f(x)) / h.",
        ),
    ),
    passed="✓ {name} is correct on {n_cases} test cases.",
)


def check_numerical_slope(fn):
    """Check ``fn(f, x, h)``, the slope of ``f`` at ``x`` estimated as ``(f(x + h) - f(x)) / h``.

    Prints a pass or a hint naming the likely mistake.
    """
    SLOPE.run(fn)


# ---------------------------------------------------------------------------------------------
# the sigmoid's derivative
# ---------------------------------------------------------------------------------------------
def _sigmoid_slope(z):
    s = sigmoid(z)
    return s * (1 - s)


SIGMOID_DERIVATIVE = Exercise(
    check="check_sigmoid_derivative",
    args=("z",),
    cases=lambda: [
        (np.array([[-2.0, 0.0, 3.0]]),),
        (np.linspace(-6.0, 6.0, 13).reshape(13, 1),),
        (np.array([[0.5, -1.5], [4.0, -0.25]]),),
    ],
    reference=_sigmoid_slope,
    todo="return the sigmoid's slope at every element of z: an array of the same shape as z.",
    error_hint="the function receives a NumPy array z; use np.exp (not math.exp) so it works "
    "elementwise, and compute s = 1 / (1 + np.exp(-z)) first.",
    in_place_hint="compute the answer into a new array (s = ...), never z += ... or z[...] = ...",
    outputs=(
        Output(
            shape_problem="for an input of shape {z.shape} it returned shape {got.shape}.",
            shape_hint="the slope is taken elementwise, so the result has the same shape as z: "
            "did you sum, take a mean or use np.dot?",
            rules=(
                (
                    lambda c: sigmoid(c.z),
                    "you returned sigmoid(z) itself, not its slope. "
                    "The slope is s * (1 - s) with s = sigmoid(z).",
                ),
                (
                    lambda c: c.z * (1 - c.z),
                    "you computed z * (1 - z). That formula needs the sigmoid's output, not its "
                    "input: first s = sigmoid(z), then return s * (1 - s).",
                ),
                (
                    lambda c: -c.expected,
                    "the sign is flipped. The sigmoid only ever goes up, so its slope is positive.",
                ),
                (lambda c: 1 - sigmoid(c.z), "you returned 1 - s; multiply it by s: s * (1 - s)."),
                (
                    lambda c: sigmoid(c.z) * (1 + sigmoid(c.z)),
                    "you wrote s * (1 + s); the slope is s * (1 - s).",
                ),
            ),
            difference_problem=lambda c: (
                f"at z = {float(c.z[c.i]):.2f} it returned {c.g:.6f}, expected {c.e:.6f}."
            ),
            difference_hint="the slope is s * (1 - s) with s = sigmoid(z); it is largest, 0.25, "
            "at z = 0.",
        ),
    ),
)


def check_sigmoid_derivative(fn):
    """Check ``fn(z)``, the slope of the sigmoid at ``z`` (elementwise, same shape as ``z``).

    The reference is ``s * (1 - s)`` with ``s = sigmoid(z)``. Prints a pass or a hint.
    """
    SIGMOID_DERIVATIVE.run(fn)


# ---------------------------------------------------------------------------------------------
# one update step of the perceptron
# ---------------------------------------------------------------------------------------------
def _update_cases():
    rng = np.random.default_rng(1)
    X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
    y = np.array([[0, 1, 1, 0]]).T
    X2 = rng.integers(0, 2, size=(6, 4))
    y2 = rng.integers(0, 2, size=(6, 1))
    return [
        (X, y, 2 * np.random.RandomState(1).random_sample((3, 1)) - 1),  # notebook 03's start
        (X2, y2, np.round(rng.uniform(-1, 1, size=(4, 1)), 2)),
        (X, y, np.zeros((3, 1))),
    ]


def _update(X, y, W):
    out = sigmoid(X @ W)
    return W + X.T @ ((y - out) * out * (1 - out))


def _push(X, y, W):
    out = sigmoid(X @ W)
    return (y - out) * out * (1 - out)


UPDATE_STEP = Exercise(
    check="check_update_step",
    args=("X", "y", "W"),
    cases=_update_cases,
    reference=_update,
    todo="return the weights after one update: forward, error, slope, adjustment, as in the update "
    "worked out by hand above.",
    context=lambda X, y, W: {"ctx": f"X is {X.shape}, y is {y.shape}, W is {W.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_rules=(
        (
            lambda c: "matmul" in str(c.error) or "align" in str(c.error),
            "line the shapes up: out = sigmoid(X @ W) is (n_samples, 1), and the adjustment "
            "X.T @ push is (n_inputs, 1), the shape of W. Did you write X @ push instead of X.T?",
        ),
    ),
    error_hint="X is (n_samples, n_inputs), y and the output are (n_samples, 1), W is "
    "(n_inputs, 1): out = sigmoid(X @ W), then W + X.T @ ((y - out) * out * (1 - out)).",
    none_hint="end with `return` and the new weights (if you updated W in place with +=, "
    "return W).",
    in_place_ok=("W",),
    in_place_hint="compute the new weights from X and y without changing them.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == c.W.T.shape,
                    "your adjustment is transposed: "
                    "X.T @ push has one row per weight, the shape of W.",
                ),
                (
                    lambda c: c.got.shape == (len(c.W), len(c.W)),
                    "your adjustment is a row (push.T @ X), and adding a row to the column W "
                    "makes a square: use X.T @ push, a column like W.",
                ),
                (
                    lambda c: c.got.shape == c.W.shape[:1],
                    "the weights lost their column: "
                    "X.T @ push, with push of shape (n_samples, 1), keeps the shape of W.",
                ),
                (
                    lambda c: c.got.shape == c.y.shape,
                    "you returned one value per sample; "
                    "return the new weights, one per input: W + X.T @ push.",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape} "
            "(the shape of W).",
            shape_hint="the new weights have the shape of W: W + X.T @ ((y - out) * out * "
            "(1 - out)).",
            rules=(
                (
                    lambda c: c.W - c.X.T @ _push(c.X, c.y, c.W),
                    "the sign is flipped: the error "
                    "is y - out, and the step adds X.T @ (error * slope) to W.",
                ),
                (
                    lambda c: c.X.T @ _push(c.X, c.y, c.W),
                    "you returned the adjustment only; add it to the weights: W + X.T @ push.",
                ),
                (
                    lambda c: c.W + c.X.T @ (c.y - sigmoid(c.X @ c.W)),
                    "the sigmoid's slope is "
                    "missing: multiply the error by out * (1 - out) before X.T @ ...",
                ),
                (
                    lambda c: c.W + c.X.T @ ((c.y - c.X @ c.W) * (c.X @ c.W) * (1 - c.X @ c.W)),
                    "the sigmoid is missing: the output is out = sigmoid(X @ W), not X @ W.",
                ),
                (
                    lambda c: _update_with_z_slope(c.X, c.y, c.W),
                    "the slope uses z = X @ W; it "
                    "needs the sigmoid's output: out * (1 - out) with out = sigmoid(X @ W).",
                ),
            ),
            wrong_problem="the values are wrong (with {ctx}).",
            difference_problem="with {ctx}, weight {i[0]} is {g:.4f}, expected {e:.4f}.",
            difference_hint="one step: out = sigmoid(X @ W), then W + X.T @ ((y - out) * out * "
            "(1 - out)).",
        ),
    ),
)


def _update_with_z_slope(X, y, W):
    z = X @ W
    return W + X.T @ ((y - sigmoid(z)) * z * (1 - z))


def check_update_step(fn):
    """Check ``fn(X, y, W)``, one update of notebook 03's perceptron; it returns the new weights.

    The reference is ``W + X.T @ ((y - out) * out * (1 - out))`` with ``out = sigmoid(X @ W)``.
    Prints a pass or a hint.
    """
    UPDATE_STEP.run(fn)
