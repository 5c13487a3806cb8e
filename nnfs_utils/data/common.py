"""What every source shares: the data folder, the Dataset, the splits and the parse cache."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The repository's own data/ folder (holds the shipped sample)."""
N_PIXELS = 784
IMAGE_SHAPE = (28, 28)
CSV_COLUMNS = ("label",) + tuple(f"pixel{i}" for i in range(N_PIXELS))
DIGIT_CLASS_NAMES = tuple(str(d) for d in range(10))


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """Train, dev and test images with their labels, plus where they came from.

    Unpack it like a tuple: ``X_train, y_train, X_dev, y_dev = load_mnist()`` gives the train
    and dev sets, the two a notebook works with. The test set, ``X_test`` and ``y_test``, is kept
    apart from every choice (architecture, learning rate, epochs are chosen on dev) and is
    looked at once, at the end.
    ``X_*`` have shape ``(n, 784)`` (float32 in [0, 1], or uint8 with ``normalize=False``);
    ``y_*`` are int64 labels of shape ``(n,)``. ``class_names[k]`` names label ``k``;
    ``description`` says where each split comes from and its size.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_dev: np.ndarray
    y_dev: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    source: str
    description: str
    class_names: tuple[str, ...]

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.X_train, self.y_train, self.X_dev, self.y_dev))

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def sizes(self) -> dict[str, int]:
        """The number of images in each split: ``{"train": ..., "dev": ..., "test": ...}``."""
        return {"train": len(self.y_train), "dev": len(self.y_dev), "test": len(self.y_test)}

    def __repr__(self) -> str:
        return (
            f"Dataset(source={self.source!r}, X_train={self.X_train.shape} {self.X_train.dtype}, "
            f"X_dev={self.X_dev.shape}, X_test={self.X_test.shape}, classes={self.n_classes})"
        )


def get_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data folder: ``data_dir`` if given, else ``$NNFS_DATA_DIR``, else the repo's data/."""
    if data_dir is not None:
        if not isinstance(data_dir, str | os.PathLike):
            raise TypeError(
                f"data_dir must be a folder path (str or pathlib.Path), got "
                f"{type(data_dir).__name__}. Example: load_mnist(data_dir='data')."
            )
        return Path(data_dir).expanduser()
    env = os.environ.get("NNFS_DATA_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    return REPO_DATA_DIR


def _show(path: Path) -> str:
    """A path as the learner should read it: relative to the repository when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(REPO_DATA_DIR.parent))
    except ValueError:
        return str(path)


def _file_hash(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Parsed files, keyed by (path, size, mtime) so an edited file is read again. The arrays are
# read-only and the loaders always hand out fresh copies, so no caller can change the cache.
_CACHE: dict[tuple, object] = {}
_CACHE_LIMIT = 16


def _cache_key(kind: str, paths: Sequence[Path]) -> tuple:
    stats = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]
    return (kind, *stats)


def _cached(kind: str, paths: Path | Sequence[Path], compute):
    """compute() once per process for these files, until one of them changes."""
    key = _cache_key(kind, [paths] if isinstance(paths, Path) else paths)
    if key not in _CACHE:
        value = compute()
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = value
    return _CACHE[key]


def _readonly(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    for a in arrays:
        a.setflags(write=False)
    return arrays


def _stratified_split(y: np.ndarray, dev_size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, dev): every class keeps its share in dev (largest remainder rounding)."""
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(y, return_counts=True)
    quota = counts * dev_size / len(y)
    take = np.floor(quota).astype(np.int64)
    leftover = dev_size - int(take.sum())
    take[np.argsort(-(quota - take), kind="stable")[:leftover]] += 1
    dev_parts = [
        rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(classes, take, strict=True)
    ]
    dev = rng.permutation(np.concatenate(dev_parts))
    is_train = np.ones(len(y), dtype=bool)
    is_train[dev] = False
    train = rng.permutation(np.flatnonzero(is_train))
    return train, dev


def _three_way_split(
    y: np.ndarray, dev_size: int, test_size: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices (train, dev, test), each class keeping its share in dev and in test.

    First dev and test together are split off the training images, then that held-out part is
    split into dev and test: the training images are the same for any dev/test division of a
    hold-out of the same size.
    """
    train, held_out = _stratified_split(y, dev_size + test_size, seed)
    if test_size == 0:
        return train, held_out, held_out[:0]
    dev, test = _stratified_split(y[held_out], test_size, seed)
    return train, held_out[dev], held_out[test]


def _finish(splits, normalize, source, description, class_names) -> Dataset:
    """Copy out of the cache and scale: the caller owns the arrays it gets.

    ``splits`` is ``(X_train, y_train, X_dev, y_dev, X_test, y_test)``.
    """
    X_train, y_train, X_dev, y_dev, X_test, y_test = splits
    images = []
    for X in (X_train, X_dev, X_test):
        if normalize:
            X = X.astype(np.float32)
            X /= np.float32(255)
        else:
            X = np.array(X)
        images.append(X)
    return Dataset(
        X_train=images[0],
        y_train=np.array(y_train),
        X_dev=images[1],
        y_dev=np.array(y_dev),
        X_test=images[2],
        y_test=np.array(y_test),
        source=source,
        description=description,
        class_names=tuple(class_names),
    )


def _check_split_sizes(n: int, dev_size: int, test_size: int | None, what: str, fix: str) -> None:
    """Refuse a dev (and test) set that would leave no training images.

    ``test_size`` is None where the test set is a file of its own (full MNIST, Fashion-MNIST).
    """
    if test_size is None:
        asked, held_out = f"dev_size={dev_size} leaves", dev_size
    else:
        asked, held_out = (
            f"dev_size={dev_size} and test_size={test_size} leave",
            dev_size + test_size,
        )
    if held_out >= n:
        raise ValueError(f"{asked} no training images: {what} has {n:,}. {fix}")
