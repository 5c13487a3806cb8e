"""Explorers for notebooks 06 and 08: browse the digits, and watch a trained network read one."""

import ipywidgets as widgets
import numpy as np

from ..plots import plot_digit_view, plot_network_view
from .base import Explorer

DIGITS = tuple(str(k) for k in range(10))


def _check_digits(X, y):
    """Validate MNIST-style inputs: X (n, 784), y (n,) integer labels. Returns both as arrays."""
    X = np.asarray(X)
    if X.ndim == 3 and X.shape[1:] == (28, 28):
        X = X.reshape(len(X), 784)
    if X.ndim != 2 or X.shape[1] != 784:
        raise ValueError(
            f"X must hold one flattened 28x28 digit per row, shape (n, 784); got {X.shape}. "
            "Use X_train or X_dev from nnfs_utils.data.load_mnist()."
        )
    if len(X) == 0:
        raise ValueError("X holds no digits; pass at least one row.")
    y = np.asarray(y)
    if y.ndim == 2:
        raise ValueError(
            f"y must be integer labels of shape (n,), got shape {y.shape} (one-hot?). "
            "Pass the labels, e.g. y.argmax(axis=1) for one-hot rows."
        )
    if y.shape != (len(X),):
        raise ValueError(f"X has {len(X)} digits but y has {y.size} labels; give one per digit.")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must hold integer labels 0-9, got dtype {y.dtype}; use y.astype(int).")
    return X, y


def _check_index(index, n):
    if isinstance(index, bool) or not isinstance(index, int | np.integer):
        raise TypeError(f"index must be a whole number, got {index!r}.")
    if not 0 <= index < n:
        raise ValueError(f"index {index} is out of range; pick one between 0 and {n - 1}.")
    return int(index)


def _index_slider(n, index, description):
    return widgets.IntSlider(
        value=index,
        min=0,
        max=n - 1,
        step=1,
        description=description,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="520px"),
    )


class DigitBrowser(Explorer):
    """A slider over the digits of ``X``; shows the image, its label and its 784 numbers.

    ``state``: ``index``, ``label``, ``nonzero`` (pixels above zero) and ``brightest`` (the
    largest pixel value).
    """

    css_class = "nnfs-digit-browser"
    figsize = (8.4, 2.4)
    figure_layout = "constrained"

    def __init__(self, X, y, index=0, class_names=DIGITS):
        self.X, self.y = _check_digits(X, y)
        self.class_names = tuple(class_names)
        index = _check_index(index, len(self.X))
        self.slider = _index_slider(len(self.X), index, "digit index")
        super().__init__([self.slider], watch=[self.slider])

    def _compute(self):
        i = int(self.slider.value)
        x = self.X[i]
        return {
            "index": i,
            "label": int(self.y[i]),
            "nonzero": int(np.count_nonzero(x)),
            "brightest": float(np.max(x)),
        }

    def _show(self, state):
        i, label = state["index"], state["label"]
        self.readout.value = (
            f"digit <b>#{i}</b> of {len(self.X)}: label <b>{self.class_names[label]}</b>; "
            f"{state['nonzero']} of 784 pixels are non-zero, "
            f"the brightest is {state['brightest']:.2f}"
        )
        self._show_picture(
            lambda: plot_digit_view(
                self.figure, self.X[i], label, index=i, class_names=self.class_names
            )
        )


def digit_browser(X, y, index=0, class_names=DIGITS):
    """Browse MNIST digits with a slider: image, label, and the 784 numbers as a heat map.

    ``X`` is ``(n, 784)`` (or ``(n, 28, 28)``), ``y`` the ``(n,)`` integer labels.
    """
    return DigitBrowser(X, y, index=index, class_names=class_names)


class NetworkExplorer(Explorer):
    """A slider over held-out (dev) digits; shows every layer's activations and the prediction.

    ``model`` needs ``activations(X)`` returning ``[X, a1, ..., probabilities]`` (as
    ``nnfs_utils.MLP`` does); its ``layers[k].W`` are drawn as connections when present.
    ``state``: ``index``, ``label``, ``prediction``, ``probabilities`` (a list of floats),
    ``correct`` and ``activations`` (every layer's output, as drawn).
    """

    css_class = "nnfs-network-explorer"
    figsize = (8.4, 2.9)
    figure_layout = "constrained"

    def __init__(self, model, X, y, index=0, class_names=DIGITS):
        if not callable(getattr(model, "activations", None)):
            raise TypeError(
                f"model must have an activations(X) method (like nnfs_utils.MLP), got "
                f"{type(model).__name__}. Train an MLP and pass it."
            )
        self.model = model
        self.X, self.y = _check_digits(X, y)
        self.class_names = tuple(class_names)
        index = _check_index(index, len(self.X))
        layers = getattr(model, "layers", None)
        self.weights = [np.asarray(layer.W) for layer in layers] if layers else None
        self.slider = _index_slider(len(self.X), index, "dev digit")
        super().__init__([self.slider], watch=[self.slider])

    def _compute(self):
        i = int(self.slider.value)
        activations = self.model.activations(self.X[i : i + 1])
        probs = np.asarray(activations[-1], dtype=float).ravel()
        if probs.size != len(self.class_names):
            raise ValueError(
                f"the model has {probs.size} outputs but {len(self.class_names)} class names; "
                "use a network with one output per class."
            )
        label = int(self.y[i])
        prediction = int(np.argmax(probs))
        return {
            "index": i,
            "label": label,
            "prediction": prediction,
            "probabilities": [float(p) for p in probs],
            "correct": prediction == label,
            "activations": activations,
        }

    def _show(self, state):
        i, label, prediction = state["index"], state["label"], state["prediction"]
        probs = state["probabilities"]
        verdict = "right" if state["correct"] else "<span style='color:#c0392b'>wrong</span>"
        table = " ".join(f"{name}:&nbsp;{p:.3f}" for name, p in zip(self.class_names, probs))
        self.readout.value = (
            f"dev digit <b>#{i}</b>: label <b>{self.class_names[label]}</b>, predicted "
            f"<b>{self.class_names[prediction]}</b> with probability {probs[prediction]:.3f} "
            f"({verdict})<br>probabilities: {table}"
        )
        self._show_picture(
            lambda: plot_network_view(
                self.figure,
                state["activations"],
                self.weights,
                label=label,
                class_names=self.class_names,
            )
        )


def network_explorer(model, X, y, index=0, class_names=DIGITS):
    """Pick a dev digit with a slider; the activations of every layer and the prediction update.

    ``model`` is a trained ``nnfs_utils.MLP`` (anything with ``activations(X)``); ``X`` is
    ``(n, 784)``, ``y`` the ``(n,)`` integer labels.
    """
    return NetworkExplorer(model, X, y, index=index, class_names=class_names)
