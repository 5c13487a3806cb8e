"""Self-check exercises: run a function you wrote against the reference and get a hint.

Each ``check_*`` function calls your function on several inputs, compares what it returns with
the reference answer and prints one line: a pass, or the first problem it finds together with
a hint that names the most likely mistake (a missing bias, a transposed gradient, a sum over
the wrong axis, ...). The printed text depends only on your function, never on timing or
randomness, so notebooks can store it.

    >>> import numpy as np
    >>> def dense_forward(X, W, b):
    ...     return X @ W + b
    >>> check_dense_forward(dense_forward)
    ✓ dense_forward is correct on 3 test cases.

The module also holds the two tools for checking a derivation of your own:
``numerical_gradient`` (central differences) and ``relative_error``.
"""

import numpy as np

from .activations import sigmoid

__all__ = [
    "check_dense_backward",
    "check_dense_forward",
    "check_sigmoid_derivative",
    "numerical_gradient",
    "relative_error",
]

_RTOL = 1e-5
_ATOL = 1e-7


# ---------------------------------------------------------------------------------------------
# tools for checking a derivation
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# shared machinery
# ---------------------------------------------------------------------------------------------
def _name(fn):
    return getattr(fn, "__name__", "your function")


def _fail(name, problem, hint):
    print(f"✗ {name}: {problem}\n  Hint: {hint}")


def _same(got, expected):
    return got.shape == expected.shape and np.allclose(got, expected, rtol=_RTOL, atol=_ATOL)


def _call(fn, args):
    """Call ``fn`` on copies of ``args``; return (result, exception, changed_argument_index)."""
    copies = [np.array(a, copy=True) for a in args]
    try:
        result = fn(*copies)
    except Exception as error:  # the learner's code may raise anything; report it
        return None, error, None
    changed = next(
        (i for i, (a, c) in enumerate(zip(args, copies)) if not np.array_equal(a, c)), None
    )
    return result, None, changed


def _as_array(value):
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _first_difference(got, expected):
    """Index and both values of the first element where ``got`` and ``expected`` differ."""
    bad = ~np.isclose(got, expected, rtol=_RTOL, atol=_ATOL)
    index = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
    return index, float(got[index]), float(expected[index])


def _check_callable(fn, check_name):
    if not callable(fn):
        raise TypeError(
            f"{check_name} needs your function itself, got {type(fn).__name__}. "
            f"Pass the function without calling it: {check_name}(my_function), "
            "not my_function(...)."
        )


def _rng_cases():
    return np.random.default_rng(2024)


# ---------------------------------------------------------------------------------------------
# the sigmoid's derivative
# ---------------------------------------------------------------------------------------------
def _sigmoid_cases():
    return [
        np.array([[-2.0, 0.0, 3.0]]),
        np.linspace(-6.0, 6.0, 13).reshape(13, 1),
        np.array([[0.5, -1.5], [4.0, -0.25]]),
    ]


def check_sigmoid_derivative(fn):
    """Check ``fn(z)``, the slope of the sigmoid at ``z`` (elementwise, same shape as ``z``).

    The reference is ``s * (1 - s)`` with ``s = sigmoid(z)``. Prints a pass or a hint.
    """
    _check_callable(fn, "check_sigmoid_derivative")
    name = _name(fn)
    cases = _sigmoid_cases()
    for z in cases:
        s = sigmoid(z)
        expected = s * (1 - s)
        result, error, changed = _call(fn, [z])
        if error is not None:
            _fail(
                name,
                f"it raised {type(error).__name__}: {error}",
                "the function receives a NumPy array z; use np.exp (not math.exp) so it works "
                "elementwise, and compute s = 1 / (1 + np.exp(-z)) first.",
            )
            return
        if result is None:
            _fail(
                name,
                "it returned None.",
                "did you forget the `return` line, or leave the stub's `return None` in place?",
            )
            return
        got = _as_array(result)
        if got is None:
            _fail(name, f"it returned a {type(result).__name__}.", "return a NumPy array.")
            return
        if changed is not None:
            _fail(
                name,
                "it changed its input z in place.",
                "compute the answer into a new array (s = ...), never z += ... or z[...] = ...",
            )
            return
        if got.shape != z.shape:
            _fail(
                name,
                f"for an input of shape {z.shape} it returned shape {got.shape}.",
                "the slope is taken elementwise, so the result has the same shape as z: "
                "did you sum, take a mean or use np.dot?",
            )
            return
        if _same(got, expected):
            continue
        candidates = [
            (
                s,
                "you returned sigmoid(z) itself, not its slope. "
                "The slope is s * (1 - s) with s = sigmoid(z).",
            ),
            (
                z * (1 - z),
                "you computed z * (1 - z). That formula needs the sigmoid's output, not its "
                "input: first s = sigmoid(z), then return s * (1 - s).",
            ),
            (
                -expected,
                "the sign is flipped. The sigmoid only ever goes up, so its slope is positive.",
            ),
            (
                1 - s,
                "you returned 1 - s; multiply it by s: s * (1 - s).",
            ),
            (
                s * (1 + s),
                "you wrote s * (1 + s); the slope is s * (1 - s).",
            ),
        ]
        for wrong, hint in candidates:
            if _same(got, wrong):
                _fail(name, "the values are wrong.", hint)
                return
        index, g, e = _first_difference(got, expected)
        _fail(
            name,
            f"at z = {float(z[index]):.2f} it returned {g:.6f}, expected {e:.6f}.",
            "the slope is s * (1 - s) with s = sigmoid(z); it is largest, 0.25, at z = 0.",
        )
        return
    print(f"✓ {name} is correct on {len(cases)} test cases.")


