"""The course's data: MNIST digits (a shipped sample, the full set, Kaggle's CSV) and Fashion-MNIST.

Every notebook works offline: ``load_mnist()`` falls back to the 5,000 real MNIST digits shipped
in ``data/mnist_sample.csv.gz`` when the full set has not been downloaded::

    from nnfs_utils.data import load_mnist

    X_train, y_train, X_dev, y_dev = load_mnist()   # or: data = load_mnist(); data.X_train

Images come back flattened, one row per image: ``X`` has shape ``(n, 784)``, float32 in [0, 1]
(uint8 0-255 with ``normalize=False``); labels ``y`` are int64 of shape ``(n,)``.

Where the files live: the folder named by the ``NNFS_DATA_DIR`` environment variable, else the
repository's ``data/`` folder. The full MNIST set goes to ``<data dir>/mnist/`` (``make data`` or
``download_mnist()``), Kaggle's ``train.csv`` to ``<data dir>/train.csv``, Fashion-MNIST to
``<data dir>/fashion/`` (or Debian's ``dataset-fashion-mnist`` package is used when installed).

Run ``python -m nnfs_utils.data download`` to fetch the full MNIST set, ``... info`` to see
which data sets this machine has.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import logging
import math
import os
import re
import struct
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "Dataset",
    "DownloadError",
    "load_mnist",
    "load_fashion_mnist",
    "fashion_mnist_available",
    "full_mnist_available",
    "download_mnist",
    "read_idx",
    "get_data_dir",
    "DIGIT_CLASS_NAMES",
    "FASHION_CLASS_NAMES",
]

# --------------------------------------------------------------------------------------------
# Constants: files, checksums, mirrors
# --------------------------------------------------------------------------------------------

REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The repository's own data/ folder (holds the shipped sample)."""

N_PIXELS = 784
IMAGE_SHAPE = (28, 28)

SAMPLE_FILE = "mnist_sample.csv.gz"
SAMPLE_SHA256 = "77b8c37bf4e85d2a0f8eeaae52c1d81f6d0954c3d600af2c32ed73821151b9c1"
"""SHA-256 of data/mnist_sample.csv.gz (also in data/SHA256SUMS and data/README.md)."""
SAMPLE_SIZE = 5000

KAGGLE_FILE = "train.csv"
CSV_COLUMNS = ("label",) + tuple(f"pixel{i}" for i in range(N_PIXELS))

DIGIT_CLASS_NAMES = tuple(str(d) for d in range(10))
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

MNIST_SUBDIR = "mnist"
# The four gzipped IDX files of MNIST and their widely published MD5 checksums.
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
# Tried in this order; the files' original site comes last because it is often unreachable.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)
DEFAULT_TIMEOUT = 10.0

FASHION_SUBDIR = "fashion"
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

SOURCES = ("auto", "sample", "full", "kaggle")

# IDX type codes (third byte of the magic number) -> big-endian NumPy dtype.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class DownloadError(RuntimeError):
    """No mirror delivered a verified copy of a file; the message says how to get it by hand."""


