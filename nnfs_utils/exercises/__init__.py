"""Self-check exercises: run a function you wrote against the reference and get a hint.

Each ``check_*`` function calls your function on several inputs, compares what it returns with
the reference answer and prints one line: a pass, or the first problem it finds together with
a hint that names the most likely mistake (a missing bias, a transposed gradient, a sum over
the wrong axis, ...). While your function still raises NotImplementedError (the stub), the
check says what is left to write. The printed text depends only on your function, never on
timing or randomness, so notebooks can store it.

    >>> import numpy as np
    >>> def dense_forward(X, W, b):
    ...     return X @ W + b
    >>> check_dense_forward(dense_forward)
    ✓ dense_forward is correct on 3 test cases.
    >>> def layer_forward(X, W, b):
    ...     raise NotImplementedError()
    >>> check_layer_forward(layer_forward)  # doctest: +ELLIPSIS
    ○ layer_forward: not done yet (it raises NotImplementedError).
      To do: ...

One module per notebook holds its exercises, each a small table read by the engine in
``_engine.py``: ``neuron`` (01), ``layer`` (02), ``perceptron`` (03), ``backprop`` and
``network`` (05), ``mnist_data`` (06), ``from_scratch`` (07), ``hidden_units`` (08),
``optimizer_steps`` (09), ``diagnosis`` (10 and 11) and ``convolution`` (12). ``passes(check, fn)`` answers
silently whether ``fn`` passes, so that a notebook can go on with a reference version while an
exercise is unsolved. The package
also holds the two tools for checking a derivation of your own: ``numerical_gradient``
(central differences) and ``relative_error``.
"""

from ._engine import passes
from .backprop import check_dense_backward, check_dense_forward
from .convolution import check_conv_output_size, check_convolve, check_maxpool_backward
from .diagnosis import (
    check_coverage_at,
    check_dead_share,
    check_dropout_forward,
    check_name_the_problem,
    run_summary,
)
from .from_scratch import check_backward_prop, check_forward_prop
from .gradcheck import numerical_gradient, relative_error
from .hidden_units import check_most_exciting_digit, check_never_inked
from .layer import check_count_params, check_layer_forward
from .mnist_data import check_flatten, check_one_hot, check_unflatten
from .network import check_network_backward, check_network_forward
from .neuron import check_neuron, check_weighted_sum
from .optimizer_steps import check_adam_update, check_momentum_update
from .perceptron import check_numerical_slope, check_sigmoid_derivative, check_update_step

__all__ = [
    "check_adam_update",
    "check_backward_prop",
    "check_conv_output_size",
    "check_convolve",
    "check_count_params",
    "check_coverage_at",
    "check_dead_share",
    "check_dense_backward",
    "check_dense_forward",
    "check_dropout_forward",
    "check_flatten",
    "check_forward_prop",
    "check_layer_forward",
    "check_maxpool_backward",
    "check_momentum_update",
    "check_most_exciting_digit",
    "check_name_the_problem",
    "check_network_backward",
    "check_network_forward",
    "check_never_inked",
    "check_neuron",
    "check_numerical_slope",
    "check_one_hot",
    "check_sigmoid_derivative",
    "check_unflatten",
    "check_update_step",
    "check_weighted_sum",
    "numerical_gradient",
    "passes",
    "relative_error",
    "run_summary",
]
