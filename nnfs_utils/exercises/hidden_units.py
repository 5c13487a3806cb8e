"""Notebook 08's exercise: the dev digit that most excites a chosen hidden neuron.

The learner writes ``most_exciting_digit(X, W1, b1, W2, b2, neuron)``: the index of the row of
``X`` (one image per row) for which neuron ``neuron`` of the *second* hidden layer of a
784-16-16-10 sigmoid network has its largest activation. Batch-first, as ``MLP`` stores it:
``W1, b1 = model.layers[0].W, model.layers[0].b`` and ``W2, b2`` from ``model.layers[1]``.
"""

import numpy as np

from ..activations import sigmoid
from ._engine import Exercise, Output

__all__ = ["check_most_exciting_digit", "check_never_inked"]


def _hidden(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return Z1, A1, Z2, sigmoid(Z2)


def _cases():
    cases = []
    for seed, n, n_in, h1, h2, neuron in [
        (0, 40, 12, 6, 5, 2),
        (1, 25, 30, 8, 7, 6),
        (3, 9, 5, 4, 4, 0),
    ]:
        rng = np.random.default_rng(seed)
        X = rng.random((n, n_in))  # pixel-like values in [0, 1)
        W1 = rng.normal(0, 1, (n_in, h1))
        b1 = rng.normal(0, 1, (1, h1))
        W2 = rng.normal(0, 1, (h1, h2))
        b2 = rng.normal(0, 1, (1, h2))
        cases.append((X, W1, b1, W2, b2, neuron))
    return cases


def _most(X, W1, b1, W2, b2, neuron):
    return int(np.argmax(_hidden(X, W1, b1, W2, b2)[3][:, neuron]))


def _layers(c):
    return _hidden(c.X, c.W1, c.b1, c.W2, c.b2)


def _said(c):
    got = float(c.got)
    shown = f"{got:.0f}" if got.is_integer() else f"{got:.4f}"
    return f"with {c.ctx} it returned {shown}, expected {float(c.expected):.0f}."


MOST_EXCITING = Exercise(
    check="check_most_exciting_digit",
    args=("X", "W1", "b1", "W2", "b2", "neuron"),
    cases=_cases,
    reference=_most,
    todo="return the index of the row of X (one image) for which neuron `neuron` of the second "
    "hidden layer is most active.",
    context=lambda X, W1, b1, W2, b2, neuron: {
        "ctx": f"{len(X)} images and neuron {neuron} of a second hidden layer of {W2.shape[1]}"
    },
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="X is (n_images, n_pixels): A1 = sigmoid(X @ W1 + b1) is (n_images, 16), "
    "A2 = sigmoid(A1 @ W2 + b2) is (n_images, 16); column `neuron` of A2 holds that neuron's "
    "activation for every image.",
    not_array=("it returned a {result_type}.", "return one whole number, the image's index."),
    in_place_hint="compute new arrays; never change X or the weights.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == (c.W2.shape[1],),
                    "you returned the most exciting image of every neuron (argmax over axis 0 of "
                    "the whole A2); pick the one neuron's column first: np.argmax(A2[:, neuron]).",
                ),
                (
                    lambda c: c.got.shape == (len(c.X),),
                    "you returned one value per image; return only the index of the largest.",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected one number.",
            shape_hint="return one whole number: int(np.argmax(A2[:, neuron])).",
            rules=(
                (
                    lambda c: np.argmin(_layers(c)[3][:, c.neuron]),
                    "you returned the image that excites the neuron least: use np.argmax, not "
                    "np.argmin.",
                ),
                (
                    lambda c: _layers(c)[3][:, c.neuron].max(),
                    "you returned the activation itself; return where it is: np.argmax, "
                    "not np.max.",
                ),
                (
                    lambda c: np.argmax(_layers(c)[0][:, c.neuron]),
                    "you looked at neuron {neuron} of the first hidden layer (X @ W1 + b1); the "
                    "neuron is in the second hidden layer: sigmoid(A1 @ W2 + b2).",
                ),
                (
                    lambda c: np.argmax((_layers(c)[0] @ c.W2 + c.b2)[:, c.neuron]),
                    "the second layer must get the first layer's activations: "
                    "A1 = sigmoid(X @ W1 + b1), then A1 @ W2 + b2 (you fed it X @ W1 + b1).",
                ),
                (
                    lambda c: np.argmax(_layers(c)[3][c.neuron]) if c.neuron < len(c.X) else None,
                    "you took row {neuron}, which is one image; a neuron is a column: "
                    "A2[:, neuron].",
                ),
                (
                    lambda c: np.argmax(_layers(c)[3]),
                    "np.argmax without an axis counts through the whole flattened array; take the "
                    "neuron's column first: np.argmax(A2[:, neuron]).",
                ),
            ),
            wrong_problem=_said,
            difference_problem=_said,
            difference_hint="A2 = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2); the answer is "
            "np.argmax(A2[:, neuron]), a row index of X.",
        ),
    ),
)


