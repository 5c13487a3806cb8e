"""Notebook 09's exercises: the momentum and Adam updates, checked against ``nnfs_utils``.

The learner writes one step of each rule, with the state passed in and returned:

    momentum_update(W, dW, v, lr, momentum) -> (W, v)
        v = momentum * v - lr * dW;  W = W + v
    adam_update(W, dW, m, v, t, lr, beta1, beta2, eps) -> (W, m, v)
        m = beta1 * m + (1 - beta1) * dW;  v = beta2 * v + (1 - beta2) * dW**2
        W = W - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1**t),
        v_hat = v / (1 - beta2**t),  t = 1 at the first step

Each check runs three steps of ``nnfs_utils.optimizers.SGD(momentum=...)`` or ``Adam`` on the
same weights and gradients (through their public ``step``), and calls the learner's function
once per step with the state of that step: the new weights must match the optimizer's.
"""

import numpy as np

from ..optimizers import SGD, Adam
from ._engine import Exercise, Output, same, same_with_nan

__all__ = ["check_adam_update", "check_momentum_update"]


def _run(make_optimizer, seed):
    """Starting weights, three gradients, and the optimizer's weights after each step."""
    rng = np.random.default_rng(seed)
    W = np.round(rng.uniform(-1, 1, size=(3, 2)), 2)
    grads = [np.round(rng.uniform(-1, 1, size=W.shape), 2) for _ in range(3)]
    optimizer, param = make_optimizer(), W.copy()
    after = []
    for g in grads:
        optimizer.step([param], [g.copy()])
        after.append(param.copy())
    return W, grads, after


def _said(label):
    return f"at step {{t}} (with {{ctx}}), {label} is wrong."


# ---------------------------------------------------------------------------------------------
# momentum
# ---------------------------------------------------------------------------------------------
_LR, _MOMENTUM = 0.1, 0.9


def _momentum_cases():
    W0, grads, after = _run(lambda: SGD(lr=_LR, momentum=_MOMENTUM), seed=8)
    cases, W, v = [], W0, np.zeros_like(W0)
    for t, (g, W_new) in enumerate(zip(grads, after, strict=True), start=1):
        v_new = _MOMENTUM * v - _LR * g
        cases.append(((W, g, v, _LR, _MOMENTUM), (W_new, v_new), {"t": t}))
        W, v = W_new, v_new
    return cases


def _m(c):
    """The pieces of a momentum step: the right new velocity."""
    return c.momentum * c.v - c.lr * c.dW


MOMENTUM = Exercise(
    check="check_momentum_update",
    args=("W", "dW", "v", "lr", "momentum"),
    cases=_momentum_cases,
    reference=None,
    todo="return W and v after one momentum step, as in notebook 09's table.",
    context=lambda W, dW, v, lr, momentum: {"ctx": f"lr = {lr}, momentum = {momentum}"},
    error_problem="at step {t} (with {ctx}) it raised {error_type}: {error}",
    error_hint="W, dW and v are arrays of the same shape, lr and momentum numbers: "
    "v = momentum * v - lr * dW; W = W + v.",
    none_hint="end with `return W, v` (the next step needs the new velocity).",
    n_results=2,
    structure=(
        "it returned a {result_type}, not two arrays.",
        "return the new weights and the new velocity: return W, v",
    ),
    not_array=("one of the two results is not an array.", "return W, v"),
    in_place_ok=("W", "v"),
    outputs=(
        Output(
            index=1,
            shape_problem="the velocity has shape {got.shape}, expected {expected.shape}.",
            shape_hint="v has the shape of W: v = momentum * v - lr * dW.",
            rules=(
                (
                    lambda c: -_m(c),
                    "the velocity has the wrong sign: notebook 09's velocity points downhill, "
                    "v = momentum * v - lr * dW, and the step is W + v.",
                ),
                (
                    lambda c: -c.lr * c.dW,
                    "the velocity forgot its past: v = momentum * v - lr * dW (momentum * v is "
                    "the running part).",
                ),
                (
                    lambda c: c.momentum * c.v - c.dW,
                    "the learning rate is missing: v = momentum * v - lr * dW.",
                ),
                (
                    lambda c: c.momentum * c.v + (1 - c.momentum) * (-c.lr * c.dW),
                    "that is a running average; notebook 09's velocity adds the whole step: "
                    "v = momentum * v - lr * dW.",
                ),
            ),
            wrong_problem=_said("the velocity v"),
            difference_problem="at step {t}, v{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="v = momentum * v - lr * dW.",
        ),
        Output(
            index=0,
            shape_problem="the weights have shape {got.shape}, expected {expected.shape}.",
            shape_hint="W keeps its shape: W = W + v.",
            rules=(
                (
                    lambda c: c.W - _m(c),
                    "the velocity already points downhill: add it, W = W + v.",
                ),
                (
                    lambda c: c.W + c.v,
                    "you moved W with the old velocity; update v first, then W = W + v.",
                ),
                (lambda c: c.W - c.lr * c.dW, "that is plain SGD; step with the velocity: W + v."),
            ),
            wrong_problem=_said("W"),
            difference_problem="at step {t}, W{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="v = momentum * v - lr * dW, then W = W + v.",
        ),
    ),
    passed="✓ {name} matches nnfs_utils' SGD(momentum=0.9) over {n_cases} steps.",
)


