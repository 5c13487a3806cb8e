"""MNIST figures (notebooks 06-08 and nnfs_utils.widgets.mnist): digits, pixel strips, first-layer
weights, the network lit by one digit's activations, output probabilities."""

import numpy as np


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
        ax.set_title(f"{digit} (n={len(members)})", fontsize=9)
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
        ax.set_title(f"neuron {k}\nb = {b[k]:+.2f}", fontsize=9)
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
            xs[k] + 0.18, ys[k], f"{names[k]}: {out[k]:.2f}", color="white", fontsize=9, va="center"
        )
    ax.set_xticks(range(len(layers)))
    labels = [f"hidden {i + 1}\n({len(a)})" for i, a in enumerate(layers[:-1])]
    ax.set_xticklabels(labels + [f"output\n({len(out)})"], fontsize=9)
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
