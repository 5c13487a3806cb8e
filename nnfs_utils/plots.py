"""Matplotlib figures shared by several notebooks and by the widgets.

Every function draws on an ``ax`` it is given (or makes its own figure) and returns what it
drew, so a widget can redraw the same view that a notebook shows as a static figure.
"""

import numpy as np

from .activations import relu, sigmoid, step

ACTIVATION_NAMES = ("linear", "step", "sigmoid", "relu")


def activation_function(name):
    """The activation called ``name`` (one of ``ACTIVATION_NAMES``) as a NumPy function."""
    functions = {
        "linear": lambda z: np.asarray(z, dtype=float),
        "step": step,
        "sigmoid": sigmoid,
        "relu": relu,
    }
    if name not in functions:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATION_NAMES)}."
        )
    return functions[name]


def plot_activation_point(ax, activation, z, z_range=(-8.0, 8.0)):
    """Draw an activation curve and mark where a neuron with weighted sum ``z`` sits on it.

    The x-axis widens to keep ``z`` in view. Returns the output ``activation(z)``.
    """
    f = activation_function(activation)
    lo, hi = min(z_range[0], z - 1.0), max(z_range[1], z + 1.0)
    zs = np.linspace(lo, hi, 401)
    out = float(f(z))
    ax.clear()
    ax.plot(zs, f(zs), color="tab:blue", lw=2, label=f"{activation}(z)")
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.plot([z], [out], "o", color="tab:red", ms=9, zorder=3)
    ax.annotate(
        f"z = {z:.2f}\noutput = {out:.4f}",
        xy=(z, out),
        xytext=(10, -30 if out > 0.5 * max(1.0, float(np.max(f(zs)))) else 10),
        textcoords="offset points",
        fontsize=9,
    )
    ax.set_xlabel("weighted sum z = w·x + b")
    ax.set_ylabel("neuron output")
    ax.set_title(f"where the neuron sits on its {activation} curve")
    ax.legend(loc="upper left")
    return out