def check_momentum_update(fn):
    """Check ``fn(W, dW, v, lr, momentum) -> (W, v)``: one momentum step (notebook 09's table).

    Three steps, each against ``nnfs_utils.optimizers.SGD(lr=0.1, momentum=0.9)``. Prints a
    pass or a hint.
    """
    MOMENTUM.run(fn)


# ---------------------------------------------------------------------------------------------
# Adam
# ---------------------------------------------------------------------------------------------
# eps is large here so that where it goes (outside or inside the square root) shows
_ADAM = {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-2}


def _adam_cases():
    W0, grads, after = _run(lambda: Adam(**_ADAM), seed=9)
    b1, b2 = _ADAM["beta1"], _ADAM["beta2"]
    cases, W, m, v = [], W0, np.zeros_like(W0), np.zeros_like(W0)
    for t, (g, W_new) in enumerate(zip(grads, after, strict=True), start=1):
        m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        cases.append(((W, g, m, v, t, *_ADAM.values()), (W_new, m_new, v_new)))
        W, m, v = W_new, m_new, v_new
    return cases


def _adam_W(c, t=None, correct=True, eps_inside=False, root=np.sqrt):
    """Adam's new weights for case ``c``, with one piece changed to make a typical mistake."""
    t = c.t if t is None else t
    m = c.beta1 * c.m + (1 - c.beta1) * c.dW
    v = c.beta2 * c.v + (1 - c.beta2) * c.dW**2
    if correct:
        m, v = m / (1 - c.beta1**t), v / (1 - c.beta2**t)
    denominator = root(v + c.eps) if eps_inside else root(v) + c.eps
    return c.W - c.lr * m / denominator


def _adam_m_under_root(c):
    m_hat = (c.beta1 * c.m + (1 - c.beta1) * c.dW) / (1 - c.beta1**c.t)
    return c.W - c.lr * m_hat / (np.sqrt(m_hat) + c.eps)


