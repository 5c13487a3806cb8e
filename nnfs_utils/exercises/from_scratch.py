"""Notebook 07's code-along: the 784-10-10 network in column form, forward and backward.

Column form, as in the classic from-scratch video: ``X`` is (784, m), one image per column;
``params = (W1, b1, W2, b2)`` with W1 (10, 784), b1 (10, 1), W2 (10, 10), b2 (10, 1). The
learner writes ``forward_prop(params, X) -> (Z1, A1, Z2, A2)`` (ReLU, then a softmax over each
column) and ``backward_prop(params, cache, X, Y) -> (dW1, db1, dW2, db2)``, with ``cache`` what
forward_prop returned, ``Y`` the one-hot labels (10, m) and ``m = X.shape[1]``. Each gradient
is checked on its own, so a hint can say which one is wrong and why.
"""

import numpy as np

from ._engine import Exercise, Output, as_float, same

__all__ = ["check_backward_prop", "check_forward_prop"]


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def _forward(params, X):
    W1, b1, W2, b2 = params
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    return Z1, A1, Z2, _softmax(Z2)


def _net(seed, n_in, n_hidden, n_out, m, big_b2=False):
    rng = np.random.default_rng(seed)
    W1 = rng.random((n_hidden, n_in)) - 0.5
    b1 = rng.random((n_hidden, 1)) - 0.5
    W2 = rng.random((n_out, n_hidden)) - 0.5
    b2 = rng.random((n_out, 1)) - 0.5
    if big_b2:  # logits near 800: exp overflows unless the column maximum is subtracted first
        b2 = b2 + 800.0
    X = rng.random((n_in, m))
    y = rng.integers(0, n_out, size=m)
    Y = np.zeros((n_out, m))
    Y[y, np.arange(m)] = 1.0
    return (W1, b1, W2, b2), X, Y


# the sizes differ on every axis in the second case, so a missing transpose cannot line up
_NETS = [(6, 784, 10, 10, 7), (7, 6, 4, 3, 5), (8, 784, 10, 10, 12)]


def _ctx(params, X):
    W1, b1, W2, b2 = params
    sizes = f"{W1.shape[1]}-{W1.shape[0]}-{W2.shape[0]}"
    return {"ctx": f"a {sizes} network and X of shape {X.shape}", "m": X.shape[1]}


# ---------------------------------------------------------------------------------------------
# forward_prop
# ---------------------------------------------------------------------------------------------
def _forward_cases():
    cases = [_net(*spec)[:2] for spec in _NETS[:2]]
    return cases + [_net(9, 5, 4, 3, 6, big_b2=True)[:2]]


def _c(c):
    W1, b1, W2, b2 = c.params
    return W1, b1, W2, b2, c.X


def _rows_softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


_PART = "with {ctx}, %s is wrong."
_SHAPE = "with {ctx}, %s has shape {got.shape}, expected {expected.shape}."