# ---------------------------------------------------------------------------------------------
# a dense layer's forward pass
# ---------------------------------------------------------------------------------------------
def _forward_cases():
    rng = _rng_cases()
    shapes = [(4, 3, 2), (1, 4, 3), (5, 3, 3)]  # (n_samples, n_inputs, n_neurons)
    cases = []
    for n, i, j in shapes:
        X = np.round(rng.uniform(-2, 2, size=(n, i)), 2)
        W = np.round(rng.uniform(-1, 1, size=(i, j)), 2)
        b = np.round(rng.uniform(-1, 1, size=(1, j)), 2)
        cases.append((X, W, b))
    return cases


def check_dense_forward(fn):
    """Check ``fn(X, W, b)``, a dense layer's forward pass ``X @ W + b`` (batch-first).

    ``X`` is (n_samples, n_inputs), ``W`` is (n_inputs, n_neurons), ``b`` is (1, n_neurons);
    the result is (n_samples, n_neurons). Prints a pass or a hint.
    """
    _check_callable(fn, "check_dense_forward")
    name = _name(fn)
    cases = _forward_cases()
    for X, W, b in cases:
        expected = X @ W + b
        result, error, changed = _call(fn, [X, W, b])
        shapes = f"X is {X.shape}, W is {W.shape}, b is {b.shape}"
        if error is not None:
            _fail(
                name,
                f"with {shapes} it raised {type(error).__name__}: {error}",
                "in the batch-first form X is (n_samples, n_inputs) and W is (n_inputs, "
                "n_neurons), so X @ W lines up the inputs and gives (n_samples, n_neurons).",
            )
            return
        if result is None:
            _fail(
                name,
                "it returned None.",
                "did you forget the `return` line, or leave the stub's `return None` in place?",
            )
            return
        got = _as_array(result)
        if got is None:
            _fail(name, f"it returned a {type(result).__name__}.", "return a NumPy array.")
            return
        if changed is not None:
            arg = "XWb"[changed]
            _fail(
                name,
                f"it changed its input {arg} in place.",
                "build the result as a new array (Z = X @ W + b), never X += ... or W[...] = ...",
            )
            return
        if got.shape != expected.shape:
            if got.shape == expected.T.shape:
                hint = (
                    "your output is transposed: it has one row per neuron. In the batch-first "
                    "form compute X @ W + b, which has one row per sample."
                )
            else:
                hint = (
                    "X @ W + b has one row per sample and one column per neuron. "
                    "Did you use * (elementwise) instead of @, or sum something?"
                )
            _fail(
                name,
                f"with {shapes} it returned shape {got.shape}, expected {expected.shape}.",
                hint,
            )
            return
        if _same(got, expected):
            continue
        candidates = [
            (X @ W, "you forgot the bias: add b to X @ W."),
            (X @ W - b, "you subtracted the bias; add it: X @ W + b."),
            (
                X @ W.T + b if W.shape[0] == W.shape[1] else None,
                "you used W transposed. W is already (n_inputs, n_neurons): compute X @ W + b.",
            ),
            (
                sigmoid(expected),
                "you applied the sigmoid. The dense step is only X @ W + b; the activation "
                "is a separate step that comes after it.",
            ),
            (
                np.maximum(expected, 0),
                "you applied ReLU. The dense step is only X @ W + b; the activation "
                "is a separate step that comes after it.",
            ),
        ]
        for wrong, hint in candidates:
            if wrong is not None and _same(got, wrong):
                _fail(name, f"the values are wrong (with {shapes}).", hint)
                return
        index, g, e = _first_difference(got, expected)
        _fail(
            name,
            f"with {shapes}, sample {index[0]}, neuron {index[1]} is {g:.4f}, expected {e:.4f}.",
            "each output is the weighted sum of one sample's inputs with one neuron's column "
            "of W, plus that neuron's bias: X @ W + b.",
        )
        return
    print(f"✓ {name} is correct on {len(cases)} test cases.")