def plot_layer_outputs(ax, outputs, highlight=None, labels=None):
    """Bar chart of a layer's outputs, one bar per neuron; ``highlight`` marks one bar."""
    outputs = np.asarray(outputs, dtype=float).ravel()
    labels = labels or [f"neuron {i + 1}" for i in range(outputs.size)]
    colors = ["tab:orange" if i == highlight else "tab:blue" for i in range(outputs.size)]
    ax.clear()
    bars = ax.bar(labels, outputs, color=colors)
    for bar, value in zip(bars, outputs):
        ax.annotate(
            f"{value:.3f}",
            xy=(bar.get_x() + bar.get_width() / 2, value),
            xytext=(0, 3 if value >= 0 else -12),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    ax.axhline(0, color="0.5", lw=0.8)
    top = max(1.0, float(np.max(np.abs(outputs)))) * 1.25
    ax.set_ylim(-top if np.min(outputs) < 0 else 0, top)
    ax.set_ylabel("output")
    ax.set_title("the layer's outputs")
    return bars


# --- notebooks 03 and 04: decision boundaries ----------------------------------------------
# the first five tab10 colours as RGB (class 0 blue, 1 red, 2 green, 3 purple, 4 orange)
CLASS_COLORS = (
    (0.122, 0.467, 0.706),
    (0.839, 0.153, 0.157),
    (0.173, 0.627, 0.173),
    (0.580, 0.404, 0.741),
    (1.000, 0.498, 0.055),
)


def decision_grid(X, resolution=120, padding=0.5):
    """A grid of points covering the 2-D data ``X`` (plus ``padding`` on every side).

    Returns ``(xx, yy, points)``: two (resolution, resolution) coordinate arrays and the same
    points as one (resolution**2, 2) batch that a model can classify in one call.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"a decision boundary is drawn for 2-D inputs, so X must have shape (n_samples, 2), "
            f"got {X.shape}. Pick two features, e.g. X[:, :2]."
        )
    if int(resolution) < 2:
        raise ValueError(f"resolution must be at least 2 points per side, got {resolution!r}.")
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(
        np.linspace(lo[0], hi[0], int(resolution)), np.linspace(lo[1], hi[1], int(resolution))
    )
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_decision_boundary(ax, xx, yy, probs, X, y, title=None):
    """Colour the plane by what a classifier says and draw the data on top.

    ``probs`` holds the classifier's output on the grid from ``decision_grid``: one
    probability of class 1 per point (shape (m,) or (m, 1)) or one column per class (m, k).
    The colour mixes the class colours by probability, so pale regions are unsure; a black
    line marks where the predicted class changes. ``y`` holds the labels 0..k-1.
    """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim == 1 or probs.shape[1] == 1:
        p1 = probs.reshape(-1)
        probs = np.column_stack([1.0 - p1, p1])
    if probs.shape[0] != xx.size:
        raise ValueError(
            f"probs has {probs.shape[0]} rows but the grid has {xx.size} points; "
            "compute probs on the points returned by decision_grid."
        )
    k = probs.shape[1]
    if k > len(CLASS_COLORS):
        raise ValueError(
            f"plot_decision_boundary colours up to {len(CLASS_COLORS)} classes, got {k}; "
            "for more classes plot the predicted labels with imshow instead."
        )
    colors = np.array(CLASS_COLORS[:k])
    rgb = 0.45 * (probs @ colors) + 0.55  # pale version of the mixed class colour
    ax.clear()
    ax.imshow(
        rgb.reshape(*xx.shape, 3),
        origin="lower",
        extent=(xx.min(), xx.max(), yy.min(), yy.max()),
        aspect="auto",
        interpolation="bilinear",
    )
    labels = probs.argmax(axis=1).reshape(xx.shape)
    spread = float(np.ptp(probs[:, 1] - probs[:, 0])) if k == 2 else 1.0
    if np.unique(labels).size > 1 and spread > 1e-6:
        if k == 2:
            ax.contour(xx, yy, probs[:, 1].reshape(xx.shape), levels=[0.5], colors="k")
        else:
            ax.contour(xx, yy, labels, levels=np.arange(k - 1) + 0.5, colors="k", linewidths=1)
    y = np.asarray(y).reshape(-1).astype(int)
    for c in range(k):
        mask = y == c
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=22,
            color=CLASS_COLORS[c],
            edgecolors="k",
            linewidths=0.6,
            label=f"class {c}",
        )
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    if title:
        ax.set_title(title)
    return labels


# --- notebook 08: training curves, errors, probabilities --------------------------------------
def plot_training_curves(axes, history, label=None, color=None):
    """Loss (axes[0]) and accuracy (axes[1]) per epoch from a History (or its as_dict()).

    Training values are solid lines; dev/validation values, when present, dashed. Returns the
    two axes. Call it again with another history and label to compare runs on the same axes.
    """
    h = history if isinstance(history, dict) else history.as_dict()
    if not h.get("loss"):
        raise ValueError("the history has no epochs yet; train with fit() first")
    epochs = np.arange(1, len(h["loss"]) + 1)
    ax_loss, ax_acc = axes
    name = f"{label} " if label else ""
    (line,) = ax_loss.plot(epochs, h["loss"], "-o", ms=3, color=color, label=f"{name}train")
    color = line.get_color()
    ax_acc.plot(epochs, h["accuracy"], "-o", ms=3, color=color, label=f"{name}train")
    if h.get("val_loss"):
        ax_loss.plot(epochs, h["val_loss"], "--", color=color, label=f"{name}dev")
        ax_acc.plot(epochs, h["val_accuracy"], "--", color=color, label=f"{name}dev")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("cross-entropy loss")
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy")
    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    return axes


class LiveTrainingPlot:
    """A ``fit`` callback that redraws loss and accuracy curves after every epoch.

        live = LiveTrainingPlot(epochs=10)
        model.fit(X, y, epochs=10, validation_data=(X_dev, y_dev), callbacks=[live])

    In a notebook the figure is shown once and replaced in place after each epoch (an IPython
    display handle); outside a notebook it is only kept in ``live.figure``. ``live.logs`` holds
    every epoch's logs.
    """

    def __init__(self, epochs=None, figsize=(9, 3.2), title="training"):
        from matplotlib.figure import Figure  # no pyplot: the figure is not shown twice

        self.epochs = epochs
        self.title = title
        self.logs = []
        self.figure = Figure(figsize=figsize, dpi=80, layout="constrained")
        self.axes = self.figure.subplots(1, 2)
        self._handle = None

    def __call__(self, epoch, logs):
        self.logs.append(dict(logs))
        history = {k: [entry.get(k) for entry in self.logs] for k in self.logs[0]}
        for ax in self.axes:
            ax.clear()
        plot_training_curves(self.axes, history)
        if self.epochs:
            for ax in self.axes:
                ax.set_xlim(0.5, self.epochs + 0.5)
        self.figure.suptitle(
            f"{self.title}: epoch {epoch}" + (f" of {self.epochs}" * bool(self.epochs))
        )
        self._show()

    def _show(self):
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython comes with Jupyter
            return
        if get_ipython() is None:
            return
        if self._handle is None:
            self._handle = display(self.figure, display_id=True)
        else:
            self._handle.update(self.figure)


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Counts C[i, j] of samples whose true class is i and predicted class is j (int64)."""
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has {y_true.size} labels but y_pred has {y_pred.size}; pass one prediction "
            "per sample"
        )
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.size and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0):
            raise ValueError(f"{name} must hold class numbers 0, 1, 2, ... (integers)")
    k = int(n_classes) if n_classes is not None else int(max(y_true.max(), y_pred.max())) + 1
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k).astype(np.int64)


