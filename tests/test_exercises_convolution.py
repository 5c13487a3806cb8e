"""Checkers of notebook 12: convolution output size, one filter over an image, max-pool backward."""

import numpy as np
import pytest
from checker_helpers import assert_fails_with, not_written, run

from nnfs_utils.exercises.convolution import (
    check_conv_output_size,
    check_convolve,
    check_maxpool_backward,
)


# --- the three solutions, written as a learner would ------------------------------------------
def conv_output_size(size, k, stride, padding):
    return (size + 2 * padding - k) // stride + 1


def convolve(image, kernel):
    k1, k2 = kernel.shape
    Z = np.zeros((image.shape[0] - k1 + 1, image.shape[1] - k2 + 1))
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            Z[i, j] = np.sum(image[i : i + k1, j : j + k2] * kernel)
    return Z


def convolve_vectorised(image, kernel):
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijuv,uv->ij", windows, kernel)


def maxpool_backward(X, dZ):
    dX = np.zeros_like(X)
    for i in range(dZ.shape[0]):
        for j in range(dZ.shape[1]):
            window = X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            u, v = divmod(int(np.argmax(window)), 2)
            dX[2 * i + u, 2 * j + v] = dZ[i, j]
    return dX


def maxpool_backward_package(X, dZ):
    from nnfs_utils.conv import MaxPool2D

    pool = MaxPool2D()
    pool.forward(X[None, None])
    return pool.backward(dZ[None, None])[0, 0]


@pytest.mark.parametrize(
    ("check", "solution", "passed"),
    [
        (check_conv_output_size, conv_output_size, "✓ conv_output_size is correct on 5 test"),
        (check_convolve, convolve, "✓ convolve is correct on 4 test cases."),
        (check_convolve, convolve_vectorised, "✓ convolve_vectorised is correct on 4"),
        (check_maxpool_backward, maxpool_backward, "✓ maxpool_backward is correct on 4"),
        (check_maxpool_backward, maxpool_backward_package, "✓ maxpool_backward_package"),
    ],
)
def test_solutions_pass(check, solution, passed, capsys):
    assert run(check, solution, capsys).startswith(passed)


@pytest.mark.parametrize("check", [check_conv_output_size, check_convolve, check_maxpool_backward])
def test_stubs_say_not_done(check, capsys):
    assert run(check, not_written, capsys).startswith("○ not_written: not done yet")


@pytest.mark.parametrize("check", [check_conv_output_size, check_convolve, check_maxpool_backward])
def test_a_call_instead_of_the_function_is_explained(check):
    with pytest.raises(TypeError, match="Pass the function without calling it"):
        check(3)


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (lambda n, k, s, p: (n + 2 * p - k) // s, ["size=28, k=5", "one short"]),
        (lambda n, k, s, p: (n + 2 * p - k) / s + 1, ["floor division"]),
        (lambda n, k, s, p: (n + p - k) // s + 1, ["2 * padding"]),
        (lambda n, k, s, p: (n - k) // s + 1, ["you left the padding out"]),
        (lambda n, k, s, p: n + 2 * p - k + 1, ["you left the stride out"]),
        (lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1, ["you rounded up"]),
        (lambda n, k, s, p: n, ["returned 28, expected 24"]),
        (lambda n, k, s, p: [24, 24], ["returned (2,) values"]),
    ],
)
def test_output_size_hints(wrong, hints, capsys):
    assert_fails_with(run(check_conv_output_size, wrong, capsys), *hints)


def _short(image, kernel):
    k1, k2 = kernel.shape
    Z = np.zeros((image.shape[0] - k1, image.shape[1] - k2))
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            Z[i, j] = np.sum(image[i : i + k1, j : j + k2] * kernel)
    return Z


def _past_the_edge(image, kernel):
    k1, k2 = kernel.shape
    Z = np.zeros((image.shape[0] - k1 + 1, image.shape[1] - k2 + 1))
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            Z[i, j] = np.sum(image[i : i + k1 + 1, j : j + k2] * kernel)  # one row too many
    return Z


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (lambda im, k: convolve(im, k[::-1, ::-1]), ["you flipped the kernel"]),
        (lambda im, k: convolve(im, k) / k.size, ["you averaged the products"]),
        (lambda im, k: convolve(im, np.ones_like(k)), ["without the kernel's weights"]),
        (lambda im, k: convolve(im, k).T, ["transposed"]),
        (_short, ["one row and one column short"]),
        (
            lambda im, k: convolve(np.pad(im, [(k.shape[0] // 2,) * 2, (k.shape[1] // 2,) * 2]), k),
            ["as large as the image"],
        ),
        (_past_the_edge, ["ValueError", "H - k + 1 rows"]),
        (lambda im, k: convolve(im, k) + 0.5, ["Z[0, 0] is", "the window whose top-left"]),
    ],
)
def test_convolve_hints(wrong, hints, capsys):
    assert_fails_with(run(check_convolve, wrong, capsys), *hints)


def test_convolve_that_changes_its_input_is_named(capsys):
    def in_place(image, kernel):
        Z = convolve(image, kernel)
        image[...] = 0
        return Z

    assert_fails_with(run(check_convolve, in_place, capsys), "changed its input image in place")


def _every_maximum(X, dZ, share):
    dX = np.zeros_like(X)
    for i in range(dZ.shape[0]):
        for j in range(dZ.shape[1]):
            window = X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            mask = window == window.max()
            dX[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] = (
                mask * dZ[i, j] / (mask.sum() if share else 1)
            )
    return dX


def _last(X, dZ):
    return maxpool_backward(X[::-1, ::-1], dZ[::-1, ::-1])[::-1, ::-1]


@pytest.mark.parametrize(
    ("wrong", "hints"),
    [
        (lambda X, dZ: _every_maximum(X, dZ, share=False), ["each of them", "first maximum"]),
        (lambda X, dZ: _every_maximum(X, dZ, share=True), ["you split the gradient"]),
        (_last, ["you picked the last maximum"]),
        (lambda X, dZ: np.kron(dZ, np.ones((2, 2))), ["to all four pixels"]),
        (lambda X, dZ: np.kron(dZ, np.ones((2, 2))) / 4, ["average pooling"]),
        (lambda X, dZ: maxpool_backward(X, np.ones_like(dZ)), ["each holds 1"]),
        (lambda X, dZ: maxpool_backward(-X, dZ), ["to the smallest value"]),
        (lambda X, dZ: dZ, ["shape (2, 3)", "shaped like the input X"]),
        (lambda X, dZ: maxpool_backward(X, dZ) * 2, ["dX[0, 0] is"]),
    ],
)
def test_maxpool_backward_hints(wrong, hints, capsys):
    assert_fails_with(run(check_maxpool_backward, wrong, capsys), *hints)
