"""Notebook 02's exercise: a layer's forward pass for a batch, ``layer_forward(X, W, b)``."""

import numpy as np

from ..activations import sigmoid
from ._engine import Exercise, Output, probe

__all__ = ["check_count_params", "check_layer_forward"]


def _cases():
    # every size differs from the others, so a product in the wrong order cannot line up
    rng = np.random.default_rng(2)
    cases = []
    for n, i, j in [(5, 4, 3), (1, 4, 3), (2, 6, 5)]:  # (n_samples, n_inputs, n_neurons)
        X = np.round(rng.uniform(-2, 2, size=(n, i)), 2)
        W = np.round(rng.uniform(-1, 1, size=(i, j)), 2)
        b = np.round(rng.uniform(-1, 1, size=(1, j)), 2)
        cases.append((X, W, b))
    return cases


# A square probe (3 samples, 3 inputs, 3 neurons): the mistakes that raise on the real cases
# run here, and their values say which one it was.
_PX = np.array([[1.0, -2.0, 0.5], [0.0, 1.5, -1.0], [2.0, 0.5, 1.0]])
_PW = np.array([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5], [-0.75, 0.25, 1.0]])
_PB = np.array([[0.1, -0.2, 0.3]])
_P = (_PX, _PW, _PB)

_ORDER = "in the batch-first form X is (n_samples, n_inputs) and W is (n_inputs, n_neurons)"

LAYER_FORWARD = Exercise(
    check="check_layer_forward",
    args=("X", "W", "b"),
    cases=_cases,
    reference=lambda X, W, b: X @ W + b,
    todo="return the weighted sums of the whole batch plus the biases: one row per sample, one "
    "column per neuron, shape (n_samples, n_neurons).",
    context=lambda X, W, b: {"ctx": f"X is {X.shape}, W is {W.shape}, b is {b.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_rules=(
        (
            lambda c: probe(c, _P, _PW @ _PX + _PB),
            f"you computed W @ X; {_ORDER}, so the inputs line up in X @ W + b.",
        ),
        (lambda c: probe(c, _P, _PX @ _PW.T + _PB), f"you used W.T; {_ORDER} already: X @ W + b."),
        (
            lambda c: probe(c, _P, _PX @ _PW + _PB.T),
            "the bias has one value per neuron, a row "
            "of shape (1, n_neurons) that NumPy adds to every sample; you turned it into a column "
            "(one value per sample). Add b as it is: X @ W + b.",
        ),
        (
            lambda c: probe(c, _P, _PX * _PW + _PB),
            "* multiplies element by element; the "
            "weighted sums need the matrix product @: X @ W + b.",
        ),
    ),
    error_hint=f"{_ORDER}: X @ W is (n_samples, n_neurons), and b, (1, n_neurons), is added to "
    "every row.",
    in_place_hint="build the result as a new array (Z = X @ W + b), never X += ... or W[...] = ...",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == c.expected.T.shape,
                    "your output is transposed: one "
                    "row per neuron. Return one row per sample, X @ W + b, without .T.",
                ),
                (
                    lambda c: c.got.shape in ((c.W.shape[1],), (1, c.W.shape[1])),
                    "you added the samples up; keep one row per sample: X @ W + b.",
                ),
                (
                    lambda c: c.got.shape == (c.X.shape[0],),
                    "you added up each sample's outputs; keep one column per neuron: X @ W + b.",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="X @ W + b has one row per sample and one column per neuron.",
            rules=(
                (lambda c: c.X @ c.W, "you forgot the bias: add b to X @ W."),
                (lambda c: c.X @ c.W - c.b, "you subtracted the bias; add it: X @ W + b."),
                (
                    lambda c: c.X @ c.W + c.b.sum(),
                    "you added the sum of all biases to every "
                    "neuron; each neuron gets its own bias: X @ W + b.",
                ),
                (
                    lambda c: sigmoid(c.expected),
                    "you applied the sigmoid; a layer's forward pass "
                    "here is only the weighted sums X @ W + b.",
                ),
                (
                    lambda c: np.maximum(c.expected, 0),
                    "you applied ReLU; a layer's forward pass "
                    "here is only the weighted sums X @ W + b.",
                ),
            ),
            wrong_problem="the values are wrong (with {ctx}).",
            difference_problem="with {ctx}, sample {i[0]}, neuron {i[1]} is {g:.4f}, "
            "expected {e:.4f}.",
            difference_hint="Z[s, j] is sample s's inputs times neuron j's column of W, plus "
            "b[0, j]: X @ W + b.",
        ),
    ),
)


