"""Convolution, max-pooling and flattening, written as notebook 12 derives them.

Images are batch-first, channels next: ``X`` has shape ``(n, channels, height, width)``.

    Conv2D     W (n_filters, n_channels, k, k), b (n_filters,)
               Z[s, f, i, j] = sum over c, u, v of Xpad[s, c, i*stride + u, j*stride + v]
                               * W[f, c, u, v]  + b[f]
               output size  (size + 2 * padding - k) // stride + 1  (height and width alike)
    MaxPool2D  Z[s, c, i, j] = the largest value of X in window (i, j); the gradient of each
               output goes to the place of that maximum (the first one when several tie)
    Flatten    (n, c, h, w) -> (n, c * h * w), so that a Dense layer can follow

Both convolution passes are one matrix product each. ``im2col`` copies every k x k window of
the (padded) input into one column of a matrix ``cols`` of shape ``(C * k * k, n * Ho * Wo)``,
with ``sliding_window_view`` (no loop over positions). Then

    forward    Z = W.reshape(F, C*k*k) @ cols (+ b)               -> (F, n * Ho * Wo)
    backward   dW = dZ @ cols.T,  db = dZ summed,  dcols = W.T @ dZ,  dX = col2im(dcols)

where ``col2im`` adds every column of ``dcols`` back onto the window it came from (windows
overlap, so an input pixel collects the gradient of every window it is in).

Like ``Dense``, each layer stores its input's data for backward, and ``backward(dZ)`` sets
``dW`` and ``db`` and returns ``dX``; ``params`` and ``grads`` list them for the optimizers.
"""

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import checks
from .initializers import get_initializer

__all__ = ["Conv2D", "Flatten", "MaxPool2D", "Sequential", "col2im", "im2col", "output_size"]


# ------------------------------------------------------------------------------ helpers
def output_size(size, kernel_size, stride=1, padding=0):
    """How many window positions fit along one side: (size + 2 padding - k) // stride + 1.

    When the windows do not end exactly at the edge, the last rows or columns that do not
    fill a window are left out (the floor division), as in every deep-learning library.
    """
    return (size + 2 * padding - kernel_size) // stride + 1


