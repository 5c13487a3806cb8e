"""Notebook 11: answer only when sure enough. A threshold slider over the coverage-accuracy curve.

A classifier that may say "I don't know" answers an input only when its largest probability
reaches a threshold. Raising the threshold answers fewer inputs (the coverage falls) and gets
more of those answers right (the accuracy on them rises). ``coverage_accuracy`` computes both
for every threshold, ``plot_coverage_accuracy`` draws them, and ``confidence_explorer`` puts a
slider on the threshold.
"""

import html

import ipywidgets as widgets
import numpy as np

from .base import Explorer

__all__ = [
    "ConfidenceExplorer",
    "answers",
    "confidence_explorer",
    "coverage_accuracy",
    "plot_coverage_accuracy",
]

UNSURE = -1  # the answer "I don't know" in the arrays of ``answers``


def _probabilities(P, name="probabilities"):
    P = np.asarray(P, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] < 2:
        raise ValueError(
            f"{name} must be (n_samples, n_classes) with at least 2 classes, got shape "
            f"{P.shape}; pass model.predict_proba(X)"
        )
    return P


def _threshold(threshold):
    threshold = float(threshold)
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold is a probability in [0, 1], got {threshold}")
    return threshold


def answers(P, threshold):
    """The predicted class of each row of ``P``, or UNSURE (-1) below ``threshold``."""
    P = _probabilities(P)
    threshold = _threshold(threshold)
    labels = P.argmax(axis=1)
    return np.where(P.max(axis=1) >= threshold, labels, UNSURE)


def coverage_accuracy(P, y, thresholds):
    """For each threshold: (coverage, accuracy), both arrays like ``thresholds``.

    coverage: the share of inputs answered (largest probability >= threshold); accuracy: the
    share of those answers that are right (NaN when none is answered).
    """
    P = _probabilities(P)
    y = np.asarray(y)
    if y.shape != (len(P),):
        raise ValueError(f"y must hold one label per row of P ({len(P)}), got shape {y.shape}")
    confidence, right = P.max(axis=1), P.argmax(axis=1) == y
    thresholds = np.asarray(thresholds, dtype=np.float64)
    answered = confidence[None, :] >= thresholds.reshape(-1, 1)
    n = answered.sum(axis=1)
    coverage = n / len(P)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.where(n > 0, (answered & right).sum(axis=1) / n, np.nan)
    return coverage.reshape(thresholds.shape), accuracy.reshape(thresholds.shape)


def plot_coverage_accuracy(ax, P, y, threshold=None, label="dev digits"):
    """Accuracy on the answered inputs against coverage, one point per threshold 0 to 1.

    A marker shows ``threshold`` when given. Returns (coverage, accuracy) at that threshold.
    """
    grid = np.linspace(0, 1, 201)
    coverage, accuracy = coverage_accuracy(P, y, grid)
    ax.plot(coverage, accuracy, "-", label=label)
    ax.set(xlabel="coverage (share of inputs answered)", ylabel="accuracy on the answered")
    ax.grid(True, alpha=0.3)
    point = None
    if threshold is not None:
        c, a = coverage_accuracy(P, y, [threshold])
        point = (float(c[0]), float(a[0]))
        ax.plot(*point, "o", color="C3", ms=8, label=f"threshold {threshold:.2f}")
    ax.legend(loc="lower left", fontsize=9)
    return point