# --------------------------------------------------------------------------------------------
# The Dataset returned by every loader
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """Train and dev images with their labels, plus where they came from.

    Unpack it like a tuple: ``X_train, y_train, X_dev, y_dev = load_mnist()``.
    ``X_*`` have shape ``(n, 784)`` (float32 in [0, 1], or uint8 with ``normalize=False``);
    ``y_*`` are int64 labels of shape ``(n,)``. ``class_names[k]`` names label ``k``.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_dev: np.ndarray
    y_dev: np.ndarray
    source: str
    description: str
    class_names: tuple[str, ...]

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.X_train, self.y_train, self.X_dev, self.y_dev))

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def __repr__(self) -> str:
        return (
            f"Dataset(source={self.source!r}, X_train={self.X_train.shape} {self.X_train.dtype}, "
            f"X_dev={self.X_dev.shape} {self.X_dev.dtype}, classes={self.n_classes})"
        )


# --------------------------------------------------------------------------------------------
# Paths and small helpers
# --------------------------------------------------------------------------------------------


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


def _check_bool(name: str, value) -> None:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}.")


def _check_int(name: str, value, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be a whole number, got {value!r} ({type(value).__name__}).")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}.")
    return int(value)


# --------------------------------------------------------------------------------------------
# IDX files
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# CSV files (the shipped sample and Kaggle's train.csv)
# --------------------------------------------------------------------------------------------


# A value as Kaggle writes it, or as a program may (3.0, +5, 1e2, spaces); anything else is not
# a number. "Missing" are the words pandas and spreadsheets write for an empty cell.
_CSV_NUMBER = re.compile(
    rb"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*|\s*[+-]?(?:inf|infinity|nan)\s*",
    re.IGNORECASE,
)
_CSV_MISSING = {b"", b"nan", b"-nan", b"na", b"n/a", b"nat", b"null", b"none", b"<na>", b"#n/a"}
_CSV_PLAIN_ROW = re.compile(rb"[0-9.,+\-]*")
_CSV_FORMAT = "the label (0-9), then the 784 pixels (0-255)"


def _read_digits_csv(path: Path, fix: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse a Kaggle-style CSV (header label,pixel0..pixel783) -> (X uint8, y int64).

    Strict on purpose: the header must be exactly label,pixel0,...,pixel783 and every row must
    hold exactly 785 whole numbers, so a shifted, cut or re-saved file is refused with the line
    to look at (line 1 is the header, as an editor numbers them) instead of being misread.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist. {fix}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as err:
            raise ValueError(
                f"{path} could not be read ({err}): it is damaged, probably cut short while "
                f"downloading. Get it again. {fix}"
            ) from err
    raw = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")  # a spreadsheet's UTF-8
    if not raw.strip():
        raise ValueError(f"{path} is empty. {fix}")
    lines = raw.split(b"\n")
    while not lines[-1].strip():  # blank lines at the very end are harmless
        lines.pop()
    _check_csv_header(path, lines, fix)
    if len(lines) == 1:
        raise ValueError(f"{path} has a header but no rows. {fix}")
    rows = lines[1:]
    _check_csv_row_lengths(path, rows, fix)
    values = _parse_csv_values(path, raw, rows, fix)
    labels, pixels = values[:, 0], values[:, 1:]
    bad = np.flatnonzero((labels < 0) | (labels > 9))
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"{path}, line {row + 2}: label {labels[row]:g} is outside 0-9. Check the file: "
            f"the label must be the first column. {fix}"
        )
    bad_rows, bad_cols = np.nonzero((pixels < 0) | (pixels > 255))
    if bad_rows.size:
        row, col = int(bad_rows[0]), int(bad_cols[0])
        raise ValueError(
            f"{path}, line {row + 2}, column 'pixel{col}': {pixels[row, col]:g} is outside "
            f"0-255. Pixel values must be raw grey levels 0-255 (not already scaled to [0, 1], "
            f"not negative). {fix}"
        )
    return _readonly(pixels.astype(np.uint8), labels.astype(np.int64))


def _check_csv_header(path: Path, lines: list[bytes], fix: str) -> None:
    """Line 1 must be exactly label,pixel0,...,pixel783; otherwise say what it is instead."""
    names = lines[0].decode("latin-1").split(",")
    if tuple(names) == CSV_COLUMNS:
        return
    where = f"{path}, line 1 (the header)"
    if not lines[0].strip():
        raise ValueError(
            f"{where} is empty. The first line must be the header label,pixel0,...,pixel783: "
            f"delete the empty line(s) at the top. {fix}"
        )
    if len(names) == len(CSV_COLUMNS) + 1 and tuple(names[1:]) == CSV_COLUMNS:
        first = f"a column {names[0]!r}" if names[0] else "an unnamed column"
        raise ValueError(
            f"{where} starts with {first} before 'label': an index column (row numbers, not "
            f"data), as pandas writes with to_csv() unless index=False. Read as it is, every "
            f"value would shift by one column. Fix: save the table again with "
            f"df.to_csv(path, index=False), or delete the first column of every line. {fix}"
        )
    if all(_CSV_NUMBER.fullmatch(name.encode("latin-1")) for name in names):
        raise ValueError(
            f"{where} holds numbers, not column names: the header line is missing, so the first "
            f"image would be lost. Fix: add the line label,pixel0,pixel1,...,pixel783 at the top "
            f"(the label column first). {fix}"
        )
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        sep = "';'" if ";" in names[0] else "tabs"
        raise ValueError(
            f"{where}: the values are separated by {sep}, not commas. Fix: save the file as "
            f"comma-separated values (CSV with ',' between values). {fix}"
        )
    seen: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        if name in seen:
            raise ValueError(
                f"{where} names the column {name!r} twice (columns {seen[name]} and {number}). "
                f"Each of label,pixel0,...,pixel783 must appear exactly once, in that order; "
                f"rename or delete the duplicate. {fix}"
            )
        seen[name] = number
    missing = [c for c in CSV_COLUMNS if c not in seen]
    extra = [c for c in names if c not in CSV_COLUMNS]
    if "label" in missing and not extra and len(names) == N_PIXELS:
        hint = (
            "It has no label column: this looks like Kaggle's test.csv. Use train.csv, "
            "which has the labels."
        )
    elif missing or extra:
        hint = (
            f"Missing column(s): {', '.join(missing[:5]) or 'none'}"
            f"{' ...' if len(missing) > 5 else ''}; unexpected column(s): "
            f"{', '.join(c or '(unnamed)' for c in extra[:5]) or 'none'}"
            f"{' ...' if len(extra) > 5 else ''}."
        )
        if any(name != name.strip() for name in extra):
            hint += " Column names must not have spaces around them."
        if names[-1] == "":
            hint += " The header ends with a comma: delete it (and the one ending each row)."
    else:
        hint = "The columns are in the wrong order."
    if len(names) != len(CSV_COLUMNS):
        problem = f"has {len(names)} columns, but it needs exactly 785 with the header"
    else:
        problem = "has the wrong column names: it needs exactly"
    raise ValueError(f"{where} {problem} label,pixel0,...,pixel783 (the label first). {hint} {fix}")


def _check_csv_row_lengths(path: Path, rows: list[bytes], fix: str) -> None:
    """Every row holds exactly 785 values; name the first line that does not, and why."""
    commas = np.fromiter((row.count(b",") for row in rows), dtype=np.int64, count=len(rows))
    bad = np.flatnonzero(commas != N_PIXELS)
    if not bad.size:
        return
    i = int(bad[0])
    line, n_values = i + 2, int(commas[i]) + 1
    where = f"{path}, line {line}"
    if not rows[i].strip():
        raise ValueError(
            f"{where} is empty. Every line after the header holds one image: {_CSV_FORMAT}. "
            f"Delete the empty line. {fix}"
        )
    if b'"' in rows[i]:
        raise ValueError(
            f"{where} has {n_values} values but the header names {len(CSV_COLUMNS)} columns, "
            f"and it holds quotes: write every value as a plain number, without quotes or "
            f"thousands separators. {fix}"
        )
    all_longer = bad.size == len(rows) and np.all(commas == N_PIXELS + 1)
    if all_longer and not all(row.rstrip().endswith(b",") for row in rows):
        firsts = [row.split(b",", 1)[0].strip() for row in rows]
        if all(f.isdigit() for f in firsts) and [int(f) for f in firsts] in (
            list(range(len(rows))),
            list(range(1, len(rows) + 1)),
        ):
            shown = ", ".join(f.decode() for f in firsts[:3]) + (", ..." if len(rows) > 3 else "")
            raise ValueError(
                f"{where}: every row has 786 values but the header names 785 columns, and the "
                f"first value of each row counts the rows ({shown}): this looks like an index "
                f"column without a name, as pandas writes with to_csv() unless index=False. "
                f"Read as it is, every label would be wrong. Fix: save the table again with "
                f"df.to_csv(path, index=False), or delete the first value of every row. {fix}"
            )
    if n_values > len(CSV_COLUMNS) and rows[i].rstrip().endswith(b","):
        why = " (the line ends with a comma: delete it)"
    elif n_values < len(CSV_COLUMNS) and i == len(rows) - 1:
        why = " (the last line is cut short: the file is probably incomplete; get it again)"
    else:
        why = ""
    raise ValueError(
        f"{where} has {n_values} values but the header names {len(CSV_COLUMNS)} columns"
        f"{why}. Every row must have exactly 785 values ({_CSV_FORMAT}), no more, no fewer. "
        f"{fix}"
    )


def _parse_csv_values(path: Path, raw: bytes, rows: list[bytes], fix: str) -> np.ndarray:
    """The (n, 785) table of a CSV whose header and row lengths are already checked."""
    expected = (len(rows), len(CSV_COLUMNS))
    for dtype in (np.int64, np.float64):  # whole numbers (the usual case), then anything else
        try:
            values = np.loadtxt(
                io.BytesIO(raw), delimiter=",", skiprows=1, dtype=dtype, comments=None, ndmin=2
            )
        except ValueError:
            continue
        if values.shape == expected:
            break
    else:
        _raise_first_bad_csv_cell(path, rows, fix)
        raise ValueError(f"{path} could not be parsed as a table of numbers. {fix}")
    if values.dtype.kind == "f":
        nan = np.argwhere(np.isnan(values))
        if nan.size:
            row, col = nan[0]
            text = rows[row].split(b",")[col].decode("latin-1")
            raise ValueError(
                f"{path}, line {row + 2}, column {CSV_COLUMNS[col]!r}: {text!r} marks a missing "
                f"value; every row needs all 785 values ({_CSV_FORMAT}). Fill it in or delete "
                f"the row. {fix}"
            )
        finite = np.isfinite(values)
        fraction = np.argwhere(finite & (values != np.round(values)))
        if fraction.size:
            row, col = fraction[0]
            raise ValueError(
                f"{path}, line {row + 2}, column {CSV_COLUMNS[col]!r}: {values[row, col]} is "
                f"not a whole number; labels are 0-9 and pixels 0-255. {fix}"
            )
    return values


def _raise_first_bad_csv_cell(path: Path, rows: list[bytes], fix: str) -> None:
    """Name the first value that is not a number, else the first empty or missing one."""
    suspects = [
        i
        for i, row in enumerate(rows)
        if not _CSV_PLAIN_ROW.fullmatch(row) or b",," in row or row[:1] == b"," or row[-1:] == b","
    ]
    missing = None
    for i in suspects:
        for col, cell in enumerate(rows[i].split(b",")):
            if cell.strip().lower() in _CSV_MISSING:
                missing = missing or (i, col, cell)
            elif not _CSV_NUMBER.fullmatch(cell):
                raise ValueError(
                    f"{path}, line {i + 2}, column {CSV_COLUMNS[col]!r}: "
                    f"{cell.decode('latin-1')!r} is not a number. Every value must be a whole "
                    f"number (labels 0-9, pixels 0-255). {fix}"
                )
    if missing is not None:
        i, col, cell = missing
        what = (
            "is empty" if not cell.strip() else f"holds {cell.decode('latin-1')!r}, a missing value"
        )
        raise ValueError(
            f"{path}, line {i + 2}: column {CSV_COLUMNS[col]!r} {what}; every row needs all "
            f"785 values ({_CSV_FORMAT}). Fill it in or delete the row. {fix}"
        )


# --------------------------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------------------------


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


def _finish(X_train, y_train, X_dev, y_dev, normalize, source, description, class_names) -> Dataset:
    """Copy out of the cache and scale: the caller owns the arrays it gets."""
    if normalize:
        X_train, X_dev = X_train.astype(np.float32), X_dev.astype(np.float32)
        X_train /= np.float32(255)
        X_dev /= np.float32(255)
    else:
        X_train, X_dev = np.array(X_train), np.array(X_dev)
    return Dataset(
        X_train=X_train,
        y_train=np.array(y_train),
        X_dev=X_dev,
        y_dev=np.array(y_dev),
        source=source,
        description=description,
        class_names=tuple(class_names),
    )


# --------------------------------------------------------------------------------------------
# MNIST
# --------------------------------------------------------------------------------------------


def _sample_path(data_dir: Path) -> Path:
    """The sample in the data folder if someone put one there, else the repository's copy."""
    candidate = data_dir / SAMPLE_FILE
    return candidate if candidate.is_file() else REPO_DATA_DIR / SAMPLE_FILE


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
        # go through the checks of _read_digits_csv.
        header, _, body = gzip.decompress(packed).partition(b"\n")
        table = np.loadtxt(io.BytesIO(body), delimiter=",", dtype=np.int16, ndmin=2)
        assert header.decode("ascii").split(",") == list(CSV_COLUMNS)
        assert table.shape == (SAMPLE_SIZE, len(CSV_COLUMNS))
        assert table.min() >= 0 and table[:, 1:].max() <= 255 and table[:, 0].max() <= 9
        return _readonly(table[:, 1:].astype(np.uint8), table[:, 0].astype(np.int64))

    return _cached("sample", path, parse)


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
    _check_bool("normalize", normalize)
    dev_size = _check_int("dev_size", dev_size)
    seed = _check_int("seed", seed)
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
            any_present = any((_mnist_folder(folder) / n).is_file() for n in MNIST_FILES)
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
        X, y = _read_sample(folder)
        if dev_size >= len(y):
            raise ValueError(
                f"dev_size={dev_size} leaves no training images: the sample has {len(y):,} "
                f"digits. Use a dev_size below {len(y):,}, e.g. the default 1000."
            )
        train, dev = _stratified_split(y, dev_size, seed)
        return _finish(
            X[train],
            y[train],
            X[dev],
            y[dev],
            normalize,
            "sample",
            f"{len(train):,} train and {len(dev):,} dev images from the 5,000 real MNIST digits "
            f"shipped with the course (stratified split, seed {seed}).",
            DIGIT_CLASS_NAMES,
        )

    if source == "full":
        X_train, y_train, X_test, y_test = _read_full(folder)
        return _finish(
            X_train,
            y_train,
            X_test,
            y_test,
            normalize,
            "full",
            f"The full MNIST set: {len(y_train):,} train images and the {len(y_test):,} "
            f"official test images as the dev set.",
            DIGIT_CLASS_NAMES,
        )

    # source == "kaggle"
    path = folder / KAGGLE_FILE
    fix = (
        f"Download train.csv from Kaggle's 'Digit Recognizer' competition and save it as "
        f"{path} (or set NNFS_DATA_DIR to the folder that holds it)."
    )
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist. {fix}")
    X, y = _cached("kaggle", path, lambda: _read_digits_csv(path, fix))
    if dev_size >= len(y):
        raise ValueError(
            f"dev_size={dev_size} leaves no training images: {path} has {len(y):,} rows. "
            f"Use a smaller dev_size, e.g. the default 1000."
        )
    return _finish(
        X[dev_size:],
        y[dev_size:],
        X[:dev_size],
        y[:dev_size],
        normalize,
        "kaggle",
        f"Kaggle's digit-recognizer train.csv: the first {dev_size:,} rows as the dev set, "
        f"the other {len(y) - dev_size:,} as train.",
        DIGIT_CLASS_NAMES,
    )


