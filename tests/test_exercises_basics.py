"""Checkers of notebooks 01-03: one neuron, a layer for a batch, a slope, one update step."""

import numpy as np
import pytest
from checker_helpers import assert_fails_with, not_written, run

from nnfs_utils.exercises import (
    check_count_params,
    check_layer_forward,
    check_neuron,
    check_numerical_slope,
    check_update_step,
    check_weighted_sum,
)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- 01: neuron(x, w, b, activation) ---------------------------------------------------------
ACTIVATIONS = {
    "step": lambda z: 1.0 if z > 0 else 0.0,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: max(0.0, z),
    "linear": lambda z: z,
}


def neuron(x, w, b, activation):
    return ACTIVATIONS[activation](np.dot(x, w) + b)


def neuron_with(z=None, **activations):
    """A neuron with one piece replaced: z(x, w, b) or one activation."""
    table = {**ACTIVATIONS, **activations}

    def fn(x, w, b, activation):
        return table[activation](z(x, w, b) if z else np.dot(x, w) + b)

    return fn


def test_neuron_reference_passes_and_stub_says_what_to_write(capsys):
    assert run(check_neuron, neuron, capsys) == "✓ neuron is correct on 7 test cases.\n"
    out = run(check_neuron, not_written, capsys)
    assert out.startswith("○ not_written: not done yet (it raises NotImplementedError).\n")
    assert "To do: compute z, the weighted sum of x with w plus b" in out


def test_neuron_first_case_is_notebook_01s_example(capsys):
    out = run(check_neuron, lambda x, w, b, activation: 0.0, capsys)
    assert "x = [1, 2, 3], w = [0.2, 0.8, -0.5], b = 2" in out
    assert "expected 2.3000" in out


def bias_after_activation(x, w, b, activation):
    return ACTIVATIONS[activation](np.dot(x, w)) + b


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (neuron_with(z=lambda x, w, b: np.dot(x, w)), "you forgot the bias"),
        (bias_after_activation, "you applied the activation before adding the bias"),
        (neuron_with(z=lambda x, w, b: np.sum(x) + np.sum(w) + b), "you added sum(x) and sum(w)"),
        (neuron_with(step=lambda z: 1.0 if z >= 0 else 0.0), "you used z >= 0"),
        (neuron_with(sigmoid=lambda z: 1 / (1 + np.exp(z))), "the sign in the sigmoid is flipped"),
        (neuron_with(relu=lambda z: z), 'you returned z itself: apply the activation "relu"'),
        (neuron_with(step=lambda z: 1.0 if z < 0 else 0.0), "the step is the wrong way round"),
        (lambda x, w, b, a: x * w + b, "you returned one value per input"),
        (
            lambda x, w, b, a: neuron(x, w, b, a) if a != "relu" else None,
            'with activation "relu" it returned None',
        ),
        (lambda x, w, b, a: raises_shape_error(x, w, b), "x and w are NumPy arrays"),
    ],
)
def test_neuron_hints(wrong, hint, capsys):
    assert_fails_with(run(check_neuron, wrong, capsys), hint)


def raises_shape_error(x, w, b):
    return x @ np.outer(w, w)[:2] + b  # (3,) @ (2, 3) raises: the error is named, with a hint


# --- 02: layer_forward(X, W, b) --------------------------------------------------------------
def layer_forward(X, W, b):
    return X @ W + b


