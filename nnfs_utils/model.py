"""MLP: a multi-layer perceptron that trains with mini-batch gradient descent.

    model = MLP([784, 128, 10])                    # 784 inputs, 128 hidden ReLU units, 10 classes
    history = model.fit(X_train, y_train, epochs=5, batch_size=64, optimizer="adam")
    model.evaluate(X_dev, y_dev)                   # accuracy in [0, 1]

One training step on a batch X (batch, 784) with labels y (batch,), in notebook 04's names:

    forward    A_0 = X;  Z_k = A_(k-1) @ W_k + b_k;  A_k = activation(Z_k);  P = softmax(Z_last)
    loss       mean cross-entropy of P against y
    backward   dZ_last = (P - Y) / batch, then for each layer from the top:
               dW_k = A_(k-1).T @ dZ_k,  db_k = dZ_k summed over the rows,
               dA_(k-1) = dZ_k @ W_k.T,  dZ_(k-1) = dA_(k-1) * activation'(Z_(k-1))
    update     the optimizer changes every W_k and b_k in place

This module holds that algorithm. The training loop (epochs, batches, history) is in
``training.py``, saving and loading in ``saving.py``, every input check in ``checks.py``.
"""

import numpy as np

from . import checks, saving, training
from ._compat import without_old_names
from .activations import ACTIVATIONS, sigmoid, softmax
from .dropout import Dropout
from .initializers import init_name
from .layers import Dense
from .losses import SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy
from .training import History

__all__ = ["MLP", "History"]