# --------------------------------------------------------------------------------------------
# Fashion-MNIST
# --------------------------------------------------------------------------------------------


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
    normalize: bool = True, data_dir: str | os.PathLike | None = None
) -> Dataset:
    """Load Fashion-MNIST (Zalando Research): 60,000 train / 10,000 official test images.

    Same format as MNIST (28 x 28 grey images, 10 classes; see ``class_names``). The files are
    looked up in ``<data dir>/fashion/`` first, then in the folder of Debian's
    ``dataset-fashion-mnist`` package; each file's content is checked against its SHA-256.
    """
    _check_bool("normalize", normalize)
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
    X_train, y_train, X_test, y_test = _read_fashion(files)
    return _finish(
        X_train,
        y_train,
        X_test,
        y_test,
        normalize,
        "fashion",
        f"Fashion-MNIST by Zalando Research: {len(y_train):,} train images and the "
        f"{len(y_test):,} official test images as the dev set.",
        FASHION_CLASS_NAMES,
    )


# --------------------------------------------------------------------------------------------
# Downloading the full MNIST set
# --------------------------------------------------------------------------------------------


def _check_timeout(timeout) -> float | tuple[float, float]:
    def positive(t) -> bool:
        return isinstance(t, int | float) and not isinstance(t, bool) and t > 0

    if positive(timeout):
        return float(timeout)
    if isinstance(timeout, tuple) and len(timeout) == 2 and all(map(positive, timeout)):
        return (float(timeout[0]), float(timeout[1]))
    raise ValueError(
        f"timeout must be a positive number of seconds (or a (connect, read) pair), got "
        f"{timeout!r}. Example: download_mnist(timeout=30)."
    )


