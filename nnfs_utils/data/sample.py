"""The 5,000 real MNIST digits shipped with the course in ``data/mnist_sample.csv.gz``."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import numpy as np

from . import common
from .common import (
    CSV_COLUMNS,
    DIGIT_CLASS_NAMES,
    Dataset,
    _cached,
    _check_split_sizes,
    _finish,
    _readonly,
    _three_way_split,
)

SAMPLE_FILE = "mnist_sample.csv.gz"
SAMPLE_SHA256 = "77b8c37bf4e85d2a0f8eeaae52c1d81f6d0954c3d600af2c32ed73821151b9c1"
"""SHA-256 of data/mnist_sample.csv.gz (also in data/SHA256SUMS and data/README.md)."""
SAMPLE_SIZE = 5000
SAMPLE_DEV_SIZE = 500
SAMPLE_TEST_SIZE = 500
"""The sample's default split: 4,000 train / 500 dev / 500 test (50 of each digit in dev and test)."""


def _sample_path(data_dir: Path) -> Path:
    """The sample in the data folder if someone put one there, else the repository's copy."""
    candidate = data_dir / SAMPLE_FILE
    return candidate if candidate.is_file() else common.REPO_DATA_DIR / SAMPLE_FILE


def _read_sample(data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    path = _sample_path(data_dir)
    fix = (
        "It ships with the course: restore it with `git checkout -- data/mnist_sample.csv.gz` "
        "(or rebuild it with `make data-sample`)."
    )
    if not path.is_file():
        raise FileNotFoundError(
            f"The MNIST sample {path} is missing. {fix} If you installed nnfs_utils without "
            f"the repository, set NNFS_DATA_DIR to a folder that holds {SAMPLE_FILE}."
        )

    def parse():
        packed = path.read_bytes()
        digest = hashlib.sha256(packed).hexdigest()
        if digest != SAMPLE_SHA256:
            raise ValueError(
                f"{path} has SHA-256 {digest}, not the shipped file's {SAMPLE_SHA256}: it was "
                f"changed or damaged. {fix}"
            )
        # The checksum proves this is the known, well-formed file, so NumPy's fast C parser
        # reads it (faster than pandas here, and without importing pandas); other CSVs
        # go through the checks of kaggle._read_digits_csv.
        header, _, body = gzip.decompress(packed).partition(b"\n")
        table = np.loadtxt(io.BytesIO(body), delimiter=",", dtype=np.int16, ndmin=2)
        assert header.decode("ascii").split(",") == list(CSV_COLUMNS)
        assert table.shape == (SAMPLE_SIZE, len(CSV_COLUMNS))
        assert table.min() >= 0 and table[:, 1:].max() <= 255 and table[:, 0].max() <= 9
        return _readonly(table[:, 1:].astype(np.uint8), table[:, 0].astype(np.int64))

    return _cached("sample", path, parse)


def _load_sample(
    normalize: bool, dev_size: int | None, test_size: int | None, seed: int, folder: Path
) -> Dataset:
    """load_mnist("sample"): the shipped digits, split stratified and seeded."""
    X, y = _read_sample(folder)
    dev_size = SAMPLE_DEV_SIZE if dev_size is None else dev_size
    test_size = SAMPLE_TEST_SIZE if test_size is None else test_size
    _check_split_sizes(
        len(y),
        dev_size,
        test_size,
        "the sample",
        f"Use a smaller dev_size and test_size, e.g. the defaults {SAMPLE_DEV_SIZE} and "
        f"{SAMPLE_TEST_SIZE}.",
    )
    train, dev, test = _three_way_split(y, dev_size, test_size, seed)
    return _finish(
        (X[train], y[train], X[dev], y[dev], X[test], y[test]),
        normalize,
        "sample",
        f"{len(train):,} train, {len(dev):,} dev and {len(test):,} test images from the 5,000 "
        f"real MNIST digits shipped with the course (stratified split, seed {seed}).",
        DIGIT_CLASS_NAMES,
    )
