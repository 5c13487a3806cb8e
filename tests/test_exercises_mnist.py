"""Checkers of notebooks 06-08: one-hot and flatten, the 784-10-10 code-along, a neuron's
favourite digit."""

import numpy as np
import pytest
from checker_helpers import assert_fails_with, not_written, run

from nnfs_utils.exercises import (
    check_backward_prop,
    check_flatten,
    check_forward_prop,
    check_most_exciting_digit,
    check_never_inked,
    check_one_hot,
    check_unflatten,
)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- 06: one_hot, flatten, unflatten ---------------------------------------------------------
def one_hot(y):
    Y = np.zeros((len(y), 10), dtype=np.float32)
    Y[np.arange(len(y)), y] = 1
    return Y


def one_hot_shifted(shift, dtype=np.float64):
    def fn(y):
        Y = np.zeros((len(y), 10), dtype=dtype)
        Y[np.arange(len(y)), y + shift] = 1
        return Y

    return fn


@pytest.mark.parametrize(
    ("check", "solution", "passed"),
    [
        (check_one_hot, one_hot, "✓ one_hot is correct on 3 test cases.\n"),
        (check_one_hot, lambda y: np.eye(10)[y], "✓ <lambda> is correct on 3 test cases.\n"),
        (check_flatten, lambda im: im.reshape(len(im), 784), "✓ <lambda> is correct on 3"),
        (check_flatten, lambda im: im.reshape(len(im), -1), "✓ <lambda> is correct on 3"),
        (check_unflatten, lambda X: X.reshape(len(X), 28, 28), "✓ <lambda> is correct on 3"),
        (check_unflatten, lambda X: X.reshape(-1, 28, 28), "✓ <lambda> is correct on 3"),
    ],
)
def test_mnist_data_solutions_pass(check, solution, passed, capsys):
    assert run(check, solution, capsys).startswith(passed)


@pytest.mark.parametrize("check", [check_one_hot, check_flatten, check_unflatten])
def test_mnist_data_stubs_say_not_done(check, capsys):
    assert run(check, not_written, capsys).startswith("○ not_written: not done yet")


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (lambda y: np.eye(10)[y].T, ["shape (10, 5), expected (5, 10)", "transposed"]),
        (one_hot_shifted(-1), ["y = [3, 1, 4, 1, 5]", "off by one", "not k - 1"]),
        (one_hot_shifted(+1), ["off by one", "not k + 1"]),
        (one_hot_shifted(+1, dtype=np.float32), ["not k + 1"]),
        (lambda y: np.eye(y.max() + 1)[y], ["shape (5, 6)", "from max(y) + 1"]),
        (lambda y: np.eye(10, dtype=int)[y], ["the dtype is int64", "make them floats"]),
        (lambda y: y[:, None] == np.arange(10), ["the dtype is bool"]),
        (lambda y: 1 - np.eye(10)[y], ["the 0s and 1s are swapped"]),
        (lambda y: y, ["you returned one number per label"]),
    ],
)
def test_one_hot_hints(wrong, hints, capsys):
    assert_fails_with(run(check_one_hot, wrong, capsys), *hints)


def test_one_hot_out_of_range_index_is_explained(capsys):
    def plus_one_fixed_size(y):  # y + 1 hits column 10 when a 9 comes along
        Y = np.zeros((len(y), 10))
        Y[np.arange(len(y)), np.where(y == 3, 9, y) + 1] = 1
        return Y

    assert_fails_with(run(check_one_hot, plus_one_fixed_size, capsys), "IndexError", "not k + 1")


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda im: im.transpose(0, 2, 1).reshape(len(im), 784), "read column by column"),
        (lambda im: im.reshape(len(im), 784, order="F"), "a transpose, or order='F'"),
        (lambda im: np.array([i.T.ravel() for i in im]), "read column by column"),
        (lambda im: im.reshape(-1), "into one long vector"),
        (lambda im: im.reshape(len(im), 784).T, "your result is transposed"),
        (lambda im: im[0].reshape(784), "you flattened one image"),
    ],
)
def test_flatten_hints(wrong, hint, capsys):
    assert_fails_with(run(check_flatten, wrong, capsys), hint)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda X: X.reshape(len(X), 28, 28, order="F"), "read column by column"),
        (lambda X: X.reshape(len(X), 28, 28).transpose(0, 2, 1), "no .T, no order='F'"),
        (lambda X: X.T.reshape(28, 28, -1), "the image axis comes first"),
        (lambda X: X.reshape(-1, 28), "one tall image"),
    ],
)
def test_unflatten_hints(wrong, hint, capsys):
    assert_fails_with(run(check_unflatten, wrong, capsys), hint)


