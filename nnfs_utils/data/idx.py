"""IDX files, the format of MNIST and Fashion-MNIST: ``read_idx`` and the image/label pair check."""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from .common import IMAGE_SHAPE, N_PIXELS, _readonly

# IDX type codes (third byte of the magic number) -> big-endian NumPy dtype.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _read_maybe_gzipped(path: Path, fix: str) -> bytes:
    """The file's bytes, decompressed when it starts with the gzip magic number."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist. {fix}")
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as err:
        raise ValueError(
            f"{path} is a damaged gzip file ({err}); it was probably cut short while "
            f"downloading. Delete it and get it again. {fix}"
        ) from err


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (the format of the MNIST files), gzipped or not, into a NumPy array.

    The header is a magic number ``0x0000TTDD`` (``TT`` the element type, ``DD`` the number of
    dimensions) followed by each dimension as a big-endian 32-bit integer; the data follow.
    We check the magic number and that the file holds exactly as many bytes as the header
    promises. Returns a writable array in native byte order, e.g. ``(60000, 28, 28)`` uint8.
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"read_idx needs a file path, got {type(path).__name__}.")
    path = Path(path)
    data = _read_maybe_gzipped(path, _IDX_FIX)
    return _parse_idx(data, path)


_IDX_FIX = "Get the file again (for MNIST: `make data`, or see data/README.md)."


def _parse_idx(data: bytes, path: Path) -> np.ndarray:
    """Parse the (uncompressed) bytes of an IDX file; ``path`` is only used in messages."""
    fix = _IDX_FIX
    if len(data) < 4:
        raise ValueError(
            f"{path} is only {len(data)} bytes long, too short for an IDX header. {fix}"
        )
    magic = struct.unpack(">I", data[:4])[0]
    zero, type_code, ndim = data[:2], data[2], data[3]
    if zero != b"\x00\x00" or type_code not in _IDX_DTYPES or ndim == 0:
        raise ValueError(
            f"{path} is not an IDX file: its magic number is 0x{magic:08X}, but IDX files "
            f"start with 0x0000TTDD (e.g. 0x00000803 for images, 0x00000801 for labels). "
            f"Check that you picked the right file. {fix}"
        )
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise ValueError(
            f"{path} ends inside its header ({len(data)} bytes, the header needs "
            f"{header_len}): the file is truncated. {fix}"
        )
    dims = struct.unpack(f">{ndim}I", data[4:header_len])
    dtype = _IDX_DTYPES[type_code]
    count = math.prod(dims)
    expected = count * dtype.itemsize
    actual = len(data) - header_len
    if actual < expected:
        raise ValueError(
            f"{path}: the header promises {' x '.join(map(str, dims))} values "
            f"({expected:,} bytes) but the file holds only {actual:,} bytes: it is truncated. "
            f"{fix}"
        )
    if actual > expected:
        raise ValueError(
            f"{path} has {actual - expected:,} bytes more than its header "
            f"({' x '.join(map(str, dims))} values) describes, so it is not a valid IDX file. "
            f"{fix}"
        )
    array = np.frombuffer(data, dtype=dtype, count=count, offset=header_len).reshape(dims)
    return array.astype(dtype.newbyteorder("="))  # a writable copy in native byte order


def _load_idx_pair(images_path: Path, labels_path: Path, what: str) -> tuple[np.ndarray, ...]:
    """Read matching image and label IDX files -> (X uint8 (n, 784), y int64 (n,))."""
    return _check_idx_pair(
        read_idx(images_path), read_idx(labels_path), images_path, labels_path, what
    )


def _check_idx_pair(
    images: np.ndarray, labels: np.ndarray, images_path: Path, labels_path: Path, what: str
) -> tuple[np.ndarray, ...]:
    """Check that images and labels belong together -> (X uint8 (n, 784), y int64 (n,))."""
    if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE or images.dtype != np.uint8:
        raise ValueError(
            f"{images_path} should hold uint8 images of 28 x 28 pixels, but holds "
            f"{images.dtype} values of shape {images.shape}. Check that it is the {what} "
            f"images file, not the labels file."
        )
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise ValueError(
            f"{labels_path} should hold one uint8 label per image, but holds {labels.dtype} "
            f"values of shape {labels.shape}. Check that it is the {what} labels file."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"{images_path.name} has {len(images):,} images but {labels_path.name} has "
            f"{len(labels):,} labels; they must belong together. Replace both files with "
            f"matching ones from the same source."
        )
    if labels.size and labels.max() > 9:
        first = int(np.argmax(labels > 9))
        raise ValueError(
            f"{labels_path} contains the label {int(labels.max())}; labels must be 0-9. The "
            f"first one out of range is label number {first + 1:,} (index {first:,}), "
            f"{int(labels[first])}. Check that it is the {what} labels file, or get it again."
        )
    return _readonly(images.reshape(len(images), N_PIXELS), labels.astype(np.int64))
