"""Confidence: answer only when sure enough (notebook 11), computations and figures.

A classifier that may say "I don't know" answers an input only when its largest probability
reaches a threshold. Raising the threshold answers fewer inputs (the coverage falls) and gets
more of those answers right (the accuracy on them rises).
"""

import numpy as np

__all__ = [
    "UNSURE",
    "answers",
    "coverage_accuracy",
    "plot_confidence_histograms",
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
    # the x axis covers only the coverages the curve reaches (rounded down to a tenth)
    reached = coverage[np.isfinite(accuracy)]
    low = np.floor(reached.min() * 10) / 10 if reached.size else 0.0
    ax.set(xlabel="coverage (share of inputs answered)", ylabel="accuracy on the answered",
           xlim=(low, 1.01), title="answer only when sure")  # fmt: skip
    ax.grid(True, alpha=0.3)
    point = None
    if threshold is not None:
        c, a = coverage_accuracy(P, y, [threshold])
        point = (float(c[0]), float(a[0]))
        ax.plot(*point, "o", color="C3", ms=8, label=f"threshold {threshold:.2f}")
    ax.legend(loc="lower left", fontsize=9)
    return point


def plot_confidence_histograms(ax, P, y, others=None, threshold=None):
    """Histograms of the largest probability: right and wrong dev answers, other inputs."""
    P = _probabilities(P)
    confidence, right = P.max(axis=1), P.argmax(axis=1) == np.asarray(y)
    bins = np.linspace(0, 1, 41)
    ax.hist(confidence[right], bins=bins, alpha=0.7, label="dev, right")
    ax.hist(confidence[~right], bins=bins, alpha=0.7, label="dev, wrong")
    for i, (name, Q) in enumerate((others or {}).items()):
        ax.hist(_probabilities(Q).max(axis=1), bins=bins, histtype="step", lw=1.5,
                color=f"C{i + 2}", label=name)  # fmt: skip
    if threshold is not None:
        ax.axvline(threshold, color="black", ls="--", label="threshold")
    ax.set_yscale("log")
    ax.set(xlabel="largest probability", ylabel="inputs (log)", title="confidence")
    ax.legend(fontsize=9, loc="upper left")