# ---------------------------------------------------------------------------------------------
# a dense layer's backward pass
# ---------------------------------------------------------------------------------------------
def _backward_cases():
    rng = _rng_cases()
    shapes = [(5, 4, 3), (2, 3, 3), (3, 3, 3), (1, 2, 4)]  # (n_samples, n_inputs, n_neurons)
    cases = []
    for n, i, j in shapes:
        dZ = np.round(rng.uniform(-1, 1, size=(n, j)), 2)
        X = np.round(rng.uniform(-2, 2, size=(n, i)), 2)
        W = np.round(rng.uniform(-1, 1, size=(i, j)), 2)
        cases.append((dZ, X, W))
    return cases


def _diagnose_dW(got, dZ, X, W):
    expected = X.T @ dZ
    n = X.shape[0]
    if got.shape != expected.shape:
        if got.shape == expected.T.shape:
            return (
                f"your weights gradient has shape {got.shape} but W has shape {W.shape}.",
                "your weights gradient is transposed: compute X.T @ dZ (not dZ.T @ X); "
                "dW always has the shape of W.",
            )
        return (
            f"your weights gradient has shape {got.shape}, expected {W.shape} (the shape of W).",
            "dW = X.T @ dZ: (n_inputs, n_samples) @ (n_samples, n_neurons) = (n_inputs, n_neurons).",
        )
    if _same(got, expected):
        return None
    if _same(got, expected.T):
        return (
            "the values of dW are wrong.",
            "your weights gradient is transposed: compute X.T @ dZ (not dZ.T @ X).",
        )
    if n > 1 and _same(got, expected / n):
        return (
            "the values of dW are wrong.",
            f"you divided by the batch size ({n}). dZ already carries the 1/n of the mean "
            "loss, so dW = X.T @ dZ with no extra division.",
        )
    if _same(got, -expected):
        return ("the values of dW are wrong.", "the sign is flipped: dW = X.T @ dZ.")
    index, g, e = _first_difference(got, expected)
    return (
        f"dW{list(index)} is {g:.4f}, expected {e:.4f}.",
        "each weight W[i, j] multiplies input i into neuron j, so its gradient adds up "
        "X[:, i] * dZ[:, j] over the batch: dW = X.T @ dZ.",
    )


def _diagnose_db(got, dZ):
    expected = dZ.sum(axis=0, keepdims=True)
    n, j = dZ.shape
    if got.shape != expected.shape:
        if got.shape == ():
            hint = "did you sum without axis=0? Use dZ.sum(axis=0, keepdims=True)."
        elif got.shape == (j,) and np.allclose(got, expected.ravel(), rtol=_RTOL, atol=_ATOL):
            hint = (
                "the values are right but the row dimension is missing: "
                "use dZ.sum(axis=0, keepdims=True) so db has the shape of b."
            )
        elif got.shape in ((n,), (n, 1)):
            hint = (
                "you summed over the neurons (axis=1); sum over the samples instead: "
                "dZ.sum(axis=0, keepdims=True)."
            )
        elif got.shape == dZ.shape:
            hint = (
                "db still has one row per sample: add the rows up over the batch with "
                "dZ.sum(axis=0, keepdims=True)."
            )
        else:
            hint = "db has the shape of b: dZ.sum(axis=0, keepdims=True)."
        return (f"your bias gradient has shape {got.shape}, expected {expected.shape}.", hint)
    if _same(got, expected):
        return None
    if n > 1 and _same(got, expected / n):
        return (
            "the values of db are wrong.",
            "you took the mean over the batch; take the sum: dZ already carries the 1/n of "
            "the mean loss.",
        )
    if n == j and _same(got, dZ.sum(axis=1, keepdims=True).T):
        return (
            "the values of db are wrong.",
            "you summed over the neurons (axis=1); sum over the samples: "
            "dZ.sum(axis=0, keepdims=True).",
        )
    index, g, e = _first_difference(got, expected)
    return (
        f"db{list(index)} is {g:.4f}, expected {e:.4f}.",
        "a bias is added to every sample, so its gradient is the sum of dZ over the samples: "
        "dZ.sum(axis=0, keepdims=True).",
    )