# --- 07: forward_prop and backward_prop in column form ---------------------------------------
def softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def forward_prop(params, X, act=lambda Z: np.maximum(Z, 0), soft=softmax, bias=True, skip=False):
    W1, b1, W2, b2 = params
    Z1 = W1 @ X + (b1 if bias else 0)
    A1 = act(Z1)
    Z2 = W2 @ (Z1 if skip else A1) + b2
    return Z1, A1, Z2, soft(Z2)


def softmax_original(Z):  # notebook 07's defect 3: overflows on large logits
    E = np.exp(Z)
    return E / E.sum(axis=0)


def softmax_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_forward_prop_reference_passes_and_stub(capsys):
    out = run(check_forward_prop, lambda p, X: forward_prop(p, X), capsys)
    assert out == "✓ <lambda> is correct on 3 test cases.\n"
    assert run(check_forward_prop, not_written, capsys).startswith("○ not_written: not done yet")


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (
            lambda p, X: forward_prop(p, X, soft=softmax_original),
            ["5-4-3 network", "A2 contains nan or inf", "Subtract each column's maximum"],
        ),
        (
            lambda p, X: forward_prop(p, X, soft=softmax_rows),
            ["784-10-10 network and X of shape (784, 7), A2 is wrong", "along the rows"],
        ),
        (
            lambda p, X: forward_prop(p, X, soft=lambda Z: np.exp(Z) / np.exp(Z).sum()),
            ["sum over the whole batch"],
        ),
        (lambda p, X: forward_prop(p, X, act=lambda Z: Z), ["A1 is Z1 itself"]),
        (lambda p, X: forward_prop(p, X, act=sigmoid), ["A1 is the sigmoid of Z1"]),
        (lambda p, X: forward_prop(p, X, skip=True), ["Z2 uses Z1"]),
        (lambda p, X: forward_prop(p, X, bias=False), ["Z1 is missing the bias"]),
        (
            lambda p, X: tuple(a.T for a in forward_prop(p, X)),
            ["Z1 has shape (7, 10), expected (10, 7)", "Z1 is transposed"],
        ),
        (lambda p, X: forward_prop(p, X)[3], ["not four arrays", "return Z1, A1, Z2, A2"]),
    ],
)
def test_forward_prop_hints(wrong, hints, capsys):
    assert_fails_with(run(check_forward_prop, wrong, capsys), *hints)


def backward_prop(params, cache, X, Y, m_div=True, db_sum=None, dW2=None, dZ1=None, dW1=None):
    W1, b1, W2, b2 = params
    Z1, A1, Z2, A2 = cache
    m = X.shape[1] if m_div else 1
    db_sum = db_sum or (lambda dZ: dZ.sum(axis=1, keepdims=True))
    dZ2 = A2 - Y
    dW2_ = (dW2(dZ2, A1, Z1) if dW2 else dZ2 @ A1.T) / m
    db2 = db_sum(dZ2) / m
    dZ1_ = dZ1(W2, dZ2, Z1) if dZ1 else (W2.T @ dZ2) * (Z1 > 0)
    dW1_ = (dW1(dZ1_, X) if dW1 else dZ1_ @ X.T) / m
    db1 = db_sum(dZ1_) / m
    return dW1_, db1, dW2_, db2


def wrong_backward(**change):
    return lambda params, cache, X, Y: backward_prop(params, cache, X, Y, **change)


def test_backward_prop_reference_passes_and_stub(capsys):
    assert run(check_backward_prop, backward_prop, capsys) == (
        "✓ backward_prop is correct on 3 test cases: dW1, db1, dW2 and db2 all match.\n"
    )
    assert run(check_backward_prop, not_written, capsys).startswith("○ not_written: not done")


@pytest.mark.parametrize(
    ("change", "hints"),
    [
        ({"m_div": False}, ["dW2 is wrong", "dW2 is missing the 1/m"]),
        (
            {"db_sum": lambda dZ: np.sum(dZ)},
            ["db2 has shape (), expected (10, 1)", "you summed over everything"],
        ),
        ({"db_sum": lambda dZ: dZ.sum(axis=1)}, ["db2 has shape (10,)", "keepdims=True"]),
        (
            {"db_sum": lambda dZ: dZ.sum(axis=0, keepdims=True)},
            ["db2 has shape (1, 7)", "you summed over the neurons (axis=0)"],
        ),
        ({"db_sum": lambda dZ: dZ.sum(axis=0)}, ["db2 has shape (7,)", "axis=1"]),
        (
            {"dW2": lambda dZ2, A1, Z1: dZ2 @ A1},
            ["raised ValueError", "dW2 is missing a transpose"],
        ),
        ({"dW2": lambda dZ2, A1, Z1: A1 @ dZ2.T}, ["dW2 is wrong", "dW2 is transposed"]),
        ({"dW2": lambda dZ2, A1, Z1: dZ2 @ Z1.T}, ["dW2 uses Z1"]),
        ({"dW1": lambda dZ1, X: dZ1 @ X}, ["dW1 is missing a transpose"]),
        ({"dW1": lambda dZ1, X: X @ dZ1.T}, ["dW1 has shape (784, 10)", "dW1 is transposed"]),
        (
            {"dZ1": lambda W2, dZ2, Z1: (W2.T @ dZ2) * np.maximum(Z1, 0)},
            ["dW1 is wrong", "it needs the ReLU's slope"],
        ),
        ({"dZ1": lambda W2, dZ2, Z1: W2.T @ dZ2}, ["dZ1 is missing the ReLU's slope"]),
        ({"dZ1": lambda W2, dZ2, Z1: (W2 @ dZ2) * (Z1 > 0)}, ["dZ1 uses W2 without the transpose"]),
    ],
)
def test_backward_prop_hints_name_the_gradient(change, hints, capsys):
    assert_fails_with(run(check_backward_prop, wrong_backward(**change), capsys), *hints)


