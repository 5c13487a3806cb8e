"""MLP: a multi-layer perceptron that trains with mini-batch gradient descent.

    model = MLP([784, 128, 10])                    # 784 inputs, 128 hidden ReLU units, 10 classes
    history = model.fit(X_train, y_train, epochs=5, batch_size=64, optimizer="adam")
    model.evaluate(X_dev, y_dev)                   # accuracy in [0, 1]

One training step on a batch Xb (batch, 784) with labels yb (batch,):

    forward    a0 = Xb;  z_k = a_(k-1) @ W_k + b_k;  a_k = activation(z_k);  p = softmax(z_last)
    loss       mean cross-entropy of p against yb
    backward   dz_last = (p - one_hot(yb)) / batch, then for each layer from the top:
               dW_k = a_(k-1).T @ dz_k,  db_k = column sums of dz_k,
               dz_(k-1) = (dz_k @ W_k.T) * activation'(z_(k-1))
    update     the optimizer changes every W_k and b_k in place
"""

import contextlib
import math
import numbers
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .activations import ReLU, Sigmoid, Tanh, sigmoid, softmax
from .initializers import as_generator
from .layers import Dense, all_finite, as_float_array, check_dtype
from .losses import SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy, check_labels
from .optimizers import get_optimizer

__all__ = ["MLP", "History"]

_ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}
_DEFAULT_INIT = {"relu": "he", "sigmoid": "xavier", "tanh": "xavier"}
_INITS = ("he", "xavier", "uniform")
_FILE_FORMAT = "nnfs_utils.MLP"
_FILE_VERSION = 1
_THREADPOOLS = None  # a threadpoolctl controller, created the first time fit() needs it


