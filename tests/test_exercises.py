"""The self-check exercises: right answers pass, typical wrong answers get the matching hint."""

import math

import numpy as np
import pytest
from checker_helpers import assert_fails_with, run
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnfs_utils.exercises import (
    check_dense_backward,
    check_dense_forward,
    check_sigmoid_derivative,
    numerical_gradient,
    relative_error,
)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- the sigmoid's derivative ----------------------------------------------------------------
def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def test_sigmoid_derivative_reference_passes(capsys):
    out = run(check_sigmoid_derivative, sigmoid_derivative, capsys)
    assert out == "✓ sigmoid_derivative is correct on 3 test cases.\n"


def test_sigmoid_derivative_output_is_deterministic(capsys):
    first = run(check_sigmoid_derivative, lambda z: z * (1 - z), capsys)
    second = run(check_sigmoid_derivative, lambda z: z * (1 - z), capsys)
    assert first == second


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda z: z * (1 - z), "you computed z * (1 - z)"),
        (sigmoid, "you returned sigmoid(z) itself, not its slope"),
        (lambda z: -sigmoid_derivative(z), "the sign is flipped"),
        (lambda z: 1 - sigmoid(z), "you returned 1 - s"),
        (lambda z: sigmoid(z) * (1 + sigmoid(z)), "you wrote s * (1 + s)"),
        (lambda z: 0.25 * np.ones_like(z), "it is largest, 0.25, at z = 0"),
        (lambda z: np.sum(sigmoid_derivative(z)), "did you sum, take a mean or use np.dot?"),
        (lambda z: None, "did you forget the `return` line"),
        (lambda z: math.exp(-z), "use np.exp (not math.exp)"),
    ],
)
def test_sigmoid_derivative_hints(wrong, hint, capsys):
    assert_fails_with(run(check_sigmoid_derivative, wrong, capsys), hint)


def test_sigmoid_derivative_in_place_change_is_reported(capsys):
    def in_place(z):
        z *= 0.0
        return z + 0.25

    assert_fails_with(run(check_sigmoid_derivative, in_place, capsys), "changed its input z")


def test_sigmoid_derivative_first_wrong_value_is_named(capsys):
    out = run(check_sigmoid_derivative, lambda z: 0.25 * np.ones_like(z), capsys)
    # first case is [[-2, 0, 3]]: z = -2 is the first wrong element
    s = sigmoid(-2.0)
    assert f"at z = -2.00 it returned 0.250000, expected {s * (1 - s):.6f}." in out


# --- a dense layer's forward pass ------------------------------------------------------------
def dense_forward(X, W, b):
    return X @ W + b


def test_dense_forward_reference_passes(capsys):
    assert run(check_dense_forward, dense_forward, capsys) == (
        "✓ dense_forward is correct on 3 test cases.\n"
    )


def test_dense_forward_accepts_float32_and_lists(capsys):
    out = run(check_dense_forward, lambda X, W, b: (X @ W + b).astype(np.float32).tolist(), capsys)
    assert out.startswith("✓ ")


def transposed_square_only(X, W, b):
    # works on the first two (non-square) cases only when W is square; mimics a learner who
    # transposes W "to make the shapes fit"
    return X @ (W.T if W.shape[0] == W.shape[1] else W) + b


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda X, W, b: X @ W, "you forgot the bias"),
        (lambda X, W, b: X @ W - b, "you subtracted the bias"),
        (transposed_square_only, "you used W transposed"),
        (lambda X, W, b: sigmoid(X @ W + b), "you applied the sigmoid"),
        (lambda X, W, b: np.maximum(X @ W + b, 0), "you applied ReLU"),
        (lambda X, W, b: (X @ W + b).T, "your output is transposed"),
        (lambda X, W, b: X @ W.T + b, "in the batch-first form X is (n_samples, n_inputs)"),
        (lambda X, W, b: (X @ W + b).sum(axis=1), "Did you use * (elementwise) instead of @"),
        (lambda X, W, b: X @ W + 2 * b, "sample 0, neuron 0 is"),
        (lambda X, W, b: None, "did you forget the `return` line"),
    ],
)
def test_dense_forward_hints(wrong, hint, capsys):
    assert_fails_with(run(check_dense_forward, wrong, capsys), hint)


def test_dense_forward_in_place_change_is_reported(capsys):
    def in_place(X, W, b):
        X += 0
        W *= 2
        return X @ W + b

    assert_fails_with(run(check_dense_forward, in_place, capsys), "changed its input W in place")


def test_check_wants_the_function_not_its_result():
    with pytest.raises(TypeError, match="without calling it"):
        check_dense_forward(np.zeros((2, 2)))


# --- a dense layer's backward pass -----------------------------------------------------------
def dense_backward(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)


def test_dense_backward_reference_passes(capsys):
    assert run(check_dense_backward, dense_backward, capsys) == (
        "✓ dense_backward is correct on 4 test cases: dX, dW and db all match.\n"
    )


def with_db(db_fn):
    return lambda dZ, X, W: (dZ @ W.T, X.T @ dZ, db_fn(dZ))


def with_dW(dW_fn):
    return lambda dZ, X, W: (dZ @ W.T, dW_fn(dZ, X, W), dZ.sum(axis=0, keepdims=True))