def test_backward_prop_wrong_bias_sum_in_db1_only(capsys):
    def db1_mean_of_all(params, cache, X, Y):
        dW1, db1, dW2, db2 = backward_prop(params, cache, X, Y)
        return dW1, np.full_like(db1, db1.mean()), dW2, db2

    assert_fails_with(run(check_backward_prop, db1_mean_of_all, capsys), "db1", "expected")


# --- 08: the dev digit that most excites a hidden neuron -------------------------------------
def activations(X, W1, b1, W2, b2):
    return sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)


def most_exciting_digit(X, W1, b1, W2, b2, neuron):
    return int(np.argmax(activations(X, W1, b1, W2, b2)[:, neuron]))


def test_most_exciting_digit_reference_passes_and_stub(capsys):
    assert run(check_most_exciting_digit, most_exciting_digit, capsys) == (
        "✓ most_exciting_digit is correct on 3 test cases.\n"
    )

    # the sigmoid only rises, so the pre-activation of the right layer gives the same answer
    def pre_activation(X, W1, b1, W2, b2, neuron):
        return np.argmax((sigmoid(X @ W1 + b1) @ W2 + b2)[:, neuron])

    assert run(check_most_exciting_digit, pre_activation, capsys).startswith("✓ ")
    assert run(check_most_exciting_digit, not_written, capsys).startswith("○ not_written")


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda X, W1, b1, W2, b2, n: np.argmin(activations(X, W1, b1, W2, b2)[:, n]), "argmin"),
        (
            lambda X, W1, b1, W2, b2, n: activations(X, W1, b1, W2, b2)[:, n].max(),
            "you returned the activation itself",
        ),
        (
            lambda X, W1, b1, W2, b2, n: np.argmax((X @ W1 + b1)[:, n]),
            "neuron 2 of the first hidden layer",
        ),
        (
            lambda X, W1, b1, W2, b2, n: np.argmax(sigmoid((X @ W1 + b1) @ W2 + b2)[:, n]),
            "the second layer must get the first layer's activations",
        ),
        (
            lambda X, W1, b1, W2, b2, n: np.argmax(activations(X, W1, b1, W2, b2)[n]),
            "you took row 2, which is one image",
        ),
        (
            lambda X, W1, b1, W2, b2, n: np.argmax(activations(X, W1, b1, W2, b2)),
            "np.argmax without an axis",
        ),
        (
            lambda X, W1, b1, W2, b2, n: np.argmax(activations(X, W1, b1, W2, b2), axis=0),
            "the most exciting image of every neuron",
        ),
    ],
)
def test_most_exciting_digit_hints(wrong, hint, capsys):
    assert_fails_with(run(check_most_exciting_digit, wrong, capsys), hint)


def test_never_inked_reference_passes_and_stub(capsys):
    out = run(check_never_inked, lambda X: ~np.any(X > 0, axis=0), capsys)
    assert out == "✓ <lambda> is correct on 3 test cases.\n"
    assert run(check_never_inked, lambda X: np.all(X == 0, axis=0), capsys).startswith("✓ ")
    assert run(check_never_inked, not_written, capsys).startswith("○ not_written: not done")


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda X: np.all(X == 0, axis=1), "you answered once per image (axis=1)"),
        (lambda X: np.any(X > 0, axis=0), "True and False are swapped"),
        (lambda X: np.all(X > 0, axis=0), "you marked the pixels inked in every image"),
        (lambda X: ~np.all(X > 0, axis=0), "blank in at least one image"),
        (lambda X: np.all(X == 0), "one value for the whole array"),
        (lambda X: np.all(X == 0, axis=0).astype(int), "the dtype is int64"),
        (lambda X: (X == 0).sum(axis=0) > len(X) // 2, "expected 0"),
    ],
)
def test_never_inked_hints(wrong, hint, capsys):
    assert_fails_with(run(check_never_inked, wrong, capsys), hint)