def im2col(X, kernel_size, stride=1):
    """Every k x k window of X (n, C, H, W) as a column: cols (C * k * k, n * Ho * Wo).

    Row ``c * k * k + u * k + v`` of ``cols`` holds pixel (u, v) of channel c of every window;
    column ``s * Ho * Wo + i * Wo + j`` is window (i, j) of sample s. Pad X first if needed.
    """
    n, C, H, W = X.shape
    k = kernel_size
    windows = sliding_window_view(X, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    # windows (n, C, Ho, Wo, k, k) is a view; the reshape below makes the one copy
    Ho, Wo = windows.shape[2:4]
    return windows.transpose(1, 4, 5, 0, 2, 3).reshape(C * k * k, n * Ho * Wo)


def col2im(dcols, X_shape, kernel_size, stride=1):
    """The reverse of ``im2col`` for gradients: add each column back onto its window.

    dcols (C * k * k, n * Ho * Wo) -> dX of shape ``X_shape`` (n, C, H, W). A pixel that lies
    in several windows receives the sum of their gradients. One strided addition per kernel
    offset (u, v): k * k additions, whatever the image size.
    """
    n, C, H, W = X_shape
    k = kernel_size
    Ho, Wo = output_size(H, k, stride), output_size(W, k, stride)
    d = dcols.reshape(C, k, k, n, Ho, Wo)
    dX = np.zeros((C, n, H, W), dtype=dcols.dtype)  # channel first: d[:, u, v] adds in place
    for u in range(k):
        for v in range(k):
            dX[:, :, u : u + stride * Ho : stride, v : v + stride * Wo : stride] += d[:, u, v]
    return dX.transpose(1, 0, 2, 3)


def _image_input(X, n_channels, dtype, name, what="input"):
    """X as a 4-D float array (n, n_channels, H, W) of ``dtype``, or an error naming the fix."""
    X = np.asarray(X)
    if X.dtype != dtype:
        X = checks.as_float_array(X, "X", dtype)
    if X.ndim == 4 and X.shape[1] == n_channels:
        return X
    expected = f"(n_samples, {n_channels}, height, width)"
    fix = ""
    if X.ndim == 3 and n_channels == 1:
        fix = " For one channel, add the channel axis: X[:, None]."
    elif X.ndim == 2 and n_channels == 1 and math.isqrt(X.shape[1]) ** 2 == X.shape[1]:
        side = math.isqrt(X.shape[1])
        fix = f" For flattened square images use X.reshape(len(X), 1, {side}, {side})."
    elif X.ndim == 4 and X.shape[3] == n_channels:
        fix = " Channels go before height and width: X.transpose(0, 3, 1, 2)."
    elif X.ndim == 2 and X.shape[1] == n_channels:
        fix = " A single image needs a batch axis too: X[None]."
    raise ValueError(f"{name} expects {what} of shape {expected}, got shape {X.shape}.{fix}")


def _gradient_shape(layer, dZ):
    """dZ as an array shaped like the last forward's output, or ValueError."""
    if layer.X_shape is None:
        raise ValueError(f"{layer.name}: call forward() before backward()")
    dZ, shape = np.asarray(dZ), layer.Z_shape
    if dZ.shape != shape:
        raise ValueError(
            f"{layer.name}.backward expects dZ of shape {shape} (the shape forward returned), "
            f"got {dZ.shape}"
        )
    return dZ


# ------------------------------------------------------------------------------ Conv2D
class Conv2D:
    """A convolution layer: ``n_filters`` filters of k x k x n_channels slide over the image.

    Parameters
    ----------
    n_channels : channels of the input (1 for grey images, the previous layer's n_filters).
    n_filters : filters, i.e. channels of the output.
    kernel_size : k, the side of each (square) filter.
    stride : step between two window positions (1: every position).
    padding : rows and columns of zeros added around each image (k // 2 with stride 1 keeps
        an odd-sized filter's output the size of the input).
    init : a name from ``initializers.INITIALIZERS`` or f(n_in, n_out, rng, dtype); the fan-in
        of a filter is n_channels * k * k.
    rng, dtype, name : as for ``Dense``.

    Attributes
    ----------
    W (n_filters, n_channels, k, k); b (n_filters,), starts at zero;
    cols : the input's windows from the last ``forward`` (``im2col``), which backward needs;
    dW, db : gradients of the loss with respect to W and b, set by ``backward``;
    check_inputs : as for ``Dense`` (True: forward and backward check their arguments).
    """

    def __init__(self, n_channels, n_filters, kernel_size, stride=1, padding=0, init="he",
                 rng=None, dtype=np.float32, name=None):  # fmt: skip
        dtype = checks.check_dtype(dtype)
        n_channels = checks.check_int("n_channels", n_channels, minimum=1)
        n_filters = checks.check_int("n_filters", n_filters, minimum=1)
        k = self.kernel_size = checks.check_int("kernel_size", kernel_size, minimum=1)
        self.stride = checks.check_int("stride", stride, minimum=1)
        self.padding = checks.check_int("padding", padding, minimum=0)
        # draw a (fan-in, n_filters) matrix like Dense's, one column per filter
        W = get_initializer(init)(n_channels * k * k, n_filters, checks.as_generator(rng), dtype)
        self.W = np.ascontiguousarray(W.T).reshape(n_filters, n_channels, k, k)
        self.b = np.zeros(n_filters, dtype=dtype)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.X_shape = self.Z_shape = self.cols = None
        self.name = name or f"Conv2D({n_channels} -> {n_filters}, {k}x{k})"
        self.check_inputs = True

    n_filters = property(lambda self: self.W.shape[0])
    n_channels = property(lambda self: self.W.shape[1])

    @property
    def params(self):
        """The trainable arrays ``[W, b]`` (optimizers update them in place)."""
        return [self.W, self.b]

    @property
    def grads(self):
        """The gradients ``[dW, db]`` of the last ``backward``, in the order of ``params``."""
        return [self.dW, self.db]

    def __repr__(self):
        return (
            f"Conv2D(n_channels={self.n_channels}, n_filters={self.n_filters}, "
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding})"
        )

    def output_shape(self, input_shape):
        """The shape forward returns for input of shape (n, C, H, W)."""
        n, _, H, W = input_shape
        k, s, p = self.kernel_size, self.stride, self.padding
        return (n, self.n_filters, output_size(H, k, s, p), output_size(W, k, s, p))

    def forward(self, X):
        """X (n, n_channels, H, W) -> Z (n, n_filters, Ho, Wo): every filter at every window."""
        if self.check_inputs:
            X = self.check_input(X)
        p = self.padding
        if p:
            X = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
        self.X_shape = X.shape  # the padded shape: backward crops the padding off again
        self.cols = im2col(X, self.kernel_size, self.stride)
        n, F = X.shape[0], self.n_filters
        Z = self.W.reshape(F, -1) @ self.cols  # (F, n * Ho * Wo)
        Z += self.b[:, None]
        Ho, Wo = (
            output_size(X.shape[2], self.kernel_size, self.stride),
            output_size(X.shape[3], self.kernel_size, self.stride),
        )  # X is padded already
        self.Z_shape = (n, F, Ho, Wo)
        return Z.reshape(F, n, Ho, Wo).transpose(1, 0, 2, 3)

    def backward(self, dZ, input_grad=True):
        """From dZ = dL/dZ (n, n_filters, Ho, Wo): set dW and db, return dX (n, C, H, W).

        ``input_grad=False`` (the first layer, whose input is the data) skips dX, returns None.
        """
        if self.check_inputs:
            dZ = _gradient_shape(self, dZ)
        F = self.n_filters
        dZ = dZ.transpose(1, 0, 2, 3).reshape(F, -1)  # (F, n * Ho * Wo), like forward's Z
        self.dW = (dZ @ self.cols.T).reshape(self.W.shape)
        self.db = dZ.sum(axis=1)
        if not input_grad:
            return None
        dX = col2im(self.W.reshape(F, -1).T @ dZ, self.X_shape, self.kernel_size, self.stride)
        p = self.padding
        return dX[:, :, p : dX.shape[2] - p, p : dX.shape[3] - p] if p else dX

    def check_input(self, X):
        """Return X as a 4-D array of the layer's dtype, or raise an error naming the fix."""
        X = _image_input(X, self.n_channels, self.W.dtype, self.name)
        k, p = self.kernel_size, self.padding
        if min(X.shape[2:]) + 2 * p < k:
            raise ValueError(
                f"{self.name}: images of {X.shape[2]}x{X.shape[3]} pixels (with padding={p}) "
                f"are smaller than the {k}x{k} filter; use a smaller kernel_size or more padding"
            )
        return X


