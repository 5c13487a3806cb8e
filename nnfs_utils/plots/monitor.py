"""Figures of a TrainingMonitor (notebook 10): six panels of what it measured, weight histograms.

The monitor itself (what is measured, and ``diagnose``) is ``nnfs_utils.monitor``.
"""

import numpy as np


def _label_decades_only(ax):
    """Keep a log y axis readable: with two powers of ten in view label only those, with one
    also label 2 and 5 times a power of ten (all minor labels crowd each other)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    low, high = ax.get_ylim()
    if low <= 0:
        return
    decades = np.floor(np.log10(high)) - np.ceil(np.log10(low)) + 1  # powers of ten in view
    if decades >= 2:
        ax.yaxis.set_minor_formatter(NullFormatter())
    elif decades == 1:

        def two_and_five(value, _position):
            exponent = int(np.floor(np.log10(value) + 1e-9))
            mantissa = round(value / 10.0**exponent)
            return rf"${mantissa}\times10^{{{exponent}}}$" if mantissa in (2, 5) else ""

        ax.yaxis.set_minor_formatter(FuncFormatter(two_and_five))


def plot_monitor(fig, monitor, title=None):
    """Six panels on ``fig``: loss, accuracy, dead units, gradient size, update ratio, spread."""
    m = monitor
    axes = fig.subplots(2, 3)
    epochs = np.array(m.epochs)
    ax = axes[0, 0]
    if any(v is not None for v in m.loss):
        ax.plot(epochs[1:], m.loss[1:], "-o", ms=3, label="train (epoch average)")
    ax.plot(epochs, m.dev_loss, "--o", ms=3, label="dev")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", title="loss")
    finite = [v for v in list(m.loss) + list(m.dev_loss) if v is not None and np.isfinite(v)]
    if finite and min(finite) > 0 and max(finite) / min(finite) > 20:
        ax.set_yscale("log")  # a loss spanning orders of magnitude flattens on a linear axis
        ax.set_ylabel("cross-entropy loss (log)")
        _label_decades_only(ax)
    else:
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.4 * (high - low))  # room above the curves for the legend
    ax.legend(loc="best", fontsize=9)
    ax = axes[0, 1]
    if any(v is not None for v in m.accuracy):
        ax.plot(epochs[1:], m.accuracy[1:], "-o", ms=3, label="train (epoch average)")
    ax.plot(epochs, m.dev_accuracy, "--o", ms=3, label="dev")
    ax.axhline(1 / m.n_classes, color="0.5", lw=1, ls=":", label="chance")
    ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.02))
    ax.legend(loc="best", fontsize=9)
    panels = [
        (axes[0, 2], m.dead, "share of units", "dead hidden units", False),
        (axes[1, 0], m.grad_size, "mean |dW| (log)", "gradient size per weight", True),
        (axes[1, 1], m.update_ratio, "change / size (log)", "update-to-weight ratio", True),
        (axes[1, 2], m.weight_spread, "std of W", "weight spread", False),
    ]
    for ax, values, ylabel, name, log in panels:
        rows = [(e, v) for e, v in zip(epochs, values, strict=True) if v is not None]
        if rows:
            x = [e for e, _ in rows]
            table = np.array([v for _, v in rows], dtype=float)
            for j in range(table.shape[1]):
                ax.plot(x, table[:, j], "-o", ms=3, color=f"C{j}", label=m.layer_names[j])
            if log and np.any(table == 0):
                # a log axis cannot draw 0: say where the values drop to exactly 0
                first = min(x[i] for i in range(len(x)) if np.any(table[i] == 0))
                ax.text(0.98, 0.95, f"0 from epoch {first} on\n(not drawable on a log axis)",
                        transform=ax.transAxes, ha="right", va="top", fontsize=9,
                        bbox=dict(boxstyle="round", fc="white", ec="0.7"))  # fmt: skip
        if log:
            ax.set_yscale("log")
            _label_decades_only(ax)
        ax.set(xlabel="epoch", ylabel=ylabel, title=name)
    axes[0, 2].set_ylim(-0.02, 1.02)
    # one legend for the per-layer panels, below them (a legend inside hides the lines)
    handles, labels = axes[1, 0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=9)
    for ax in axes.flat:
        ax.grid(True, alpha=0.3)
    if title:
        fig.suptitle(title)
    return axes


def plot_weight_histograms(fig, monitor, bins=50):
    """One panel per layer: the weights now against the weights at the start."""
    layers = monitor.model.layers
    axes = np.atleast_1d(fig.subplots(1, len(layers)))
    for ax, layer, W0, name in zip(
        axes, layers, monitor.start_weights, monitor.layer_names, strict=True
    ):
        W = layer.W[np.isfinite(layer.W)]
        low = min(W0.min(), W.min()) if W.size else W0.min()
        high = max(W0.max(), W.max()) if W.size else W0.max()
        edges = np.linspace(low, high, bins + 1)
        ax.hist(W0.ravel(), bins=edges, alpha=0.6, label="start")
        ax.hist(W.ravel(), bins=edges, alpha=0.6, label="now")
        ax.set(xlabel="weight value", ylabel="count", title=name)
        ax.legend(loc="best", fontsize=9)
    return axes
