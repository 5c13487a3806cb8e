"""Saving an ``MLP`` to an .npz file and loading it back (``MLP.save`` and ``MLP.load``).

Only arrays and strings are stored (no pickle), so loading a file cannot run code. Loading
checks the file's marker, that nothing is missing and that every array has the shape the
stored layer sizes need, and says what to do when a check fails.
"""

import zipfile
from pathlib import Path

import numpy as np

__all__ = ["load", "save"]

FILE_FORMAT = "nnfs_utils.MLP"
FILE_VERSION = 1


def save(model, path):
    """Write ``model``'s architecture and weights to ``path`` (.npz added); returns the path."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    arrays = {
        "format": np.array(FILE_FORMAT),
        "version": np.array(FILE_VERSION),
        "layer_sizes": np.array(model.layer_sizes, dtype=np.int64),
        "activation": np.array(model.activation),
        "output": np.array(model.output),
        "init": np.array(model.init),
    }
    for i, layer in enumerate(model.layers):
        arrays[f"W{i}"], arrays[f"b{i}"] = layer.W, layer.b
    np.savez(path, **arrays)
    return path


def load(cls, path, seed=0):
    """A ``cls`` (MLP) rebuilt from a file written by ``save``; ``seed`` seeds its generator."""
    path = Path(path)
    arrays = _read(path)
    sizes = [int(s) for s in np.ravel(arrays["layer_sizes"])]
    model = cls(
        sizes,
        activation=str(arrays["activation"]),
        output=str(arrays["output"]),
        init=str(arrays["init"]),
        seed=seed,
        dtype=arrays["W0"].dtype if arrays["W0"].dtype.kind == "f" else np.float32,
    )
    for i, layer in enumerate(model.layers):
        for key, target in ((f"W{i}", layer.W), (f"b{i}", layer.b)):
            target[...] = _checked_array(arrays, key, target.shape, path, sizes)
    return model


def _read(path):
    """Every array of the .npz file at ``path``, after checking it is a saved model."""
    fix = "pass the .npz file that model.save(path) wrote"
    try:
        # our own file handle, so it is closed even when NumPy fails half-way
        with open(path, "rb") as fh:
            data = np.load(fh, allow_pickle=False)
            arrays = None  # stays None for a single .npy array
            if hasattr(data, "files"):
                with data:
                    arrays = {key: data[key] for key in data.files}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:  # pickles, damage
        raise ValueError(f"{path} is not a model saved by MLP.save ({err}); {fix}") from None
    if arrays is None:
        raise ValueError(f"{path} holds a single array, not a model saved by MLP.save; {fix}")
    if "format" not in arrays or str(arrays["format"]) != FILE_FORMAT:
        raise ValueError(f"{path} is an .npz file but not a model saved by MLP.save; {fix}")
    missing = [k for k in ("layer_sizes", "activation", "output", "init", "W0")
               if k not in arrays]  # fmt: skip
    if missing:
        raise ValueError(f"{path} is missing {missing}; the file is incomplete, save the "
                         "model again")  # fmt: skip
    return arrays


def _checked_array(arrays, key, shape, path, sizes):
    """arrays[key], if present, of ``shape``, float and finite."""
    if key not in arrays:
        raise ValueError(f"{path} is missing {key}; the file is incomplete, save the model again")
    arr = arrays[key]
    if arr.shape != shape:
        raise ValueError(
            f"{path}: {key} has shape {arr.shape} but layer_sizes {sizes} "
            f"need {shape}; the file is damaged or was edited, save the model again"
        )
    if arr.dtype.kind != "f" or not np.isfinite(arr).all():
        raise ValueError(
            f"{path}: {key} holds non-finite or non-float values; save the model again"
        )
    return arr
