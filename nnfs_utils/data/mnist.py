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
    dev_size: int | None = None,
    test_size: int | None = None,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
) -> Dataset:
    """Load MNIST handwritten digits as a :class:`Dataset` with train, dev and test sets.

    It unpacks to ``X_train, y_train, X_dev, y_dev``; the test set is ``data.X_test,
    data.y_test``, kept apart from every choice and looked at once, at the end.

    source:
      ``"sample"``  the 5,000 real MNIST digits shipped with the course (500 per class):
                    4,000 train / 500 dev / 500 test, stratified (50 of each digit in dev and
                    in test) and seeded.
      ``"full"``    from ``<data dir>/mnist/`` (get it with ``make data``): the 10,000 official
                    test images are the test set, and a 5,000-image dev set is carved from the
                    60,000 official training images (stratified, seeded), leaving 55,000 train.
      ``"kaggle"``  Kaggle's digit-recognizer ``<data dir>/train.csv`` (42,000 labelled rows), in
                    file order: the first 1,000 rows are the dev set, the next 1,000 the test
                    set, the other 40,000 train.
      ``"auto"``    ``"full"`` when its four files are present and verified, else ``"sample"``;
                    prints which one it used.
    normalize: True -> float32 in [0, 1]; False -> the raw uint8 grey levels 0-255.
    dev_size, test_size: the number of dev and test images; None (the default) means the
      sizes above. Full MNIST's test set is the official one, so it takes no test_size.
    seed: the seed of the stratified splits (not used by "kaggle", which keeps file order).
    Every call returns fresh arrays: changing them never affects the next call.
    """
    if not isinstance(source, str) or source not in SOURCES:
        raise ValueError(
            f"source must be one of {', '.join(map(repr, SOURCES))}, got {source!r}. "
            f"For Fashion-MNIST use load_fashion_mnist()."
        )
    check_bool("normalize", normalize)
    if dev_size is not None:
        dev_size = check_int("dev_size", dev_size)
    if test_size is not None:
        test_size = check_int("test_size", test_size)
    seed = check_int("seed", seed)
    folder = get_data_dir(data_dir)

    if source == "auto":
        problem = _full_mnist_problem(_mnist_folder(folder))
        chosen = "full" if problem is None else "sample"
        data = _load_mnist_from(chosen, normalize, dev_size, test_size, seed, folder)
        sizes = " / ".join(f"{n:,} {name}" for name, n in data.sizes.items())
        if chosen == "full":
            print(f"load_mnist: using the full MNIST set ({sizes} images).")
        else:
            names = full_mnist.MNIST_FILES
            any_present = any((_mnist_folder(folder) / n).is_file() for n in names)
            why = f" The full set was not used: {problem}." if any_present else ""
            print(
                f"load_mnist: using the 5,000-digit MNIST sample shipped with the course "
                f"({sizes}). Run `make data` for the full 70,000 images.{why}"
            )
        return data
    return _load_mnist_from(source, normalize, dev_size, test_size, seed, folder)


def _load_mnist_from(
    source: str,
    normalize: bool,
    dev_size: int | None,
    test_size: int | None,
    seed: int,
    folder: Path,
) -> Dataset:
    if source == "sample":
        return _load_sample(normalize, dev_size, test_size, seed, folder)
    if source == "full":
        if test_size is not None:
            raise ValueError(
                f"test_size={test_size} cannot be used with source='full': full MNIST's test "
                f"set is its 10,000 official test images. Leave test_size out (dev_size sets "
                f"the dev set carved from the training images)."
            )
        return _load_full(normalize, dev_size, seed, folder)
    return _load_kaggle(normalize, dev_size, test_size, folder)  # source == "kaggle"