class MLP:
    """A fully connected network: Dense layers with an activation between them.

    Parameters
    ----------
    layer_sizes : sequence of int, e.g. [784, 128, 10]: inputs, hidden layer sizes, outputs.
    activation : a name from ``activations.ACTIVATIONS`` ("relu", "sigmoid", "tanh"), used by
        every hidden layer.
    output : "softmax" (n_outputs >= 2 classes, labels 0..n_outputs-1, cross-entropy) or
        "sigmoid" (one output unit, labels 0/1, binary cross-entropy).
    seed : int, None or np.random.Generator; the initial weights and the shuffling of
        training batches come from it, so the same seed gives the same trained weights.
    init : a name from ``initializers.INITIALIZERS`` ("he", "xavier" or "glorot", "uniform");
        default: the activation's own ("he" for relu, "xavier" for sigmoid/tanh).
    dtype : np.float32 (default, fast) or np.float64.
    dropout : share of each hidden layer's outputs dropped at random in every training step
        (0, the default: no dropout). Only ``fit`` drops; predict, evaluate, forward and
        loss_and_gradients always use every unit. The masks come from the model's generator.
    """

    def __init__(
        self,
        layer_sizes,
        activation="relu",
        output="softmax",
        seed=0,
        init=None,
        dtype=np.float32,
        dropout=0.0,
    ):
        self.layer_sizes = sizes = checks.check_layer_sizes(layer_sizes)
        self.activation = checks.check_choice("activation", activation, ACTIVATIONS)
        self.output = checks.check_output(output, sizes[-1])
        act = ACTIVATIONS[activation]
        self.init = init_name(act.default_init if init is None else init, allow_function=False)
        self.dtype = checks.check_dtype(dtype).type
        self.rng = checks.as_generator(seed)
        self.layers = [
            Dense(n_in, n_out, init=self.init, rng=self.rng, dtype=self.dtype,
                  name=f"layer {i + 1} (Dense {n_in} -> {n_out})")
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True))
        ]  # fmt: skip
        for layer in self.layers:
            layer.check_inputs = False  # the model checks its inputs once, at the door
        self.hidden_activations = [act() for _ in self.layers[:-1]]
        for obj in (*self.layers, *self.hidden_activations):
            without_old_names(obj)  # the model calls them with the new argument names only
        self.loss_fn = SoftmaxCrossEntropy() if output == "softmax" else SigmoidBinaryCrossEntropy()
        self.dropout = Dropout(dropout, self.rng).rate  # checks the rate
        self.dropouts = [Dropout(dropout, self.rng) for _ in self.layers[:-1]] if dropout else []

    @property
    def n_params(self):
        """Number of trainable numbers: all weights and biases."""
        return int(sum(p.size for p in self.params))

    @property
    def params(self):
        """Every trainable array, layer by layer: [W1, b1, W2, b2, ...]."""
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    @property
    def grads(self):
        """The matching gradients [dW1, db1, dW2, db2, ...] from the last backward pass."""
        return [g for layer in self.layers for g in (layer.dW, layer.db)]

    def __repr__(self):
        dropout = f", dropout={self.dropout:g}" if self.dropout else ""
        return (
            f"MLP({self.layer_sizes}, activation={self.activation!r}, output={self.output!r}"
            f"{dropout}, n_params={self.n_params:,})"
        )

    # ------------------------------------------------------------- the learning algorithm
    def logits(self, X, dropout=False):
        """Forward through every layer: Z of the last layer (before softmax/sigmoid).

        dropout=True passes each hidden activation A through its Dropout layer (training
        steps only; a model without dropout has none).
        """
        dropouts = self.dropouts if dropout else None
        Z = self.layers[0].forward(X)
        for k in range(1, len(self.layers)):  # A of layer k-1 is the input of layer k
            A = self.hidden_activations[k - 1].forward(Z)
            if dropouts:
                A = dropouts[k - 1].forward(A)
            Z = self.layers[k].forward(A)
        return Z

    def backprop(self, X, targets, dropout=False):
        """Forward, loss and backward pass: sets every layer's dW and db, returns the loss.

        dropout=True: through the Dropout layers (with fresh random masks), as in training.
        """
        dropouts = self.dropouts if dropout else None
        loss = self.loss_fn.forward_unchecked(self.logits(X, dropout), targets)
        dZ = self.loss_fn.backward()  # (P - Y) / batch
        for k in range(len(self.layers) - 1, 0, -1):  # from the top layer down to layer 2
            dA = self.layers[k].backward(dZ)  # dA of the layer below
            if dropouts:
                dA = dropouts[k - 1].backward(dA)
            dZ = self.hidden_activations[k - 1].backward(dA)
        self.layers[0].backward(dZ, input_grad=False)  # the data below needs no gradient
        return loss

    def train_step(self, X, targets, step):
        """One step of gradient descent on a batch; ``step`` is the optimizer's step method."""
        loss = self.backprop(X, targets, dropout=True)
        step(self.params, self.grads)
        return loss

    # ------------------------------------------------------------------- using the model
    def _output(self, Z):
        return softmax(Z) if self.output == "softmax" else sigmoid(Z)

    def forward(self, X):
        """Output probabilities, shape (n_samples, n_outputs)."""
        return self._output(self._checked_logits(self._check_X(X, finite=False), "X"))

    def activations(self, X):
        """Every layer's activation, for visualising: [X, A_1, ..., output probabilities]."""
        A = [self._check_X(X)]
        for layer, activation in zip(self.layers[:-1], self.hidden_activations, strict=True):
            A.append(activation.forward(layer.forward(A[-1])))
        A.append(self._output(self.layers[-1].forward(A[-1])))
        return A

    def predict_proba(self, X):
        """Same as forward: probabilities (n_samples, n_outputs)."""
        return self.forward(X)

    def predict(self, X):
        """Predicted class labels (n_samples,) as int64."""
        return self._labels(self.forward(X))

    def evaluate(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals y."""
        return self._loss_and_accuracy(*self._check_Xy(X, y), name="X")[1]

    def loss(self, X, y):
        """Mean cross-entropy loss on (X, y) (without the weight-decay penalty)."""
        return self._loss_and_accuracy(*self._check_Xy(X, y), name="X")[0]

    def loss_and_gradients(self, X, y):
        """Mean loss on (X, y) and its gradients [dW1, db1, dW2, db2, ...] (backprop, no update).

        The arrays returned are the layers' dW and db of this call.
        """
        X = self._check_X(X)
        return self.backprop(X, self._loss_targets(self._check_y(y, len(X)))), self.grads

    def _loss_and_accuracy(self, X, y, name=None):
        Z = self._checked_logits(X, name) if name else self.logits(X)
        loss = self.loss_fn.forward_unchecked(Z, self._loss_targets(y))
        return loss, np.count_nonzero(self._labels(self.loss_fn.P) == y) / len(y)

    def _labels(self, P):
        """Predicted labels from probabilities: the largest, or P >= 0.5 for one output."""
        return (P[:, 0] >= 0.5).astype(np.int64) if self.output == "sigmoid" else P.argmax(axis=1)

    def _loss_targets(self, y):
        """Labels in the form the loss wants: int (n,) for softmax, float (n, 1) for sigmoid."""
        return y if self.output == "softmax" else y.astype(self.dtype)[:, None]

    def fit(self, X, y, epochs=10, batch_size=32, optimizer="sgd", lr=None, weight_decay=0.0,
            validation_data=None, callbacks=(), progress=True, shuffle=True, threads=1):  # fmt: skip
        """Train with mini-batch gradient descent and return a History.

        X (n_samples, n_features), y integer labels (n_samples,) (0..n_classes-1, or 0/1 for
        output="sigmoid"). optimizer: "sgd", "momentum", "rmsprop", "adam" or an optimizer
        object; lr=None uses its default rate. weight_decay adds L2 regularisation.
        validation_data=(X_val, y_val) is scored after every epoch. callbacks: functions
        cb(epoch, logs) called after every epoch, epoch counting from 1, logs a dict with
        "loss", "accuracy" (and "val_loss", "val_accuracy"). progress=False hides the bar.
        A callback stops training by raising ``nnfs_utils.training.StopTraining`` (see
        ``nnfs_utils.monitor.EarlyStopping``). With dropout, the training loss and accuracy
        are measured with units dropped; the validation ones with every unit.
        A loss that becomes NaN or inf stops training with a ValueError (the weights are put
        back to where the failing epoch started).
        threads: how many threads NumPy's BLAS may use while training (None: leave it as it
        is). The matrices of a mini-batch are small; one thread is usually fastest, and on a
        busy machine several threads can wait on each other and run many times slower.
        """
        X, y = self._check_Xy(X, y, finite=True)
        if validation_data is not None:
            X_val, y_val = checks.check_validation_data(validation_data)
            X_val = self._check_X(X_val, "X_val")
            validation_data = (X_val, self._check_y(y_val, len(X_val), "y_val"))
        settings = training.check_settings(epochs, batch_size, callbacks, threads)
        opt = training.optimizer_for_fit(optimizer, lr, weight_decay)
        return training.fit(self, X, y, opt, validation_data, progress, shuffle, **settings)

    # ------------------------------------------------------------------------ the door
    def _check_X(self, X, name="X", finite=True):
        """X as a 2-D array of the model's dtype with the right number of features."""
        X = checks.as_float_array(X, name, self.dtype, finite=finite)
        return checks.check_features(X, self.layer_sizes[0], self.layers[0].name, name)

    def _check_y(self, y, n_samples, name="y"):
        n_classes = 2 if self.output == "sigmoid" else self.layer_sizes[-1]
        return checks.check_model_labels(y, n_samples, self.output, n_classes, name)

    def _check_Xy(self, X, y, finite=False):
        X = self._check_X(X, finite=finite)
        return X, self._check_y(y, X.shape[0])

    def _checked_logits(self, X, name):
        """logits() for new input whose NaN/inf check is done on the first layer's output."""
        with np.errstate(over="ignore", invalid="ignore"):  # bad X is reported just below
            Z = self.layers[0].forward(X)
        checks.check_first_layer_output(Z, X, name, self.layers[0].name)
        for layer, activation in zip(self.layers[1:], self.hidden_activations, strict=True):
            Z = layer.forward(activation.forward(Z))
        return Z

    # ----------------------------------------------------------------------- save / load
    def save(self, path):
        """Save the architecture and weights to an .npz file; returns the path written.

        Only arrays and strings are stored (no pickle), so loading a file cannot run code.
        """
        return saving.save(self, path)

    @classmethod
    def load(cls, path, seed=0):
        """Rebuild a model saved with ``save``; checks that every array has the right shape.

        ``seed`` seeds the new model's generator (used if you train it further).
        """
        return saving.load(cls, path, seed)