def _check_mirrors(mirrors) -> list[str]:
    if isinstance(mirrors, str):
        mirrors = [mirrors]
    if not isinstance(mirrors, Sequence) or not mirrors:
        raise ValueError(
            f"mirrors must be a non-empty list of base URLs, got {mirrors!r}. Example: "
            f"download_mnist(mirrors=['https://example.org/mnist/'])."
        )
    checked = []
    for url in mirrors:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"every mirror must be an http:// or https:// base URL, got {url!r}.")
        checked.append(url if url.endswith("/") else url + "/")
    return checked


def _describe_failure(err: Exception) -> str:
    import requests

    if isinstance(err, requests.exceptions.HTTPError) and err.response is not None:
        return f"HTTP {err.response.status_code} {err.response.reason or ''}".strip()
    if isinstance(err, requests.exceptions.Timeout):
        return "timed out (no answer)"
    if isinstance(err, requests.exceptions.ConnectionError):
        return "could not connect (no network, or the host is down)"
    if isinstance(err, requests.exceptions.RequestException):
        return f"the transfer broke off ({type(err).__name__}); nothing was kept"
    if isinstance(err, ValueError) and "hash" in str(err).lower():
        return "checksum mismatch: the downloaded file was deleted"
    return f"{type(err).__name__}: {err}"


