"""The full MNIST set in ``<data dir>/mnist/``: four gzipped IDX files checked by MD5."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .common import (
    DIGIT_CLASS_NAMES,
    Dataset,
    _cached,
    _check_split_sizes,
    _file_hash,
    _finish,
    _show,
    _stratified_split,
    get_data_dir,
)
from .idx import _load_idx_pair

MNIST_SUBDIR = "mnist"
# The four gzipped IDX files of MNIST and their widely published MD5 checksums.
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
FULL_DEV_SIZE = 5000
"""The dev set carved (stratified, seeded) from the 60,000 official training images."""
# Tried in this order; the files' original site comes last because it is often unreachable.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)


def _mnist_folder(data_dir: Path) -> Path:
    return data_dir / MNIST_SUBDIR


def _by_hand_instructions(folder: Path) -> str:
    lines = "\n".join(f"  {name}  (MD5 {md5})" for name, md5 in MNIST_FILES.items())
    return (
        f"Put these four files, still gzipped, into {folder}/ (from any MNIST mirror, e.g. "
        f"{MNIST_MIRRORS[0]}):\n{lines}\n"
        f"Then check them with `python -m nnfs_utils.data info`."
    )


def _full_mnist_problem(folder: Path) -> str | None:
    """None when all four MNIST files are present with the right MD5, else what is wrong."""
    missing = [name for name in MNIST_FILES if not (folder / name).is_file()]
    if missing:
        return f"missing in {_show(folder)}/: {', '.join(missing)}"
    for name, md5 in MNIST_FILES.items():
        path = folder / name
        actual = _cached("md5", path, lambda p=path: _file_hash(p, "md5"))
        if actual != md5:
            return f"{_show(path)} has MD5 {actual}, expected {md5} (damaged or a different file)"
    return None


def full_mnist_available(data_dir: str | os.PathLike | None = None) -> bool:
    """True when the four full-MNIST files are in ``<data dir>/mnist/`` with the right MD5s."""
    return _full_mnist_problem(_mnist_folder(get_data_dir(data_dir))) is None


def _read_full(data_dir: Path) -> tuple[np.ndarray, ...]:
    folder = _mnist_folder(data_dir)
    problem = _full_mnist_problem(folder)
    if problem is not None:
        missing = any(not (folder / n).is_file() for n in MNIST_FILES)
        message = (
            f"The full MNIST set is not ready: {problem}.\n"
            f"Fix: run `make data` (or nnfs_utils.data.download_mnist()), which downloads and "
            f"verifies the files. {_by_hand_instructions(folder)}"
        )
        raise (FileNotFoundError if missing else ValueError)(message)

    def parse():
        X_train, y_train = _load_idx_pair(
            folder / "train-images-idx3-ubyte.gz", folder / "train-labels-idx1-ubyte.gz", "train"
        )
        X_test, y_test = _load_idx_pair(
            folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz", "test"
        )
        return X_train, y_train, X_test, y_test

    return _cached("full", [folder / name for name in MNIST_FILES], parse)


def _load_full(normalize: bool, dev_size: int | None, seed: int, folder: Path) -> Dataset:
    """load_mnist("full"): a dev set carved from the training images, the official test set."""
    X_official, y_official, X_test, y_test = _read_full(folder)
    dev_size = FULL_DEV_SIZE if dev_size is None else dev_size
    _check_split_sizes(
        len(y_official),
        dev_size,
        None,
        "train-images-idx3-ubyte.gz",
        f"Use a smaller dev_size, e.g. the default {FULL_DEV_SIZE}.",
    )
    train, dev = _stratified_split(y_official, dev_size, seed)
    return _finish(
        (X_official[train], y_official[train], X_official[dev], y_official[dev], X_test, y_test),
        normalize,
        "full",
        f"The full MNIST set: {len(train):,} train and {len(dev):,} dev images from the "
        f"{len(y_official):,} official training images (stratified split, seed {seed}), and "
        f"the {len(y_test):,} official test images as the test set.",
        DIGIT_CLASS_NAMES,
    )
