"""Checkers of notebook 05's general network: a list of layers, forward in order, backward in
reverse. The hints come from the calls the checker's layers record."""

import numpy as np
import pytest
from checker_helpers import assert_fails_with, not_written, run

from nnfs_utils.activations import ReLU
from nnfs_utils.exercises import check_network_backward, check_network_forward
from nnfs_utils.layers import Dense


def network_forward(layers, X):
    for layer in layers:
        X = layer.forward(X)
    return X


def network_backward(layers, dZ):
    for layer in reversed(layers):
        dZ = layer.backward(dZ)
    return dZ


def test_reference_passes_and_stubs_say_what_to_write(capsys):
    assert run(check_network_forward, network_forward, capsys) == (
        "✓ network_forward is correct on 3 test cases.\n"
    )
    assert run(check_network_backward, network_backward, capsys) == (
        "✓ network_backward is correct on 3 test cases.\n"
    )
    for check in (check_network_forward, check_network_backward):
        out = run(check, not_written, capsys)
        assert out.startswith("○ not_written: not done yet (it raises NotImplementedError).\n")


def test_the_solutions_work_on_nnfs_utils_layers():
    # what the learner writes runs on the package's own layers too (as notebook 05 uses it)
    rng = np.random.default_rng(0)
    layers = [Dense(3, 4, rng=0, dtype=np.float64), ReLU(), Dense(4, 2, rng=1, dtype=np.float64)]
    X = rng.normal(size=(5, 3))
    out = network_forward(layers, X)
    dZ = rng.normal(size=out.shape)
    dX = network_backward(layers, dZ)
    W1, b1, W2, b2 = layers[0].W, layers[0].b, layers[2].W, layers[2].b
    Z1 = X @ W1 + b1
    assert np.allclose(out, np.maximum(Z1, 0) @ W2 + b2)
    assert np.allclose(dX, ((dZ @ W2.T) * (Z1 > 0)) @ W1.T)


def forward_not_chained(layers, X):
    out = X
    for layer in layers:
        out = layer.forward(X)
    return out


def forward_reversed(layers, X):
    for layer in reversed(layers):
        X = layer.forward(X)
    return X


def forward_dense_only(layers, X):
    for layer in layers[::2]:
        X = layer.forward(X)
    return X


def forward_no_return(layers, X):
    for layer in layers:
        X = layer.forward(X)


def forward_all_outputs(layers, X):
    outputs = []
    for layer in layers:
        X = layer.forward(X)
        outputs.append(X)
    return outputs


def forward_returns_first(layers, X):
    first = out = layers[0].forward(X)
    for layer in layers[1:]:
        out = layer.forward(out)
    return first


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (
            forward_not_chained,
            ["forward was called on: Dense(3 -> 4), ReLU, Dense(4 -> 2)", "not X"],
        ),
        (forward_reversed, ["forward was called on: Dense(4 -> 2).", "first to last"]),
        (forward_dense_only, ["called on: Dense(3 -> 4), Dense(4 -> 2).", "the activations too"]),
        (forward_no_return, ["it returned None", "return X"]),
        (forward_all_outputs, ["it returned a list", "only the last layer's output"]),
        (forward_returns_first, ["you returned an earlier layer's output"]),
        (lambda layers, X: X, ["forward was called on: no layer"]),
    ],
)
def test_network_forward_hints(wrong, hints, capsys):
    assert_fails_with(run(check_network_forward, wrong, capsys), *hints)


def backward_in_forward_order(layers, dZ):
    for layer in layers:
        dZ = layer.backward(dZ)
    return dZ


def backward_not_propagated(layers, dZ):
    for layer in reversed(layers):
        layer.backward(dZ)
    return dZ


def backward_no_return(layers, dZ):
    for layer in reversed(layers):
        dZ = layer.backward(dZ)


def backward_dense_only(layers, dZ):
    for layer in reversed(layers[::2]):
        dZ = layer.backward(dZ)
    return dZ


def backward_returns_given(layers, dZ):
    grad = dZ
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return dZ


def backward_runs_forward(layers, dZ):
    layers[0].forward(np.ones((len(dZ), layers[0].W.shape[0])))
    return network_backward(layers, dZ)


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (backward_in_forward_order, ["backward was called on: Dense(3 -> 4).", "reverse order"]),
        (
            backward_not_propagated,
            ["backward was called on: Dense(4 -> 2), ReLU", "dZ = layer.backward(dZ)"],
        ),
        (backward_no_return, ["it returned None", "return dZ"]),
        (backward_dense_only, ["the activations too"]),
        (backward_returns_given, ["you returned the dZ you were given"]),
        (backward_runs_forward, ["it called forward again"]),
    ],
)
def test_network_backward_hints(wrong, hints, capsys):
    assert_fails_with(run(check_network_backward, wrong, capsys), *hints)