def check_layer_forward(fn):
    """Check ``fn(X, W, b)``: a layer's weighted sums for a batch, ``X @ W + b`` (batch-first).

    ``X`` is (n_samples, n_inputs), ``W`` is (n_inputs, n_neurons), ``b`` is (1, n_neurons).
    The cases have different sizes on every axis, so a product in the wrong order or a
    transposed result is named. Prints a pass or a hint.
    """
    LAYER_FORWARD.run(fn)


# ---------------------------------------------------------------------------------------------
# count_params(layer_sizes): weights and biases of a stack of dense layers
# ---------------------------------------------------------------------------------------------
def _count(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def _pairs(c):
    return list(zip(c.sizes[:-1], c.sizes[1:]))


COUNT_PARAMS = Exercise(
    check="check_count_params",
    args=("sizes",),
    cases=lambda: [([4, 3],), ([784, 16, 16, 10],), ([2, 5, 1],), ([784, 10, 10],)],
    reference=_count,
    todo="return how many weights and biases dense layers of these widths have (e.g. [784, 16, 16, "
    "10] has 13,002).",
    context=lambda sizes: {"ctx": f"sizes {sizes}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="sizes is a list of whole numbers; pair each size with the next one: "
    "zip(sizes[:-1], sizes[1:]).",
    not_array=("with {ctx} it returned a {result_type}.", "return one whole number."),
    outputs=(
        Output(
            shape_problem="with {ctx} it returned {got.shape} values, expected one number.",
            shape_hint="add the counts of every layer up into one number.",
            rules=(
                (
                    lambda c: sum(i * o for i, o in _pairs(c)),
                    "you counted the weights only: each neuron also has a bias (n_out per layer).",
                ),
                (
                    lambda c: sum(i * o + i for i, o in _pairs(c)),
                    "the biases belong to the neurons a layer computes: n_out per layer, not n_in.",
                ),
                (
                    lambda c: sum(i * o for i, o in _pairs(c)) + sum(c.sizes),
                    "the input layer has no biases: it is the data, not neurons. Count n_out "
                    "biases per layer.",
                ),
                (
                    lambda c: sum(i + o + o for i, o in _pairs(c)),
                    "every input connects to every neuron: n_in * n_out weights, not n_in + n_out.",
                ),
                (
                    lambda c: c.sizes[0] * c.sizes[-1] + c.sizes[-1],
                    "you counted one layer from the first size to the last; there is one layer "
                    "per pair of neighbouring sizes.",
                ),
            ),
            wrong_problem=lambda c: (
                f"with {c.ctx} it returned {float(c.got):g}, expected {float(c.expected):g}."
            ),
            difference_problem=lambda c: (
                f"with {c.ctx} it returned {float(c.got):g}, expected {float(c.expected):g}."
            ),
            difference_hint="per layer n_in * n_out weights + n_out biases, summed over "
            "zip(sizes[:-1], sizes[1:]).",
        ),
    ),
)


def check_count_params(fn):
    """Check ``fn(sizes)``: the number of weights and biases of dense layers of these sizes.

    ``sizes`` lists the layer widths, input first, e.g. [784, 16, 16, 10] (13,002). Prints a
    pass or a hint.
    """
    COUNT_PARAMS.run(fn)