ADAM = Exercise(
    check="check_adam_update",
    args=("W", "dW", "m", "v", "t", "lr", "beta1", "beta2", "eps"),
    cases=_adam_cases,
    reference=None,
    todo="return W, m and v after one Adam step; t is the step number, 1 at the first step.",
    context=lambda W, dW, m, v, t, lr, beta1, beta2, eps: {
        "ctx": f"lr = {lr}, beta1 = {beta1}, beta2 = {beta2}, eps = {eps}"
    },
    error_problem="at step {t} (with {ctx}) it raised {error_type}: {error}",
    error_hint="W, dW, m and v are arrays of the same shape; t, lr, beta1, beta2 and eps are "
    "numbers. Use np.sqrt (elementwise), not math.sqrt.",
    none_hint="end with `return W, m, v` (the next step needs both running averages).",
    n_results=3,
    structure=(
        "it returned a {result_type}, not three arrays.",
        "return the new weights and both running averages: return W, m, v",
    ),
    not_array=("one of the three results is not an array.", "return W, m, v"),
    in_place_ok=("W", "m", "v"),
    outputs=(
        Output(
            index=1,
            shape_problem="m has shape {got.shape}, expected {expected.shape}.",
            shape_hint="m has the shape of W.",
            rules=(
                (
                    lambda c: (
                        same(c.arrays[0], c.answer[0])
                        and same(c.got, (c.beta1 * c.m + (1 - c.beta1) * c.dW) / (1 - c.beta1**c.t))
                    ),
                    "return the running average m itself; the bias-corrected m_hat is only "
                    "used inside the step.",
                ),
                (
                    lambda c: c.beta1 * c.m + c.dW,
                    "m is missing the factor (1 - beta1): m = beta1 * m + (1 - beta1) * dW.",
                ),
                (
                    lambda c: c.beta1 * c.m + (1 - c.beta1) * c.dW**2,
                    "m averages the gradient itself, not its square: "
                    "m = beta1 * m + (1 - beta1) * dW.",
                ),
            ),
            wrong_problem=_said("m"),
            difference_problem="at step {t}, m{at} is {g:.6f}, expected {e:.6f}.",
            difference_hint="m = beta1 * m + (1 - beta1) * dW.",
        ),
        Output(
            index=2,
            shape_problem="v has shape {got.shape}, expected {expected.shape}.",
            shape_hint="v has the shape of W.",
            rules=(
                (
                    lambda c: (
                        same(c.arrays[0], c.answer[0])
                        and same(
                            c.got, (c.beta2 * c.v + (1 - c.beta2) * c.dW**2) / (1 - c.beta2**c.t)
                        )
                    ),
                    "return the running average v itself; the bias-corrected v_hat is only "
                    "used inside the step.",
                ),
                (
                    lambda c: c.beta2 * c.v + (1 - c.beta2) * c.dW,
                    "v averages the squared gradient: v = beta2 * v + (1 - beta2) * dW**2.",
                ),
                (
                    lambda c: c.beta2 * c.v + c.dW**2,
                    "v is missing the factor (1 - beta2): v = beta2 * v + (1 - beta2) * dW**2.",
                ),
            ),
            wrong_problem=_said("v"),
            difference_problem="at step {t}, v{at} is {g:.6f}, expected {e:.6f}.",
            difference_hint="v = beta2 * v + (1 - beta2) * dW**2.",
        ),
        Output(
            index=0,
            shape_problem="W has shape {got.shape}, expected {expected.shape}.",
            shape_hint="W keeps its shape.",
            rules=(
                (
                    lambda c: not np.any(np.isfinite(c.got)),
                    "W is all nan or inf: at the first step t is 1, and with t = 0 the "
                    "correction 1 - beta1**0 = 0 divides by zero. The step counter starts at 1.",
                ),
                (
                    lambda c: _adam_W(c, correct=False),
                    "the bias correction is missing: m_hat = m / (1 - beta1**t) and "
                    "v_hat = v / (1 - beta2**t) undo the start at zero.",
                ),
                (
                    lambda c: _adam_W(c, t=c.t + 1),
                    "the correction used t + 1: t is already the step number (1 at the first "
                    "step), so do not add 1 to it.",
                ),
                (
                    lambda c: _adam_W(c, eps_inside=True),
                    "eps goes outside the square root: np.sqrt(v_hat) + eps.",
                ),
                (
                    lambda c: _adam_W(c, root=lambda v: v),
                    "the square root is missing: divide by np.sqrt(v_hat) + eps.",
                ),
                (
                    lambda c: 2 * c.W - _adam_W(c),
                    "the sign is flipped: Adam steps downhill, W - lr * m_hat / (...).",
                ),
                (
                    lambda c: same_with_nan(c.got, _adam_m_under_root(c)),
                    "the denominator uses the square root of the wrong running average: m "
                    "goes on top, v (the average of dW**2) under the square root.",
                ),
            ),
            wrong_problem=_said("W"),
            difference_problem="at step {t}, W{at} is {g:.6f}, expected {e:.6f}.",
            difference_hint="W = W - lr * m_hat / (np.sqrt(v_hat) + eps), with m_hat = "
            "m / (1 - beta1**t) and v_hat = v / (1 - beta2**t).",
        ),
    ),
    passed="✓ {name} matches nnfs_utils' Adam over {n_cases} steps.",
)


def check_adam_update(fn):
    """Check ``fn(W, dW, m, v, t, lr, beta1, beta2, eps) -> (W, m, v)``: one Adam step.

    Three steps (t = 1, 2, 3), each against ``nnfs_utils.optimizers.Adam`` with the same
    settings. ``eps`` is 0.01 in the check so that its place (outside the square root) shows.
    Prints a pass or a hint.
    """
    ADAM.run(fn)
