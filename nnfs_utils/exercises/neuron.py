"""Notebook 01's exercise: one neuron, ``neuron(x, w, b, activation)``."""

import numpy as np

from ..activations import sigmoid
from ._engine import Exercise, Output

__all__ = ["check_neuron", "check_weighted_sum"]

_ACTIVATIONS = {
    "step": lambda z: np.where(z > 0, 1.0, 0.0),
    "sigmoid": sigmoid,
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z,
}


def _neuron(x, w, b, activation):
    return _ACTIVATIONS[activation](np.dot(x, w) + b)


def _cases():
    nb01 = (np.array([1.0, 2.0, 3.0]), np.array([0.2, 0.8, -0.5]))  # notebook 01: z = 2.3
    four = (np.array([1.0, 2.0, 3.0, 2.5]), np.array([0.2, 0.8, -0.5, 1.0]))  # x @ w = 2.8
    zero = (np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.25, -0.5]))  # x @ w = -0.5 exactly
    return [
        (*nb01, 2.0, "linear"),
        (*nb01, 2.0, "sigmoid"),
        (*zero, 1.0, "step"),
        (np.array([1.0, 2.0, 3.0]), np.array([0.2, -0.8, -0.5]), 1.0, "relu"),  # z = -1.9
        (*zero, 0.5, "step"),  # z = 0 exactly: the step is 0 there (it fires for z > 0)
        (np.array([2.0, -1.0]), np.array([1.5, 0.5]), -1.0, "relu"),
        (*four, -3.5, "sigmoid"),
    ]


def _context(x, w, b, activation):
    nums = lambda a: "[" + ", ".join(f"{v:g}" for v in a) + "]"  # noqa: E731
    return {
        "ctx": f'x = {nums(x)}, w = {nums(w)}, b = {b:g}, activation "{activation}"',
        "z": float(np.dot(x, w) + b),
        "act": _ACTIVATIONS[activation],
    }


def _said(c):
    return f"with {c.ctx} it returned {float(c.got):.4f}, expected {float(c.expected):.4f}."


NEURON = Exercise(
    check="check_neuron",
    args=("x", "w", "b", "activation"),
    cases=_cases,
    reference=_neuron,
    todo="compute z, the weighted sum of x with w plus b, then apply the activation named by "
    '`activation` ("step", "sigmoid", "relu" or "linear") and return that one number.',
    context=_context,
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="x and w are NumPy arrays of the same length and b is a number: z = np.dot(x, w) "
    '+ b; then one `if activation == "step": ...` branch per activation.',
    none_hint='with activation "{activation}" it returned None: does every branch (step, '
    "sigmoid, relu, linear) end with a `return`?",
    not_array=("with {ctx} it returned a {result_type}.", "return one number."),
    in_place_hint="compute z into a new variable; never change x or w.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == c.x.shape,
                    "you returned one value per input: add the "
                    "products up, np.dot(x, w) (or x @ w), then add b once.",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected one number.",
            shape_hint="return one number: the activation of np.dot(x, w) + b.",
            rules=(
                (
                    lambda c: c.activation == "step" and c.z == 0 and float(c.got) == 1.0,
                    _said,
                    "at z = 0 the step gives 0: it fires only when z > 0 (you used z >= 0).",
                ),
                (
                    lambda c: c.activation != "linear" and float(c.got) == c.z,
                    _said,
                    'you returned z itself: apply the activation "{activation}" to z.',
                ),
                (
                    lambda c: c.activation == "sigmoid" and 1 / (1 + np.exp(c.z)),
                    _said,
                    "the sign in the sigmoid is flipped: 1 / (1 + np.exp(-z)).",
                ),
                (
                    lambda c: c.activation == "relu" and min(c.z, 0.0),
                    _said,
                    "ReLU keeps the positive part: max(0, z), not min(0, z).",
                ),
                (
                    lambda c: c.activation == "step" and float(c.got) == float(c.z < 0),
                    _said,
                    "the step is the wrong way round: 1 when z > 0, else 0.",
                ),
                # general mistakes: found on the first case (linear), before any activation
                (
                    lambda c: c.act(np.dot(c.x, c.w)),
                    _said,
                    "you forgot the bias: z = np.dot(x, w) + b, then the activation.",
                ),
                (
                    lambda c: c.act(np.dot(c.x, c.w)) + c.b,
                    _said,
                    "you applied the activation "
                    "before adding the bias; the bias is part of z: activation(np.dot(x, w) + b).",
                ),
                (
                    lambda c: c.act(np.sum(c.x) + np.sum(c.w) + c.b),
                    _said,
                    "you added sum(x) and sum(w); multiply each input by its own weight and add "
                    "the products: np.dot(x, w).",
                ),
                (
                    lambda c: c.act(np.sum(c.x) * np.sum(c.w) + c.b),
                    _said,
                    "you multiplied sum(x) "
                    "by sum(w); multiply each input by its own weight first: np.dot(x, w).",
                ),
            ),
            difference_problem=_said,
            difference_hint='z = np.dot(x, w) + b, then: "step" 1.0 if z > 0 else 0.0; "sigmoid"'
            ' 1 / (1 + np.exp(-z)); "relu" max(0, z); "linear" z itself.',
        ),
    ),
)


