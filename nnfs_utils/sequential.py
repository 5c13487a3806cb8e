"""Sequential: layers applied one after the other, trained like ``MLP.fit`` (notebook 12).

Any object with ``forward(X)`` and ``backward(dZ)`` can be a layer: the convolution layers of
``conv.py``, ``Dense``, the activations. The last layer's output is the logits; the loss is
softmax cross-entropy.
"""

import inspect

import numpy as np

from . import checks, training
from .losses import SoftmaxCrossEntropy

__all__ = ["Sequential"]


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
        """Train with mini-batch gradient descent and return a ``History``, as ``MLP.fit`` does.

        The same training loop (``nnfs_utils.training``): the optimizer (a name or an object
        from ``nnfs_utils.optimizers``) updates ``self.params`` in place with ``self.grads``
        after every batch; validation_data (X_val, y_val) is scored after every epoch; callbacks
        cb(epoch, logs) are called then and may stop training with ``StopTraining``. A loss
        that becomes NaN or inf stops training with a ValueError and puts the weights back to
        where that epoch started.
        """
        X = self._check_X(X)
        n_classes = self.forward(X[:1]).shape[1]  # one image through: also checks the shapes
        y = checks.check_model_labels(y, len(X), "softmax", n_classes)
        if validation_data is not None:
            X_val, y_val = checks.check_validation_data(validation_data)
            X_val = self._check_X(X_val, "X_val")
            y_val = checks.check_model_labels(y_val, len(X_val), "softmax", n_classes, "y_val")
            validation_data = (X_val, y_val)
        settings = training.check_settings(epochs, batch_size, callbacks, threads)
        opt = training.optimizer_for_fit(optimizer, lr, weight_decay)
        return training.fit(self, X, y, opt, validation_data, progress, shuffle, **settings)

    # ----------------------------------------------------------- what training.fit calls
    def train_step(self, X, y, step):
        """One step of gradient descent on a batch; ``step`` is the optimizer's step method."""
        loss = self.loss_fn.forward_unchecked(self.forward(X), y)
        self.backward(self.loss_fn.backward())
        step(self.params, self.grads)
        return loss

    def _loss_targets(self, y):
        return y  # integer labels, as the softmax cross-entropy takes them

    def _labels(self, P):
        return P.argmax(axis=1)

    def _loss_and_accuracy(self, X, y):
        """Mean cross-entropy and accuracy on checked validation data."""
        P = self.predict_proba(X)
        p_true = P[np.arange(len(y)), y]
        loss = float(-np.log(np.maximum(p_true, 1e-300)).mean())
        return loss, np.count_nonzero(P.argmax(axis=1) == y) / len(y)