def download_mnist(
    data_dir: str | os.PathLike | None = None,
    mirrors: Sequence[str] | None = None,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    progress: bool = True,
) -> Path:
    """Download the four full-MNIST files into ``<data dir>/mnist/`` and verify their MD5s.

    Each file is tried on each mirror in order (``MNIST_MIRRORS`` by default). pooch streams it
    to a temporary file next to the target and moves it into place only when its checksum
    matches, so a broken or wrong download never sits where load_mnist() reads. A mirror that
    cannot be reached or times out is skipped for the remaining files, so with no network the
    call fails after at most one timeout per mirror. ``timeout`` is in seconds, for connecting
    and for each wait for data. Files already present and correct are not downloaded again.
    Returns the folder; raises DownloadError listing what failed and how to get it by hand.
    """
    import pooch
    import requests

    _check_bool("progress", progress)
    timeout = _check_timeout(timeout)
    mirrors = _check_mirrors(MNIST_MIRRORS if mirrors is None else mirrors)
    folder = _mnist_folder(get_data_dir(data_dir))
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(
            f"Cannot create {folder} ({err}). Set NNFS_DATA_DIR to a folder you can write to."
        ) from err

    unreachable: set[str] = set()
    failures: dict[str, list[str]] = {}
    logger = pooch.get_logger()
    old_level = logger.level
    logger.setLevel(logging.WARNING)  # we print our own one-line messages
    try:
        for name, md5 in MNIST_FILES.items():
            target = folder / name
            if target.is_file():
                if _file_hash(target, "md5") == md5:
                    print(f"{name}: already present and verified")
                    continue
                target.unlink()  # never leave an unverified file where the loader reads
            if all(base in unreachable for base in mirrors):
                failures[name] = ["not tried: no mirror could be reached for an earlier file"]
                continue
            errors = []
            for base in mirrors:
                url = base + name
                if base in unreachable:
                    errors.append(f"{url}: skipped (unreachable for an earlier file)")
                    continue
                bar = None
                if progress:
                    from tqdm.auto import tqdm

                    # total=1 until pooch sets the real size: pooch tests the bar's truth value
                    bar = tqdm(desc=name, total=1, unit="B", unit_scale=True, ncols=79)
                ok = False
                try:
                    pooch.retrieve(
                        url,
                        known_hash=f"md5:{md5}",
                        fname=name,
                        path=folder,
                        downloader=pooch.HTTPDownloader(
                            progressbar=False if bar is None else bar, timeout=timeout
                        ),
                    )
                    ok = True
                except (requests.exceptions.RequestException, ValueError, OSError) as err:
                    if isinstance(
                        err, requests.exceptions.ConnectionError | requests.exceptions.Timeout
                    ) and not isinstance(err, requests.exceptions.ChunkedEncodingError):
                        unreachable.add(base)
                    errors.append(f"{url}: {_describe_failure(err)}")
                    continue
                finally:
                    if bar is not None:
                        bar.leave = ok  # a failed attempt's bar disappears
                        bar.close()
                if target.is_file() and _file_hash(target, "md5") == md5:
                    print(f"{name}: downloaded from {base} and verified (MD5 {md5})")
                    break
                target.unlink(missing_ok=True)
                errors.append(f"{url}: the saved file did not verify and was deleted")
            else:
                failures[name] = errors
    finally:
        logger.setLevel(old_level)

    if failures:
        if created and not any(folder.iterdir()):
            folder.rmdir()  # leave no trace of a download that got nothing
        details = "\n".join(
            f"- {name}:\n" + "\n".join(f"    {e}" for e in errs) for name, errs in failures.items()
        )
        raise DownloadError(
            f"Could not download {len(failures)} of the 4 MNIST files:\n{details}\n"
            f"Check your internet connection and try again (`make data`), or get the files by "
            f"hand. {_by_hand_instructions(folder)}\n"
            f"Until then, load_mnist() uses the 5,000-digit sample shipped with the course."
        )
    return folder


