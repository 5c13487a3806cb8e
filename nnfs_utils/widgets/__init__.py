"""Interactive explorers for the notebooks, built with ipywidgets.

Each function returns an explorer (``nnfs_utils.widgets.base.Explorer``, a VBox). A change to a
control computes the explorer's ``state`` (a dict of what is on screen) and writes it into widget
values, so tests can move a slider and read the new output without a browser. The modules are
loaded only when one of their functions is first used, so ``import nnfs_utils.widgets`` stays
cheap.
"""

from importlib import import_module

_WHERE = {
    # notebooks 01 and 02
    "neuron_explorer": "neuron",
    "layer_explorer": "neuron",
    # notebooks 03 and 05
    "training_stepper": "training",
    "boundary_explorer": "training",
    # notebooks 06 and 08
    "digit_browser": "mnist",
    "network_explorer": "mnist",
    # notebook 09
    "drawing_classifier": "canvas",
    # notebook 11
    "confidence_explorer": "confidence",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        module = import_module(f".{_WHERE[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
