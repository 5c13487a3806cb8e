"""Loss functions: a number that says how wrong the predictions are, and its gradient.

Every loss is the mean over the batch, so its gradient carries a factor 1 / n_samples.

    SoftmaxCrossEntropy      Z -> softmax P -> cross-entropy, fused: dZ = (P - Y) / n
    CategoricalCrossEntropy  probabilities -> -mean(log p[true class])
    BinaryCrossEntropy       probabilities of class 1 -> -mean(y log p + (1-y) log(1-p))
    SigmoidBinaryCrossEntropy  Z -> sigmoid P -> binary cross-entropy, fused: dZ = (P - y) / n
    MeanSquaredError         mean((pred - y)**2)

Labels ``y`` for the categorical losses are integer class indices of shape (n,) or one-hot
rows of shape (n, n_classes); ``Y`` above is the one-hot form. Z is the last layer's output
before softmax/sigmoid (the "logits").
"""

import numpy as np

from ._compat import renamed, renamed_arguments
from .activations import row_max
from .checks import check_labels, check_predictions, check_targets, labels_or_one_hot

# Probabilities are clipped to [EPS, 1 - EPS] before taking a log, so log(0) never happens.
EPS = 1e-7


def one_hot(y, n_classes, dtype=np.float32):
    """Integer labels (n,) -> one-hot matrix (n, n_classes): row i has a 1 in column y[i].

    Built by indexing (one write per row), not by slicing np.eye.
    """
    y = check_labels(y, n_classes)
    Y = np.zeros((y.shape[0], n_classes), dtype=dtype)
    Y[np.arange(y.shape[0]), y] = 1
    return Y


class SoftmaxCrossEntropy:
    """Softmax followed by cross-entropy, as one step.

    forward(Z, y) returns the mean loss  -mean_i log softmax(Z_i)[y_i]  and keeps the
    probabilities P; backward() returns dZ = (P - Y) / n, Y the one-hot labels.
    The log is taken as  Z - max - log(sum(exp(Z - max)))  so it is finite even when a
    probability rounds to 0.
    """

    P = None  # set by forward
    probs = renamed("P")

    @renamed_arguments(logits="Z")
    def forward(self, Z, y):
        Z = check_predictions(Z, "logits")
        n, n_classes = Z.shape
        return self.forward_unchecked(Z, labels_or_one_hot(y, n, n_classes))

    def forward_unchecked(self, Z, y):
        """forward() for labels already checked: y int (n,) in range (the MLP checks once)."""
        self.y = y
        shifted = Z - row_max(Z)  # Z.max(axis=1, keepdims=True)
        self.P = np.exp(shifted)
        sums = self.P.sum(axis=1, keepdims=True)
        self.P /= sums
        log_p_true = shifted[_rows(len(y)), y] - np.log(sums[:, 0])
        return float(-log_p_true.sum() / len(y))  # the mean, without np.mean's overhead

    def backward(self):
        """dZ = (P - Y) / n, Y the one-hot labels: row y_i of the identity matrix for sample i."""
        if self.P is None:
            raise ValueError("call forward(logits, y) before backward()")
        Y = _identity(self.P.shape[1], self.P.dtype).take(self.y, axis=0)
        dZ = self.P - Y
        dZ /= len(self.y)
        return dZ


_ROWS = {}  # batch size -> np.arange(batch size)
_IDENTITY = {}  # (n_classes, dtype) -> np.eye(n_classes): its rows are the one-hot labels


def _rows(n):
    """np.arange(n), made once per batch size (the training loop needs it every batch)."""
    if n not in _ROWS:
        _ROWS[n] = np.arange(n)
    return _ROWS[n]


def _identity(n_classes, dtype):
    """np.eye(n_classes), made once per size and dtype: taking its rows is a fast one-hot."""
    key = (n_classes, dtype)
    if key not in _IDENTITY:
        _IDENTITY[key] = np.eye(n_classes, dtype=dtype)
    return _IDENTITY[key]


class CategoricalCrossEntropy:
    """Cross-entropy of probabilities (e.g. the output of Softmax): -mean log p[true class]."""

    def forward(self, probs, y):
        probs = check_predictions(probs, "probs")
        n = probs.shape[0]
        y = labels_or_one_hot(y, n, probs.shape[1])
        p_true = np.clip(probs[np.arange(n), y], EPS, 1 - EPS)
        return float(-np.log(p_true).mean())

    def backward(self, probs, y):
        """dL/dprobs: -1 / (n * p) at the true class, 0 elsewhere."""
        probs = check_predictions(probs, "probs")
        n = probs.shape[0]
        y = labels_or_one_hot(y, n, probs.shape[1])
        rows = np.arange(n)
        grad = np.zeros_like(probs)
        grad[rows, y] = -1.0 / (n * np.clip(probs[rows, y], EPS, 1 - EPS))
        return grad


class BinaryCrossEntropy:
    """Binary cross-entropy of probabilities p of class 1, targets y in {0, 1}.

    loss = -mean(y log p + (1 - y) log(1 - p)), averaged over every element.
    """

    def forward(self, p, y):
        p = check_predictions(p, "p")
        y = check_targets(y, p)
        p = np.clip(p, EPS, 1 - EPS)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    def backward(self, p, y):
        """dL/dp = (-(y / p) + (1 - y) / (1 - p)) / number of elements."""
        p = check_predictions(p, "p")
        y = check_targets(y, p)
        p = np.clip(p, EPS, 1 - EPS)
        return (-(y / p) + (1 - y) / (1 - p)) / p.size


class SigmoidBinaryCrossEntropy:
    """Sigmoid followed by binary cross-entropy, as one step (the binary twin of
    SoftmaxCrossEntropy). forward(Z, y) -> mean loss, backward() -> dZ = (P - y) / size.

    The loss is written as mean(log(1 + e^Z) - y Z), which is exact and never overflows.
    """

    P = None  # set by forward
    probs = renamed("P")

    @renamed_arguments(logits="Z")
    def forward(self, Z, y):
        Z = check_predictions(Z, "logits")
        return self.forward_unchecked(Z, check_targets(y, Z))

    def forward_unchecked(self, Z, y):
        """forward() for targets already checked: y float (n, 1) of 0/1 (the MLP checks once)."""
        self.y = y
        self.P = 0.5 * (1.0 + np.tanh(0.5 * Z))
        return float(np.mean(np.logaddexp(0, Z) - y * Z))

    def backward(self):
        """dZ = (P - y) / number of elements."""
        if self.P is None:
            raise ValueError("call forward(logits, y) before backward()")
        return (self.P - self.y) / self.P.size


class MeanSquaredError:
    """Mean squared error over every element: mean((pred - y)**2)."""

    def forward(self, pred, y):
        pred = check_predictions(pred, "pred")
        y = check_targets(y, pred)
        return float(np.mean((pred - y) ** 2))

    def backward(self, pred, y):
        """dL/dpred = 2 (pred - y) / number of elements."""
        pred = check_predictions(pred, "pred")
        y = check_targets(y, pred)
        return 2.0 * (pred - y) / pred.size
