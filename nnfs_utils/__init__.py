"""nnfs_utils: the helper package of the Neural Networks from Scratch course.

The notebooks derive each piece by hand first; this package then holds the clean, vectorised
version that later notebooks call. Import the parts you need::

    from nnfs_utils import MLP, count_params
    from nnfs_utils.data import load_mnist
    from nnfs_utils import widgets
"""

__version__ = "0.1.0"

from .checks import check_count_params_sizes  # noqa: E402
from .model import MLP as MLP  # noqa: E402  (re-exported; the kernels import only NumPy)


def count_params(layer_sizes):
    """Number of weights and biases in a fully connected network.

    ``layer_sizes`` lists the width of every layer, inputs first: ``[784, 16, 16, 10]``.
    Each pair of neighbouring layers contributes ``n_in * n_out`` weights and ``n_out`` biases.

    >>> count_params([784, 16, 16, 10])
    13002
    """
    sizes = check_count_params_sizes(layer_sizes)
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
