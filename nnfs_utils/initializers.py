"""Weight initializers: how a Dense layer's weight matrix starts out.

Every function returns an array of shape ``(n_in, n_out)`` (batch-first: one row per input,
one column per neuron). The random numbers are always drawn in float64 and then cast, so a
float32 model and a float64 model built from the same seed start from the same weights
(up to rounding).
"""

import numpy as np

from .checks import as_generator, check_size

__all__ = [
    "INITIALIZERS",
    "as_generator",
    "get_initializer",
    "he",
    "init_name",
    "uniform_classic",
    "xavier",
]


def he(n_in, n_out, rng=None, dtype=np.float32):
    """He (Kaiming) normal init for ReLU layers: N(0, 2 / n_in).

    The factor 2 makes up for ReLU zeroing half of its inputs, so the variance of the
    activations stays about the same from layer to layer.
    """
    check_size("n_in", n_in), check_size("n_out", n_out)
    std = np.sqrt(2.0 / n_in)
    return (as_generator(rng).standard_normal((n_in, n_out)) * std).astype(dtype)


def xavier(n_in, n_out, rng=None, dtype=np.float32):
    """Xavier/Glorot uniform init for sigmoid and tanh layers: U(-L, L), L = sqrt(6/(n_in+n_out)).

    Its variance 2 / (n_in + n_out) balances the forward signal and the backward gradient.
    """
    check_size("n_in", n_in), check_size("n_out", n_out)
    limit = np.sqrt(6.0 / (n_in + n_out))
    return as_generator(rng).uniform(-limit, limit, size=(n_in, n_out)).astype(dtype)


def uniform_classic(n_in, n_out, rng=None, dtype=np.float32):
    """The classic from-scratch MNIST init: uniform in [-0.5, 0.5), whatever the layer size."""
    check_size("n_in", n_in), check_size("n_out", n_out)
    return (as_generator(rng).random((n_in, n_out)) - 0.5).astype(dtype)


# The one table of initializers: name -> function. "glorot" is another name for "xavier".
INITIALIZERS = {"he": he, "xavier": xavier, "glorot": xavier, "uniform": uniform_classic}


def init_name(init, allow_function=True):
    """The table's name for ``init`` (any case), or ValueError listing the names.

    ``allow_function=False`` (MLP, which saves the name) leaves functions out of the advice.
    """
    if isinstance(init, str) and init.lower() in INITIALIZERS:
        return init.lower()
    functions = " or a function f(n_in, n_out, rng, dtype)" if allow_function else ""
    raise ValueError(f"unknown init {init!r}; use one of {sorted(INITIALIZERS)}{functions}")


def get_initializer(init):
    """Look an initializer up by name ("he", "xavier"/"glorot", "uniform") or pass a callable."""
    return init if callable(init) else INITIALIZERS[init_name(init)]
