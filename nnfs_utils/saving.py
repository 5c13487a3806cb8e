"""Saving an ``MLP`` to an .npz file and loading it back (``MLP.save`` and ``MLP.load``).

Only arrays and strings are stored (no pickle), so loading a file cannot run code. Loading
checks the file's marker and version, that nothing is missing and nothing unknown is there,
that the layer sizes are whole numbers, and that every weight array has the shape the layer
sizes need and the same float type; it says what to do when a check fails.
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
    sizes = _checked_sizes(arrays["layer_sizes"], path)
    _check_keys(arrays, len(sizes) - 1, path)
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
    version = arrays.get("version")
    if version is None or version.shape != () or version.dtype.kind not in "iu":
        raise ValueError(f"{path} has no file version; the file is damaged or was edited, save "
                         "the model again")  # fmt: skip
    if int(version) != FILE_VERSION:
        raise ValueError(f"{path} was saved in file version {int(version)}, this nnfs_utils "
                         f"reads version {FILE_VERSION}; save the model again with this "
                         "version (or update nnfs_utils)")  # fmt: skip
    return arrays


def _checked_sizes(stored, path):
    """The stored layer sizes as ints, refusing anything that is not whole numbers."""
    sizes = np.ravel(stored)
    if sizes.dtype.kind not in "iu":
        raise ValueError(f"{path}: layer_sizes {sizes.tolist()} are not whole numbers; the "
                         "file is damaged or was edited, save the model again")  # fmt: skip
    return [int(s) for s in sizes]


def _check_keys(arrays, n_layers, path):
    """Every array of a model with ``n_layers`` layers, nothing else, one float type."""
    expected = {"format", "version", "layer_sizes", "activation", "output", "init"}
    expected |= {f"{name}{i}" for i in range(n_layers) for name in ("W", "b")}
    unknown = sorted(set(arrays) - expected)
    if unknown:
        raise ValueError(f"{path} holds arrays a model with layer_sizes of {n_layers} layers "
                         f"does not have: {unknown}; the file is damaged or was edited, save "
                         "the model again")  # fmt: skip
    dtypes = {str(arrays[k].dtype) for k in expected if k[0] in "Wb" and k in arrays}
    if len(dtypes) > 1:
        raise ValueError(f"{path} mixes weight types {sorted(dtypes)}; a saved model has one "
                         "float type throughout, save the model again")  # fmt: skip


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
