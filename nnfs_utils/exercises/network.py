"""Notebook 05's general network: a list of layers, forward in order, backward in reverse.

The learner writes ``network_forward(layers, X)`` and ``network_backward(layers, dZ)`` over any
objects with ``forward`` and ``backward`` methods. The checks hand them small layers that
record every call, so a hint can say which layer got what, in which order.
"""

import numpy as np

from ._engine import Exercise, Output, same

__all__ = ["check_network_backward", "check_network_forward"]


class _Dense:
    """Z = X @ W + b, batch-first; backward stores dW, db and returns dX (records each call)."""

    def __init__(self, rng, n_inputs, n_neurons, log):
        self.W = np.round(rng.uniform(-1, 1, size=(n_inputs, n_neurons)), 2)
        self.b = np.round(rng.uniform(-0.5, 0.5, size=(1, n_neurons)), 2)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.log, self.name = log, f"Dense({n_inputs} -> {n_neurons})"

    def forward(self, X):
        self.log.append(("forward", self, X))
        self.X = X
        return X @ self.W + self.b

    def backward(self, dZ):
        self.log.append(("backward", self, dZ))
        self.dW = self.X.T @ dZ
        self.db = dZ.sum(axis=0, keepdims=True)
        return dZ @ self.W.T


class _ReLU:
    def __init__(self, log):
        self.log, self.name = log, "ReLU"

    def forward(self, Z):
        self.log.append(("forward", self, Z))
        self.Z = Z
        return np.maximum(Z, 0)

    def backward(self, dA):
        self.log.append(("backward", self, dA))
        return dA * (self.Z > 0)


class _Layers(list):
    """The list of layers handed to the learner; ``log`` records every call in order."""

    def __repr__(self):
        return "[" + ", ".join(layer.name for layer in self) + "]"


def _network(seed, sizes, n_samples):
    rng = np.random.default_rng(seed)
    log = []
    layers = _Layers()
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(_Dense(rng, n_in, n_out, log))
        if k < len(sizes) - 2:
            layers.append(_ReLU(log))
    layers.log = log
    X = np.round(rng.uniform(-2, 2, size=(n_samples, sizes[0])), 2)
    return layers, X


_NETWORKS = [(0, [3, 4, 2], 5), (1, [2, 6, 5, 3], 4), (2, [3, 2], 1)]


def _outputs(layers, X):
    """Every layer's output, computed without touching the layers."""
    outs = []
    for layer in layers:
        X = X @ layer.W + layer.b if isinstance(layer, _Dense) else np.maximum(X, 0)
        outs.append(X)
    return outs


def _calls(c, kind):
    return [(layer, arr) for k, layer, arr in c.layers.log if k == kind]


def _order(c, kind):
    return [c.layers.index(layer) for layer, _ in _calls(c, kind)]


# --- the trace rules: what the recorded calls say -----------------------------------------------
def _forward_reversed(c):
    order = _order(c, "forward")
    return len(c.layers) > 1 and bool(order) and order[0] == len(c.layers) - 1


def _forward_not_chained(c):
    return any(i > 0 and same(arr, c.X) for i, (_, arr) in enumerate(_calls(c, "forward")))


def _forward_skipped(c):
    return sorted(set(_order(c, "forward"))) != list(range(len(c.layers)))


FORWARD_TRACE = (
    (
        _forward_reversed,
        "{trace}",
        "forward goes through the layers in order, first to last: for layer in layers: ...",
    ),
    (
        _forward_not_chained,
        "{trace}",
        "every layer after the first must get the previous "
        "layer's output, not X: inside the loop write X = layer.forward(X).",
    ),
    (
        _forward_skipped,
        "{trace}",
        "call forward on every layer of the list, the activations "
        "too: for layer in layers: X = layer.forward(X).",
    ),
)


class _Later:
    """A template value written out when the message is formatted, i.e. after the call."""

    def __init__(self, fn):
        self.fn = fn

    def __format__(self, spec):
        return self.fn()


def _trace(layers, kind):
    order = [layers.index(layer) for k, layer, _ in layers.log if k == kind]
    names = ", ".join(layers[i].name for i in order) or "no layer"
    return f"with layers {layers!r}, {kind} was called on: {names}."


def _context(name):
    def context(layers, array):
        return {
            "ctx": f"layers {layers!r} and {name} of shape {array.shape}",
            "trace": _Later(lambda: _trace(layers, "forward" if name == "X" else "backward")),
        }

    return context


_FORWARD_RESULT = (  # tried whether or not the shape is right
    (lambda c: c.X, "you returned X unchanged: return the last layer's output."),
    (
        lambda c: any(same(c.got, o) for o in _outputs(c.layers, c.X)[:-1]),
        "you returned an earlier layer's output: return the output of the last layer.",
    ),
)

