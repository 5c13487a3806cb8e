"""Optimizers: turn gradients into weight updates, each update the formula of notebook 08.

    SGD        p -= lr * dp
    momentum   v = momentum * v - lr * dp;                 p += v
    RMSProp    s = rho * s + (1 - rho) * dp * dp;          p -= lr * dp / (sqrt(s) + eps)
    Adam       m = beta1 * m + (1 - beta1) * dp;  v = beta2 * v + (1 - beta2) * dp * dp;
               p -= lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1**t),
                                                       v_hat = v / (1 - beta2**t)

p is any parameter array (a layer's W or b) and dp its gradient (dW or db); notebook 08 writes
them w and g.

``step(params, grads)`` updates every array of ``params`` in place (the layers keep using the
same arrays) and leaves ``grads`` alone. L2 weight decay first adds ``weight_decay * p`` to
each gradient, which pulls weights towards zero (the gradient of the penalty
``weight_decay / 2 * sum(p**2)``). Each optimizer owns its state (``v``, ``s``, ``m``): one
dict of arrays per parameter, in the order the parameters are passed, so pass the same list
every step.

A trap wherever a formula is written: under NumPy 2 a NumPy float64 scalar times a float32
array is a float64 array (twice the memory traffic, then a cast back). Every step size here
is a Python float (``check_number`` makes the settings floats; ``beta1**t`` stays one), which
takes the array's dtype; a step size computed with ``np.sqrt`` would not.

``OPTIMIZERS`` is the one table of optimizer names and their default learning rates.
"""

import numpy as np

from .checks import check_number, check_params_and_grads

__all__ = ["OPTIMIZERS", "SGD", "Adam", "Optimizer", "RMSProp", "default_lr", "get_optimizer"]


