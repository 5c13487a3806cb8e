"""Checkers of notebook 09: momentum and Adam steps, against nnfs_utils' own optimizers."""

import numpy as np
import pytest
from checker_helpers import assert_fails_with, not_written, run

from nnfs_utils.exercises import check_adam_update, check_momentum_update


def momentum_update(W, dW, v, lr, momentum):
    v = momentum * v - lr * dW
    return W + v, v


def momentum_update_in_place(W, dW, v, lr, momentum):
    v *= momentum
    v -= lr * dW
    W += v
    return W, v


def adam_update(W, dW, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * dW
    v = beta2 * v + (1 - beta2) * dW**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return W - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_with(**change):
    """adam_update with one typical mistake switched on."""

    def fn(W, dW, m, v, t, lr, beta1, beta2, eps):
        t_used = t + change.get("t_shift", 0)
        m = beta1 * m + (1 if change.get("m_no_factor") else 1 - beta1) * dW
        v = beta2 * v + (1 - beta2) * (dW if change.get("v_not_squared") else dW**2)
        m_hat, v_hat = m / (1 - beta1**t_used), v / (1 - beta2**t_used)
        if change.get("no_correction"):
            m_hat, v_hat = m, v
        if change.get("m_under_root"):
            v_hat = m_hat
        if change.get("eps_inside"):
            denominator = np.sqrt(v_hat + eps)
        elif change.get("no_root"):
            denominator = v_hat + eps
        else:
            denominator = np.sqrt(v_hat) + eps
        step = lr * m_hat / denominator
        W = W + step if change.get("uphill") else W - step
        return (W, m_hat, v) if change.get("return_m_hat") else (W, m, v)

    return fn


def test_references_pass_against_the_optimizers_and_stubs(capsys):
    assert run(check_momentum_update, momentum_update, capsys) == (
        "✓ momentum_update matches nnfs_utils' SGD(momentum=0.9) over 3 steps.\n"
    )
    assert run(check_momentum_update, momentum_update_in_place, capsys).startswith("✓ ")
    assert run(check_adam_update, adam_update, capsys) == (
        "✓ adam_update matches nnfs_utils' Adam over 3 steps.\n"
    )
    for check in (check_momentum_update, check_adam_update):
        assert run(check, not_written, capsys).startswith("○ not_written: not done yet")


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (
            lambda W, dW, v, lr, mu: (W - (mu * v + lr * dW), mu * v + lr * dW),
            ["at step 1", "the velocity v is wrong", "the velocity has the wrong sign"],
        ),
        (
            lambda W, dW, v, lr, mu: (W - (mu * v - lr * dW), mu * v - lr * dW),
            ["W is wrong", "add it, W = W + v"],
        ),
        (
            lambda W, dW, v, lr, mu: (W + v, mu * v - lr * dW),
            ["you moved W with the old velocity"],
        ),
        (
            lambda W, dW, v, lr, mu: (W - lr * dW, -lr * dW),
            ["at step 2", "the velocity forgot its past"],
        ),
        (lambda W, dW, v, lr, mu: (W + mu * v - dW, mu * v - dW), ["the learning rate is missing"]),
        (lambda W, dW, v, lr, mu: W + mu * v - lr * dW, ["not two arrays", "return W, v"]),
    ],
)
def test_momentum_hints(wrong, hints, capsys):
    assert_fails_with(run(check_momentum_update, wrong, capsys), *hints)


@pytest.mark.parametrize(
    ("change", "hints"),
    [
        ({"no_correction": True}, ["at step 1", "W is wrong", "the bias correction is missing"]),
        ({"t_shift": -1}, ["W is all nan or inf", "The step counter starts at 1"]),
        ({"t_shift": +1}, ["the correction used t + 1"]),
        ({"eps_inside": True}, ["eps goes outside the square root"]),
        ({"no_root": True}, ["the square root is missing"]),
        ({"m_under_root": True}, ["the square root of the wrong running average"]),
        ({"uphill": True}, ["the sign is flipped"]),
        ({"m_no_factor": True}, ["m is wrong", "m is missing the factor (1 - beta1)"]),
        ({"v_not_squared": True}, ["v is wrong", "v averages the squared gradient"]),
        ({"return_m_hat": True}, ["m is wrong", "return the running average m itself"]),
    ],
)
def test_adam_hints(change, hints, capsys):
    assert_fails_with(run(check_adam_update, adam_with(**change), capsys), *hints)