def test_layer_forward_reference_passes_and_stub(capsys):
    assert run(check_layer_forward, layer_forward, capsys) == (
        "✓ layer_forward is correct on 3 test cases.\n"
    )
    assert run(check_layer_forward, lambda X, W, b: np.dot(X, W) + b, capsys).startswith("✓ ")
    assert run(check_layer_forward, not_written, capsys).startswith("○ not_written: not done yet")


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (lambda X, W, b: W @ X + b, ["(5, 4), W is (4, 3)", "you computed W @ X"]),
        (lambda X, W, b: X @ W.T + b, ["you used W.T"]),
        (lambda X, W, b: X @ W, ["you forgot the bias"]),
        (lambda X, W, b: X @ W + b.T, ["you turned it into a column (one value per sample)"]),
        (lambda X, W, b: (X @ W + b).T, ["shape (3, 5), expected (5, 3)", "output is transposed"]),
        (lambda X, W, b: W.T @ X.T + b.T, ["your output is transposed"]),
        (lambda X, W, b: X * W + b, ["* multiplies element by element"]),
        (lambda X, W, b: (X @ W + b).sum(axis=0), ["you added the samples up"]),
        (lambda X, W, b: (X @ W + b).sum(axis=1), ["you added up each sample's outputs"]),
        (lambda X, W, b: X @ W + b.sum(), ["you added the sum of all biases"]),
        (lambda X, W, b: X @ W - b, ["you subtracted the bias"]),
        (lambda X, W, b: np.maximum(X @ W + b, 0), ["you applied ReLU"]),
        (lambda X, W, b: X @ W + 2 * b, ["sample 0, neuron 0 is"]),
    ],
)
def test_layer_forward_hints(wrong, hints, capsys):
    assert_fails_with(run(check_layer_forward, wrong, capsys), *hints)


# --- 03: the slope (f(x + h) - f(x)) / h and one perceptron update ------------------------------
def slope(f, x, h):
    return (f(x + h) - f(x)) / h


def test_numerical_slope_reference_passes_and_stub(capsys):
    assert run(check_numerical_slope, slope, capsys) == "✓ slope is correct on 3 test cases.\n"
    assert run(check_numerical_slope, not_written, capsys).startswith("○ not_written: not done")


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda f, x, h: (f(x + h) - f(x)) / (2 * h), "you divided by 2h"),
        (lambda f, x, h: (f(x) - f(x + h)) / h, "the sign is flipped"),
        (lambda f, x, h: f(x + h) - f(x), "you forgot to divide by h"),
        (lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h), "you computed the central difference"),
        (lambda f, x, h: f(x + h) / h, "you forgot to subtract f(x)"),
        (lambda f, x, h: (f(x + h) - f(x)) * h, "you multiplied by h"),
        (lambda f, x, h: f(x), "it returned 0.622459, expected 0.235001"),
        (lambda f, x, h: np.array([slope(f, x, h)] * 2), "expected one number"),
        (lambda f, x, h: (f[x + h] - f[x]) / h, "f is a function: call it as f(x)"),
    ],
)
def test_numerical_slope_hints(wrong, hint, capsys):
    assert_fails_with(run(check_numerical_slope, wrong, capsys), hint)


def update_step(X, y, W):
    out = sigmoid(X @ W)
    return W + X.T @ ((y - out) * out * (1 - out))


def update_step_in_place(X, y, W):
    out = sigmoid(X @ W)
    W += X.T @ ((y - out) * out * (1 - out))  # as notebook 03's loop does: allowed
    return W


def push(X, y, W):
    out = sigmoid(X @ W)
    return (y - out) * out * (1 - out)


def test_update_step_reference_passes_in_place_too_and_stub(capsys):
    assert run(check_update_step, update_step, capsys) == (
        "✓ update_step is correct on 3 test cases.\n"
    )
    assert run(check_update_step, update_step_in_place, capsys).startswith("✓ ")
    assert run(check_update_step, not_written, capsys).startswith("○ not_written: not done yet")


