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


# --- MNIST figures (notebooks 05-07 and nnfs_utils.widgets.mnist) --------------------------


def _as_images(X):
    """``X`` as a stack of 28x28 images: accepts (n, 784), (784,), (n, 28, 28) or (28, 28)."""
    X = np.asarray(X)
    if X.ndim == 1 and X.size == 784 or X.ndim == 2 and X.shape == (28, 28):
        return X.reshape(1, 28, 28)
    if X.ndim == 2 and X.shape[1] == 784 or X.ndim == 3 and X.shape[1:] == (28, 28):
        return X.reshape(-1, 28, 28)
    raise ValueError(
        f"expected MNIST images with 784 pixels each, shape (n, 784) or (n, 28, 28); got shape "
        f"{X.shape}. Pass the rows of X_train or X_dev from nnfs_utils.data.load_mnist()."
    )


def plot_digit(ax, image, title=None, cmap="gray_r"):
    """Draw one 28x28 digit (ink dark on white) without ticks; returns the image artist."""
    img = _as_images(image)[0]
    ax.clear()
    vmax = 255 if np.issubdtype(img.dtype, np.integer) else 1.0
    artist = ax.imshow(img, cmap=cmap, vmin=0, vmax=vmax)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9)
    return artist


def plot_digit_grid(X, y, n_rows=4, n_cols=10, predictions=None, fig=None):
    """A grid of the first ``n_rows * n_cols`` digits of ``X`` titled with their labels.

    With ``predictions`` the title reads ``label/prediction`` and wrong predictions are red.
    Returns the figure.
    """
    import matplotlib.pyplot as plt

    images = _as_images(X)
    y = np.asarray(y).ravel()
    n = min(n_rows * n_cols, len(images))
    if len(y) < n:
        raise ValueError(f"need a label for each of the {n} digits shown, got {len(y)} labels.")
    if fig is None:
        fig = plt.figure(figsize=(n_cols * 0.8, n_rows * 0.95), layout="constrained")
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.axis("off")
            continue
        if predictions is None:
            plot_digit(ax, images[i], title=f"{int(y[i])}")
        else:
            wrong = int(predictions[i]) != int(y[i])
            plot_digit(ax, images[i], title=f"{int(y[i])}/{int(predictions[i])}")
            ax.title.set_color("tab:red" if wrong else "black")
    return fig


def plot_mean_digits(X, y, fig=None):
    """The mean image of each class 0-9 in one row; returns the figure."""
    import matplotlib.pyplot as plt

    images = _as_images(X).astype(float)
    y = np.asarray(y).ravel()
    if fig is None:
        fig = plt.figure(figsize=(10, 1.5), layout="constrained")
    axes = fig.subplots(1, 10)
    for digit, ax in enumerate(axes):
        members = images[y == digit]
        if len(members) == 0:
            ax.axis("off")
            continue
        mean = members.mean(axis=0)
        ax.imshow(mean, cmap="gray_r", vmin=0, vmax=mean.max() or 1.0)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{digit} (n={len(members)})", fontsize=8)
    return fig


def plot_pixel_strip(ax, x, cmap="viridis"):
    """The 784 numbers of one flattened digit as a one-row heat map, colour = value.

    This strip is all the network receives: 28 image rows laid end to end, with no notion of
    "above" or "below". Returns the image artist (for a colour bar).
    """
    flat = np.asarray(x, dtype=float).ravel()
    if flat.size != 784:
        raise ValueError(f"expected 784 numbers (one flattened digit), got {flat.size}.")
    ax.clear()
    vmax = 255.0 if flat.max() > 1.0 else 1.0
    artist = ax.imshow(flat.reshape(1, 784), cmap=cmap, aspect="auto", vmin=0, vmax=vmax)
    ax.set_yticks([])
    ax.set_xticks(np.arange(0, 785, 112))
    ax.set_xlabel("position in the flattened vector (0 .. 783)")
    return artist