FORWARD = Exercise(
    check="check_forward_prop",
    args=("params", "X"),
    cases=_forward_cases,
    reference=_forward,
    todo="return Z1, A1, Z2, A2: the hidden layer's weighted sums and their ReLU, then the output "
    "layer's weighted sums and their softmax, one column per image.",
    context=_ctx,
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="in the column form X is (784, m) and W1 is (10, 784): W1 @ X + b1 is (10, m); "
    "the biases (10, 1) are added to every column.",
    none_hint="end with `return Z1, A1, Z2, A2` (backward_prop needs all four).",
    n_results=4,
    structure=(
        "it returned a {result_type}, not four arrays.",
        "return all four, in this order: return Z1, A1, Z2, A2",
    ),
    not_array=("one of the four results is not an array.", "return Z1, A1, Z2, A2"),
    in_place_hint="compute new arrays; never change X.",
    outputs=(
        Output(
            index=0,
            shape_rules=(
                (
                    lambda c: c.got.shape == c.expected.T.shape,
                    "Z1 is transposed: in the column "
                    "form one image is one column, so Z1 = W1 @ X + b1 is (10, m).",
                ),
            ),
            shape_problem=_SHAPE % "Z1",
            shape_hint="Z1 = W1 @ X + b1: (10, 784) @ (784, m) + (10, 1) = (10, m).",
            rules=(
                (lambda c: c.params[0] @ c.X, "Z1 is missing the bias: W1 @ X + b1."),
                (
                    lambda c: (
                        c.params[0] @ c.X + c.params[1].T if c.params[1].shape[0] == c.m else None
                    ),
                    "b1 is a column (10, 1), one bias per neuron; add it as it is.",
                ),
            ),
            wrong_problem=_PART % "Z1",
            difference_problem="with {ctx}, Z1{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="Z1 = W1 @ X + b1.",
        ),
        Output(
            index=1,
            shape_problem=_SHAPE % "A1",
            shape_hint="A1 = ReLU(Z1) has the shape of Z1.",
            rules=(
                (lambda c: c.answer[0], "A1 is Z1 itself: apply the ReLU, A1 = np.maximum(Z1, 0)."),
                (
                    lambda c: 1 / (1 + np.exp(-c.answer[0])),
                    "A1 is the sigmoid of Z1; this network uses ReLU: np.maximum(Z1, 0).",
                ),
                (
                    lambda c: np.minimum(c.answer[0], 0),
                    "ReLU keeps the positive part: np.maximum(Z1, 0), not np.minimum.",
                ),
            ),
            wrong_problem=_PART % "A1",
            difference_problem="with {ctx}, A1{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="A1 = np.maximum(Z1, 0).",
        ),
        Output(
            index=2,
            shape_problem=_SHAPE % "Z2",
            shape_hint="Z2 = W2 @ A1 + b2: (10, 10) @ (10, m) + (10, 1) = (10, m).",
            rules=(
                (
                    lambda c: c.params[2] @ c.answer[0] + c.params[3],
                    "Z2 uses Z1; the second layer gets the ReLU's output: Z2 = W2 @ A1 + b2.",
                ),
                (lambda c: c.params[2] @ c.answer[1], "Z2 is missing the bias: W2 @ A1 + b2."),
            ),
            wrong_problem=_PART % "Z2",
            difference_problem="with {ctx}, Z2{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="Z2 = W2 @ A1 + b2.",
        ),
        Output(
            index=3,
            shape_problem=_SHAPE % "A2",
            shape_hint="the softmax keeps the shape of Z2: (10, m), every column summing to 1.",
            rules=(
                (
                    lambda c: not np.all(np.isfinite(c.got)),
                    "A2 contains nan or inf: np.exp of "
                    "large logits overflows. Subtract each column's maximum first, "
                    "Z2 - Z2.max(axis=0, keepdims=True): the softmax does not change.",
                ),
                (
                    lambda c: _rows_softmax(c.answer[2]),
                    "the softmax went along the rows; each column is one image: sum over axis=0.",
                ),
                (
                    lambda c: np.exp(c.answer[2]) / np.exp(c.answer[2]).sum(),
                    "you divided by the sum over the whole batch; each column (image) is "
                    "normalised on its own: E / E.sum(axis=0, keepdims=True).",
                ),
                (lambda c: c.answer[2], "A2 is Z2 itself: apply the softmax to each column."),
                (
                    lambda c: np.exp(c.answer[2]),
                    "you forgot to divide by the column sums: E / E.sum(axis=0, keepdims=True).",
                ),
            ),
            wrong_problem=_PART % "A2",
            difference_problem="with {ctx}, A2{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="E = np.exp(Z2 - Z2.max(axis=0, keepdims=True)); "
            "A2 = E / E.sum(axis=0, keepdims=True).",
        ),
    ),
)


def check_forward_prop(fn):
    """Check ``fn(params, X) -> (Z1, A1, Z2, A2)``: notebook 07's forward pass, column form.

    ``params = (W1, b1, W2, b2)``; ReLU on the hidden layer, a softmax over each column of Z2
    (stable: large logits must not give nan). Prints a pass or a hint.
    """
    FORWARD.run(fn)


# ---------------------------------------------------------------------------------------------
# backward_prop
# ---------------------------------------------------------------------------------------------
def _backward_cases():
    cases = []
    for spec in _NETS:
        params, X, Y = _net(*spec)
        cases.append((params, _forward(params, X), X, Y))
    return cases


def _parts(c):
    """The names a rule needs: W2, Z1, A1, A2, X, Y, m, dZ2 and the right dZ1."""
    W1, b1, W2, b2 = c.params
    Z1, A1, Z2, A2 = c.cache
    dZ2 = A2 - c.Y
    return W2, Z1, A1, dZ2, (W2.T @ dZ2) * (Z1 > 0)