NETWORK_FORWARD = Exercise(
    check="check_network_forward",
    args=("layers", "X"),
    cases=lambda: [_network(*spec) for spec in _NETWORKS],
    reference=lambda layers, X: _outputs(layers, X)[-1],
    todo="feed X through the layers in order, each getting the previous one's output, and return "
    "the last layer's output.",
    context=_context("X"),
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_rules=FORWARD_TRACE[:2],  # a crash may come before the later layers' turn
    error_hint="loop over the layers in order and feed each one the previous output: "
    "for layer in layers: X = layer.forward(X); then return X.",
    none_hint="after the loop, return the last layer's output (return X).",
    not_array=(
        "with {ctx} it returned a {result_type}.",
        "return only the last layer's output, one array.",
    ),
    in_place_hint="let each layer make a new array: X = layer.forward(X), never X[...] = ...",
    result_rules=FORWARD_TRACE,
    outputs=(
        Output(
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="return the last layer's output, (n_samples, n_outputs of the last layer).",
            shape_rules=_FORWARD_RESULT,
            rules=_FORWARD_RESULT,
            wrong_problem="with {ctx} the values are wrong.",
            difference_problem="with {ctx}, output {at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="for layer in layers: X = layer.forward(X); return X.",
        ),
    ),
)


def check_network_forward(fn):
    """Check ``fn(layers, X)``: the forward pass of a network given as a list of layers.

    Each layer has ``forward``; the network's output is the last layer's output after each
    layer has been fed the previous one's. Prints a pass or a hint.
    """
    NETWORK_FORWARD.run(fn)


# --- backward ---------------------------------------------------------------------------------
def _backward_case(seed, sizes, n_samples):
    layers, X = _network(seed, sizes, n_samples)
    out = X
    for layer in layers:  # the forward pass the learner's backward starts from
        out = layer.forward(out)
    layers.log.clear()
    rng = np.random.default_rng(seed + 10)
    dZ = np.round(rng.uniform(-1, 1, size=out.shape), 2)
    return layers, dZ


def _reference_backward(layers, dZ):
    grads = []
    for layer in reversed(layers):
        if isinstance(layer, _Dense):
            grads = [layer.X.T @ dZ, dZ.sum(axis=0, keepdims=True), *grads]
            dZ = dZ @ layer.W.T
        else:
            dZ = dZ * (layer.Z > 0)
    return dZ, np.concatenate([g.ravel() for g in grads])


def _backward_forward_order(c):
    order = _order(c, "backward")
    return len(c.layers) > 1 and bool(order) and order[0] == 0


def _backward_not_chained(c):
    calls = _calls(c, "backward")
    return any(i > 0 and same(arr, c.dZ) for i, (_, arr) in enumerate(calls))


def _backward_skipped(c):
    return sorted(set(_order(c, "backward"))) != list(range(len(c.layers)))


BACKWARD_TRACE = (
    (
        lambda c: bool(_calls(c, "forward")),
        "with {ctx} it called forward again.",
        "backward only calls each layer's backward; the forward pass has already run.",
    ),
    (
        _backward_forward_order,
        "{trace}",
        "backward visits the layers in reverse order, last to "
        "first: for layer in reversed(layers): ...",
    ),
    (
        _backward_not_chained,
        "{trace}",
        "each layer's backward returns the gradient for the "
        "layer below; pass it on: dZ = layer.backward(dZ).",
    ),
    (
        _backward_skipped,
        "{trace}",
        "call backward on every layer, the activations too: "
        "for layer in reversed(layers): dZ = layer.backward(dZ).",
    ),
)

_GIVEN_BACK = (
    (
        lambda c: c.dZ,
        "you returned the dZ you were given; return what the first layer's backward returned.",
    ),
)

NETWORK_BACKWARD = Exercise(
    check="check_network_backward",
    args=("layers", "dZ"),
    cases=lambda: [_backward_case(*spec) for spec in _NETWORKS],
    reference=_reference_backward,
    todo="send dZ back through the layers, last to first, each getting the gradient the one above "
    "returned, and return the gradient for the network's input.",
    context=_context("dZ"),
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_rules=BACKWARD_TRACE[:3],
    error_hint="for layer in reversed(layers): dZ = layer.backward(dZ); then return dZ.",
    none_hint="after the loop, return the gradient for the network's input (return dZ).",
    not_array=(
        "with {ctx} it returned a {result_type}.",
        "return one array: the gradient for the network's input.",
    ),
    in_place_hint="let each layer make a new array: dZ = layer.backward(dZ).",
    result_rules=BACKWARD_TRACE,
    outputs=(
        Output(
            index=0,
            take=lambda c: c.result,
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape} "
            "(the shape of the network's input).",
            shape_hint="return what the first layer's backward returned: the gradient for X.",
            shape_rules=_GIVEN_BACK,
            rules=_GIVEN_BACK,
            wrong_problem="with {ctx} the values are wrong.",
            difference_problem="with {ctx}, dX{at} is {g:.4f}, expected {e:.4f}.",
            difference_hint="for layer in reversed(layers): dZ = layer.backward(dZ); return dZ.",
        ),
        Output(
            index=1,
            take=lambda c: np.concatenate(
                [
                    g.ravel()
                    for layer in c.layers
                    if isinstance(layer, _Dense)
                    for g in (layer.dW, layer.db)
                ]
            ),
            wrong_problem="with {ctx} the weight gradients stored in the layers are wrong.",
            difference_hint="call each layer's backward exactly once, last layer first, with "
            "the gradient the layer above returned.",
        ),
    ),
)


def check_network_backward(fn):
    """Check ``fn(layers, dZ)``: the backward pass of a network given as a list of layers.

    The forward pass has run; ``dZ`` is the gradient of the loss with respect to the last
    layer's output. Each layer's ``backward`` returns the gradient for the layer below (and
    stores its own dW, db); ``fn`` returns the gradient for the network's input. Prints a pass
    or a hint.
    """
    NETWORK_BACKWARD.run(fn)
