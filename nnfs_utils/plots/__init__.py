"""Matplotlib figures shared by the notebooks and the widgets, one module per topic.

Every function draws on an ``ax`` (or a ``fig``) it is given, or makes its own figure, and
returns what it drew, so a widget can redraw the same view that a notebook shows as a static
figure and a test can check the drawing's data.

- ``basics``: activation curves, a layer's outputs, decision boundaries (notebooks 01-05)
- ``mnist``: digits, pixel strips, first-layer weights, the network view (notebooks 06-08)
- ``training``: training curves, confusion matrix, galleries, the loss surface of notebook 03,
  gradient sizes per layer (notebooks 03, 07-09)
- ``diagrams``: a neuron, a layer and a chain-rule graph drawn with their numbers (01, 02, 04)
- ``hidden``: what a hidden neuron might detect and what it does (notebook 08)
- ``monitor``: what a TrainingMonitor measured, and the weights before and after (notebook 10)
- ``style``: ``use_course_style()``, the one figure style of the course

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
from .diagrams import plot_computational_graph, plot_layer_diagram, plot_neuron_diagram
from .hidden import (
    class_activation_means,
    hand_made_edge_detector,
    most_activating,
    plot_class_activation_heatmap,
    plot_edge_detector,
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
from .monitor import plot_monitor, plot_weight_histograms
from .style import COURSE_STYLE, MIN_FONT_SIZE, use_course_style
from .training import (
    LiveTrainingPlot,
    confusion_matrix,
    perceptron_loss,
    plot_confusion_matrix,
    plot_digit_gallery,
    plot_gradient_sizes,
    plot_loss_surface,
    plot_prediction_gallery,
    plot_training_curves,
    top_k,
)

__all__ = [
    "ACTIVATION_NAMES",
    "CLASS_COLORS",
    "COURSE_STYLE",
    "MIN_FONT_SIZE",
    "activation_function",
    "class_activation_means",
    "confusion_matrix",
    "decision_grid",
    "hand_made_edge_detector",
    "LiveTrainingPlot",
    "most_activating",
    "perceptron_loss",
    "plot_activation_point",
    "plot_class_activation_heatmap",
    "plot_computational_graph",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_digit",
    "plot_digit_gallery",
    "plot_digit_grid",
    "plot_digit_view",
    "plot_edge_detector",
    "plot_gradient_sizes",
    "plot_layer_diagram",
    "plot_layer_outputs",
    "plot_loss_surface",
    "plot_mean_digits",
    "plot_monitor",
    "plot_network_activations",
    "plot_network_view",
    "plot_neuron_diagram",
    "plot_pixel_strip",
    "plot_prediction_gallery",
    "plot_probabilities",
    "plot_training_curves",
    "plot_weight_histograms",
    "plot_weight_images",
    "top_k",
    "use_course_style",
]
