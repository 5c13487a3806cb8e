"""Notebook 06's exercises: one-hot labels, and flattening images to rows and back."""

import numpy as np

from ._engine import Exercise, Output

__all__ = ["check_flatten", "check_one_hot", "check_unflatten"]


# ---------------------------------------------------------------------------------------------
# one_hot(y): labels (n,) -> (n, 10), row i has a single 1 in column y[i]
# ---------------------------------------------------------------------------------------------
def _one_hot(y):
    return np.eye(10)[y]


_LABELS = [
    np.array([3, 1, 4, 1, 5]),  # no 0 and no 9: the largest label is not the number of classes
    np.array([7, 0, 9, 2, 8, 6, 5, 4, 3, 1, 0, 9]),
    np.array([7]),
]

ONE_HOT = Exercise(
    check="check_one_hot",
    args=("y",),
    cases=lambda: [(y.copy(),) for y in _LABELS],
    reference=_one_hot,
    todo="return a float array of shape (len(y), 10): a 1 in row i, column y[i], and 0 everywhere "
    "else.",
    context=lambda y: {"ctx": f"y = {y.tolist()}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_rules=(
        (
            lambda c: isinstance(c.error, IndexError),
            "an index fell outside the array: the "
            "columns are numbered 0 to 9, so label k goes in column k (not k + 1).",
        ),
    ),
    error_hint="make Y = np.zeros((len(y), 10)), then set Y[np.arange(len(y)), y] = 1.",
    in_place_hint="build a new array Y; never change the labels y.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == (10, len(c.y)),
                    "your one-hot array is transposed: "
                    "here one sample is one row, so Y is (n_samples, 10). (Notebook 07's column "
                    "form is the transpose.)",
                ),
                (
                    lambda c: c.got.shape == (len(c.y), c.y.max() + 1),
                    "you took the number of "
                    "classes from max(y) + 1; a batch need not contain every digit. There are "
                    "always 10 classes: np.zeros((len(y), 10)).",
                ),
                (
                    lambda c: c.got.shape == c.y.shape,
                    "you returned one number per label; each "
                    "label becomes a row of 10 numbers, with a 1 in column y[i].",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="one row per label, one column per digit: (len(y), 10).",
            rules=(
                (
                    lambda c: np.eye(10)[(c.y - 1) % 10],
                    "off by one: label k goes in column k "
                    "(columns are numbered from 0), not k - 1.",
                ),
                (
                    lambda c: np.eye(10)[(c.y + 1) % 10],
                    "off by one: label k goes in column k "
                    "(columns are numbered from 0), not k + 1.",
                ),
                (
                    lambda c: 1 - c.expected,
                    "the 0s and 1s are swapped: all zeros, and a single 1 in column y[i].",
                ),
                (
                    lambda c: np.eye(10)[c.y].cumsum(axis=1),
                    "only one entry per row is 1: Y[i, y[i]] = 1, every other entry stays 0.",
                ),
            ),
            wrong_problem="with {ctx} the values are wrong.",
            difference_problem="with {ctx}, Y{at} is {g:g}, expected {e:g}.",
            difference_hint="row i is all zeros except a 1 in column y[i]: "
            "Y[np.arange(len(y)), y] = 1.",
            also=(
                (
                    lambda c: np.asarray(c.raw).dtype.kind != "f",
                    "with {ctx} the values are right but the dtype is {raw.dtype}.",
                    "the one-hot rows are used in float arithmetic (probabilities minus Y): "
                    "make them floats, e.g. np.zeros((len(y), 10), dtype=np.float32).",
                ),
            ),
        ),
    ),
)


def check_one_hot(fn):
    """Check ``fn(y)``: labels (n,) to a float array (n, 10) with a 1 in column ``y[i]`` of row i.

    Prints a pass or a hint.
    """
    ONE_HOT.run(fn)


# ---------------------------------------------------------------------------------------------
# flatten(images): (n, 28, 28) -> (n, 784), row by row; unflatten(X): the way back
# ---------------------------------------------------------------------------------------------
def _images():
    rng = np.random.default_rng(5)
    ramp = (np.arange(3 * 784, dtype=np.float32) / (3 * 784)).reshape(3, 28, 28)
    return [
        ramp,
        rng.random((1, 28, 28), dtype=np.float32),
        rng.random((4, 28, 28), dtype=np.float32),
    ]