# ------------------------------------------------------------------------------ MaxPool2D
class MaxPool2D:
    """Max-pooling: each size x size window of each channel is replaced by its largest value.

    forward (n, C, H, W) -> (n, C, Ho, Wo), Ho = (H - size) // stride + 1 (rows and columns
    that do not fill a window are left out). backward sends each output's gradient to the
    input that was the maximum of its window; where several inputs tie for the maximum, all of
    it goes to the first of them in reading order (row by row), as in PyTorch. (Any split among
    the tied inputs that adds up to the whole would be valid too: at a tie the maximum has no
    derivative. Notebook 12 shows what central differences give there: 1/2 to each.)
    """

    def __init__(self, size=2, stride=2, name=None):
        self.size = checks.check_int("size", size, minimum=1)
        self.stride = checks.check_int("stride", stride, minimum=1)
        self.name = name or f"MaxPool2D({self.size}x{self.size}, stride {self.stride})"
        self.X = self.Z = self.X_shape = self.Z_shape = None
        self.check_inputs = True

    params = grads = property(lambda self: [])

    def __repr__(self):
        return f"MaxPool2D(size={self.size}, stride={self.stride})"

    def output_shape(self, input_shape):
        n, C, H, W = input_shape
        return (
            n,
            C,
            output_size(H, self.size, self.stride),
            output_size(W, self.size, self.stride),
        )

    def _places(self, X):
        """The s * s strided views of X, one per place (u, v) in the window, in reading order.

        View (u, v) holds element (u, v) of every window: its [..., i, j] is
        X[..., i * stride + u, j * stride + v]. No copies.
        """
        s, st = self.size, self.stride
        _, _, Ho, Wo = self.output_shape(X.shape)
        return [
            X[:, :, u : u + st * (Ho - 1) + 1 : st, v : v + st * (Wo - 1) + 1 : st]
            for u in range(s)
            for v in range(s)
        ]

    def forward(self, X):
        """X (n, C, H, W) -> Z (n, C, Ho, Wo): the largest value of every window."""
        if self.check_inputs:
            X = self.check_input(X)
        places = self._places(X)
        Z = places[0].copy()
        for place in places[1:]:
            np.maximum(Z, place, out=Z)
        self.X, self.Z, self.X_shape, self.Z_shape = X, Z, X.shape, Z.shape
        return Z

    def backward(self, dZ):
        """dZ (n, C, Ho, Wo) -> dX (n, C, H, W): each dZ goes to its window's first maximum.

        The places of each window are visited in reading order; a place that equals the
        maximum takes the gradient unless an earlier place of the same window already has.
        """
        if self.check_inputs:
            dZ = _gradient_shape(self, dZ)
        dX = np.zeros(self.X_shape, dtype=np.result_type(dZ.dtype, self.X.dtype))
        open_ = np.ones(self.Z.shape, dtype=bool)  # windows whose maximum is not found yet
        for place, d_place in zip(self._places(self.X), self._places(dX), strict=True):
            first = place == self.Z
            first &= open_
            open_ ^= first
            d_place += dZ * first  # d_place is a view of dX: this adds into dX
        return dX

    def check_input(self, X):
        X = np.asarray(X)
        if X.dtype.kind != "f":
            X = checks.as_float_array(X, "X")
        if X.ndim != 4:
            raise ValueError(
                f"{self.name} expects input of shape (n_samples, channels, height, width), "
                f"got shape {X.shape}"
            )
        if min(X.shape[2:]) < self.size:
            raise ValueError(
                f"{self.name}: maps of {X.shape[2]}x{X.shape[3]} pixels are smaller than the "
                f"{self.size}x{self.size} window; pool less often or use a smaller size"
            )
        return X


# ------------------------------------------------------------------------------ Flatten
class Flatten:
    """(n, C, H, W) -> (n, C * H * W): each sample's maps become one row, for a Dense layer."""

    def __init__(self):
        self.name = "Flatten"
        self.X_shape = None

    params = grads = property(lambda self: [])

    def __repr__(self):
        return "Flatten()"

    def forward(self, X):
        X = np.asarray(X)
        if X.ndim < 2:
            raise ValueError(f"Flatten expects a batch (n_samples, ...), got shape {X.shape}")
        self.X_shape = X.shape
        return X.reshape(X.shape[0], -1)

    def backward(self, dZ):
        if self.X_shape is None:
            raise ValueError("Flatten: call forward() before backward()")
        dZ = np.asarray(dZ)
        if dZ.shape != (self.X_shape[0], math.prod(self.X_shape[1:])):
            raise ValueError(
                f"Flatten.backward expects dZ of shape "
                f"{(self.X_shape[0], math.prod(self.X_shape[1:]))}, got {dZ.shape}"
            )
        return dZ.reshape(self.X_shape)


# The network that stacks these layers lives in sequential.py; importing it from here works too.
from .sequential import Sequential  # noqa: E402
