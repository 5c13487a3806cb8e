"""Dropout: during training, each unit's output is dropped (set to 0) with probability ``rate``.

Inverted dropout, as most libraries do it: the units that stay are divided by ``1 - rate``, so
the expected value of every output is unchanged and evaluation needs no rescaling at all. In
evaluation (``training=False``) the layer passes its input through untouched.

    forward   mask = (u >= rate) / (1 - rate),  u uniform in [0, 1);  A_out = A * mask
    backward  dA = dA_out * mask   (the dropped units pass no gradient)
"""

import numpy as np

from .checks import as_generator

__all__ = ["Dropout"]


class Dropout:
    """Drop each unit with probability ``rate`` while training; identity in evaluation.

    Parameters
    ----------
    rate : float in [0, 1): the share of units dropped on each forward pass in training.
    rng : np.random.Generator, int seed or None: where the random masks come from.

    Attributes
    ----------
    mask : the (n_samples, n_units) array of the last training forward pass: 0 for a dropped
        unit, 1 / (1 - rate) for a kept one (None before the first one, or after evaluation).
    """

    params = ()  # nothing to train
    grads = ()

    def __init__(self, rate, rng=None):
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating, np.integer)):
            raise TypeError(f"rate must be a number in [0, 1), e.g. rate=0.2; got {rate!r}")
        if not 0 <= float(rate) < 1:
            raise ValueError(
                f"rate is the share of units dropped and must be in [0, 1), got {rate!r}; "
                "0.1 to 0.5 is usual, e.g. rate=0.2"
            )
        self.rate = float(rate)
        self.rng = as_generator(rng)
        self.mask = None

    def __repr__(self):
        return f"Dropout(rate={self.rate:g})"

    def forward(self, A, training=True):
        """A with a fresh random mask applied (training), or A itself (evaluation)."""
        A = np.asarray(A)
        if not training or self.rate == 0:
            self.mask = None
            return A
        dtype = A.dtype if A.dtype in (np.float32, np.float64) else np.dtype(np.float64)
        keep = self.rng.random(A.shape, dtype=dtype) >= self.rate
        self.mask = keep.astype(dtype) * dtype.type(1 / (1 - self.rate))
        return A * self.mask

    def backward(self, dA):
        """The gradient for the layer below: dA times the last forward's mask."""
        if self.mask is None:
            return dA  # the last forward was the identity
        dA = np.asarray(dA)
        if dA.shape != self.mask.shape:
            raise ValueError(
                f"Dropout.backward expects dA of shape {self.mask.shape} (the shape forward "
                f"returned), got {dA.shape}"
            )
        return dA * self.mask