# --------------------------------------------------------------------------------------------
# Command line: python -m nnfs_utils.data download | info
# --------------------------------------------------------------------------------------------


def _info(data_dir: Path) -> None:
    print(
        f"data folder: {data_dir}"
        + (" (from NNFS_DATA_DIR)" if os.environ.get("NNFS_DATA_DIR", "").strip() else "")
    )
    try:
        X, _ = _read_sample(data_dir)
        print(f"MNIST sample: ok ({len(X):,} digits, SHA-256 verified)")
    except (OSError, ValueError) as err:
        print(f"MNIST sample: NOT OK: {err}")
    problem = _full_mnist_problem(_mnist_folder(data_dir))
    print("full MNIST: " + ("ok (4 files, MD5 verified)" if problem is None else f"no ({problem})"))
    kaggle = data_dir / KAGGLE_FILE
    print(f"Kaggle train.csv: {'present' if kaggle.is_file() else 'no'} ({kaggle})")
    files = _find_fashion(data_dir)
    print(
        "Fashion-MNIST: "
        + (f"present in {files['train-images-idx3-ubyte'].parent}" if files else "no")
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nnfs_utils.data",
        description="Get and check the course's data sets.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    down = sub.add_parser("download", help="download the full MNIST set into <data dir>/mnist/")
    down.add_argument("--data-dir", default=None, help="folder (default: NNFS_DATA_DIR or data/)")
    down.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for a connection or for data (default {DEFAULT_TIMEOUT:g})",
    )
    down.add_argument("--mirror", action="append", default=None, help="base URL (repeatable)")
    down.add_argument("--no-progress", action="store_true", help="no progress bars")
    info = sub.add_parser("info", help="show which data sets are present and verified")
    info.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)

    if args.command == "info":
        _info(get_data_dir(args.data_dir))
        return 0
    try:
        folder = download_mnist(
            data_dir=args.data_dir,
            mirrors=args.mirror,
            timeout=args.timeout,
            progress=not args.no_progress,
        )
    except (DownloadError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"The full MNIST set is ready in {folder}/: load_mnist('full') or load_mnist().")
    return 0


if __name__ == "__main__":
    sys.exit(main())
