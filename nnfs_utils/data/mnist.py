"""load_mnist(): the digits from the source asked for, or the best one this machine has."""

from __future__ import annotations

import os
from pathlib import Path

from ..checks import check_bool, check_int
from . import full_mnist
from .common import Dataset, get_data_dir
from .full_mnist import _full_mnist_problem, _load_full, _mnist_folder
from .kaggle import _load_kaggle
from .sample import _load_sample

SOURCES = ("auto", "sample", "full", "kaggle")


def load_mnist(
    source: str = "auto",
    normalize: bool = True,
    dev_size: int = 1000,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
) -> Dataset:
    """Load MNIST handwritten digits as a :class:`Dataset` (unpacks to X_train, y_train, X_dev, y_dev).

    source:
      ``"sample"``  the 5,000 real MNIST digits shipped with the course (500 per class), split
                    stratified and seeded into ``5000 - dev_size`` train / ``dev_size`` dev.
      ``"full"``    60,000 train images and the 10,000 official test images as the dev set,
                    from ``<data dir>/mnist/`` (get them with ``make data``); ``dev_size`` and
                    ``seed`` are not used because MNIST has a fixed split.
      ``"kaggle"``  Kaggle's digit-recognizer ``<data dir>/train.csv``: the first ``dev_size``
                    rows are the dev set, the rest train (file order, no shuffling).
      ``"auto"``    ``"full"`` when its four files are present and verified, else ``"sample"``;
                    prints which one it used.
    normalize: True -> float32 in [0, 1]; False -> the raw uint8 grey levels 0-255.
    Every call returns fresh arrays: changing them never affects the next call.
    """
    if not isinstance(source, str) or source not in SOURCES:
        raise ValueError(
            f"source must be one of {', '.join(map(repr, SOURCES))}, got {source!r}. "
            f"For Fashion-MNIST use load_fashion_mnist()."
        )
    check_bool("normalize", normalize)
    dev_size = check_int("dev_size", dev_size)
    seed = check_int("seed", seed)
    folder = get_data_dir(data_dir)

    if source == "auto":
        problem = _full_mnist_problem(_mnist_folder(folder))
        chosen = "full" if problem is None else "sample"
        data = _load_mnist_from(chosen, normalize, dev_size, seed, folder)
        n_train, n_dev = len(data.y_train), len(data.y_dev)
        if chosen == "full":
            print(
                f"load_mnist: using the full MNIST set ({n_train:,} train / {n_dev:,} test images)."
            )
        else:
            names = full_mnist.MNIST_FILES
            any_present = any((_mnist_folder(folder) / n).is_file() for n in names)
            why = f" The full set was not used: {problem}." if any_present else ""
            print(
                f"load_mnist: using the 5,000-digit MNIST sample shipped with the course "
                f"({n_train:,} train / {n_dev:,} dev). Run `make data` for the full 70,000 "
                f"images.{why}"
            )
        return data
    return _load_mnist_from(source, normalize, dev_size, seed, folder)


def _load_mnist_from(
    source: str, normalize: bool, dev_size: int, seed: int, folder: Path
) -> Dataset:
    if source == "sample":
        return _load_sample(normalize, dev_size, seed, folder)
    if source == "full":
        return _load_full(normalize, folder)
    return _load_kaggle(normalize, dev_size, folder)  # source == "kaggle"