@dataclass
class History:
    """What ``fit`` measured, one entry per epoch.

    loss, accuracy: averages over the epoch's batches (the weights change during the epoch).
    val_loss, val_accuracy: on validation_data after the epoch (empty without it).
    epoch_time: seconds each epoch took (training only, without the validation pass).
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    epoch_time: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


class MLP:
    """A fully connected network: Dense layers with an activation between them.

    Parameters
    ----------
    layer_sizes : sequence of int, e.g. [784, 128, 10]: inputs, hidden layer sizes, outputs.
    activation : "relu", "sigmoid" or "tanh", used by every hidden layer.
    output : "softmax" (n_outputs >= 2 classes, labels 0..n_outputs-1, cross-entropy) or
        "sigmoid" (one output unit, labels 0/1, binary cross-entropy).
    seed : int, None or np.random.Generator; the initial weights and the shuffling of
        training batches come from it, so the same seed gives the same trained weights.
    init : "he", "xavier" or "uniform"; default "he" for relu, "xavier" for sigmoid/tanh.
    dtype : np.float32 (default, fast) or np.float64.
    """

    def __init__(
        self, layer_sizes, activation="relu", output="softmax", seed=0, init=None, dtype=np.float32
    ):
        self.layer_sizes = _check_layer_sizes(layer_sizes)
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"unknown activation {activation!r}; use one of {sorted(_ACTIVATIONS)}"
            )
        if output not in ("softmax", "sigmoid"):
            raise ValueError(f"unknown output {output!r}; use 'softmax' or 'sigmoid'")
        n_out = self.layer_sizes[-1]
        if output == "sigmoid" and n_out != 1:
            raise ValueError(
                f"output='sigmoid' is for yes/no problems and needs 1 output unit, got {n_out}; "
                f"use layer_sizes=[..., 1], or output='softmax' for {n_out} classes"
            )
        if output == "softmax" and n_out < 2:
            raise ValueError(
                "output='softmax' needs at least 2 output units (one per class); "
                "for a yes/no problem use 1 unit with output='sigmoid'"
            )
        init = _DEFAULT_INIT[activation] if init is None else init
        if init not in _INITS:
            raise ValueError(f"unknown init {init!r}; use one of {list(_INITS)}")
        self.activation, self.output, self.init = activation, output, init
        self.dtype = check_dtype(dtype).type
        self.rng = as_generator(seed)
        sizes = self.layer_sizes
        self.layers = [
            Dense(n_in, n_out, init=init, rng=self.rng, dtype=self.dtype,
                  name=f"layer {i + 1} (Dense {n_in} -> {n_out})")
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True))
        ]  # fmt: skip
        self.hidden_activations = [_ACTIVATIONS[activation]() for _ in self.layers[:-1]]
        self.loss_fn = SoftmaxCrossEntropy() if output == "softmax" else SigmoidBinaryCrossEntropy()

    # ----------------------------------------------------------------------------- info
    @property
    def n_params(self):
        """Number of trainable numbers: all weights and biases."""
        return int(sum(p.size for layer in self.layers for p in layer.params))

    @property
    def params(self):
        """Every trainable array, layer by layer: [W1, b1, W2, b2, ...]."""
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self):
        """The matching gradients [dW1, db1, dW2, db2, ...] from the last backward pass."""
        return [g for layer in self.layers for g in layer.grads]

    def __repr__(self):
        return (
            f"MLP({self.layer_sizes}, activation={self.activation!r}, output={self.output!r}, "
            f"n_params={self.n_params:,})"
        )

    # -------------------------------------------------------------------------- forward
    def _logits(self, X, name=None):
        """Forward through every layer; returns the last layer's z (before softmax/sigmoid).

        With a ``name``, X is new input whose NaN/inf check happens here (see _check_z1).
        """
        if name is None:
            z = self.layers[0].forward(X)
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # bad X is reported just below
                z = self.layers[0].forward(X)
            self._check_z1(z, X, name)
        for layer, act in zip(self.layers[1:], self.hidden_activations, strict=True):
            z = layer.forward(act.forward(z))
        return z

    def _check_z1(self, z1, X, name):
        """Check new input for NaN/inf by checking the first layer's output instead.

        A NaN or inf anywhere in a row of X makes that whole row of X @ W1 NaN or inf, so
        the first layer's output (128 numbers per sample instead of 784) is non-finite exactly
        when X is, or when X is so large that the products overflow. Cheaper than scanning X.
        """
        if all_finite(z1):
            return
        as_float_array(X, name)  # raises the NaN/inf error if X itself holds any
        raise ValueError(
            f"{name} is so large that {self.layers[0].name} overflows (its outputs are inf); "
            f"scale the inputs to a small range first, e.g. {name} / {name}.max()"
        )

    def _output(self, logits):
        return softmax(logits) if self.output == "softmax" else sigmoid(logits)

    def forward(self, X):
        """Output probabilities, shape (n_samples, n_outputs)."""
        return self._output(self._logits(self._check_X(X, finite=False), name="X"))

    def activations(self, X):
        """Every layer's activation, for visualising: [X, a1, ..., output probabilities]."""
        X = self._check_X(X)
        out = [X]
        for layer, act in zip(self.layers[:-1], self.hidden_activations, strict=True):
            out.append(act.forward(layer.forward(out[-1])))
        out.append(self._output(self.layers[-1].forward(out[-1])))
        return out

    def predict_proba(self, X):
        """Same as forward: probabilities (n_samples, n_outputs)."""
        return self.forward(X)

    def predict(self, X):
        """Predicted class labels (n_samples,) as int64."""
        p = self.forward(X)
        if self.output == "sigmoid":
            return (p[:, 0] >= 0.5).astype(np.int64)
        return p.argmax(axis=1)

    def evaluate(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals y."""
        X = self._check_X(X, finite=False)
        y = self._check_y(y, X.shape[0])
        return self._loss_and_accuracy(X, y, name="X")[1]

    def loss(self, X, y):
        """Mean cross-entropy loss on (X, y) (without the weight-decay penalty)."""
        X = self._check_X(X, finite=False)
        y = self._check_y(y, X.shape[0])
        return self._loss_and_accuracy(X, y, name="X")[0]

    def _loss_and_accuracy(self, X, y, name=None):
        loss = self.loss_fn.forward_unchecked(self._logits(X, name), self._loss_targets(y))
        return loss, self._accuracy(self.loss_fn.probs, y)

    def _loss_targets(self, y):
        """Labels in the form the loss wants: int (n,) for softmax, float (n, 1) for sigmoid."""
        return y if self.output == "softmax" else y.astype(self.dtype)[:, None]

    def _accuracy(self, probs, y):
        return self._n_correct(probs, y) / len(y)

    def _n_correct(self, probs, y):
        """How many rows of probs pick the right label."""
        pred = probs[:, 0] >= 0.5 if self.output == "sigmoid" else probs.argmax(axis=1)
        return np.count_nonzero(pred == y)

    # ------------------------------------------------------------------------- training
    def fit(
        self,
        X,
        y,
        epochs=10,
        batch_size=32,
        optimizer="sgd",
        lr=None,
        weight_decay=0.0,
        validation_data=None,
        callbacks=(),
        progress=True,
        shuffle=True,
        threads=1,
    ):
        """Train with mini-batch gradient descent and return a History.

        X (n_samples, n_features), y integer labels (n_samples,) (0..n_classes-1, or 0/1 for
        output="sigmoid"). optimizer: "sgd", "momentum", "rmsprop", "adam" or an optimizer
        object; lr=None uses its default rate. weight_decay adds L2 regularisation.
        validation_data=(X_val, y_val) is scored after every epoch. callbacks: functions
        cb(epoch, logs) called after every epoch, epoch counting from 1, logs a dict with
        "loss", "accuracy" (and "val_loss", "val_accuracy"). progress=False hides the bar.
        A loss that becomes NaN or inf stops training with a ValueError (the weights are put
        back to where the failing epoch started).
        threads: how many threads NumPy's BLAS may use while training (None: leave it as it
        is). The matrices of a mini-batch are small; one thread is usually fastest, and on a
        busy machine several threads can wait on each other and run many times slower.
        """
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        if validation_data is not None:
            validation_data = self._check_validation_data(validation_data)
        epochs = _check_int("epochs", epochs)
        batch_size = _check_int("batch_size", batch_size)
        callbacks = _check_callbacks(callbacks)
        extra = {"weight_decay": weight_decay} if weight_decay else {}
        opt = get_optimizer(optimizer, lr, **extra)

        batch_size = min(batch_size, X.shape[0])
        targets = self._loss_targets(y)

        from tqdm.auto import tqdm  # imported here: it is slow to import and only fit needs it

        bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=not progress)
        # A diverging run overflows; fit reports that itself, so NumPy's warnings are muted.
        with _blas_threads(threads), np.errstate(over="ignore", invalid="ignore"):
            history = self._fit_loop(X, y, targets, epochs, batch_size, opt, shuffle, bar,
                                     validation_data, callbacks)  # fmt: skip
        bar.close()
        return history

    def _fit_loop(self, X, y, targets, epochs, batch_size, opt, shuffle, bar, val, callbacks):
        """The epochs of fit(): shuffle, then one _train_step per mini-batch."""
        n = X.shape[0]
        params, grads = self.params, self.grads
        history = History()
        for epoch in bar:
            start = time.perf_counter()
            saved = [p.copy() for p in params]  # put back if this epoch diverges
            order = self.rng.permutation(n) if shuffle else None
            loss_sum = correct = 0.0
            for first in range(0, n, batch_size):
                if shuffle:  # gather the batch's rows; the data set itself is never copied
                    idx = order[first : first + batch_size]
                else:
                    idx = slice(first, first + batch_size)
                xb, yb = X[idx], y[idx]
                tb = yb if targets is y else targets[idx]
                batch_loss = self._train_step(xb, tb, opt, params, grads)
                if not math.isfinite(batch_loss):
                    for p, p0 in zip(params, saved, strict=True):
                        p[...] = p0
                    bar.close()
                    raise ValueError(
                        f"the loss became {batch_loss} in epoch {epoch} (batch starting at "
                        f"sample {first}): training diverged, usually because the learning rate "
                        f"lr={opt.lr:g} is too large. Try a smaller one, e.g. lr={opt.lr / 10:g}. "
                        "The weights were reset to the start of that epoch."
                    )
                loss_sum += batch_loss * len(yb)
                correct += self._n_correct(self.loss_fn.probs, yb)
            history.epoch_time.append(time.perf_counter() - start)
            history.loss.append(loss_sum / n)
            history.accuracy.append(correct / n)
            logs = {"loss": history.loss[-1], "accuracy": history.accuracy[-1]}
            if val is not None:
                val_loss, val_acc = self._loss_and_accuracy(*val)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_acc)
                logs.update(val_loss=val_loss, val_accuracy=val_acc)
            bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()})
            for cb in callbacks:
                cb(epoch, dict(logs))
        return history

    def _train_step(self, xb, targets, opt, params, grads):
        """Forward, loss, backward and one optimizer step on a batch; returns the batch loss."""
        loss = self._backprop(xb, targets)
        opt.step(params, grads)
        return loss

    def _backprop(self, X, targets):
        """Forward and backward pass: fills every layer's dW and db, returns the loss."""
        loss = self.loss_fn.forward_unchecked(self._logits(X), targets)
        grad = self.loss_fn.backward()  # dL/dz of the last layer: (p - y) / batch
        for i in range(len(self.layers) - 1, -1, -1):
            # the first layer's input is the data: no gradient needed for it
            grad = self.layers[i].backward(grad, input_grad=i > 0)
            if i > 0:
                grad = self.hidden_activations[i - 1].backward(grad)
        return loss

    def loss_and_gradients(self, X, y):
        """Mean loss on (X, y) and its gradients [dW1, db1, dW2, db2, ...] (backprop, no update).

        The arrays returned are the layers' own dW/db, overwritten by the next call; copy them
        to keep them.
        """
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        return self._backprop(X, self._loss_targets(y)), self.grads

    # --------------------------------------------------------------------------- checks
    def _check_X(self, X, name="X", finite=True):
        """X as a 2-D array of the model's dtype with the right number of features."""
        X = as_float_array(X, name, self.dtype, finite=finite)
        n_in = self.layer_sizes[0]
        if X.ndim != 2 or X.shape[1] != n_in:
            hint = "."
            if X.ndim == 1 and X.shape[0] == n_in:
                hint = "; for a single sample use X.reshape(1, -1)."
            elif X.ndim > 2 and int(np.prod(X.shape[1:])) == n_in:
                hint = "; flatten each sample first: X.reshape(len(X), -1)."
            raise ValueError(
                f"{name} has shape {X.shape} but {self.layers[0].name} expects "
                f"(n_samples, {n_in}): {n_in} features per sample{hint}"
            )
        return X

    def _check_y(self, y, n_samples, name="y"):
        n_classes = 2 if self.output == "sigmoid" else self.layer_sizes[-1]
        y_arr = np.asarray(y)
        if (
            self.output == "softmax"
            and y_arr.ndim == 2
            and y_arr.shape[1] == n_classes
            and y_arr.dtype.kind in "biuf"
        ):
            # one-hot rows: turn them into labels after checking they really are one-hot
            if not (np.isin(y_arr, (0, 1)).all() and (y_arr.sum(axis=1) == 1).all()):
                raise ValueError(
                    f"{name} has shape {y_arr.shape} but its rows are not one-hot; pass integer "
                    f"labels of shape ({n_samples},) instead"
                )
            y_arr = y_arr.argmax(axis=1)
        try:
            return check_labels(y_arr, n_classes, n_samples)
        except ValueError as err:
            if self.output == "sigmoid" and "labels must be in" in str(err):
                raise ValueError(
                    f"{err}. output='sigmoid' takes labels 0 and 1; for more classes use "
                    "output='softmax' with one output unit per class"
                ) from None
            raise

    def _check_validation_data(self, validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError(
                "validation_data must be a pair (X_val, y_val), e.g. validation_data=(X_dev, y_dev)"
            )
        X_val = self._check_X(validation_data[0], "X_val")
        return X_val, self._check_y(validation_data[1], X_val.shape[0], "y_val")

    # ---------------------------------------------------------------------- save / load
    def save(self, path):
        """Save the architecture and weights to an .npz file; returns the path written.

        Only arrays and strings are stored (no pickle), so loading a file cannot run code.
        """
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_name(path.name + ".npz")
        arrays = {
            "format": np.array(_FILE_FORMAT),
            "version": np.array(_FILE_VERSION),
            "layer_sizes": np.array(self.layer_sizes, dtype=np.int64),
            "activation": np.array(self.activation),
            "output": np.array(self.output),
            "init": np.array(self.init),
        }
        for i, layer in enumerate(self.layers):
            arrays[f"W{i}"], arrays[f"b{i}"] = layer.W, layer.b
        np.savez(path, **arrays)
        return path

    @classmethod
    def load(cls, path, seed=0):
        """Rebuild a model saved with ``save``; checks that every array has the right shape.

        ``seed`` seeds the new model's generator (used if you train it further).
        """
        path = Path(path)
        fix = "pass the .npz file that model.save(path) wrote"
        try:
            # our own file handle, so it is closed even when NumPy fails half-way
            with open(path, "rb") as fh:
                data = np.load(fh, allow_pickle=False)
                arrays = None  # stays None for a single .npy array
                if hasattr(data, "files"):
                    with data:
                        arrays = {key: data[key] for key in data.files}
        except FileNotFoundError:
            raise
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:  # pickles, damage
            raise ValueError(f"{path} is not a model saved by MLP.save ({err}); {fix}") from None
        if arrays is None:
            raise ValueError(f"{path} holds a single array, not a model saved by MLP.save; {fix}")
        if "format" not in arrays or str(arrays["format"]) != _FILE_FORMAT:
            raise ValueError(f"{path} is an .npz file but not a model saved by MLP.save; {fix}")
        missing = [k for k in ("layer_sizes", "activation", "output", "init", "W0")
                   if k not in arrays]  # fmt: skip
        if missing:
            raise ValueError(f"{path} is missing {missing}; the file is incomplete, save the "
                             "model again")  # fmt: skip
        sizes = [int(s) for s in np.ravel(arrays["layer_sizes"])]
        model = cls(
            sizes,
            activation=str(arrays["activation"]),
            output=str(arrays["output"]),
            init=str(arrays["init"]),
            seed=seed,
            dtype=arrays["W0"].dtype if arrays["W0"].dtype.kind == "f" else np.float32,
        )
        for i, layer in enumerate(model.layers):
            for key, target in ((f"W{i}", layer.W), (f"b{i}", layer.b)):
                if key not in arrays:
                    raise ValueError(
                        f"{path} is missing {key}; the file is incomplete, save the model again"
                    )
                arr = arrays[key]
                if arr.shape != target.shape:
                    raise ValueError(
                        f"{path}: {key} has shape {arr.shape} but layer_sizes {sizes} "
                        f"need {target.shape}; the file is damaged or was edited, "
                        "save the model again"
                    )
                if arr.dtype.kind != "f" or not np.isfinite(arr).all():
                    raise ValueError(
                        f"{path}: {key} holds non-finite or non-float values; save the model again"
                    )
                target[...] = arr
        return model


# ------------------------------------------------------------------------------ helpers
def _check_layer_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__iter__"):
        raise TypeError(
            f"layer_sizes must be a list of ints like [784, 128, 10], got {layer_sizes!r}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least 2 numbers (inputs and outputs), got {sizes}; "
            "e.g. [784, 128, 10]"
        )
    out = []
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral):
            raise TypeError(f"layer_sizes must hold ints, got {s!r} in {sizes}")
        if s < 1:
            raise ValueError(f"every layer size must be at least 1, got {s} in {sizes}")
        out.append(int(s))
    return out


def _check_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {value!r}; e.g. {name}=32")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def _blas_threads(threads):
    """Context manager that limits NumPy's BLAS to ``threads`` threads (None: no limit)."""
    global _THREADPOOLS
    if threads is None:
        return contextlib.nullcontext()
    threads = _check_int("threads", threads)
    if _THREADPOOLS is None:
        from threadpoolctl import ThreadpoolController

        _THREADPOOLS = ThreadpoolController()
    return _THREADPOOLS.limit(limits=threads, user_api="blas")


def _check_callbacks(callbacks):
    if callbacks is None:
        return []
    if callable(callbacks):
        return [callbacks]
    callbacks = list(callbacks)
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(
                f"callbacks must be functions cb(epoch, logs), got {cb!r}; "
                "pass callbacks=[my_function]"
            )
    return callbacks