_ROW_BY_ROW = "reshape reads row by row (row 0's 28 pixels, then row 1's, ...), as notebook 06 "
# A transposed image and order="F" are the same mistake: on (n, 28, 28) -> (n, 784) order="F"
# keeps the images apart (the first axis stays first) but reads each one column by column.
_COLUMN_BY_COLUMN = (
    "every image was read column by column (a transpose, or order='F'): "
    f"{_ROW_BY_ROW}does with the default order; no .T, no order='F'."
)


FLATTEN = Exercise(
    check="check_flatten",
    args=("images",),
    cases=lambda: [(im,) for im in _images()],
    reference=lambda images: images.reshape(len(images), 784),
    todo="return the images as rows of 784 pixels, shape (n_images, 784), each image read row by "
    "row.",
    context=lambda images: {"ctx": f"images of shape {images.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="keep the first axis (one entry per image) and join the other two: "
    "images.reshape(len(images), 784).",
    in_place_hint="return a reshaped view or copy; never write into images.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == (784, len(c.images)),
                    "your result is transposed: one row per image, (n_images, 784).",
                ),
                (
                    lambda c: c.got.shape == (len(c.images) * 784,),
                    "you flattened the whole "
                    "batch into one long vector; keep one row per image: "
                    "images.reshape(len(images), 784).",
                ),
                (
                    lambda c: c.got.shape == (784,),
                    "you flattened one image; do the whole batch: "
                    "images.reshape(len(images), 784).",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="one row of 784 pixels per image: images.reshape(len(images), 784).",
            rules=(
                (
                    lambda c: c.images.transpose(0, 2, 1).reshape(len(c.images), 784),
                    _COLUMN_BY_COLUMN,
                ),
            ),
            wrong_problem="with {ctx} the pixels are in the wrong places.",
            difference_problem="with {ctx}, X{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint=f"{_ROW_BY_ROW}does: images.reshape(len(images), 784).",
        ),
    ),
)

UNFLATTEN = Exercise(
    check="check_unflatten",
    args=("X",),
    cases=lambda: [(im.reshape(len(im), 784),) for im in _images()],
    reference=lambda X: X.reshape(len(X), 28, 28),
    todo="return the rows as 28x28 images, shape (n_images, 28, 28).",
    context=lambda X: {"ctx": f"X of shape {X.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="keep the first axis (one row per image) and split the 784 pixels into 28 rows "
    "of 28: X.reshape(len(X), 28, 28).",
    in_place_hint="return a reshaped view or copy; never write into X.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == (28, 28, len(c.X)),
                    "the image axis comes first: "
                    "(n_images, 28, 28), so images[i] is one whole image.",
                ),
                (
                    lambda c: c.got.shape == (len(c.X) * 28, 28),
                    "you stacked all the rows into "
                    "one tall image; keep one 28x28 image per row of X: X.reshape(len(X), 28, 28).",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="one 28x28 image per row of X: X.reshape(len(X), 28, 28).",
            rules=(
                (lambda c: c.X.reshape(len(c.X), 28, 28).transpose(0, 2, 1), _COLUMN_BY_COLUMN),
            ),
            wrong_problem="with {ctx} the pixels are in the wrong places.",
            difference_problem="with {ctx}, image {i[0]}, row {i[1]}, column {i[2]} is {g:.4f}, "
            "expected {e:.4f}.",
            difference_hint=f"{_ROW_BY_ROW}does: X.reshape(len(X), 28, 28).",
        ),
    ),
)


def check_flatten(fn):
    """Check ``fn(images)``: images (n, 28, 28) to rows (n, 784), each read row by row.

    Prints a pass or a hint.
    """
    FLATTEN.run(fn)


def check_unflatten(fn):
    """Check ``fn(X)``: rows (n, 784) back to images (n, 28, 28), row by row.

    Prints a pass or a hint.
    """
    UNFLATTEN.run(fn)
