"""Damaged or re-saved data files are refused, never misread.

Each test writes one broken file into tmp_path and checks that the error names the file, the
line (1-based, the header is line 1, as an editor shows it) or the item, and the fix. The files
that are read correctly (Windows line ends, a spreadsheet's byte-order mark, 3.0 for 3) are
checked value for value.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

from nnfs_utils import data

NAMES = ["label"] + [f"pixel{i}" for i in range(784)]
HEADER = ",".join(NAMES)
KAGGLE_FIX = "Digit Recognizer"  # the end of every Kaggle message: where to get train.csv


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    monkeypatch.delenv("NNFS_DATA_DIR", raising=False)


def rows_of(n: int, seed: int = 0) -> list[list]:
    """n good rows whose labels do not count the rows (3, 7, 1, ...)."""
    rng = np.random.default_rng(seed)
    return [[(3 + 4 * i) % 10] + rng.integers(0, 256, 784).tolist() for i in range(n)]


def csv_text(rows: list[list], header: str = HEADER, end: str = "\n") -> str:
    return end.join([header] + [",".join(str(v) for v in row) for row in rows]) + end


def refused(tmp_path: Path, text: str | bytes, line: int | None) -> str:
    """Load the text as train.csv; it must be refused naming the file, the line and the fix."""
    path = tmp_path / "train.csv"
    if isinstance(text, str):
        text = text.encode("latin-1")
    path.write_bytes(text)
    with pytest.raises(ValueError) as info:
        data.load_mnist("kaggle", dev_size=1, test_size=0, data_dir=tmp_path)
    message = str(info.value)
    assert str(path) in message
    if line is not None:
        assert f"line {line}" in message
    assert KAGGLE_FIX in message
    return message


def read(tmp_path: Path, text: str | bytes):
    path = tmp_path / "train.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    d = data.load_mnist("kaggle", dev_size=1, test_size=0, data_dir=tmp_path, normalize=False)
    assert len(d.y_test) == 0
    return np.concatenate([d.y_dev, d.y_train]), np.concatenate([d.X_dev, d.X_train])


# ------------------------------------------------------------------ index columns


@pytest.mark.parametrize("start", [0, 1])
def test_rows_with_an_unnamed_index_column_are_refused(tmp_path, start):
    """The bug of issue 12: pandas took the row numbers as the index and shifted every label."""
    rows = [[start + k] + row for k, row in enumerate(rows_of(12))]
    message = refused(tmp_path, csv_text(rows), line=2)
    assert "786 values but the header names 785 columns" in message
    assert f"counts the rows ({start}, {start + 1}, {start + 2}, ...)" in message
    assert "index column" in message and "to_csv(path, index=False)" in message


def test_rows_with_a_shuffled_index_column_are_refused(tmp_path):
    """df.sample(frac=1).to_csv(path) keeps the old row numbers as an unnamed first column."""
    order = np.random.default_rng(1).permutation(40)[:12]
    rows = [[int(k)] + row for k, row in zip(order, rows_of(12), strict=True)]
    message = refused(tmp_path, csv_text(rows), line=2)
    assert "some are above 9 so they are not labels" in message
    assert f"({order[0]}, {order[1]}, {order[2]}, ...)" in message
    assert "to_csv(path, index=False)" in message


@pytest.mark.parametrize("first", ["", "Unnamed: 0", "id"])
def test_header_with_an_index_column_is_refused(tmp_path, first):
    rows = [[k] + row for k, row in enumerate(rows_of(3))]
    message = refused(tmp_path, csv_text(rows, header=f"{first},{HEADER}"), line=1)
    assert "before 'label': an index column" in message
    assert "index=False" in message and "delete the first column" in message
    assert ("an unnamed column" if not first else repr(first)) in message


def test_rows_with_one_extra_value_that_is_not_an_index_are_refused(tmp_path):
    rows = [row + [0] for row in rows_of(12)]
    message = refused(tmp_path, csv_text(rows), line=2)
    assert "line 2 has 786 values but the header names 785 columns" in message
    assert "exactly 785 values" in message


# ------------------------------------------------------------------ row lengths


def test_row_with_one_value_too_few_in_the_middle(tmp_path):
    rows = rows_of(6)
    rows[3] = rows[3][:-1]
    message = refused(tmp_path, csv_text(rows), line=5)
    assert "line 5 has 784 values" in message and "no more, no fewer" in message
    assert "cut short" not in message


def test_last_row_cut_short_says_the_file_is_incomplete(tmp_path):
    text = csv_text(rows_of(6))
    message = refused(tmp_path, text[: len(text) - 200], line=7)
    assert "cut short" in message and "get it again" in message


def test_rows_ending_with_a_comma(tmp_path):
    text = csv_text(rows_of(4)).replace("\n", ",\n")
    message = refused(tmp_path, text.replace(HEADER + ",", HEADER, 1), line=2)
    assert "ends with a comma: delete it" in message


def test_header_and_rows_ending_with_a_comma(tmp_path):
    message = refused(tmp_path, csv_text(rows_of(4)).replace("\n", ",\n"), line=1)
    assert "unexpected column(s): (unnamed)" in message
    assert "The header ends with a comma" in message


@pytest.mark.parametrize("where", ["middle", "top"])
def test_empty_lines_are_refused(tmp_path, where):
    if where == "middle":
        lines = csv_text(rows_of(5)).split("\n")
        lines.insert(3, "")
        message = refused(tmp_path, "\n".join(lines), line=4)
        assert "line 4 is empty" in message and "Delete the empty line" in message
    else:
        message = refused(tmp_path, "\n" + csv_text(rows_of(5)), line=1)
        assert "delete the empty line(s) at the top" in message


def test_quoted_values_with_commas(tmp_path):
    rows = rows_of(3)
    rows[1][5] = '"1,0"'
    message = refused(tmp_path, csv_text(rows), line=3)
    assert "without quotes or thousands separators" in message


# ------------------------------------------------------------------ the header


def test_duplicate_column(tmp_path):
    header = HEADER.replace("pixel5,", "pixel4,")
    message = refused(tmp_path, csv_text(rows_of(3), header=header), line=1)
    assert "names the column 'pixel4' twice (columns 6 and 7)" in message
    assert "rename or delete the duplicate" in message


def test_misnamed_column(tmp_path):
    header = HEADER.replace("label", "Label")
    message = refused(tmp_path, csv_text(rows_of(3), header=header), line=1)
    assert "wrong column names" in message
    assert "Missing column(s): label; unexpected column(s): Label." in message


def test_column_name_with_spaces(tmp_path):
    header = HEADER.replace(",pixel3,", ", pixel3,")
    message = refused(tmp_path, csv_text(rows_of(3), header=header), line=1)
    assert "must not have spaces around them" in message


def test_missing_header(tmp_path):
    rows = rows_of(4)
    message = refused(tmp_path, csv_text(rows[1:], header=",".join(map(str, rows[0]))), line=1)
    assert "header line is missing" in message and "add the line label,pixel0" in message


@pytest.mark.parametrize(("sep", "shown"), [(";", "';'"), ("\t", "tabs")])
def test_other_separators(tmp_path, sep, shown):
    text = csv_text(rows_of(3)).replace(",", sep)
    message = refused(tmp_path, text, line=1)
    assert f"separated by {shown}, not commas" in message


# ------------------------------------------------------------------ values


@pytest.mark.parametrize("word", ["NaN", "nan", "NA", "null"])
def test_missing_value_words(tmp_path, word):
    rows = rows_of(4)
    rows[2][300] = word
    message = refused(tmp_path, csv_text(rows), line=4)
    assert "'pixel299'" in message and "missing value" in message and repr(word) in message
    assert "Fill it in or delete the row" in message


def test_empty_value_says_how_to_fix_it(tmp_path):
    rows = rows_of(4)
    rows[1][0] = ""
    message = refused(tmp_path, csv_text(rows), line=3)
    assert "column 'label' is empty" in message and "Fill it in or delete the row" in message


@pytest.mark.parametrize("value", ['"7"', "0x10", "12a", "\x00", "5\r5"])
def test_values_that_are_not_numbers(tmp_path, value):
    rows = rows_of(4)
    rows[3][1] = value
    message = refused(tmp_path, csv_text(rows), line=5)
    assert f"column 'pixel0': {value!r} is not a number" in message
    assert "must be a whole number" in message


def test_non_ascii_value(tmp_path):
    rows = rows_of(3)
    rows[0][10] = "é"
    message = refused(tmp_path, csv_text(rows), line=2)
    assert "column 'pixel9': 'é' is not a number" in message


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [(0, "3.5", "3.5 is not a whole number"), (100, "12.25", "12.25 is not a whole number")],
)
def test_values_that_are_not_whole_numbers(tmp_path, column, value, shown):
    rows = rows_of(4)
    rows[1][column] = value
    message = refused(tmp_path, csv_text(rows), line=3)
    assert f"column {NAMES[column]!r}: {shown}" in message


@pytest.mark.parametrize(
    ("value", "shown"), [("inf", "inf"), (str(10**30), "1e+30"), ("300", "300"), ("-1", "-1")]
)
def test_pixels_outside_0_255(tmp_path, value, shown):
    rows = rows_of(4)
    rows[2][784] = value
    message = refused(tmp_path, csv_text(rows), line=4)
    assert f"column 'pixel783': {shown} is outside 0-255" in message
    assert "raw grey levels 0-255" in message


@pytest.mark.parametrize("label", ["10", "-1", "255"])
def test_labels_outside_0_9(tmp_path, label):
    rows = rows_of(14)
    rows[12][0] = label
    message = refused(tmp_path, csv_text(rows), line=14)
    assert f"label {label} is outside 0-9" in message
    assert "the label must be the first column" in message


@pytest.mark.parametrize("text", ["", "\n\n", "   \n"])
def test_empty_files(tmp_path, text):
    assert "train.csv is empty" in refused(tmp_path, text, line=None)


@pytest.mark.parametrize("end", ["\n", "", "\n\n"])
def test_header_only(tmp_path, end):
    assert "has a header but no rows" in refused(tmp_path, HEADER + end, line=None)


def test_gzip_with_trailing_garbage(tmp_path):
    packed = gzip.compress(csv_text(rows_of(3)).encode()) + b"garbage"
    message = refused(tmp_path, packed, line=None)
    assert "could not be read" in message and "damaged" in message and "Get it again" in message


# ------------------------------------------------------------------ what is read, and right


def test_harmless_variants_are_read_value_for_value(tmp_path):
    rows = rows_of(6)
    expected = np.array(rows)
    for text in (
        csv_text(rows, end="\r\n"),  # Windows line ends
        "\ufeff" + csv_text(rows),  # a spreadsheet's UTF-8 byte-order mark
        csv_text(rows) + "\n \n\t\n",  # blank lines at the very end
        csv_text(rows).rstrip("\n"),  # no newline after the last row
        csv_text([[float(v) for v in row] for row in rows]),  # 3.0 for 3
        csv_text([[f"+{v}" if k % 2 else f"{v}e0" for k, v in enumerate(row)] for row in rows]),
    ):
        labels, pixels = read(tmp_path, text)
        np.testing.assert_array_equal(labels, expected[:, 0])
        np.testing.assert_array_equal(pixels, expected[:, 1:])
    labels, pixels = read(tmp_path, gzip.compress(csv_text(rows).encode(), mtime=0))
    np.testing.assert_array_equal(pixels, expected[:, 1:])


def test_a_counting_label_column_is_data_not_an_index(tmp_path):
    """Labels 0, 1, 2, ... under a correct header are data: nothing is refused or shifted."""
    rows = [[k] + row[1:] for k, row in enumerate(rows_of(10))]
    labels, pixels = read(tmp_path, csv_text(rows))
    np.testing.assert_array_equal(labels, np.arange(10))
    np.testing.assert_array_equal(pixels, np.array(rows)[:, 1:])


# ------------------------------------------------------------------ IDX files


def idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_full_mnist(folder: Path, monkeypatch, images=None, labels=None) -> None:
    """Four gzipped IDX files (10 train, 10 test) with their MD5s patched in."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    train_x = rng.integers(0, 256, (10, 28, 28), dtype=np.uint8) if images is None else images
    train_y = (np.arange(10) % 10).astype(np.uint8) if labels is None else labels
    contents = {
        "train-images-idx3-ubyte.gz": idx_bytes(train_x),
        "train-labels-idx1-ubyte.gz": idx_bytes(train_y),
        "t10k-images-idx3-ubyte.gz": idx_bytes(rng.integers(0, 256, (10, 28, 28))),
        "t10k-labels-idx1-ubyte.gz": idx_bytes(np.arange(10)),
    }
    for name, raw in contents.items():
        (folder / name).write_bytes(gzip.compress(raw, mtime=0))
    sums = {n: hashlib.md5((folder / n).read_bytes()).hexdigest() for n in contents}
    monkeypatch.setattr(data.full_mnist, "MNIST_FILES", sums)