def _backward(params, cache, X, Y):
    W1, b1, W2, b2 = params
    Z1, A1, Z2, A2 = cache
    m = X.shape[1]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (Z1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    return dW1, db1, dW2, db2


# A probe where every size is 4 (4 inputs, 4 hidden, 4 classes, 4 images): a missing transpose
# that raises on the real cases runs here, and the values say which gradient it was in.
_PROBE_PARAMS, _PROBE_X, _PROBE_Y = _net(11, 4, 4, 4, 4)
_PROBE = (_PROBE_PARAMS, _forward(_PROBE_PARAMS, _PROBE_X), _PROBE_X, _PROBE_Y)


def _probe(c, k, wrong):
    """Does gradient ``k`` of the learner's answer on the probe equal ``wrong(probe)``?"""
    params, cache, X, Y = _PROBE
    copies = [tuple(a.copy() for a in params), tuple(a.copy() for a in cache), X.copy(), Y.copy()]
    with np.errstate(all="ignore"):
        try:
            got = as_float(c.fn(*copies)[k])
        except Exception:
            return False
    probe_c = type(c)(params=params, cache=cache, X=X, Y=Y, m=X.shape[1])
    return got is not None and same(got, wrong(probe_c))


def _dW2_no_T(c):
    W2, Z1, A1, dZ2, dZ1 = _parts(c)
    return dZ2 @ A1 / c.m


def _dW1_no_T(c):
    W2, Z1, A1, dZ2, dZ1 = _parts(c)
    return dZ1 @ c.X / c.m


def _dZ1_W2_no_T(c):
    W2, Z1, A1, dZ2, dZ1 = _parts(c)
    return (W2 @ dZ2) * (Z1 > 0) @ c.X.T / c.m


_DB_RULES = (
    (
        lambda c: c.got.shape == (),
        "you summed over everything: one number for the whole layer. "
        "Each neuron gets its own bias gradient: np.sum(dZ, axis=1, keepdims=True) / m.",
    ),
    (
        lambda c: c.got.shape == c.expected.shape[:1],
        "the bias gradient lost its column "
        "dimension: use keepdims=True so the gradient has the shape of the bias (n, 1).",
    ),
    (
        lambda c: c.got.shape in ((c.m,), (1, c.m)),
        "you summed over the neurons (axis=0); sum "
        "over the images, axis=1: np.sum(dZ, axis=1, keepdims=True) / m.",
    ),
)


def _grad(label, index, shape_rules, rules, formula):
    return Output(
        index=index,
        shape_rules=shape_rules,
        shape_problem=f"with {{ctx}}, {label} has shape {{got.shape}}, expected "
        "{expected.shape}.",
        shape_hint=f"{formula}: it has the shape of {label[1:]}.",
        rules=(
            *rules,
            (
                lambda c: c.expected * c.m if c.m > 1 else None,
                f"{label} is missing the 1/m: "
                "the loss is the mean over the m images, so every gradient is divided by m.",
            ),
            (lambda c: -c.expected, f"the sign of {label} is flipped: dZ2 = A2 - Y."),
        ),
        wrong_problem=f"with {{ctx}}, {label} is wrong.",
        difference_problem=f"with {{ctx}}, {label}{{at}} is {{g:.4f}}, expected {{e:.4f}}.",
        difference_hint=formula + ".",
    )


_DW2 = "dW2 = dZ2 @ A1.T / m"
_DB2 = "db2 = np.sum(dZ2, axis=1, keepdims=True) / m"
_DW1 = "dW1 = dZ1 @ X.T / m, with dZ1 = (W2.T @ dZ2) * (Z1 > 0)"
_DB1 = "db1 = np.sum(dZ1, axis=1, keepdims=True) / m"

BACKWARD = Exercise(
    check="check_backward_prop",
    args=("params", "cache", "X", "Y"),
    cases=_backward_cases,
    reference=_backward,
    todo="return dW1, db1, dW2, db2, the gradients of the mean cross-entropy over the m images; "
    "each has the shape of its parameter.",
    context=lambda params, cache, X, Y: _ctx(params, X),
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_rules=(
        (
            lambda c: _probe(c, 2, _dW2_no_T),
            "dW2 is missing a transpose: dZ2 @ A1.T "
            "(10, m) @ (m, 10); A1 without .T does not line up.",
        ),
        (
            lambda c: _probe(c, 0, _dW1_no_T),
            "dW1 is missing a transpose: dZ1 @ X.T, "
            "(10, m) @ (m, 784); X without .T does not line up.",
        ),
    ),
    error_hint="line the shapes up: every gradient has the shape of its parameter, e.g. "
    "dW1 = dZ1 @ X.T / m is (10, m) @ (m, 784) = (10, 784).",
    none_hint="end with `return dW1, db1, dW2, db2`.",
    n_results=4,
    structure=(
        "it returned a {result_type}, not four arrays.",
        "return all four gradients, in this order: return dW1, db1, dW2, db2",
    ),
    not_array=("one of the four results is not an array.", "return dW1, db1, dW2, db2"),
    in_place_hint="compute new arrays; never change X or Y.",
    outputs=(
        _grad(
            "dW2",
            2,
            (
                (
                    lambda c: c.got.shape == c.expected.T.shape,
                    "dW2 is transposed: dZ2 @ A1.T has the shape of W2, (n_out, n_hidden).",
                ),
            ),
            (
                (lambda c: c.expected.T, "dW2 is transposed: dZ2 @ A1.T, not A1 @ dZ2.T."),
                (
                    lambda c: _parts(c)[3] @ _parts(c)[1].T / c.m,
                    "dW2 uses Z1; the second layer's "
                    "input is A1, the ReLU's output: dZ2 @ A1.T / m.",
                ),
            ),
            _DW2,
        ),
        _grad("db2", 3, _DB_RULES, (), _DB2),
        _grad(
            "dW1",
            0,
            (
                (
                    lambda c: c.got.shape == c.expected.T.shape,
                    "dW1 is transposed: dZ1 @ X.T has the shape of W1, (n_hidden, 784).",
                ),
            ),
            (
                (
                    lambda c: (
                        (_parts(c)[0].T @ _parts(c)[3]) * np.maximum(_parts(c)[1], 0) @ c.X.T / c.m
                    ),
                    "dZ1 multiplies by ReLU(Z1); it needs the ReLU's slope, 1 where Z1 > 0 "
                    "and 0 elsewhere: (W2.T @ dZ2) * (Z1 > 0).",
                ),
                (
                    lambda c: (_parts(c)[0].T @ _parts(c)[3]) @ c.X.T / c.m,
                    "dZ1 is missing the ReLU's slope: (W2.T @ dZ2) * (Z1 > 0).",
                ),
                (_dZ1_W2_no_T, "dZ1 uses W2 without the transpose: W2.T @ dZ2."),
                (lambda c: c.expected.T, "dW1 is transposed: dZ1 @ X.T."),
            ),
            _DW1,
        ),
        _grad(
            "db1",
            1,
            _DB_RULES,
            (
                (
                    lambda c: (_parts(c)[0].T @ _parts(c)[3]).sum(axis=1, keepdims=True) / c.m,
                    "dZ1 is missing the ReLU's slope: (W2.T @ dZ2) * (Z1 > 0).",
                ),
                (
                    lambda c: (
                        ((_parts(c)[0].T @ _parts(c)[3]) * np.maximum(_parts(c)[1], 0)).sum(
                            axis=1, keepdims=True
                        )
                        / c.m
                    ),
                    "dZ1 multiplies by ReLU(Z1); it needs the "
                    "ReLU's slope: (W2.T @ dZ2) * (Z1 > 0).",
                ),
            ),
            _DB1,
        ),
    ),
    passed="✓ {name} is correct on {n_cases} test cases: dW1, db1, dW2 and db2 all match.",
)


def check_backward_prop(fn):
    """Check ``fn(params, cache, X, Y) -> (dW1, db1, dW2, db2)``: notebook 07's backward pass.

    Column form; ``cache = (Z1, A1, Z2, A2)`` from the forward pass, ``Y`` one-hot (10, m),
    ``m = X.shape[1]``. Each gradient is checked on its own: a missing transpose, a sum over
    the wrong axis, a missing ``keepdims`` or 1/m, or the ReLU in place of its slope gets a hint
    naming the gradient. Prints a pass or a hint.
    """
    BACKWARD.run(fn)
