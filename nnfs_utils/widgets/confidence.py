"""Notebook 11: answer only when sure enough. A threshold slider over the coverage-accuracy curve.

Moving the threshold changes how many dev digits the model answers (coverage) and how many of
those answers are right; the readout also says which share of other inputs (not digits) still
gets an answer. The numbers and figures come from ``nnfs_utils.plots.confidence``.
"""

import html

import ipywidgets as widgets
import numpy as np

from ..plots.confidence import (
    _probabilities,
    _threshold,
    plot_confidence_histograms,
    plot_coverage_accuracy,
)
from .base import Explorer

__all__ = ["ConfidenceExplorer", "confidence_explorer"]


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
        self.ax_curve.clear()
        self.ax_hist.clear()
        plot_coverage_accuracy(self.ax_curve, self.P, self.y, state["threshold"])
        plot_confidence_histograms(self.ax_hist, self.P, self.y, self.others, state["threshold"])


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
