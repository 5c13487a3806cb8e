"""The classic single-neuron perceptron of notebook 03, replayed step by step (NumPy only).

``perceptron_history`` trains it exactly as the notebook does and keeps every step, so the
training stepper (``nnfs_utils.widgets.training_stepper``) and the notebook's figure can show
any iteration without training again.
"""

import numpy as np

# notebook 03's training set: three inputs (the third is always 1), the target is the first input
PERCEPTRON_X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
PERCEPTRON_Y = np.array([[0, 1, 1, 0]], dtype=float).T


def classic_sigmoid(z):
    """The classic perceptron's own formula, ``1 / (1 + exp(-z))``.

    Not ``nnfs_utils.activations.sigmoid`` (an overflow-free form that rounds differently in the
    last bit): the replay must match notebook 03's run to the last bit.
    """
    return 1.0 / (1.0 + np.exp(-z))


def perceptron_history(X=PERCEPTRON_X, y=PERCEPTRON_Y, iterations=20_000, seed=1):
    """Train the classic perceptron and keep every step.

    The weights start as ``2 * np.random.random((3, 1)) - 1`` after ``np.random.seed(seed)``
    (drawn from a private ``RandomState``, so the global NumPy state is left alone), then
    ``iterations`` times: ``out = sigmoid(X @ w)``, ``w += X.T @ ((y - out) * out * (1 - out))``.

    Returns a dict of arrays indexed by iteration k = 0..iterations (k updates done):
    ``weights`` (k, n_inputs), ``outputs`` (k, n_samples) = sigmoid(X @ weights[k]) and
    ``loss`` (k,) = ½ Σ (y - outputs[k])², the quantity each update walks down; plus the
    training set ``X`` and ``y`` (targets as a flat array).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X must be (n_samples, n_inputs) with one target per row; got X {X.shape} and "
            f"{y.shape[0]} targets. Pass targets as a column, e.g. np.array([[0, 1, 1, 0]]).T."
        )
    if int(iterations) < 1:
        raise ValueError(f"iterations must be a positive whole number, got {iterations!r}.")
    iterations = int(iterations)
    w = 2 * np.random.RandomState(seed).random_sample((X.shape[1], 1)) - 1
    weights = np.empty((iterations + 1, X.shape[1]))
    outputs = np.empty((iterations + 1, X.shape[0]))
    for k in range(iterations + 1):
        out = classic_sigmoid(X @ w)
        weights[k] = w[:, 0]
        outputs[k] = out[:, 0]
        if k < iterations:
            w += X.T @ ((y - out) * out * (1 - out))
    loss = 0.5 * np.sum((y[:, 0] - outputs) ** 2, axis=1)
    return {"X": X, "y": y[:, 0], "weights": weights, "outputs": outputs, "loss": loss}