def _diagnose_dX(got, dZ, X, W):
    expected = dZ @ W.T
    if got.shape != expected.shape:
        if got.shape == expected.T.shape:
            return (
                f"your input gradient has shape {got.shape} but X has shape {X.shape}.",
                "your input gradient is transposed: compute dZ @ W.T; dX always has the shape "
                "of X.",
            )
        return (
            f"your input gradient has shape {got.shape}, expected {X.shape} (the shape of X).",
            "dX = dZ @ W.T: (n_samples, n_neurons) @ (n_neurons, n_inputs) = (n_samples, n_inputs).",
        )
    if _same(got, expected):
        return None
    if W.shape[0] == W.shape[1] and _same(got, dZ @ W):
        return (
            "the values of dX are wrong.",
            "you multiplied by W instead of W transposed: dX = dZ @ W.T.",
        )
    if _same(got, expected.T):
        return (
            "the values of dX are wrong.",
            "your input gradient is transposed: compute dZ @ W.T.",
        )
    index, g, e = _first_difference(got, expected)
    return (
        f"dX{list(index)} is {g:.4f}, expected {e:.4f}.",
        "each input feeds every neuron, so its gradient adds up dZ times that neuron's "
        "weight over the neurons: dX = dZ @ W.T.",
    )


def check_dense_backward(fn):
    """Check ``fn(dZ, X, W) -> (dX, dW, db)``, a dense layer's backward pass (batch-first).

    ``dZ`` is the gradient of the loss with respect to the layer's output ``X @ W + b``,
    shape (n_samples, n_neurons). The reference is ``dX = dZ @ W.T``, ``dW = X.T @ dZ``,
    ``db = dZ.sum(axis=0, keepdims=True)``. Prints a pass or a hint.
    """
    _check_callable(fn, "check_dense_backward")
    name = _name(fn)
    cases = _backward_cases()
    for dZ, X, W in cases:
        result, error, changed = _call(fn, [dZ, X, W])
        shapes = f"dZ is {dZ.shape}, X is {X.shape}, W is {W.shape}"
        if error is not None:
            _fail(
                name,
                f"with {shapes} it raised {type(error).__name__}: {error}",
                "line the shapes up: dW = X.T @ dZ has the shape of W, "
                "db = dZ.sum(axis=0, keepdims=True) the shape of b, dX = dZ @ W.T the shape of X.",
            )
            return
        if result is None:
            _fail(
                name,
                "it returned None.",
                "did you forget the `return dX, dW, db` line, or leave the stub's "
                "`return None` in place?",
            )
            return
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            _fail(
                name,
                f"it returned a {type(result).__name__}, not three arrays.",
                "return all three gradients, in this order: return dX, dW, db",
            )
            return
        arrays = [_as_array(r) for r in result]
        if any(a is None for a in arrays):
            _fail(name, "one of the three results is not an array.", "return dX, dW, db")
            return
        if changed is not None:
            arg = ("dZ", "X", "W")[changed]
            _fail(
                name,
                f"it changed its input {arg} in place.",
                "compute each gradient into a new array; never modify dZ, X or W.",
            )
            return
        dX, dW, db = arrays
        expected = (dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True))
        shapes_ok = [a.shape == e.shape for a, e in zip(arrays, expected)]
        distinct = len({e.shape for e in expected}) == 3
        if not all(shapes_ok) and distinct:
            got_shapes = sorted(a.shape for a in arrays)
            if got_shapes == sorted(e.shape for e in expected):
                _fail(
                    name,
                    "it returned the right gradients in the wrong order "
                    f"(shapes {', '.join(str(a.shape) for a in arrays)}).",
                    f"return dX, dW, db in this order: shapes {expected[0].shape}, "
                    f"{expected[1].shape}, {expected[2].shape}.",
                )
                return
        for problem in (
            _diagnose_dW(dW, dZ, X, W),
            _diagnose_db(db, dZ),
            _diagnose_dX(dX, dZ, X, W),
        ):
            if problem is not None:
                _fail(name, f"with {shapes}, {problem[0]}", problem[1])
                return
    print(f"✓ {name} is correct on {len(cases)} test cases: dX, dW and db all match.")
