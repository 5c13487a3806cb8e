"""Optimizers: turn gradients into weight updates.

Each optimizer has ``step(params, grads)``, which updates every array in ``params`` in place
(the layers keep using the same arrays). ``grads`` are left untouched. L2 weight decay adds
``weight_decay * p`` to each gradient first, which pulls weights towards zero (the gradient of
the penalty ``weight_decay / 2 * sum(p**2)``).

    SGD        p -= lr * g
    momentum   v = momentum * v - lr * g;  p += v
    RMSProp    s = rho * s + (1 - rho) * g**2;  p -= lr * g / (sqrt(s) + eps)
    Adam       m, v = running means of g and g**2, bias-corrected; p -= lr * m / (sqrt(v) + eps)

State (velocities, running averages) is kept per parameter array, in the order the arrays are
passed, so pass the same list every step.
"""

import math
import numbers

import numpy as np

__all__ = ["SGD", "RMSProp", "Adam", "get_optimizer"]


def _check_positive(name, value, allow_zero=False, below_one=False):
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}; pass e.g. {name}=0.01")
    value = float(value)
    ok = math.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if below_one:
        ok = ok and value < 1
    if not ok:
        rule = ">= 0" if allow_zero else "> 0"
        rule += " and < 1" if below_one else ""
        raise ValueError(f"{name} must be a finite number {rule}, got {value}")
    return value


class _Optimizer:
    """What every optimizer shares: settings checks, the step counter, per-parameter state."""

    def __init__(self, lr, weight_decay):
        self.lr = _check_positive("lr", lr)
        self.weight_decay = _check_positive("weight_decay", weight_decay, allow_zero=True)
        self.t = 0  # number of steps taken
        self._state = None

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({fields})"

    def _slots(self, params, n_slots):
        """Per parameter: ``n_slots`` zero arrays shaped like it (created on the first step)."""
        shapes = [p.shape for p in params]
        if self._state is None or self._state[0] != shapes:
            self._state = (shapes, [[np.zeros_like(p) for _ in range(n_slots)] for p in params])
        return self._state[1]

    def _check(self, params, grads):
        if len(params) != len(grads):
            raise ValueError(
                f"got {len(params)} parameter arrays but {len(grads)} gradients; "
                "pass matching lists, e.g. layer.params and layer.grads"
            )
        for p, g in zip(params, grads, strict=True):
            if p.shape != g.shape:
                raise ValueError(
                    f"a gradient of shape {g.shape} does not match its parameter of shape {p.shape}"
                )

    def _grad(self, p, g, buf):
        """The gradient to use: g itself, or g + weight_decay * p written into buf."""
        if self.weight_decay == 0.0:
            return g
        np.multiply(p, self.weight_decay, out=buf)
        buf += g
        return buf

    def step(self, params, grads):
        """Update every array of ``params`` in place, using ``grads`` (same order and shapes)."""
        self._check(params, grads)
        self.t += 1
        self._update(params, grads)


class SGD(_Optimizer):
    """Stochastic gradient descent, optionally with momentum (a running velocity)."""

    def __init__(self, lr=0.1, momentum=0.0, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.momentum = _check_positive("momentum", momentum, allow_zero=True, below_one=True)

    def _update(self, params, grads):
        for p, g, (buf, tmp, velocity) in zip(params, grads, self._slots(params, 3), strict=True):
            g = self._grad(p, g, buf)
            if self.momentum == 0.0:
                np.multiply(g, self.lr, out=tmp)  # tmp = lr * g, no new array
                p -= tmp
            else:
                velocity *= self.momentum
                np.multiply(g, self.lr, out=tmp)
                velocity -= tmp
                p += velocity


class RMSProp(_Optimizer):
    """Divide each step by a running root-mean-square of recent gradients (per weight)."""

    def __init__(self, lr=0.001, rho=0.9, eps=1e-7, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.rho = _check_positive("rho", rho, below_one=True)
        self.eps = _check_positive("eps", eps)

    def _update(self, params, grads):
        for p, g, (buf, tmp, sq) in zip(params, grads, self._slots(params, 3), strict=True):
            g = self._grad(p, g, buf)
            sq *= self.rho
            sq += (1 - self.rho) * g * g
            np.sqrt(sq, out=tmp)
            tmp += self.eps
            np.divide(g, tmp, out=tmp)
            tmp *= self.lr
            p -= tmp


class Adam(_Optimizer):
    """Adam: momentum (m) plus RMSProp scaling (v), both corrected for starting at zero."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.beta1 = _check_positive("beta1", beta1, allow_zero=True, below_one=True)
        self.beta2 = _check_positive("beta2", beta2, allow_zero=True, below_one=True)
        self.eps = _check_positive("eps", eps)

    def _update(self, params, grads):
        b1, b2 = self.beta1, self.beta2
        # bias corrections: after t steps m and v are (1 - b**t) too small on average
        m_scale = 1.0 / (1.0 - b1**self.t)
        v_scale = 1.0 / (1.0 - b2**self.t)
        for p, g, (buf, tmp, m, v) in zip(params, grads, self._slots(params, 4), strict=True):
            g = self._grad(p, g, buf)
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            # p -= lr * m_hat / (sqrt(v_hat) + eps), computed into tmp
            np.multiply(v, v_scale, out=tmp)
            np.sqrt(tmp, out=tmp)
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= self.lr * m_scale
            p -= tmp


_NAMES = {
    "sgd": lambda lr, **kw: SGD(lr=0.1 if lr is None else lr, **kw),
    "momentum": lambda lr, **kw: SGD(lr=0.01 if lr is None else lr, momentum=0.9, **kw),
    "rmsprop": lambda lr, **kw: RMSProp(lr=0.001 if lr is None else lr, **kw),
    "adam": lambda lr, **kw: Adam(lr=0.001 if lr is None else lr, **kw),
}


def get_optimizer(name_or_obj, lr=None, **kw):
    """An optimizer from a name ("sgd", "momentum", "rmsprop", "adam") or an optimizer object.

    ``lr=None`` uses the default rate of that optimizer (sgd 0.1, momentum 0.01, rmsprop and
    adam 0.001). Extra keywords go to the constructor (e.g. weight_decay=1e-4). An object is
    returned as it is, except that a given ``lr`` or keyword replaces its setting.
    """
    if isinstance(name_or_obj, str):
        key = name_or_obj.lower()
        if key not in _NAMES:
            raise ValueError(f"unknown optimizer {name_or_obj!r}; use one of {sorted(_NAMES)}")
        return _NAMES[key](lr, **kw)
    if hasattr(name_or_obj, "step") and callable(name_or_obj.step):
        if lr is not None:
            name_or_obj.lr = _check_positive("lr", lr)
        for key, value in kw.items():
            if not hasattr(name_or_obj, key):
                raise TypeError(f"{type(name_or_obj).__name__} has no setting {key!r}")
            setattr(name_or_obj, key, value)
        return name_or_obj
    raise TypeError(
        f"optimizer must be a name {sorted(_NAMES)} or an object with a step(params, grads) "
        f"method, got {name_or_obj!r}"
    )
