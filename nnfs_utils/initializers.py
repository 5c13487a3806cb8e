"""Weight initializers: how a Dense layer's weight matrix starts out.

Every function returns an array of shape ``(n_in, n_out)`` (batch-first: one row per input,
one column per neuron). The random numbers are always drawn in float64 and then cast, so a
float32 model and a float64 model built from the same seed start from the same weights
(up to rounding).
"""

import numbers

import numpy as np

__all__ = ["as_generator", "get_initializer", "he", "uniform_classic", "xavier"]


def as_generator(rng=None):
    """Return a ``np.random.Generator``: ``rng`` itself, or a new one seeded with ``rng``.

    ``None`` gives an unseeded generator (different numbers on every run).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be a np.random.Generator, an int seed or None, got {type(rng).__name__}; "
        "pass e.g. rng=0 or rng=np.random.default_rng(0)"
    )


def _check_sizes(n_in, n_out):
    for name, value in (("n_in", n_in), ("n_out", n_out)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, got {value!r}; pass a whole number like 128")
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}; a layer needs neurons")


def he(n_in, n_out, rng=None, dtype=np.float32):
    """He (Kaiming) normal init for ReLU layers: N(0, 2 / n_in).

    The factor 2 makes up for ReLU zeroing half of its inputs, so the variance of the
    activations stays about the same from layer to layer.
    """
    _check_sizes(n_in, n_out)
    std = np.sqrt(2.0 / n_in)
    return (as_generator(rng).standard_normal((n_in, n_out)) * std).astype(dtype)


def xavier(n_in, n_out, rng=None, dtype=np.float32):
    """Xavier/Glorot uniform init for sigmoid and tanh layers: U(-L, L), L = sqrt(6/(n_in+n_out)).

    Its variance 2 / (n_in + n_out) balances the forward signal and the backward gradient.
    """
    _check_sizes(n_in, n_out)
    limit = np.sqrt(6.0 / (n_in + n_out))
    return as_generator(rng).uniform(-limit, limit, size=(n_in, n_out)).astype(dtype)


def uniform_classic(n_in, n_out, rng=None, dtype=np.float32):
    """The classic from-scratch MNIST init: uniform in [-0.5, 0.5), whatever the layer size."""
    _check_sizes(n_in, n_out)
    return (as_generator(rng).random((n_in, n_out)) - 0.5).astype(dtype)


_INITIALIZERS = {"he": he, "xavier": xavier, "glorot": xavier, "uniform": uniform_classic}


def get_initializer(init):
    """Look an initializer up by name ("he", "xavier"/"glorot", "uniform") or pass a callable."""
    if callable(init):
        return init
    if isinstance(init, str) and init.lower() in _INITIALIZERS:
        return _INITIALIZERS[init.lower()]
    raise ValueError(
        f"unknown init {init!r}; use one of {sorted(_INITIALIZERS)} "
        "or a function f(n_in, n_out, rng, dtype)"
    )
