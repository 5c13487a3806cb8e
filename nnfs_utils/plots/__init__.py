"""Matplotlib figures shared by the notebooks and the widgets, one module per topic.

Every function draws on an ``ax`` (or a ``fig``) it is given, or makes its own figure, and
returns what it drew, so a widget can redraw the same view that a notebook shows as a static
figure and a test can check the drawing's data.

- ``basics``: activation curves, a layer's outputs, decision boundaries (notebooks 01-04)
- ``mnist``: digits, pixel strips, first-layer weights, the network view (notebooks 05-07)
- ``training``: training curves, confusion matrix, galleries (notebooks 06-08)

Import from the package (``from nnfs_utils.plots import plot_digit``); the module a function
lives in may change.
"""

from .basics import (
    ACTIVATION_NAMES,
    CLASS_COLORS,
    activation_function,
    decision_grid,
    plot_activation_point,
    plot_decision_boundary,
    plot_layer_outputs,
)
from .mnist import (
    plot_digit,
    plot_digit_grid,
    plot_digit_view,
    plot_mean_digits,
    plot_network_activations,
    plot_network_view,
    plot_pixel_strip,
    plot_probabilities,
    plot_weight_images,
)
from .training import (
    LiveTrainingPlot,
    confusion_matrix,
    plot_confusion_matrix,
    plot_digit_gallery,
    plot_training_curves,
    top_k,
)

__all__ = [
    "ACTIVATION_NAMES",
    "CLASS_COLORS",
    "LiveTrainingPlot",
    "activation_function",
    "confusion_matrix",
    "decision_grid",
    "plot_activation_point",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_digit",
    "plot_digit_gallery",
    "plot_digit_grid",
    "plot_digit_view",
    "plot_layer_outputs",
    "plot_mean_digits",
    "plot_network_activations",
    "plot_network_view",
    "plot_pixel_strip",
    "plot_probabilities",
    "plot_training_curves",
    "plot_weight_images",
    "top_k",
]