def with_dX(dX_fn):
    return lambda dZ, X, W: (dX_fn(dZ, X, W), X.T @ dZ, dZ.sum(axis=0, keepdims=True))


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (
            with_db(lambda dZ: dZ.sum()),
            ["your bias gradient has shape (), expected (1, 3)", "did you sum without axis=0?"],
        ),
        (
            with_db(lambda dZ: dZ.sum(axis=0)),
            ["your bias gradient has shape (3,), expected (1, 3)", "keepdims=True"],
        ),
        (
            with_db(lambda dZ: dZ.sum(axis=1, keepdims=True)),
            ["shape (5, 1)", "you summed over the neurons (axis=1)"],
        ),
        (
            with_db(lambda dZ: dZ.sum(axis=1)),
            ["shape (5,)", "you summed over the neurons (axis=1)"],
        ),
        (with_db(lambda dZ: dZ), ["shape (5, 3)", "db still has one row per sample"]),
        (with_db(lambda dZ: dZ.mean(axis=0, keepdims=True)), ["you took the mean"]),
        (with_db(lambda dZ: 2 * dZ.sum(axis=0, keepdims=True)), ["db[0, 0] is"]),
        (
            with_dW(lambda dZ, X, W: dZ.T @ X),
            ["has shape (3, 4) but W has shape (4, 3)", "your weights gradient is transposed"],
        ),
        (with_dW(lambda dZ, X, W: X.T @ dZ / X.shape[0]), ["you divided by the batch size (5)"]),
        (with_dW(lambda dZ, X, W: -(X.T @ dZ)), ["the sign is flipped"]),
        (with_dW(lambda dZ, X, W: X.T @ dZ + 1), ["dW[0, 0] is", "dW = X.T @ dZ"]),
        (
            with_dX(lambda dZ, X, W: W @ dZ.T),
            ["your input gradient has shape (4, 5)", "your input gradient is transposed"],
        ),
        (with_dX(lambda dZ, X, W: dZ @ W.T + 1), ["dX[0, 0] is", "dX = dZ @ W.T"]),
        (
            lambda dZ, X, W: (X.T @ dZ, dZ @ W.T, dZ.sum(axis=0, keepdims=True)),
            ["the right gradients in the wrong order", "return dX, dW, db in this order"],
        ),
        (lambda dZ, X, W: X.T @ dZ, ["not three arrays", "return dX, dW, db"]),
        (lambda dZ, X, W: None, ["did you forget the `return dX, dW, db` line", "return None"]),
        (with_dX(lambda dZ, X, W: dZ @ W), ["raised ValueError", "dX = dZ @ W.T the shape of X"]),
    ],
)
def test_dense_backward_hints(wrong, hints, capsys):
    assert_fails_with(run(check_dense_backward, wrong, capsys), *hints)


def test_dense_backward_square_transposes_are_caught_by_value(capsys):
    # when W is square a transposed gradient has the right shape: the values give it away
    def square_only(dZ, X, W):
        square = W.shape[0] == W.shape[1]
        dW = (dZ.T @ X) if square else X.T @ dZ
        return dZ @ W.T, dW, dZ.sum(axis=0, keepdims=True)

    out = run(check_dense_backward, square_only, capsys)
    assert_fails_with(
        out, "dZ is (2, 3), X is (2, 3), W is (3, 3)", "weights gradient is transposed"
    )

    def dX_without_transpose(dZ, X, W):
        square = W.shape[0] == W.shape[1]
        return (dZ @ W) if square else dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)

    out = run(check_dense_backward, dX_without_transpose, capsys)
    assert_fails_with(out, "you multiplied by W instead of W transposed")


def test_dense_backward_in_place_change_is_reported(capsys):
    def in_place(dZ, X, W):
        dZ /= X.shape[0]
        return dense_backward(dZ, X, W)

    assert_fails_with(run(check_dense_backward, in_place, capsys), "changed its input dZ")


# --- gradient-checking tools -----------------------------------------------------------------
def test_numerical_gradient_of_a_dense_layer_matches_the_formula():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 4))
    W = rng.normal(size=(4, 3))
    target = rng.normal(size=(6, 3))

    def loss():
        return 0.5 * np.sum((X @ W - target) ** 2)

    W_before = W.copy()
    numeric = numerical_gradient(loss, W)
    assert np.array_equal(W, W_before)  # restored after nudging
    analytic = X.T @ (X @ W - target)
    assert relative_error(analytic, numeric) < 1e-7
    assert relative_error(analytic.T.reshape(W.shape), numeric) > 1e-2  # a wrong one is caught


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.float64, (3, 2), elements=st.floats(-3, 3)),
    arrays(np.float64, (3, 2), elements=st.floats(-3, 3)),
)
def test_numerical_gradient_of_quadratics_is_exact(a, x):
    # for f(x) = sum(a * x**2) central differences have no truncation error: 2 a x
    numeric = numerical_gradient(lambda: np.sum(a * x**2), x, eps=1e-4)
    assert np.allclose(numeric, 2 * a * x, atol=1e-6)


def test_relative_error_values():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([], []) == 0.0


def test_gradient_tools_reject_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(2), np.zeros(3))
    with pytest.raises(TypeError, match="must be a NumPy array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match=r"astype\(np.float64\)"):
        numerical_gradient(lambda: 0.0, np.zeros(2, dtype=int))
    with pytest.raises(TypeError, match="returns the loss"):
        numerical_gradient(1.0, np.zeros(2))
    with pytest.raises(ValueError, match="small positive number"):
        numerical_gradient(lambda: 0.0, np.zeros(2), eps=0)


def test_module_docstring_example_is_true():
    import doctest

    import nnfs_utils.exercises as exercises

    result = doctest.testmod(exercises)
    assert result.attempted >= 3 and result.failed == 0