def check_most_exciting_digit(fn):
    """Check ``fn(X, W1, b1, W2, b2, neuron)``: the row of X that most excites a neuron.

    The neuron is number ``neuron`` of the second hidden layer of a sigmoid network stored
    batch-first (``W1`` is (n_pixels, n_hidden1), ``b1`` is (1, n_hidden1), and so on). Prints a
    pass or a hint.
    """
    MOST_EXCITING.run(fn)


# ---------------------------------------------------------------------------------------------
# never_inked(X): the pixels that are 0 in every image
# ---------------------------------------------------------------------------------------------
def _pixel_cases():
    rng = np.random.default_rng(7)
    cases = []
    for n, n_pixels in [(6, 16), (9, 784), (1, 12)]:
        X = np.where(rng.random((n, n_pixels)) < 0.6, 0.0, rng.random((n, n_pixels)))
        X[:, : n_pixels // 4] = 0.0  # a blank border: never inked
        cases.append((X,))
    return cases


NEVER_INKED = Exercise(
    check="check_never_inked",
    args=("X",),
    cases=_pixel_cases,
    reference=lambda X: ~np.any(X > 0, axis=0),
    todo="return one True/False per pixel (column of X): True where the pixel is 0 in every image.",
    context=lambda X: {"ctx": f"X of shape {X.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="X is (n_images, n_pixels): a test per pixel runs down the columns, axis=0.",
    in_place_hint="compare into a new array (X > 0); never change X.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == (len(c.X),),
                    "you answered once per image (axis=1); the question is per pixel: "
                    "look down each column, axis=0.",
                ),
                (
                    lambda c: c.got.shape == (),
                    "you returned one value for the whole array; keep one answer per pixel "
                    "with axis=0.",
                ),
                (lambda c: c.got.shape == c.X.shape, "reduce over the images with axis=0."),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="one True/False per pixel: shape (n_pixels,).",
            rules=(
                (
                    lambda c: np.any(c.X > 0, axis=0),
                    "True and False are swapped: you marked the pixels that are inked in some "
                    "image; negate it, ~np.any(X > 0, axis=0).",
                ),
                (
                    lambda c: np.all(c.X > 0, axis=0),
                    "you marked the pixels inked in every image; a never-inked pixel is 0 in "
                    "every image: np.all(X == 0, axis=0).",
                ),
                (
                    lambda c: ~np.all(c.X > 0, axis=0),
                    "that marks pixels that are blank in at least one image; never inked means "
                    "blank in all of them: np.all(X == 0, axis=0).",
                ),
            ),
            wrong_problem="with {ctx} the values are wrong.",
            difference_problem="with {ctx}, pixel {i[0]} is {g:g}, expected {e:g}.",
            difference_hint="True where every image has a 0 at that pixel: np.all(X == 0, axis=0).",
            also=(
                (
                    lambda c: np.asarray(c.raw).dtype != bool,
                    "with {ctx} the values are right but the dtype is {raw.dtype}.",
                    "return booleans, so the answer can select pixels: W[never_inked].",
                ),
            ),
        ),
    ),
)


def check_never_inked(fn):
    """Check ``fn(X)``: a boolean per pixel, True where the pixel is 0 in every image (row).

    Prints a pass or a hint.
    """
    NEVER_INKED.run(fn)
