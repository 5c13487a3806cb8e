"""Fashion-MNIST (Zalando Research), from ``<data dir>/fashion/`` or Debian's package."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from ..checks import check_bool, check_int
from .common import Dataset, _cached, _check_split_sizes, _finish, _stratified_split, get_data_dir
from .idx import _IDX_FIX, _check_idx_pair, _parse_idx, _read_maybe_gzipped

FASHION_CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
FASHION_SUBDIR = "fashion"
FASHION_DEV_SIZE = 5000
"""The dev set carved (stratified, seeded) from the 60,000 official training images."""
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
# SHA-256 of the *uncompressed* IDX content of Fashion-MNIST, computed from Debian's
# dataset-fashion-mnist 0.0~git20200523.55506a9-1. Checking the content rather than the .gz
# bytes accepts Zalando's original .gz files, Debian's re-compressed ones and unzipped copies.
FASHION_CONTENT_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}


def _fashion_file(folder: Path, stem: str) -> Path | None:
    for name in (stem + ".gz", stem):
        if (folder / name).is_file():
            return folder / name
    return None


def _fashion_folders(data_dir: Path) -> list[Path]:
    return [data_dir / FASHION_SUBDIR, DEBIAN_FASHION_DIR]


def _find_fashion(data_dir: Path) -> dict[str, Path] | None:
    """The four Fashion-MNIST files from the first folder that has all of them, or None."""
    for folder in _fashion_folders(data_dir):
        files = {stem: _fashion_file(folder, stem) for stem in FASHION_CONTENT_SHA256}
        if all(files.values()):
            return files
    return None


def fashion_mnist_available(data_dir: str | os.PathLike | None = None) -> bool:
    """True when all four Fashion-MNIST files are in ``<data dir>/fashion/`` or Debian's folder.

    Only checks that the files exist; load_fashion_mnist() verifies their content.
    """
    return _find_fashion(get_data_dir(data_dir)) is not None


def _read_fashion(files: dict[str, Path]) -> tuple[np.ndarray, ...]:
    def checked(stem: str) -> np.ndarray:
        path = files[stem]
        content = _read_maybe_gzipped(path, _IDX_FIX)
        digest = hashlib.sha256(content).hexdigest()
        if digest != FASHION_CONTENT_SHA256[stem]:
            raise ValueError(
                f"{path} is not the Fashion-MNIST file it should be: the SHA-256 of its "
                f"content is {digest}, expected {FASHION_CONTENT_SHA256[stem]}. Replace it with "
                f"the original from Zalando Research's Fashion-MNIST (see data/README.md)."
            )
        return _parse_idx(content, path)

    def parse():
        arrays = {stem: checked(stem) for stem in files}
        pairs = []
        for split, what in (("train", "train"), ("t10k", "test")):
            images, labels = f"{split}-images-idx3-ubyte", f"{split}-labels-idx1-ubyte"
            pairs += _check_idx_pair(
                arrays[images], arrays[labels], files[images], files[labels], what
            )
        return tuple(pairs)

    return _cached("fashion", list(files.values()), parse)


def load_fashion_mnist(
    normalize: bool = True,
    dev_size: int | None = None,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
) -> Dataset:
    """Load Fashion-MNIST (Zalando Research): 55,000 train / 5,000 dev / 10,000 test images.

    The 10,000 official test images are the test set; the dev set (``dev_size``, default 5,000)
    is carved from the 60,000 official training images, stratified and seeded by ``seed``.
    Same format as MNIST (28 x 28 grey images, 10 classes; see ``class_names``). The files are
    looked up in ``<data dir>/fashion/`` first, then in the folder of Debian's
    ``dataset-fashion-mnist`` package; each file's content is checked against its SHA-256.
    """
    check_bool("normalize", normalize)
    dev_size = FASHION_DEV_SIZE if dev_size is None else check_int("dev_size", dev_size)
    seed = check_int("seed", seed)
    folder = get_data_dir(data_dir)
    files = _find_fashion(folder)
    if files is None:
        names = ", ".join(stem + ".gz" for stem in FASHION_CONTENT_SHA256)
        raise FileNotFoundError(
            f"Fashion-MNIST is not available: none of "
            f"{' or '.join(str(f) for f in _fashion_folders(folder))} holds all four files "
            f"({names}). Fix: on Debian/Ubuntu run `sudo apt-get install dataset-fashion-mnist`, "
            f"or download the four files from Zalando Research's Fashion-MNIST page and put "
            f"them in {folder / FASHION_SUBDIR}/."
        )
    X_official, y_official, X_test, y_test = _read_fashion(files)
    _check_split_sizes(
        len(y_official),
        dev_size,
        None,
        str(files["train-images-idx3-ubyte"]),
        f"Use a smaller dev_size, e.g. the default {FASHION_DEV_SIZE}.",
    )
    train, dev = _stratified_split(y_official, dev_size, seed)
    return _finish(
        (X_official[train], y_official[train], X_official[dev], y_official[dev], X_test, y_test),
        normalize,
        "fashion",
        f"Fashion-MNIST by Zalando Research: {len(train):,} train and {len(dev):,} dev images "
        f"from the {len(y_official):,} official training images (stratified split, seed "
        f"{seed}), and the {len(y_test):,} official test images as the test set.",
        FASHION_CLASS_NAMES,
    )
