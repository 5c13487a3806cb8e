"""nnfs_utils: the helper package of the Neural Networks from Scratch course."""

__version__ = "0.1.0"
