"""Matplotlib figures shared by several notebooks and by the widgets.

Every function draws on an ``ax`` it is given (or makes its own figure) and returns what it
drew, so a widget can redraw the same view that a notebook shows as a static figure.
"""

import numpy as np

ACTIVATION_NAMES = ("linear", "step", "sigmoid", "relu")


def activation_function(name):
    """The activation called ``name`` as a NumPy function (elementwise)."""
    functions = {
        "linear": lambda z: np.asarray(z, dtype=float),
        "step": lambda z: np.where(np.asarray(z) > 0, 1.0, 0.0),
        "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))),
        "relu": lambda z: np.maximum(0.0, np.asarray(z, dtype=float)),
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
