"""Kaggle's digit-recognizer ``train.csv``, read strictly so a damaged file is never misread."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from pathlib import Path

import numpy as np

from .common import (
    CSV_COLUMNS,
    DIGIT_CLASS_NAMES,
    N_PIXELS,
    Dataset,
    _cached,
    _check_split_sizes,
    _finish,
    _readonly,
)

KAGGLE_FILE = "train.csv"
KAGGLE_DEV_SIZE = 1000
KAGGLE_TEST_SIZE = 1000
"""train.csv's 42,000 rows in file order: 1,000 dev, then 1,000 test, then 40,000 train."""


# A value as Kaggle writes it, or as a program may (3.0, +5, 1e2, spaces); anything else is not
# a number. "Missing" are the words pandas and spreadsheets write for an empty cell.
_CSV_NUMBER = re.compile(
    rb"[ \t]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*"
    rb"|[ \t]*[+-]?(?:inf|infinity|nan)[ \t]*",
    re.IGNORECASE,
)
_CSV_MISSING = {b"", b"nan", b"-nan", b"na", b"n/a", b"nat", b"null", b"none", b"<na>", b"#n/a"}
_CSV_PLAIN_ROW = re.compile(rb"[0-9.,+\-]*")
_CSV_FORMAT = "the label (0-9), then the 784 pixels (0-255)"


def _load_kaggle(
    normalize: bool, dev_size: int | None, test_size: int | None, folder: Path
) -> Dataset:
    """load_mnist("kaggle"): in file order, the first rows dev, the next test, the rest train.

    Kaggle's file is already in random order, so no shuffling is needed (as in the original
    notebook, whose dev set is the first 1,000 rows).
    """
    path = folder / KAGGLE_FILE
    fix = (
        f"Download train.csv from Kaggle's 'Digit Recognizer' competition and save it as "
        f"{path} (or set NNFS_DATA_DIR to the folder that holds it)."
    )
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist. {fix}")
    X, y = _cached("kaggle", path, lambda: _read_digits_csv(path, fix))
    dev_size = KAGGLE_DEV_SIZE if dev_size is None else dev_size
    test_size = KAGGLE_TEST_SIZE if test_size is None else test_size
    _check_split_sizes(
        len(y),
        dev_size,
        test_size,
        str(path),
        "Use a smaller dev_size and test_size (the defaults 1000 and 1000 suit Kaggle's "
        "42,000 rows).",
    )
    dev, test = slice(0, dev_size), slice(dev_size, dev_size + test_size)
    train = slice(dev_size + test_size, None)
    n_train = len(y) - dev_size - test_size
    return _finish(
        (X[train], y[train], X[dev], y[dev], X[test], y[test]),
        normalize,
        "kaggle",
        f"Kaggle's digit-recognizer train.csv in file order: the first {dev_size:,} rows as "
        f"the dev set, the next {test_size:,} as the test set, the other {n_train:,} as train.",
        DIGIT_CLASS_NAMES,
    )


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
        numbers = [int(f) for f in firsts] if all(f.isdigit() for f in firsts) else []
        if numbers in (list(range(len(rows))), list(range(1, len(rows) + 1))):
            what = "counts the rows"
        elif numbers and max(numbers) > 9 and len(set(numbers)) == len(numbers):
            what = "is a distinct whole number, and some are above 9 so they are not labels"
        else:
            what = None
        if what is not None:
            shown = ", ".join(f.decode() for f in firsts[:3]) + (", ..." if len(rows) > 3 else "")
            raise ValueError(
                f"{where}: every row has 786 values but the header names 785 columns, and the "
                f"first value of each row {what} ({shown}): this looks like an index column "
                f"without a name, as pandas writes with to_csv() unless index=False. Read as it "
                f"is, every label would be wrong. Fix: save the table again with "
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
                io.BytesIO(raw),
                delimiter=",",
                skiprows=1,  # the header
                max_rows=len(rows),  # not the blank lines at the end
                dtype=dtype,
                comments=None,
                ndmin=2,
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
