"""What a hidden neuron might detect, and what it does (notebook 08: the hope and the reality).

The hope, as in 3Blue1Brown's video: a first-layer neuron whose weights are a hand-made edge
detector (a stroke of positive weights between two bands of negative ones, bias -10) lights up
for digits with ink along that stroke. The reality: trained neurons are blotchy, and the heat map
of their mean activation per digit class shows patterns shared by several classes.
"""

import numpy as np


def hand_made_edge_detector(row=6, cols=(8, 20), width=2, flank=2, bias=-10.0):
    """A 28x28 weight image that detects a horizontal stroke, and its bias.

    Weights are +1 on ``width`` rows from ``row`` between columns ``cols`` (start, stop), -1 on
    ``flank`` rows just above and just below, 0 elsewhere. With pixels in [0, 1] the weighted
    sum is (ink on the stroke) - (ink beside it), so with the bias of -10 the neuron lights up
    only for more than 10 pixels' worth of ink on the stroke and little beside it.
    Returns ``(W, b)``: W of shape (28, 28) and the bias as a float.
    """
    start, stop = (int(c) for c in cols)
    row, width, flank = int(row), int(width), int(flank)
    if not (0 <= start < stop <= 28 and flank <= row and row + width + flank <= 28 and width > 0):
        raise ValueError(
            f"the stroke (rows {row}..{row + width - 1}, columns {start}..{stop - 1}) and its "
            f"flanks of {flank} rows must lie inside the 28x28 image; move row or cols."
        )
    W = np.zeros((28, 28))
    W[row - flank : row, start:stop] = -1.0
    W[row : row + width, start:stop] = 1.0
    W[row + width : row + width + flank, start:stop] = -1.0
    return W, float(bias)


def most_activating(X, W, b, k=8):
    """The ``k`` rows of ``X`` (n, 784) that light the neuron sigmoid(x·w + b) most.

    Returns ``(indices, activations)``, brightest first.
    """
    X = np.asarray(X, dtype=float)
    w = np.asarray(W, dtype=float).ravel()
    if X.ndim != 2 or X.shape[1] != w.size:
        raise ValueError(
            f"X must be (n_samples, {w.size}) to match {w.size} weights, got {X.shape}; "
            "flatten the images with X.reshape(len(X), -1)."
        )
    a = 1.0 / (1.0 + np.exp(-(X @ w + float(b))))
    order = np.argsort(-a, kind="stable")[: int(k)]
    return order, a[order]


def plot_edge_detector(fig, W, b, X, y=None, k=6):
    """The hand-made neuron's weights (with a colour bar) and the ``k`` digits of ``X`` that
    light it most, each captioned with its activation (and label, when ``y`` is given).

    Returns ``(indices, activations)`` of the digits shown.
    """
    idx, acts = most_activating(X, W, b, k)
    fig.clear()
    grid = fig.add_gridspec(2, k, height_ratios=[1, 1], width_ratios=[1] * k)
    w_ax = fig.add_subplot(grid[:, : k // 2])
    limit = float(np.max(np.abs(W))) or 1.0
    image = w_ax.imshow(np.asarray(W).reshape(28, 28), cmap="RdBu", vmin=-limit, vmax=limit)
    w_ax.set_xticks([])
    w_ax.set_yticks([])
    w_ax.set_title(f"the hope: a hand-made stroke detector, bias {b:g}")
    fig.colorbar(image, ax=w_ax, shrink=0.8, label="weight (blue +, red -)")
    images = np.asarray(X).reshape(len(X), 28, 28)
    right = k - k // 2
    for n, (i, a) in enumerate(zip(idx, acts, strict=True)):
        ax = fig.add_subplot(grid[n // right, k // 2 + n % right])
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=1)
        ax.contour(np.asarray(W).reshape(28, 28) > 0, levels=[0.5], colors="tab:blue", linewidths=1)
        ax.set_xticks([])
        ax.set_yticks([])
        label = "" if y is None else f"digit {int(np.asarray(y)[i])}, "
        ax.set_title(f"{label}a = {a:.2f}", fontsize=9)
    fig.suptitle(f"the {k} dev digits that light it most (blue outline: the stroke)", x=0.75)
    return idx, acts


def class_activation_means(H, y, n_classes=10):
    """Mean activation of every hidden neuron over the samples of each class: (n_hidden, k)."""
    H = np.asarray(H, dtype=float)
    y = np.asarray(y).ravel()
    if H.ndim != 2 or H.shape[0] != y.size:
        raise ValueError(
            f"H must be (n_samples, n_hidden) with one label per row; got H {H.shape} and "
            f"{y.size} labels. Use the hidden layer's output for the same samples as y."
        )
    M = np.full((H.shape[1], int(n_classes)), np.nan)
    for c in range(int(n_classes)):
        if np.any(y == c):
            M[:, c] = H[y == c].mean(axis=0)
    return M


def plot_class_activation_heatmap(ax, H, y, class_names=None):
    """Heat map of hidden neuron x digit class: each neuron's mean activation per class.

    ``H`` (n_samples, n_hidden) holds a hidden layer's activations (``MLP.activations(X)[1]``)
    and ``y`` the labels. A colour bar gives the scale. Returns the (n_hidden, n_classes) means.
    """
    names = [str(c) for c in class_names] if class_names is not None else None
    M = class_activation_means(H, y, len(names) if names else 10)
    ax.clear()
    image = ax.imshow(M, cmap="magma", vmin=0, vmax=max(1e-12, float(np.nanmax(M))), aspect="auto")
    ax.figure.colorbar(image, ax=ax, label="mean activation")
    ax.set_xticks(range(M.shape[1]), names or [str(c) for c in range(M.shape[1])])
    ax.set_yticks(range(M.shape[0]))
    ax.set_xlabel("digit class")
    ax.set_ylabel("hidden neuron")
    ax.set_title("the reality: how strongly each neuron fires, on average, per digit")
    return M