class ConfidenceExplorer(Explorer):
    """A threshold slider: how many inputs the model answers, and how many answers are right.

    ``state``: ``threshold``, ``coverage``, ``accuracy`` (None when nothing is answered),
    ``answered`` and ``unsure`` (counts), ``n`` and ``others`` (name -> share of each
    out-of-distribution set that still gets an answer).
    """

    css_class = "nnfs-confidence-explorer"
    figsize = (9.0, 3.4)
    figure_layout = "constrained"

    def __init__(self, P, y, others=None, threshold=0.9):
        self.P = _probabilities(P)
        self.y = np.asarray(y)
        if self.y.shape != (len(self.P),):
            raise ValueError(
                f"y must hold one label per row of the probabilities ({len(self.P)}), got "
                f"shape {self.y.shape}"
            )
        self.others = {
            str(name): _probabilities(Q, f"others[{name!r}]") for name, Q in (others or {}).items()
        }
        self.grid = np.linspace(0, 1, 201)
        self.curve = coverage_accuracy(self.P, self.y, self.grid)
        self.confidence = self.P.max(axis=1)
        self.right = self.P.argmax(axis=1) == self.y
        self.slider = widgets.FloatSlider(
            value=_threshold(threshold),
            min=0.0,
            max=0.99,
            step=0.01,
            description="threshold",
            readout_format=".2f",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="520px"),
        )
        super().__init__([self.slider], watch=[self.slider])

    def _setup_figure(self, figure):
        self.ax_curve, self.ax_hist = figure.subplots(1, 2)

    def _compute(self):
        t = float(self.slider.value)
        answered = self.confidence >= t
        n_answered = int(answered.sum())
        accuracy = float(self.right[answered].mean()) if n_answered else None
        others = {name: float(np.mean(Q.max(axis=1) >= t)) for name, Q in self.others.items()}
        return {
            "threshold": t,
            "n": len(self.P),
            "answered": n_answered,
            "unsure": len(self.P) - n_answered,
            "coverage": n_answered / len(self.P),
            "accuracy": accuracy,
            "others": others,
        }

    def _show(self, state):
        t = state["threshold"]
        accuracy = "no answers" if state["accuracy"] is None else f"{state['accuracy']:.3f} right"
        lines = [
            f"threshold {t:.2f}: answers {state['answered']} of {state['n']} dev digits "
            f"(coverage {state['coverage']:.3f}), {accuracy}; "
            f"says \u201cI don't know\u201d to {state['unsure']}"
        ]
        for name, share in state["others"].items():
            lines.append(f"{html.escape(name)}: answers {share:.3f} of them (should be 0)")
        self.readout.value = "<br>".join(lines)
        self._show_picture(lambda: self._draw(state))

    def _draw(self, state):
        ax, hist = self.ax_curve, self.ax_hist
        ax.clear()
        hist.clear()
        coverage, accuracy = self.curve
        ax.plot(coverage, accuracy, "-", color="C0", label="dev digits")
        if state["accuracy"] is not None:
            ax.plot(state["coverage"], state["accuracy"], "o", color="C3", ms=8,
                    label=f"threshold {state['threshold']:.2f}")  # fmt: skip
        ax.set(xlabel="coverage (share answered)", ylabel="accuracy on the answered",
               xlim=(0, 1.02), title="answer only when sure")  # fmt: skip
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower left", fontsize=9)
        bins = np.linspace(0, 1, 41)
        hist.hist(self.confidence[self.right], bins=bins, alpha=0.7, label="dev, right")
        hist.hist(self.confidence[~self.right], bins=bins, alpha=0.7, label="dev, wrong")
        for i, (name, Q) in enumerate(self.others.items()):
            hist.hist(Q.max(axis=1), bins=bins, histtype="step", lw=1.5, color=f"C{i + 2}",
                      label=name)  # fmt: skip
        hist.axvline(state["threshold"], color="C3", ls="--", label="threshold")
        hist.set_yscale("log")
        hist.set(xlabel="largest probability", ylabel="inputs (log)", title="confidence")
        hist.legend(fontsize=8, loc="upper left")


def confidence_explorer(model, X, y, others=None, threshold=0.9):
    """A threshold slider over ``model``'s answers on (X, y): coverage, accuracy, the curve.

    others: optional {name: X_other}, inputs that are not digits (noise, clothing, letters);
    the readout says which share of them still gets an answer at the threshold.
    Returns the ``ConfidenceExplorer``; its ``state`` holds the numbers on screen.
    """
    if not callable(getattr(model, "predict_proba", None)):
        raise TypeError(
            f"model must have a predict_proba(X) method (an nnfs_utils MLP), got "
            f"{type(model).__name__}"
        )
    P = model.predict_proba(X)
    Q = {name: model.predict_proba(Xo) for name, Xo in (others or {}).items()}
    return ConfidenceExplorer(P, y, Q, threshold)
