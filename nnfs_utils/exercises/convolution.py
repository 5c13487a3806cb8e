"""Notebook 12's exercises: the output size of a convolution, one filter sliding over one image,
and the backward pass of 2x2 max-pooling."""

import numpy as np

from ._engine import Exercise, Output

__all__ = ["check_conv_output_size", "check_convolve", "check_maxpool_backward"]


# ---------------------------------------------------------------------------------------------
# conv_output_size(size, k, stride, padding) = (size + 2 padding - k) // stride + 1
# ---------------------------------------------------------------------------------------------
def _size(size, k, stride, padding):
    return (size + 2 * padding - k) // stride + 1


def _sz(c, size=None, k=None, stride=None, padding=None):
    size = c.size if size is None else size
    k = c.k if k is None else k
    return (
        size,
        k,
        c.stride if stride is None else stride,
        c.padding if padding is None else padding,
    )


def _number(c):
    return f"with {c.ctx} it returned {float(c.got):g}, expected {float(c.expected):g}."


OUTPUT_SIZE = Exercise(
    check="check_conv_output_size",
    args=("size", "k", "stride", "padding"),
    # sizes where the windows do not end at the edge (a floor is needed), padding on both sides
    cases=lambda: [(28, 5, 1, 0), (28, 5, 1, 2), (7, 3, 2, 0), (28, 3, 2, 1), (10, 4, 3, 0)],
    reference=_size,
    todo="return how many positions a k x k window takes along a side of `size` pixels: "
    "(size + 2 * padding - k) // stride + 1.",
    context=lambda size, k, stride, padding: {
        "ctx": f"size={size}, k={k}, stride={stride}, padding={padding}"
    },
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="the arguments are whole numbers; (size + 2 * padding - k) // stride + 1.",
    not_array=("with {ctx} it returned a {result_type}.", "return one whole number."),
    outputs=(
        Output(
            shape_problem="with {ctx} it returned {got.shape} values, expected one number.",
            shape_hint="return a single whole number.",
            rules=(
                (
                    lambda c: (c.size + 2 * c.padding - c.k) // c.stride,
                    "one short: the first window sits at position 0 before any step is taken, "
                    "so add 1 to the number of steps.",
                ),
                (
                    lambda c: (c.size + 2 * c.padding - c.k) / c.stride + 1,
                    "a window either fits or it does not: round the number of steps down with "
                    "// (floor division), not /.",
                ),
                (
                    lambda c: (c.size + c.padding - c.k) // c.stride + 1,
                    "padding adds zeros on both sides of the image: 2 * padding pixels.",
                ),
                (
                    lambda c: (c.size - c.k) // c.stride + 1,
                    "you left the padding out: the zeros around the image count as pixels.",
                ),
                (
                    lambda c: c.size + 2 * c.padding - c.k + 1,
                    "you left the stride out: with stride s the window jumps s pixels per step, "
                    "so divide the steps by s.",
                ),
                (
                    lambda c: -(-(c.size + 2 * c.padding - c.k) // c.stride) + 1,
                    "you rounded up; a window that would stick out of the image is not used, "
                    "so round down with //.",
                ),
            ),
            wrong_problem=_number,
            difference_problem=_number,
            difference_hint="count the steps the window can take, (size + 2 * padding - k) // "
            "stride, plus the first position.",
        ),
    ),
)


def check_conv_output_size(fn):
    """Check ``fn(size, k, stride, padding)``: the output size of a convolution along one side.

    The cases include strides that do not divide the image evenly. Prints a pass or a hint.
    """
    OUTPUT_SIZE.run(fn)


# ---------------------------------------------------------------------------------------------
# convolve(image, kernel): one k x k filter over one 2-D image, stride 1, no padding
# ---------------------------------------------------------------------------------------------
def _convolve(image, kernel):
    k1, k2 = kernel.shape
    H, W = image.shape
    Z = np.zeros((H - k1 + 1, W - k2 + 1))
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            Z[i, j] = np.sum(image[i : i + k1, j : j + k2] * kernel)
    return Z


def _conv_cases():
    # not square, kernels that are not symmetric: a flipped or transposed kernel shows
    rng = np.random.default_rng(12)
    cases = []
    for (h, w), (k1, k2) in [
        ((5, 6), (3, 3)),
        ((4, 7), (2, 3)),
        ((6, 5), (1, 1)),
        ((3, 3), (3, 3)),
    ]:
        image = np.round(rng.uniform(-1, 1, size=(h, w)), 2)
        kernel = np.round(rng.uniform(-1, 1, size=(k1, k2)), 2)
        cases.append((image, kernel))
    return cases


def _same(image, kernel):
    """A zero-padded 'same' result (the output as large as the image), for odd kernels."""
    k1, k2 = kernel.shape
    padded = np.pad(image, ((k1 // 2, k1 // 2), (k2 // 2, k2 // 2)))
    return _convolve(padded, kernel)


CONVOLVE = Exercise(
    check="check_convolve",
    args=("image", "kernel"),
    cases=_conv_cases,
    reference=_convolve,
    todo="return Z of shape (H - k + 1, W - k + 1) with Z[i, j] = the sum of "
    "image[i:i+k, j:j+k] * kernel (for a kernel of k rows and k columns).",
    context=lambda image, kernel: {"ctx": f"an image {image.shape} and a kernel {kernel.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_rules=(
        (
            lambda c: isinstance(c.error, (ValueError, IndexError)),
            "a window or the output has the wrong size: the last window starts at row H - k, "
            "so there are H - k + 1 rows of output (and W - k + 1 columns). Take "
            "image[i:i+k1, j:j+k2] with k1, k2 = kernel.shape.",
        ),
    ),
    error_hint="loop i over range(H - k1 + 1) and j over range(W - k2 + 1); "
    "Z[i, j] = np.sum(image[i:i+k1, j:j+k2] * kernel).",
    in_place_hint="write into a new array Z = np.zeros(...); leave image and kernel as they are.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == c.image.shape,
                    "your output is as large as the image; without padding a k x k window fits "
                    "in H - k + 1 rows and W - k + 1 columns.",
                ),
                (
                    lambda c: c.got.shape == (c.expected.shape[0] - 1, c.expected.shape[1] - 1),
                    "one row and one column short: the last window starts at row H - k, so "
                    "range(H - k + 1), not range(H - k).",
                ),
                (
                    lambda c: c.got.shape == c.expected.T.shape,
                    "your output is transposed: row i of Z is the window starting at row i of "
                    "the image.",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="Z has H - k1 + 1 rows and W - k2 + 1 columns.",
            rules=(
                (
                    lambda c: _convolve(c.image, c.kernel[::-1, ::-1]),
                    "you flipped the kernel (the textbook 'convolution'). Neural networks slide "
                    "the filter as it is (cross-correlation): multiply image[i:i+k, j:j+k] by "
                    "kernel itself.",
                ),
                (
                    lambda c: (
                        _convolve(c.image, c.kernel.T)
                        if c.kernel.shape[0] == c.kernel.shape[1]
                        else None
                    ),
                    "you used the transposed kernel: row u of the kernel meets row i + u of the "
                    "image.",
                ),
                (
                    lambda c: _convolve(c.image, c.kernel) / c.kernel.size,
                    "you averaged the products; a filter adds them up: np.sum(window * kernel).",
                ),
                (
                    lambda c: _convolve(c.image, np.ones_like(c.kernel)),
                    "you added up the pixels of each window without the kernel's weights: "
                    "multiply the window by the kernel first.",
                ),
            ),
            wrong_problem="the values are wrong (with {ctx}).",
            difference_problem="with {ctx}, Z{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="Z[i, j] = np.sum(image[i:i+k1, j:j+k2] * kernel): the window whose "
            "top-left pixel is image[i, j], times the kernel, summed.",
        ),
    ),
)


def check_convolve(fn):
    """Check ``fn(image, kernel)``: one filter slid over one 2-D image (stride 1, no padding).

    The images and kernels are not square and the kernels not symmetric, so a flipped or
    transposed kernel or a wrong output size is named. Prints a pass or a hint.
    """
    CONVOLVE.run(fn)


# ---------------------------------------------------------------------------------------------
# maxpool_backward(X, dZ): 2x2 max-pooling with stride 2 on a 2-D map; ties -> first maximum
# ---------------------------------------------------------------------------------------------
def _pool_backward(X, dZ):
    dX = np.zeros_like(X, dtype=np.float64)
    for i in range(dZ.shape[0]):
        for j in range(dZ.shape[1]):
            window = X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            u, v = np.unravel_index(np.argmax(window), window.shape)  # the first maximum
            dX[2 * i + u, 2 * j + v] = dZ[i, j]
    return dX


def _all_maxima(X, dZ, share):
    dX = np.zeros_like(X, dtype=np.float64)
    for i in range(dZ.shape[0]):
        for j in range(dZ.shape[1]):
            window = X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            mask = window == window.max()
            dX[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] = (
                mask * dZ[i, j] / (mask.sum() if share else 1)
            )
    return dX


def _last_maximum(X, dZ):
    flipped = _pool_backward(X[::-1, ::-1], dZ[::-1, ::-1])
    return flipped[::-1, ::-1]


def _pool_cases():
    rng = np.random.default_rng(7)
    cases = []
    # a map with ties: a window of equal values, a window with two equal maxima, a ReLU-like 0s
    X = np.array(
        [
            [0.5, 0.5, 0.0, 0.0, 1.0, 0.2],
            [0.5, 0.5, 0.0, 0.0, 0.3, 1.0],
            [0.1, 0.9, 2.0, -1.0, 0.4, 0.6],
            [0.8, 0.2, 1.5, 2.0, 0.7, 0.5],
        ]
    )
    cases.append((X, np.round(rng.uniform(-1, 1, size=(2, 3)), 2)))
    for h, w in [(4, 4), (6, 2), (2, 8)]:
        X = np.round(rng.uniform(-1, 1, size=(h, w)), 2)
        cases.append((X, np.round(rng.uniform(-1, 1, size=(h // 2, w // 2)), 2)))
    return cases


MAXPOOL_BACKWARD = Exercise(
    check="check_maxpool_backward",
    args=("X", "dZ"),
    cases=_pool_cases,
    reference=_pool_backward,
    todo="return dX, shaped like X: zeros, except that dZ[i, j] goes to the place of the maximum "
    "of window X[2i:2i+2, 2j:2j+2] (the first one in reading order when several tie).",
    context=lambda X, dZ: {"ctx": f"X of shape {X.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="loop over the windows: i over range(dZ.shape[0]), j over range(dZ.shape[1]); "
    "window = X[2*i:2*i+2, 2*j:2*j+2]; np.argmax(window) gives the first maximum's index.",
    in_place_hint="write into a new array dX = np.zeros_like(X); leave X and dZ as they are.",
    outputs=(
        Output(
            shape_rules=(
                (
                    lambda c: c.got.shape == c.dZ.shape,
                    "you returned the shape of dZ; the gradient of the input is shaped like "
                    "the input X.",
                ),
            ),
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="dX has the shape of X: one gradient per input pixel.",
            rules=(
                (
                    lambda c: _all_maxima(c.X, c.dZ, share=False),
                    "where a window has several equal maxima, you gave the whole gradient to "
                    "each of them, so the total grows. Give it to the first maximum only "
                    "(np.argmax returns the first).",
                ),
                (
                    lambda c: _all_maxima(c.X, c.dZ, share=True),
                    "you split the gradient among tied maxima. That is a valid choice too, but "
                    "the rule here (and in nnfs_utils and PyTorch) is: all of it to the first "
                    "maximum in reading order (np.argmax).",
                ),
                (
                    lambda c: _last_maximum(c.X, c.dZ),
                    "with ties you picked the last maximum; pick the first one in reading "
                    "order (row by row), which is what np.argmax returns.",
                ),
                (
                    lambda c: np.kron(c.dZ, np.ones((2, 2))),
                    "you copied dZ to all four pixels of each window; only the maximum "
                    "affected the output, so only it gets the gradient.",
                ),
                (
                    lambda c: np.kron(c.dZ, np.ones((2, 2))) / 4,
                    "you spread dZ evenly over each window: that is the gradient of average "
                    "pooling. Max-pooling sends it all to the maximum.",
                ),
                (
                    lambda c: _pool_backward(c.X, np.ones_like(c.dZ)),
                    "the right places, but each holds 1: put the gradient dZ[i, j] there, "
                    "not 1 (the chain rule multiplies by the incoming gradient).",
                ),
                (
                    lambda c: _pool_backward(-c.X, c.dZ),
                    "you sent the gradient to the smallest value; it belongs to the largest.",
                ),
            ),
            wrong_problem="the values are wrong (with {ctx}).",
            difference_problem="with {ctx}, dX{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="for each window, the place of np.argmax(window) gets dZ[i, j]; "
            "every other place stays 0.",
        ),
    ),
)


def check_maxpool_backward(fn):
    """Check ``fn(X, dZ)``: the backward pass of 2x2 max-pooling with stride 2 on a 2-D map.

    ``X`` (H, W) with H and W even, ``dZ`` (H // 2, W // 2). The first case has tied maxima,
    so every tie rule other than "all to the first maximum" is named. Prints a pass or a hint.
    """
    MAXPOOL_BACKWARD.run(fn)
