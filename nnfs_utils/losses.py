"""Loss functions: a number that says how wrong the predictions are, and its gradient.

Every loss is the mean over the batch, so its gradient carries a factor 1 / n_samples.

    SoftmaxCrossEntropy      logits -> softmax -> cross-entropy, fused: dlogits = (p - Y) / n
    CategoricalCrossEntropy  probabilities -> -mean(log p[true class])
    BinaryCrossEntropy       probabilities of class 1 -> -mean(y log p + (1-y) log(1-p))
    SigmoidBinaryCrossEntropy  logits -> sigmoid -> binary cross-entropy, fused: (p - y) / n
    MeanSquaredError         mean((pred - y)**2)

Labels ``y`` for the categorical losses are integer class indices of shape (n,) or one-hot
rows of shape (n, n_classes); ``Y`` above is the one-hot form.
"""

import numpy as np

from .layers import as_float_array

__all__ = [
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "MeanSquaredError",
    "SigmoidBinaryCrossEntropy",
    "SoftmaxCrossEntropy",
    "check_labels",
    "one_hot",
]

# Probabilities are clipped to [EPS, 1 - EPS] before taking a log, so log(0) never happens.
EPS = 1e-7


def check_labels(y, n_classes, n_samples=None):
    """Return integer class labels (int64, shape (n,)) or raise an error that names the fix.

    Accepts integer arrays, floats that are whole numbers (e.g. 3.0) and booleans.
    """
    try:
        y = np.asarray(y)
    except ValueError as err:
        raise ValueError(f"y could not be turned into an array ({err})") from None
    if y.dtype.kind not in "biuf":
        raise TypeError(
            f"labels y must be integers 0..{n_classes - 1}, got dtype {y.dtype}; "
            "map class names to numbers first, e.g. with np.unique(y, return_inverse=True)"
        )
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"labels y must be a 1-D array of class indices of shape (n_samples,), "
            f"got shape {y.shape}; for one-hot labels use y.argmax(axis=1)"
        )
    if y.size == 0:
        raise ValueError("labels y are empty; pass one label per sample")
    if n_samples is not None and y.shape[0] != n_samples:
        raise ValueError(
            f"X has {n_samples} samples but y has {y.shape[0]} labels; "
            "they must have the same length (one label per row of X)"
        )
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or (y != np.round(y)).any():
            raise ValueError(
                "labels y must be whole numbers (class indices), found values like "
                f"{y[(~np.isfinite(y)) | (y != np.round(y))][:3]}; "
                "round them or use y.astype(int) if they are really classes"
            )
    y = y.astype(np.int64, copy=False)
    lo, hi = int(y.min()), int(y.max())
    if lo < 0 or hi >= n_classes:
        raise ValueError(
            f"labels must be in 0..{n_classes - 1} for {n_classes} output classes, "
            f"found labels from {lo} to {hi}; "
            "check the labels or make the output layer as wide as the number of classes"
        )
    return y


def one_hot(y, n_classes, dtype=np.float32):
    """Integer labels (n,) -> one-hot matrix (n, n_classes): row i has a 1 in column y[i].

    Built by indexing (one write per row), not by slicing np.eye.
    """
    y = check_labels(y, n_classes)
    Y = np.zeros((y.shape[0], n_classes), dtype=dtype)
    Y[np.arange(y.shape[0]), y] = 1
    return Y


def _labels_or_one_hot(y, n, n_classes):
    """Integer labels (n,) from labels or from one-hot rows (n, n_classes)."""
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape == (n, n_classes) and n_classes > 1:
        return check_labels(y_arr.argmax(axis=1), n_classes, n)
    return check_labels(y_arr, n_classes, n)


def _pred_2d(x, name):
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = as_float_array(x, name)
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_outputs), got shape {x.shape}")
    return x