def plot_weight_images(W, b, fig=None, max_images=16):
    """First-layer weights as 28x28 images, one per neuron, next to a bar chart of the biases.

    ``W`` is batch-first ``(784, n_neurons)``; ``b`` has ``n_neurons`` values. Positive weights
    are blue, negative red, zero white, on one symmetric colour scale for all neurons. Returns
    the figure.
    """
    import matplotlib.pyplot as plt

    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float).ravel()
    if W.ndim != 2 or W.shape[0] != 784:
        raise ValueError(
            f"expected first-layer weights of shape (784, n_neurons), got {W.shape}. "
            "Pass model.layers[0].W (batch-first); a column-form W1 of shape (n, 784) needs .T."
        )
    if b.size != W.shape[1]:
        raise ValueError(f"W has {W.shape[1]} neurons but b has {b.size} biases.")
    n = min(W.shape[1], max_images)
    n_cols = 4 if n > 4 else n
    n_rows = int(np.ceil(n / n_cols))
    if fig is None:
        fig = plt.figure(figsize=(1.9 * n_cols + 3.0, 1.9 * n_rows), layout="constrained")
    grid = fig.add_gridspec(n_rows, n_cols + 1, width_ratios=[1] * n_cols + [1.6])
    limit = float(np.max(np.abs(W[:, :n]))) or 1.0
    artist = None
    for k in range(n):
        ax = fig.add_subplot(grid[k // n_cols, k % n_cols])
        artist = ax.imshow(W[:, k].reshape(28, 28), cmap="RdBu", vmin=-limit, vmax=limit)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"neuron {k}, b={b[k]:+.2f}", fontsize=8)
    bias_ax = fig.add_subplot(grid[:, n_cols])
    colors = ["tab:blue" if v >= 0 else "tab:red" for v in b[:n]]
    bias_ax.barh(np.arange(n), b[:n], color=colors)
    bias_ax.set_yticks(np.arange(n))
    bias_ax.invert_yaxis()
    bias_ax.axvline(0, color="0.4", lw=0.8)
    bias_ax.set_ylabel("neuron")
    bias_ax.set_xlabel("bias")
    bias_ax.set_title("biases", fontsize=9)
    fig.colorbar(artist, ax=fig.axes[:n], shrink=0.6, label="weight (blue +, red -)")
    return fig


def plot_network_activations(ax, activations, weights=None, class_names=None):
    """Draw every layer after the input as a column of neurons lit by their activation.

    ``activations`` is ``[x, a1, ..., output]`` for ONE sample (each a 1-D array or a
    ``(1, n)`` row), as returned by ``MLP.activations(x[None])``; the input itself is skipped
    (draw it as an image next to this). Brightness is the activation divided by the largest
    value in its column (or by 1 when all are at most 1). With ``weights`` (the list of
    batch-first ``W`` matrices) the connections between the drawn columns are shown, blue for
    positive and red for negative, fainter for smaller weights. The most probable output is
    circled. Returns the index of that output.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    layers = [np.asarray(a, dtype=float).ravel() for a in activations[1:]]
    if not layers:
        raise ValueError("need at least one layer after the input to draw.")
    ax.clear()
    ax.set_facecolor("0.12")
    height = max(len(a) for a in layers)
    positions = []
    for col, a in enumerate(layers):
        ys = (height - 1) / 2 - (np.arange(len(a)) - (len(a) - 1) / 2)
        positions.append((np.full(len(a), float(col)), ys))
    if weights is not None:
        for col in range(len(layers) - 1):
            W = np.asarray(weights[col + 1], dtype=float)
            if W.shape != (len(layers[col]), len(layers[col + 1])):
                raise ValueError(
                    f"weights[{col + 1}] has shape {W.shape}, expected "
                    f"{(len(layers[col]), len(layers[col + 1]))} to connect the drawn layers."
                )
            scale = float(np.max(np.abs(W))) or 1.0
            (x0, y0), (x1, y1) = positions[col], positions[col + 1]
            i, j = np.meshgrid(np.arange(W.shape[0]), np.arange(W.shape[1]), indexing="ij")
            segments = np.stack(
                [np.stack([x0[i], y0[i]], axis=-1), np.stack([x1[j], y1[j]], axis=-1)], axis=-2
            ).reshape(-1, 2, 2)
            colors = np.where((W >= 0).reshape(-1, 1), to_rgba("tab:blue"), to_rgba("tab:red"))
            colors[:, 3] = 0.6 * np.abs(W).ravel() / scale  # fainter for smaller weights
            ax.add_collection(LineCollection(segments, colors=colors, linewidths=0.8, zorder=1))
    cmap = plt.get_cmap("gray")
    for col, a in enumerate(layers):
        top = max(1.0, float(np.max(a)))
        xs, ys = positions[col]
        ax.scatter(
            xs, ys, s=110, c=cmap(np.clip(a / top, 0, 1)), edgecolors="0.6", lw=0.8, zorder=2
        )
    out = layers[-1]
    best = int(np.argmax(out))
    xs, ys = positions[-1]
    ax.scatter([xs[best]], [ys[best]], s=260, facecolors="none", edgecolors="gold", lw=2, zorder=3)
    names = class_names or [str(k) for k in range(len(out))]
    for k in range(len(out)):
        ax.text(
            xs[k] + 0.18, ys[k], f"{names[k]}: {out[k]:.2f}", color="white", fontsize=8, va="center"
        )
    ax.set_xticks(range(len(layers)))
    labels = [f"hidden {i + 1}\n({len(a)})" for i, a in enumerate(layers[:-1])]
    ax.set_xticklabels(labels + [f"output\n({len(out)})"], fontsize=8)
    ax.set_yticks([])
    ax.set_xlim(-0.5, len(layers) - 0.1)
    ax.set_ylim(-1, height)
    return best


def plot_probabilities(ax, probs, label=None, class_names=None):
    """Bar chart of the output probabilities, titled with the prediction. The predicted class
    is orange, unless a true ``label`` is given and matches it: the true class is always green.
    Returns the predicted class."""
    probs = np.asarray(probs, dtype=float).ravel()
    pred = int(np.argmax(probs))
    colors = ["tab:gray"] * probs.size
    if pred != label:
        colors[pred] = "tab:orange"
    if label is not None:
        colors[int(label)] = "tab:green"
    ax.clear()
    names = class_names or [str(k) for k in range(probs.size)]
    ax.bar(names, probs, color=colors)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("probability")
    title = f"predicted {names[pred]} ({probs[pred]:.2f})"
    ax.set_title(title if label is None else f"{title}, true {names[int(label)]}", fontsize=9)
    return pred


def plot_digit_view(fig, x, label, index=None, class_names=None):
    """One digit on ``fig``: the image, its 784 numbers as a heat-map strip and as a curve.

    The view of ``nnfs_utils.widgets.digit_browser``; a notebook draws the same figure as its
    static copy. Returns the figure.
    """
    names = class_names or [str(k) for k in range(10)]
    fig.clear()
    grid = fig.add_gridspec(2, 2, width_ratios=[1, 3.2], height_ratios=[1, 1])
    image_ax = fig.add_subplot(grid[:, 0])
    where = "" if index is None else f"#{index}: "
    plot_digit(image_ax, x, title=f"{where}label {names[int(label)]}")
    strip_ax = fig.add_subplot(grid[0, 1])
    artist = plot_pixel_strip(strip_ax, x)
    strip_ax.set_title("the same digit as the network sees it: 784 numbers", fontsize=9)
    fig.colorbar(artist, ax=strip_ax, label="pixel value", pad=0.01)
    rows_ax = fig.add_subplot(grid[1, 1])
    flat = np.asarray(x, dtype=float).ravel()
    rows_ax.plot(flat, color="tab:blue", lw=0.8)
    rows_ax.vlines(
        np.arange(28, 784, 28),
        0,
        1,
        transform=rows_ax.get_xaxis_transform(),
        color="0.85",
        lw=0.5,
        zorder=0,
    )
    rows_ax.set_xlim(0, 783)
    rows_ax.set_xlabel("pixel index (grey lines: where a new image row starts)")
    rows_ax.set_ylabel("value")
    return fig


def plot_network_view(fig, activations, weights=None, label=None, class_names=None):
    """The input digit, every layer's activations as lit neurons, and the output probabilities.

    ``activations`` is ``[x, a1, ..., probabilities]`` for one sample (``MLP.activations``);
    ``weights`` the batch-first weight matrices (``[layer.W for layer in model.layers]``) to draw
    the connections. The view of ``nnfs_utils.widgets.network_explorer``. Returns the predicted
    class.
    """
    fig.clear()
    grid = fig.add_gridspec(1, 3, width_ratios=[1, 2.2, 1.6])
    title = "input" if label is None else f"input (label {label})"
    plot_digit(fig.add_subplot(grid[0, 0]), activations[0], title=title)
    net_ax = fig.add_subplot(grid[0, 1])
    plot_network_activations(net_ax, activations, weights=weights, class_names=class_names)
    net_ax.set_title("activations (brighter = larger)", fontsize=9)
    return plot_probabilities(
        fig.add_subplot(grid[0, 2]), activations[-1], label=label, class_names=class_names
    )


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