def check_neuron(fn):
    """Check ``fn(x, w, b, activation)``: one neuron's output for the inputs ``x``.

    ``x`` and ``w`` are 1-D arrays, ``b`` a number, ``activation`` one of "step", "sigmoid",
    "relu", "linear". The reference is ``activation(np.dot(x, w) + b)``, where the step is 1
    for z > 0 and 0 otherwise. Prints a pass or a hint.
    """
    NEURON.run(fn)


# ---------------------------------------------------------------------------------------------
# weighted_sum(inputs, weights, bias): the same sum with a plain Python loop
# ---------------------------------------------------------------------------------------------
WEIGHTED_SUM = Exercise(
    check="check_weighted_sum",
    args=("inputs", "weights", "bias"),
    cases=lambda: [
        ([1, 2, 3], [0.2, 0.8, -0.5], 2),  # notebook 01: 2.3
        ([1, 2, 3, 2.5], [0.2, 0.8, -0.5, 1.0], 2),  # 4.8
        ([4.0, -1.5], [0.25, 2.0], -0.5),
    ],
    reference=lambda inputs, weights, bias: sum(x * w for x, w in zip(inputs, weights)) + bias,
    todo="add up input times weight over every pair, add the bias once, and return that number.",
    context=lambda inputs, weights, bias: {
        "ctx": f"inputs = {inputs}, weights = {weights}, bias = {bias}"
    },
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="inputs and weights are lists of numbers: loop over both at once with "
    "zip(inputs, weights) and add x * w for each pair.",
    not_array=("with {ctx} it returned a {result_type}.", "return one number."),
    outputs=(
        Output(
            shape_problem="with {ctx} it returned {got.shape} values, expected one number.",
            shape_hint="add the products up into one number; return it after the loop.",
            rules=(
                (
                    lambda c: c.inputs[0] * c.weights[0] + c.bias,
                    "only the first input counted: the `return` is inside the loop. Move it out "
                    "(one indentation level left) so the loop runs over every input.",
                ),
                (lambda c: c.answer - c.bias, "you forgot the bias: start from output = bias."),
                (
                    lambda c: c.answer + (len(c.inputs) - 1) * c.bias,
                    "the bias was added once per input: add it once, before or after the loop.",
                ),
                (
                    lambda c: sum(c.inputs) * sum(c.weights) + c.bias,
                    "you multiplied sum(inputs) by sum(weights); multiply each input by its own "
                    "weight, then add the products.",
                ),
                (
                    lambda c: sum(x + w for x, w in zip(c.inputs, c.weights)) + c.bias,
                    "you added each input to its weight; multiply them: x * w.",
                ),
            ),
            wrong_problem=lambda c: (
                f"with {c.ctx} it returned {float(c.got):.4f}, expected {float(c.expected):.4f}."
            ),
            difference_problem=lambda c: (
                f"with {c.ctx} it returned {float(c.got):.4f}, expected {float(c.expected):.4f}."
            ),
            difference_hint="output = bias, then output += x * w for every pair (x, w).",
        ),
    ),
)


def check_weighted_sum(fn):
    """Check ``fn(inputs, weights, bias)``: ``bias`` plus the sum of ``x * w``, with a loop.

    ``inputs`` and ``weights`` are lists of the same length. Prints a pass or a hint.
    """
    WEIGHTED_SUM.run(fn)