class Optimizer:
    """What every optimizer shares: checked settings, the step counter, per-parameter state.

    ``settings`` declares each setting's rule once (for ``check_number``); the constructor,
    ``set`` and ``get_optimizer`` all check through it. ``slots`` names the arrays an
    optimizer keeps per parameter.
    """

    settings = {"lr": {}, "weight_decay": {"allow_zero": True}}
    slots = ()

    def __init__(self, **settings):
        self.set(**settings)
        self.t = 0  # number of steps taken
        self.state = []  # one dict {slot name: array} per parameter, made on the first step
        self._shapes = None

    def set(self, **settings):
        """Change settings (e.g. ``lr=0.01``), each checked against its rule."""
        for name, value in settings.items():
            if name not in self.settings:
                raise TypeError(f"{type(self).__name__} has no setting {name!r}")
            setattr(self, name, check_number(name, value, **self.settings[name]))
        return self

    def check(self):
        """Check the current settings again (they may have been assigned directly)."""
        return self.set(**{name: getattr(self, name) for name in self.settings})

    def __repr__(self):
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.settings)
        return f"{type(self).__name__}({fields}, t={self.t})"

    def step(self, params, grads):
        """Update every array of ``params`` in place, using ``grads`` (same order and shapes)."""
        check_params_and_grads(params, grads)
        self.prepare(params)
        self.step_unchecked(params, grads)

    def prepare(self, params):
        """Make the state for these parameters, unless it is theirs already."""
        if self._shapes != [p.shape for p in params]:
            self._shapes = [p.shape for p in params]
            self.state = [{k: np.zeros_like(p) for k in self.slots} for p in params]

    def step_unchecked(self, params, grads):
        """``step`` for a caller that checked and prepared once already (MLP.fit)."""
        self.t += 1
        update, weight_decay = self.update, self.weight_decay  # looked up once per step
        for p, dp, state in zip(params, grads, self.state, strict=True):
            if weight_decay:  # a Python float, so float32 stays float32 (see above)
                dp = dp + weight_decay * p
            update(p, dp, state)


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (a running velocity v).

    ``lr=None`` takes the default rate from ``OPTIMIZERS``: that of "sgd" without momentum,
    that of "momentum" with it (so ``SGD(momentum=0.9)`` and "momentum" agree).
    """

    settings = Optimizer.settings | {"momentum": {"allow_zero": True, "below_one": True}}
    slots = ("v",)

    def __init__(self, lr=None, momentum=0.0, weight_decay=0.0):
        lr = default_lr("momentum" if momentum else "sgd") if lr is None else lr
        super().__init__(lr=lr, momentum=momentum, weight_decay=weight_decay)

    def update(self, p, dp, state):
        if self.momentum:
            state["v"] = self.momentum * state["v"] - self.lr * dp
            p += state["v"]
        else:
            p -= self.lr * dp


class RMSProp(Optimizer):
    """Divide each step by a running root-mean-square s of recent gradients (per weight)."""

    settings = Optimizer.settings | {"rho": {"below_one": True}, "eps": {}}
    slots = ("s",)

    def __init__(self, lr=None, rho=0.9, eps=1e-7, weight_decay=0.0):
        lr = default_lr("rmsprop") if lr is None else lr
        super().__init__(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)

    def update(self, p, dp, state):
        state["s"] = self.rho * state["s"] + (1 - self.rho) * dp * dp
        p -= self.lr * (dp / (np.sqrt(state["s"]) + self.eps))


class Adam(Optimizer):
    """Adam: momentum (m) plus RMSProp scaling (v), both corrected for starting at zero."""

    settings = Optimizer.settings | {
        "beta1": {"allow_zero": True, "below_one": True},
        "beta2": {"allow_zero": True, "below_one": True},
        "eps": {},
    }
    slots = ("m", "v")

    def __init__(self, lr=None, beta1=0.9, beta2=0.999, eps=1e-7, weight_decay=0.0):
        lr = default_lr("adam") if lr is None else lr
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)

    def update(self, p, dp, state):
        b1, b2, t = self.beta1, self.beta2, self.t
        state["m"] = b1 * state["m"] + (1 - b1) * dp
        state["v"] = b2 * state["v"] + (1 - b2) * dp * dp
        # m_hat = m * m_scale and v_hat = v * v_scale; Python floats (see the module's note)
        m_scale, v_scale = 1.0 / (1.0 - b1**t), 1.0 / (1.0 - b2**t)
        p -= self.lr * m_scale * (state["m"] / (np.sqrt(state["v"] * v_scale) + self.eps))


# The one table of optimizers: name -> (class, settings, default learning rate).
# "momentum" defaults to 0.01, not sgd's 0.1: with momentum 0.9 the velocity adds up to about
# 1 / (1 - 0.9) = 10 steps, so lr 0.01 moves about as far per step as plain SGD with 0.1
# (notebook 08 shows this); SGD(momentum=...) without an lr uses the same 0.01.
OPTIMIZERS = {
    "sgd": (SGD, {}, 0.1),
    "momentum": (SGD, {"momentum": 0.9}, 0.01),
    "rmsprop": (RMSProp, {}, 0.001),
    "adam": (Adam, {}, 0.001),
}


def default_lr(name):
    """The default learning rate of the optimizer called ``name`` in ``OPTIMIZERS``."""
    return OPTIMIZERS[name][2]


def get_optimizer(name_or_obj, lr=None, **kw):
    """An optimizer from a name ("sgd", "momentum", "rmsprop", "adam") or an optimizer object.

    ``lr=None`` uses the default rate of that optimizer (sgd 0.1, momentum 0.01, rmsprop and
    adam 0.001). Extra keywords go to the constructor (e.g. weight_decay=1e-4). An object is
    returned as it is, except that a given ``lr`` or keyword replaces its setting; its
    settings are checked like a new optimizer's.
    """
    if isinstance(name_or_obj, str):
        key = name_or_obj.lower()
        if key not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {name_or_obj!r}; use one of {sorted(OPTIMIZERS)}")
        cls, settings, rate = OPTIMIZERS[key]
        return cls(lr=rate if lr is None else lr, **settings, **kw)
    if isinstance(name_or_obj, Optimizer):
        return name_or_obj.check().set(**({} if lr is None else {"lr": lr}), **kw)
    if hasattr(name_or_obj, "step") and callable(name_or_obj.step):
        # an optimizer of your own: the settings it shares with ours get our checks
        if lr is not None:
            name_or_obj.lr = check_number("lr", lr)
        for key, value in kw.items():
            if not hasattr(name_or_obj, key):
                raise TypeError(f"{type(name_or_obj).__name__} has no setting {key!r}")
            rule = Optimizer.settings.get(key)
            setattr(name_or_obj, key, value if rule is None else check_number(key, value, **rule))
        return name_or_obj
    raise TypeError(
        f"optimizer must be a name {sorted(OPTIMIZERS)} or an object with a step(params, grads) "
        f"method, got {name_or_obj!r}"
    )
