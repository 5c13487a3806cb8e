"""Convolution, max-pooling and a small Sequential container, written as notebook 12 derives them.

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

import inspect
import math
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import checks
from .initializers import get_initializer
from .losses import SoftmaxCrossEntropy
from .training import History, blas_threads, optimizer_for_fit

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


# ------------------------------------------------------------------------------ Sequential
def _describe(layer):
    """A layer's repr, or its class name when it has no repr of its own (e.g. ``ReLU()``)."""
    if type(layer).__repr__ is object.__repr__:
        return f"{type(layer).__name__}()"
    return repr(layer)


class Sequential:
    """Layers applied one after the other, trained with softmax cross-entropy.

        net = Sequential([Conv2D(1, 8, 5, rng=0), ReLU(), MaxPool2D(), Flatten(),
                          Dense(8 * 12 * 12, 10, rng=1)])
        history = net.fit(X_train, y_train, epochs=5, batch_size=32, optimizer="adam")

    Any object with ``forward(X)`` and ``backward(dZ)`` can be a layer; ``params`` and
    ``grads`` (lists of arrays) are collected from the layers that have them. The output of
    the last layer is the logits, one column per class. ``seed`` seeds the shuffling.
    """

    def __init__(self, layers, seed=0):
        layers = list(layers)
        if not layers:
            raise ValueError(
                "Sequential needs at least one layer, e.g. Sequential([Dense(784, 10)])"
            )
        for layer in layers:
            if not (callable(getattr(layer, "forward", None)) and callable(
                getattr(layer, "backward", None))):  # fmt: skip
                raise TypeError(
                    f"every layer needs forward(X) and backward(dZ) methods, got {layer!r}; "
                    "pass layer objects such as Conv2D(...), ReLU(), Flatten(), Dense(...)"
                )
        dtypes = {p.dtype for layer in layers for p in getattr(layer, "params", [])}
        if len(dtypes) > 1:
            raise ValueError(
                f"the layers mix dtypes {sorted(str(d) for d in dtypes)}; "
                "give every layer the same dtype, e.g. dtype=np.float64"
            )
        self.layers = layers
        self.dtype = dtypes.pop().type if dtypes else np.float64
        self.rng = checks.as_generator(seed)
        self.loss_fn = SoftmaxCrossEntropy()
        first = layers[0].backward
        self._first_takes_input_grad = "input_grad" in inspect.signature(first).parameters

    def __repr__(self):
        inner = ",\n    ".join(_describe(layer) for layer in self.layers)
        return f"Sequential([\n    {inner},\n], n_params={self.n_params:,})"

    @property
    def params(self):
        """Every trainable array, layer by layer: [W1, b1, W2, b2, ...]."""
        return [p for layer in self.layers for p in getattr(layer, "params", [])]

    @property
    def grads(self):
        """The matching gradients from the last backward pass."""
        return [g for layer in self.layers for g in getattr(layer, "grads", [])]

    @property
    def n_params(self):
        return int(sum(p.size for p in self.params))

    def forward(self, X):
        """The logits: X through every layer (each layer checks its own input)."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dZ):
        """dL/dlogits through every layer from the top; sets every layer's gradients."""
        for layer in self.layers[:0:-1]:
            dZ = layer.backward(dZ)
        if self._first_takes_input_grad:
            return self.layers[0].backward(dZ, input_grad=False)  # the data needs no gradient
        return self.layers[0].backward(dZ)

    def loss_and_gradients(self, X, y):
        """Mean cross-entropy on (X, y) and the gradients [dW1, db1, ...] (no update)."""
        loss = self.loss_fn.forward(self.forward(X), y)
        self.backward(self.loss_fn.backward())
        return loss, self.grads

    def predict_proba(self, X, batch_size=500):
        """Class probabilities (n_samples, n_classes), computed batch_size images at a time."""
        batch_size = checks.check_int("batch_size", batch_size, minimum=1, example=500)
        X = self._check_X(X)
        parts = []
        for first in range(0, len(X), batch_size):
            Z = self.forward(X[first : first + batch_size])
            Z = np.exp(Z - Z.max(axis=1, keepdims=True))
            parts.append(Z / Z.sum(axis=1, keepdims=True))
        return np.concatenate(parts)

    def predict(self, X, batch_size=500):
        """Predicted class labels (n_samples,) as int64."""
        return self.predict_proba(X, batch_size).argmax(axis=1)

    def evaluate(self, X, y, batch_size=500):
        """Accuracy: the fraction of samples whose predicted label equals y."""
        P = self.predict_proba(X, batch_size)
        y = checks.check_model_labels(y, len(P), "softmax", P.shape[1])
        return np.count_nonzero(P.argmax(axis=1) == y) / len(y)

    def _check_X(self, X, name="X"):
        X = checks.as_float_array(X, name, self.dtype)
        if X.ndim < 2:
            raise ValueError(f"{name} must be a batch (n_samples, ...), got shape {X.shape}")
        return X

    def fit(self, X, y, epochs=10, batch_size=32, optimizer="adam", lr=None, weight_decay=0.0,
            validation_data=None, callbacks=(), progress=True, shuffle=True, threads=1):  # fmt: skip
        """Train with mini-batch gradient descent and return a ``History`` (as ``MLP.fit``).

        The optimizer (a name or an object from ``nnfs_utils.optimizers``) updates
        ``self.params`` in place with ``self.grads`` after every batch. validation_data
        (X_val, y_val) is scored after every epoch; callbacks cb(epoch, logs) are called then.
        A loss that becomes NaN or inf stops training with a ValueError and puts the weights
        back to where that epoch started.
        """
        X = self._check_X(X)
        n_classes = self.forward(X[:1]).shape[1]  # one image through: also checks the shapes
        y = checks.check_model_labels(y, len(X), "softmax", n_classes)
        if validation_data is not None:
            X_val, y_val = checks.check_validation_data(validation_data)
            X_val = self._check_X(X_val, "X_val")
            y_val = checks.check_model_labels(y_val, len(X_val), "softmax", n_classes, "y_val")
        epochs = checks.check_int("epochs", epochs, minimum=1, example=10)
        batch_size = checks.check_int("batch_size", batch_size, minimum=1, example=32)
        callbacks = checks.check_callbacks(callbacks)
        opt = optimizer_for_fit(optimizer, lr, weight_decay)
        from tqdm.auto import tqdm  # slow to import; only fit needs it

        history, params, n = History(), self.params, len(X)
        bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=not progress)
        with blas_threads(threads), np.errstate(over="ignore", invalid="ignore"):
            for epoch in bar:
                start = time.perf_counter()
                saved = [p.copy() for p in params]
                order = self.rng.permutation(n) if shuffle else np.arange(n)
                loss_sum, correct = 0.0, 0
                for first in range(0, n, batch_size):
                    idx = order[first : first + batch_size]
                    loss = self.loss_fn.forward_unchecked(self.forward(X[idx]), y[idx])
                    if not math.isfinite(loss):
                        for p, p0 in zip(params, saved, strict=True):
                            p[...] = p0
                        bar.close()
                        raise ValueError(
                            f"the loss became {loss} in epoch {epoch}: training diverged, "
                            f"usually because the learning rate lr={opt.lr:g} is too large; try "
                            f"e.g. lr={opt.lr / 10:g}. The weights were reset to the start of "
                            "that epoch."
                        )
                    self.backward(self.loss_fn.backward())
                    opt.step(params, self.grads)
                    loss_sum += loss * len(idx)
                    correct += np.count_nonzero(self.loss_fn.P.argmax(axis=1) == y[idx])
                history.epoch_time.append(time.perf_counter() - start)
                history.loss.append(loss_sum / n)
                history.accuracy.append(correct / n)
                logs = {"loss": history.loss[-1], "accuracy": history.accuracy[-1]}
                if validation_data is not None:
                    P = self.predict_proba(X_val)
                    rows = np.arange(len(y_val))
                    val_loss = float(-np.log(np.maximum(P[rows, y_val], 1e-300)).mean())
                    val_acc = np.count_nonzero(P.argmax(axis=1) == y_val) / len(y_val)
                    history.val_loss.append(val_loss)
                    history.val_accuracy.append(val_acc)
                    logs.update(val_loss=val_loss, val_accuracy=val_acc)
                bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()})
                for cb in callbacks:
                    cb(epoch, dict(logs))
        bar.close()
        return history
