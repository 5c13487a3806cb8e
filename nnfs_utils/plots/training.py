"""Figures of training and evaluation (notebooks 07-09): curves, confusion matrix, galleries."""

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
        ax.legend(fontsize=9)
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
        self.figure = Figure(figsize=figsize, dpi=100, layout="constrained")
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
    from matplotlib.ticker import MaxNLocator

    k = len(class_names) if class_names is not None else None
    cm = confusion_matrix(y_true, y_pred, k)
    k = cm.shape[0]
    names = [str(c) for c in class_names] if class_names is not None else [str(i) for i in range(k)]
    off = cm.copy()
    np.fill_diagonal(off, 0)
    # colour the mistakes (the diagonal would swamp them), grey the diagonal
    shown = np.ma.masked_where(np.eye(k, dtype=bool), off)
    mistakes = ax.imshow(shown, cmap="Reds", vmin=0, vmax=max(1, off.max()))
    bar = ax.figure.colorbar(mistakes, ax=ax, shrink=0.8, label="mistakes (off-diagonal count)")
    bar.locator = MaxNLocator(integer=True)  # counts are whole numbers: no 0.25, 0.5 ticks
    bar.update_ticks()
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
                    fontsize=9,
                    color="white" if strong else "black",
                )
    ax.set_xticks(
        range(k),
        names,
        rotation=45 if max(map(len, names)) > 2 else 0,
        ha="right" if max(map(len, names)) > 2 else "center",
        fontsize=9,
    )
    ax.set_yticks(range(k), names, fontsize=9)
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
            "\n".join(lines), fontsize=9, color="tab:red" if wrong else "black", loc="left"
        )
    return axes


