"""Figures of training and evaluation (notebooks 06-08): curves, confusion matrix, galleries."""

import numpy as np


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