def plot_confusion_matrix(ax, y_true, y_pred, class_names=None, title="confusion matrix"):
    """Draw the confusion matrix with counts in the cells; returns the matrix.

    Rows are true classes, columns predictions; the diagonal holds the correct ones, so every
    off-diagonal number is a kind of mistake.
    """
    k = len(class_names) if class_names is not None else None
    cm = confusion_matrix(y_true, y_pred, k)
    k = cm.shape[0]
    names = [str(c) for c in class_names] if class_names is not None else [str(i) for i in range(k)]
    off = cm.copy()
    np.fill_diagonal(off, 0)
    # colour the mistakes (the diagonal would swamp them), grey the diagonal
    shown = np.ma.masked_where(np.eye(k, dtype=bool), off)
    ax.imshow(shown, cmap="Reds", vmin=0, vmax=max(1, off.max()))
    ax.imshow(
        np.ma.masked_where(~np.eye(k, dtype=bool), cm), cmap="Greys", vmin=0, vmax=cm.max() * 4
    )
    for i in range(k):
        for j in range(k):
            if cm[i, j]:
                strong = i != j and cm[i, j] > 0.6 * max(1, off.max())
                ax.text(
                    j,
                    i,
                    str(cm[i, j]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if strong else "black",
                )
    ax.set_xticks(
        range(k),
        names,
        rotation=45 if max(map(len, names)) > 2 else 0,
        ha="right" if max(map(len, names)) > 2 else "center",
        fontsize=8,
    )
    ax.set_yticks(range(k), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    return cm


def top_k(probs, k=3):
    """Indices (n, k) of the k most likely classes per row, most likely first, and their probs."""
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 2:
        raise ValueError(f"probs must be (n_samples, n_classes), got shape {probs.shape}")
    k = min(int(k), probs.shape[1])
    idx = np.argsort(-probs, axis=1, kind="stable")[:, :k]
    return idx, np.take_along_axis(probs, idx, axis=1)


def plot_digit_gallery(fig, images, y_true, probs, class_names=None, ncols=6, k=3):
    """A grid of 28x28 images, each titled with its true label, prediction and top-k probs.

    images (n, 784) or (n, 28, 28); y_true (n,); probs (n, n_classes). A wrong prediction is
    written in red. Returns the axes.
    """
    images = np.asarray(images).reshape(len(images), 28, 28)
    n = len(images)
    if n == 0:
        raise ValueError("there are no images to show")
    names = [str(c) for c in class_names] if class_names is not None else None
    name = (lambda c: names[c]) if names else str
    idx, p = top_k(probs, k)
    nrows = -(-n // ncols)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for a, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if a >= n:
            continue
        ax.imshow(images[a], cmap="gray_r", vmin=0, vmax=1)
        wrong = idx[a, 0] != y_true[a]
        lines = [f"true {name(int(y_true[a]))}"]
        lines += [f"{name(int(c))}: {100 * q:.0f}%" for c, q in zip(idx[a], p[a], strict=True)]
        ax.set_title(
            "\n".join(lines), fontsize=7, color="tab:red" if wrong else "black", loc="left"
        )
    return axes


def plot_probability_bars(ax, probs, class_names=None, title=None):
    """Horizontal bar chart of one sample's class probabilities; the top class in red."""
    probs = np.asarray(probs, dtype=float).reshape(-1)
    names = (
        [str(c) for c in class_names]
        if class_names is not None
        else [str(i) for i in range(probs.size)]
    )
    best = int(np.argmax(probs))
    colors = ["tab:red" if i == best else "tab:blue" for i in range(probs.size)]
    ax.barh(range(probs.size), probs, color=colors)
    ax.set_yticks(range(probs.size), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability")
    for i, q in enumerate(probs):
        ax.text(min(q + 0.02, 0.85), i, f"{100 * q:.1f}%", va="center", fontsize=7)
    if title:
        ax.set_title(title)
    return best