# --- notebook 03: the loss surface; notebook 08: gradient sizes; notebook 07: predictions ----
def perceptron_loss(X, y, W):
    """Notebook 03's loss ½ Σ (y - sigmoid(X w))² for every column w of ``W`` (n_inputs, k)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    out = 1.0 / (1.0 + np.exp(-(X @ W)))
    return 0.5 * np.sum((y - out) ** 2, axis=0)


def plot_loss_surface(ax, X, y, path, shown=(0, 2), fixed_value=None, resolution=150):
    """Contour map of the perceptron's loss over two weights, with the descent path on it.

    ``path`` (n_steps, n_inputs) holds the weights after each update (the ``"weights"`` of
    ``perceptron_history``). The two weights ``shown`` vary over the map; every other weight is
    held at ``fixed_value`` (default: its final value on the path), which the title states. The
    path is drawn as it went, so where the fixed weight was elsewhere (early steps) the colour
    under the path is not exactly the loss the neuron had. Returns a dict: ``grid`` (the two
    coordinate arrays), ``loss`` (the map), ``path`` (the two shown weights per step) and
    ``fixed`` ({index: value}).
    """
    from matplotlib.colors import LogNorm

    path = np.asarray(path, dtype=float)
    X = np.asarray(X, dtype=float)
    if path.ndim != 2 or path.shape[1] != X.shape[1] or X.shape[1] < 3:
        raise ValueError(
            f"path must be (n_steps, {X.shape[1]}): one row of weights per step for the "
            f"{X.shape[1]} inputs of X (at least 3), got shape {path.shape}."
        )
    i, j = (int(k) for k in shown)
    others = [k for k in range(X.shape[1]) if k not in (i, j)]
    if i == j or len(others) != X.shape[1] - 2:
        raise ValueError(f"shown must name two different weights 0..{X.shape[1] - 1}, got {shown}")
    fixed = {k: float(path[-1, k]) if fixed_value is None else float(fixed_value) for k in others}
    lo, hi = path[:, [i, j]].min(axis=0), path[:, [i, j]].max(axis=0)
    margin = 0.15 * (hi - lo) + 0.5
    gi = np.linspace(lo[0] - margin[0], hi[0] + margin[0], resolution)
    gj = np.linspace(lo[1] - margin[1], hi[1] + margin[1], resolution)
    Wi, Wj = np.meshgrid(gi, gj)
    W = np.zeros((X.shape[1], Wi.size))
    W[i], W[j] = Wi.ravel(), Wj.ravel()
    for k, value in fixed.items():
        W[k] = value
    loss = perceptron_loss(X, y, W).reshape(Wi.shape)
    ax.clear()
    # half-decade levels and a colour bar with a tick per decade
    low = np.floor(np.log10(max(float(loss.min()), 1e-12)))
    high = np.ceil(np.log10(float(loss.max())))
    levels = 10.0 ** np.arange(low, high + 0.25, 0.5)
    filled = ax.contourf(Wi, Wj, loss, levels=levels, norm=LogNorm(), cmap="viridis")
    ax.contour(Wi, Wj, loss, levels=levels, colors="white", linewidths=0.4, alpha=0.6)
    cbar = ax.figure.colorbar(filled, ax=ax, label="loss L (log scale)")
    cbar.set_ticks(10.0 ** np.arange(low, high + 0.5))
    cbar.ax.yaxis.set_major_formatter("{x:g}")
    ax.plot(path[:, i], path[:, j], color="tab:red", lw=2, label="descent path")
    steps = [k for k in (0, 10, 100, 1_000, len(path) - 1) if k < len(path)]
    ax.plot(path[steps, i], path[steps, j], "o", color="white", mec="tab:red", ms=6, zorder=3)
    for k in steps:
        last = k == len(path) - 1
        ax.annotate(
            f"step {k:,}",
            (path[k, i], path[k, j]),
            xytext=(-8, 8) if last else (8, 8),
            ha="right" if last else "left",
            textcoords="offset points",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    ax.set_xlabel(f"$w_{i + 1}$")
    ax.set_ylabel(f"$w_{j + 1}$")
    held = ", ".join(f"$w_{k + 1}$ = {v:.2f}" for k, v in fixed.items())
    ax.set_title(f"loss over $w_{i + 1}$, $w_{j + 1}$ with {held} (its final value)")
    ax.legend(loc="upper right")
    return {"grid": (Wi, Wj), "loss": loss, "path": path[:, [i, j]], "fixed": fixed}


def plot_gradient_sizes(ax, sizes_per_layer, labels):
    """Bars of the gradient size per layer (log scale), one colour per network.

    ``sizes_per_layer`` holds one sequence per network (e.g. mean |dW| of each layer, first
    layer first); ``labels`` names them (legend). Returns the bar containers.
    """
    sizes = [np.asarray(s, dtype=float).ravel() for s in sizes_per_layer]
    if len(sizes) != len(labels) or not sizes:
        raise ValueError(
            f"need one label per network: {len(sizes)} networks, {len(labels)} labels."
        )
    if any(s.size != sizes[0].size for s in sizes) or any(np.any(s <= 0) for s in sizes):
        raise ValueError("every network needs the same number of layers and sizes above 0.")
    n_layers, k = sizes[0].size, len(sizes)
    width = 0.8 / k
    ax.clear()
    bars = []
    for n, (s, label) in enumerate(zip(sizes, labels, strict=True)):
        positions = np.arange(1, n_layers + 1) + (n - (k - 1) / 2) * width
        bars.append(ax.bar(positions, s, width=width, label=label))
    ax.set_yscale("log")
    top = max(float(s.max()) for s in sizes)
    ax.set_ylim(min(float(s.min()) for s in sizes) / 3, top * 60)  # room for the legend
    ax.set_xticks(np.arange(1, n_layers + 1))
    ax.set_xlabel("layer (1 = next to the input, the last = the output layer)")
    ax.set_ylabel("mean |dW| (log scale)")
    ax.set_title("how much gradient reaches each layer")
    ax.grid(axis="y", alpha=0.3, which="major")
    ax.legend(loc="upper left", ncols=len(labels))
    return bars


def plot_prediction_gallery(fig, images, y_true, y_pred, n_first=20, n_mistakes=10, n_cols=10):
    """The first ``n_first`` digits with their predictions, then the first ``n_mistakes`` wrong
    ones after those (so no digit is shown twice).

    Each digit is captioned with the prediction; a wrong one in red with its true label and a
    red frame. Returns a dict: ``first`` and ``mistakes``, the indices shown in each part.
    """
    images = np.asarray(images).reshape(len(images), 28, 28)
    y_true = np.asarray(y_true).ravel()
    y_pred = np.asarray(y_pred).ravel()
    if not len(images) == y_true.size == y_pred.size:
        raise ValueError(
            f"need one label and one prediction per image: {len(images)} images, "
            f"{y_true.size} labels, {y_pred.size} predictions."
        )
    first = np.arange(min(n_first, len(images)))
    wrong = np.flatnonzero(y_true != y_pred)
    mistakes = wrong[wrong >= len(first)][:n_mistakes]
    parts = [(first, f"the first {len(first)} dev digits and what the network says")]
    if len(mistakes):
        title = f"the next {len(mistakes)} dev digits it gets wrong (after the first {len(first)})"
        parts.append((mistakes, title))
    rows = [-(-len(idx) // n_cols) for idx, _ in parts]
    subfigs = np.atleast_1d(fig.subfigures(len(parts), 1, height_ratios=rows))
    for sub, (idx, title) in zip(subfigs, parts, strict=True):
        axes = sub.subplots(-(-len(idx) // n_cols), n_cols, squeeze=False)
        for ax in axes.flat:
            ax.axis("off")
        for ax, k in zip(axes.flat, idx, strict=False):
            wrong = y_pred[k] != y_true[k]
            ax.axis("on")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.imshow(images[k], cmap="gray_r")
            caption = f"says {y_pred[k]}" + (f"\n(is {y_true[k]})" if wrong else "")
            ax.set_title(caption, fontsize=9, color="tab:red" if wrong else "black")
            for spine in ax.spines.values():
                spine.set_color("tab:red" if wrong else "0.8")
                spine.set_linewidth(2.5 if wrong else 0.8)
        sub.suptitle(title, fontsize=11)
    return {"first": first, "mistakes": mistakes}