def test_idx_label_out_of_range_names_the_item(tmp_path, monkeypatch):
    labels = (np.arange(10) % 10).astype(np.uint8)
    labels[6] = 11
    write_full_mnist(tmp_path / "mnist", monkeypatch, labels=labels)
    with pytest.raises(ValueError) as info:
        data.load_mnist("full", data_dir=tmp_path)
    message = str(info.value)
    assert str(tmp_path / "mnist" / "train-labels-idx1-ubyte.gz") in message
    assert "label number 7 (index 6), 11" in message and "labels must be 0-9" in message
    assert "get it again" in message


def test_idx_images_of_the_wrong_size(tmp_path, monkeypatch):
    images = np.zeros((10, 27, 28), dtype=np.uint8)
    write_full_mnist(tmp_path / "mnist", monkeypatch, images=images)
    with pytest.raises(ValueError) as info:
        data.load_mnist("full", data_dir=tmp_path)
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz should hold uint8 images of 28 x 28" in message
    assert "(10, 27, 28)" in message


def test_idx_gzip_with_trailing_garbage(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.arange(10))) + b"\x00junk")
    with pytest.raises(ValueError) as info:
        data.read_idx(path)
    message = str(info.value)
    assert str(path) in message and "damaged gzip" in message and "Delete it" in message


def test_idx_two_files_glued_together(tmp_path):
    path = tmp_path / "twice.gz"
    one = gzip.compress(idx_bytes(np.arange(10)))
    path.write_bytes(one + one)  # valid gzip, but two IDX files in one
    with pytest.raises(ValueError) as info:
        data.read_idx(path)
    message = str(info.value)
    assert str(path) in message and "18 bytes more than its header" in message
    assert "make data" in message


def test_idx_dimensions_that_promise_more_than_the_file(tmp_path):
    path = tmp_path / "dims"
    raw = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 10, 28, 29) + bytes(10 * 28 * 28)
    path.write_bytes(raw)
    with pytest.raises(ValueError) as info:
        data.read_idx(path)
    message = str(info.value)
    assert str(path) in message and "10 x 28 x 29 values" in message
    assert "truncated" in message and "make data" in message