def test_update_step_first_case_is_notebook_03s_first_update(capsys):
    out = run(check_update_step, lambda X, y, W: W, capsys)
    # notebook 03 prints 'weights after one update: [0.1203, 0.5046, -0.8506]'
    assert "weight 0 is -0.1660, expected 0.1203" in out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda X, y, W: W - X.T @ push(X, y, W), "the sign is flipped"),
        (lambda X, y, W: W + X.T @ (y - sigmoid(X @ W)), "the sigmoid's slope is missing"),
        (lambda X, y, W: W + X @ push(X, y, W), "Did you write X @ push instead of X.T?"),
        (lambda X, y, W: W + push(X, y, W).T @ X, "your adjustment is a row (push.T @ X)"),
        (lambda X, y, W: X.T @ push(X, y, W), "you returned the adjustment only"),
        (
            lambda X, y, W: W + X.T @ ((y - X @ W) * (X @ W) * (1 - X @ W)),
            "the sigmoid is missing",
        ),
        (
            lambda X, y, W: W + X.T @ ((y - sigmoid(X @ W)) * (X @ W) * (1 - X @ W)),
            "the slope uses z = X @ W",
        ),
        (lambda X, y, W: (W + X.T @ push(X, y, W)).ravel(), "the weights lost their column"),
        (lambda X, y, W: None, "if you updated W in place with +=, return W"),
    ],
)
def test_update_step_hints(wrong, hint, capsys):
    assert_fails_with(run(check_update_step, wrong, capsys), hint)


def test_update_step_may_not_change_X(capsys):
    def changes_X(X, y, W):
        X *= 2
        return update_step(X // 2, y, W)

    assert_fails_with(run(check_update_step, changes_X, capsys), "changed its input X in place")


# --- 01: weighted_sum with a loop; 02: count_params ----------------------------------------
def weighted_sum(inputs, weights, bias):
    output = bias
    for x, w in zip(inputs, weights):
        output += x * w
    return output


def return_inside_loop(inputs, weights, bias):
    output = bias
    for x, w in zip(inputs, weights):
        output += x * w
        return output


def bias_inside_loop(inputs, weights, bias):
    output = 0
    for x, w in zip(inputs, weights):
        output += x * w + bias
    return output


def test_weighted_sum_reference_passes_and_stub(capsys):
    assert run(check_weighted_sum, weighted_sum, capsys) == (
        "✓ weighted_sum is correct on 3 test cases.\n"
    )
    assert run(check_weighted_sum, not_written, capsys).startswith("○ not_written: not done")


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (return_inside_loop, "the `return` is inside the loop"),
        (bias_inside_loop, "the bias was added once per input"),
        (lambda i, w, b: weighted_sum(i, w, 0), "you forgot the bias"),
        (lambda i, w, b: sum(i) * sum(w) + b, "you multiplied sum(inputs) by sum(weights)"),
        (lambda i, w, b: sum(x + v for x, v in zip(i, w)) + b, "multiply them: x * w"),
        (lambda i, w, b: [x * v for x, v in zip(i, w)], "expected one number"),
        (lambda i, w, b: i @ w, "inputs and weights are lists of numbers"),
    ],
)
def test_weighted_sum_hints(wrong, hint, capsys):
    assert_fails_with(run(check_weighted_sum, wrong, capsys), hint)


def count_params(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def test_count_params_reference_passes_and_stub(capsys):
    assert run(check_count_params, count_params, capsys) == (
        "✓ count_params is correct on 4 test cases.\n"
    )
    assert run(check_count_params, not_written, capsys).startswith("○ not_written: not done")


def pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:]))


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda s: sum(i * o for i, o in pairs(s)), "you counted the weights only"),
        (lambda s: sum(i * o + i for i, o in pairs(s)), "n_out per layer, not n_in"),
        (lambda s: sum(i * o for i, o in pairs(s)) + sum(s), "the input layer has no biases"),
        (lambda s: sum(i + 2 * o for i, o in pairs(s)), "n_in * n_out weights, not n_in + n_out"),
        (lambda s: s[0] * s[-1] + s[-1], "one layer per pair of neighbouring sizes"),
        (lambda s: [i * o + o for i, o in pairs(s)], "expected one number"),
    ],
)
def test_count_params_hints(wrong, hint, capsys):
    assert_fails_with(run(check_count_params, wrong, capsys), hint)
