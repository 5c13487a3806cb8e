"""Two tools for checking a derivation of your own: a numerical gradient and a relative error."""

import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f, x, eps=1e-6):
    """Gradient of the scalar ``f()`` with respect to every element of the array ``x``.

    ``f`` takes no arguments and reads ``x`` (for example a closure over a weight matrix).
    Each element of ``x`` is nudged up and down by ``eps`` in place, ``f`` is evaluated
    twice, and the slope is ``(f(x + eps) - f(x - eps)) / (2 * eps)`` (central differences).
    ``x`` is restored afterwards. Use float64 arrays: in float32 the nudge drowns in rounding.
    """
    if not callable(f):
        raise TypeError(
            f"numerical_gradient needs a function f() that returns the loss, got {type(f).__name__}."
            " Wrap your loss in a function without arguments, e.g. lambda: loss(X, y)."
        )
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"numerical_gradient nudges x in place, so x must be a NumPy array, got "
            f"{type(x).__name__}. Pass the array that f reads (for example the weights W)."
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"x has dtype {x.dtype}, which cannot hold a small nudge. "
            "Convert it first: x = x.astype(np.float64)."
        )
    if not eps > 0:
        raise ValueError(f"eps must be a small positive number such as 1e-6, got {eps!r}.")
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f())
        x[index] = original - eps
        f_minus = float(f())
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """Largest elementwise ``|a - b| / max(|a| + |b|, 1e-12)``: 0 when equal, ~1 when unrelated.

    Around 1e-7 or smaller means an analytic gradient agrees with a numerical one (float64);
    1e-3 or larger means there is a bug.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"relative_error compares arrays of the same shape, got {a.shape} and {b.shape}. "
            "Compare a gradient with the numerical gradient of the same parameter."
        )
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))