class SoftmaxCrossEntropy:
    """Softmax followed by cross-entropy, as one step.

    forward(logits, y) returns the mean loss  -mean_i log softmax(logits_i)[y_i]  and stores
    the probabilities; backward() returns dL/dlogits = (probs - one_hot(y)) / n.
    The log is taken as  logit - max - log(sum(exp(logits - max)))  so it is finite even when a
    probability rounds to 0.
    """

    def forward(self, logits, y):
        logits = _pred_2d(logits, "logits")
        n, n_classes = logits.shape
        return self.forward_unchecked(logits, _labels_or_one_hot(y, n, n_classes))

    def forward_unchecked(self, logits, y):
        """forward() for labels already checked: y int (n,) in range (the MLP checks once)."""
        self.y = y
        shifted = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(shifted)
        sums = probs.sum(axis=1, keepdims=True)
        probs /= sums
        self.probs = probs
        log_p_true = shifted[np.arange(len(y)), y] - np.log(sums[:, 0])
        return float(-log_p_true.sum() / len(y))  # the mean, without np.mean's overhead

    probs = None  # set by forward

    def backward(self):
        """dL/dlogits = (probs - one_hot) / n: subtract 1 at the true class, divide by n."""
        if self.probs is None:
            raise ValueError("call forward(logits, y) before backward()")
        n = self.probs.shape[0]
        grad = self.probs.copy()
        grad[np.arange(n), self.y] -= 1
        grad /= n
        return grad


class CategoricalCrossEntropy:
    """Cross-entropy of probabilities (e.g. the output of Softmax): -mean log p[true class]."""

    def forward(self, probs, y):
        probs = _pred_2d(probs, "probs")
        n = probs.shape[0]
        y = _labels_or_one_hot(y, n, probs.shape[1])
        p_true = np.clip(probs[np.arange(n), y], EPS, 1 - EPS)
        return float(-np.log(p_true).mean())

    def backward(self, probs, y):
        """dL/dprobs: -1 / (n * p) at the true class, 0 elsewhere."""
        probs = _pred_2d(probs, "probs")
        n = probs.shape[0]
        y = _labels_or_one_hot(y, n, probs.shape[1])
        rows = np.arange(n)
        grad = np.zeros_like(probs)
        grad[rows, y] = -1.0 / (n * np.clip(probs[rows, y], EPS, 1 - EPS))
        return grad


def _targets_like(y, pred, name="y"):
    y = as_float_array(y, name, pred.dtype)
    if y.shape != pred.shape:
        if y.ndim == 1 and pred.ndim == 2 and pred.shape == (y.shape[0], 1):
            return y[:, None]
        raise ValueError(
            f"{name} has shape {y.shape} but the predictions have shape {pred.shape}; "
            "they must match (for one output use y.reshape(-1, 1))"
        )
    return y


class BinaryCrossEntropy:
    """Binary cross-entropy of probabilities p of class 1, targets y in {0, 1}.

    loss = -mean(y log p + (1 - y) log(1 - p)), averaged over every element.
    """

    def forward(self, p, y):
        p = _pred_2d(p, "p")
        y = _targets_like(y, p)
        p = np.clip(p, EPS, 1 - EPS)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    def backward(self, p, y):
        """dL/dp = (-(y / p) + (1 - y) / (1 - p)) / number of elements."""
        p = _pred_2d(p, "p")
        y = _targets_like(y, p)
        p = np.clip(p, EPS, 1 - EPS)
        return (-(y / p) + (1 - y) / (1 - p)) / p.size


class SigmoidBinaryCrossEntropy:
    """Sigmoid followed by binary cross-entropy, as one step (the binary twin of
    SoftmaxCrossEntropy). forward(logits, y) -> mean loss, backward() -> (p - y) / size.

    The loss is written as mean(log(1 + e^z) - y z), which is exact and never overflows.
    """

    def forward(self, logits, y):
        logits = _pred_2d(logits, "logits")
        return self.forward_unchecked(logits, _targets_like(y, logits))

    def forward_unchecked(self, logits, y):
        """forward() for targets already checked: y float (n, 1) of 0/1 (the MLP checks once)."""
        self.y = y
        self.probs = 0.5 * (1.0 + np.tanh(0.5 * logits))
        return float(np.mean(np.logaddexp(0, logits) - self.y * logits))

    probs = None  # set by forward

    def backward(self):
        """dL/dlogits = (p - y) / number of elements."""
        if self.probs is None:
            raise ValueError("call forward(logits, y) before backward()")
        return (self.probs - self.y) / self.probs.size


class MeanSquaredError:
    """Mean squared error over every element: mean((pred - y)**2)."""

    def forward(self, pred, y):
        pred = _pred_2d(pred, "pred")
        y = _targets_like(y, pred)
        return float(np.mean((pred - y) ** 2))

    def backward(self, pred, y):
        """dL/dpred = 2 (pred - y) / number of elements."""
        pred = _pred_2d(pred, "pred")
        y = _targets_like(y, pred)
        return 2.0 * (pred - y) / pred.size
