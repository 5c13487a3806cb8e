"""Figures of notebooks 01-05: activation curves, a layer's outputs, decision boundaries."""

import numpy as np

from ..activations import FUNCTIONS

ACTIVATION_NAMES = tuple(FUNCTIONS)  # the package's one table of activation functions


def activation_function(name):
    """The activation called ``name`` (one of ``ACTIVATION_NAMES``) as a NumPy function."""
    if name not in FUNCTIONS:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATION_NAMES)}."
        )
    return FUNCTIONS[name]


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
    # The curves never decrease, so the note goes above-left of the point when the point is
    # low and below-right when it is high: on the side away from the curve. Near the frame's
    # left or right edge it flips sideways so that it stays inside.
    ys = f(zs)
    y_lo, y_hi = float(np.min(ys)), float(np.max(ys))
    high = out - y_lo > 0.5 * max(y_hi - y_lo, 1e-12)
    right = high
    where = (z - lo) / (hi - lo)
    if right and where > 0.7:
        right = False
    elif not right and where < 0.3:
        right = True
    ax.annotate(
        f"z = {z:.2f}\noutput = {out:.4f}",
        xy=(z, out),
        xytext=(10 if right else -10, -10 if high else 10),
        textcoords="offset points",
        ha="left" if right else "right",
        va="top" if high else "bottom",
        fontsize=9,
        bbox=dict(fc="white", ec="none", alpha=0.8),
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
