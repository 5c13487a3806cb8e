"""download_mnist() against a local HTTP server on 127.0.0.1 serving a small fake MNIST set.

No test here touches the internet. The server runs in a thread on a free port and answers by
path prefix: /good/ serves the files, /bad/ serves other bytes (wrong checksum), /trunc/ sends
half the body and hangs up, /hang/ accepts the request and never answers, anything else is 404.
The fake files' MD5s replace the real ones with monkeypatch.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from nnfs_utils import data

REPO = Path(__file__).resolve().parent.parent


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array: magic 0x000008DD, big-endian dimensions, data."""
    assert array.dtype == np.uint8
    return (
        bytes([0, 0, 0x08, array.ndim])
        + struct.pack(f">{array.ndim}I", *array.shape)
        + (array.tobytes())
    )


def fake_digits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    return images, (np.arange(n) % 10).astype(np.uint8)


def fake_files() -> dict[str, bytes]:
    train_x, train_y = fake_digits(40, 11)
    test_x, test_y = fake_digits(10, 12)
    arrays = {
        "train-images-idx3-ubyte.gz": train_x,
        "train-labels-idx1-ubyte.gz": train_y,
        "t10k-images-idx3-ubyte.gz": test_x,
        "t10k-labels-idx1-ubyte.gz": test_y,
    }
    return {name: gzip.compress(idx_bytes(a), mtime=0) for name, a in arrays.items()}


FILES = fake_files()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        server = self.server
        server.requests.append(self.path)
        _, kind, name = self.path.split("/", 2)
        body = FILES.get(name)
        if body is None or kind not in {"good", "bad", "trunc", "hang"}:
            self.send_error(404, "Not Found")
            return
        if kind == "hang":
            server.release.wait(30)  # never answer (until the test ends)
            self.close_connection = True
            return
        if kind == "bad":
            body = b"\x1f\x8b" + bytes(len(body))  # same size, wrong content
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if kind == "trunc":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)


@pytest.fixture
def server(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("NNFS_DATA_DIR", raising=False)
    monkeypatch.setattr(
        data.full_mnist,
        "MNIST_FILES",
        {name: hashlib.md5(body).hexdigest() for name, body in FILES.items()},
    )
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.requests = []
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leftovers(folder: Path) -> list[str]:
    """Whatever a failed download left in the folder (it removes the folder it created)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def assert_only_verified_files(folder: Path):
    """Nothing but complete, verified files: no partial or temporary file is left behind."""
    for path in folder.iterdir():
        md5s = data.full_mnist.MNIST_FILES  # the fake files' MD5s, patched in by `server`
        assert path.name in md5s, f"unexpected file left behind: {path.name}"
        assert hashlib.md5(path.read_bytes()).hexdigest() == md5s[path.name]


def test_download_then_load_full(server, tmp_path, capsys):
    folder = data.download_mnist(
        data_dir=tmp_path, mirrors=[server.base + "/good/"], timeout=5, progress=False
    )
    assert folder == tmp_path / "mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert_only_verified_files(folder)
    assert "verified" in capsys.readouterr().out
    d = data.load_mnist("full", dev_size=0, data_dir=tmp_path, normalize=False)
    assert d.X_train.shape == (40, 784) and d.X_dev.shape == (0, 784)
    assert d.X_test.shape == (10, 784)
    expected = fake_digits(40, 11)[0].reshape(40, 784)  # dev_size=0: all 40, in seeded order
    assert sorted(r.tobytes() for r in d.X_train) == sorted(r.tobytes() for r in expected)
    np.testing.assert_array_equal(d.X_test, fake_digits(10, 12)[0].reshape(10, 784))
    assert data.load_mnist(dev_size=10, data_dir=tmp_path).source == "full"

    # a second run finds everything in place and downloads nothing
    n_requests = len(server.requests)
    data.download_mnist(data_dir=tmp_path, mirrors=[server.base + "/good/"], progress=False)
    assert len(server.requests) == n_requests
    assert capsys.readouterr().out.count("already present and verified") == 4


def test_progress_bar_is_shown(server, tmp_path, capsys):
    data.download_mnist(data_dir=tmp_path, mirrors=[server.base + "/good/"], progress=True)
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz" in err and "100%" in err


def test_wrong_checksum_removes_the_file(server, tmp_path):
    with pytest.raises(data.DownloadError) as info:
        data.download_mnist(data_dir=tmp_path, mirrors=[server.base + "/bad/"], progress=False)
    message = str(info.value)
    assert "Could not download 4 of the 4 MNIST files" in message
    assert message.count("checksum mismatch: the downloaded file was deleted") == 4
    assert leftovers(tmp_path / "mnist") == []
    assert not data.full_mnist_available(tmp_path)


def test_wrong_checksum_then_a_good_mirror(server, tmp_path):
    data.download_mnist(
        data_dir=tmp_path,
        mirrors=[server.base + "/bad/", server.base + "/good/"],
        progress=False,
    )
    assert_only_verified_files(tmp_path / "mnist")
    assert data.full_mnist_available(tmp_path)


def test_truncated_body_leaves_nothing(server, tmp_path):
    with pytest.raises(data.DownloadError) as info:
        data.download_mnist(data_dir=tmp_path, mirrors=[server.base + "/trunc/"], progress=False)
    assert "the transfer broke off" in str(info.value)
    assert leftovers(tmp_path / "mnist") == []


def test_404_then_a_working_mirror(server, tmp_path):
    data.download_mnist(
        data_dir=tmp_path,
        mirrors=[server.base + "/missing/", server.base + "/good/"],
        progress=False,
    )
    assert_only_verified_files(tmp_path / "mnist")
    assert len(list((tmp_path / "mnist").iterdir())) == 4
    name = "train-images-idx3-ubyte.gz"
    assert server.requests.index(f"/missing/{name}") < server.requests.index(f"/good/{name}")


def test_404_everywhere_is_reported(server, tmp_path):
    with pytest.raises(data.DownloadError, match="HTTP 404 Not Found"):
        data.download_mnist(data_dir=tmp_path, mirrors=[server.base + "/missing/"], progress=False)


def test_server_that_never_answers_times_out_quickly(server, tmp_path):
    start = time.monotonic()
    with pytest.raises(data.DownloadError) as info:
        data.download_mnist(
            data_dir=tmp_path, mirrors=[server.base + "/hang/"], timeout=0.5, progress=False
        )
    elapsed = time.monotonic() - start
    message = str(info.value)
    assert "timed out" in message
    assert message.count("not tried: no mirror could be reached") == 3  # one wait, not four
    assert elapsed < 4, f"took {elapsed:.1f} s"
    assert leftovers(tmp_path / "mnist") == []


def test_hanging_mirror_then_a_good_one(server, tmp_path):
    start = time.monotonic()
    data.download_mnist(
        data_dir=tmp_path,
        mirrors=[server.base + "/hang/", server.base + "/good/"],
        timeout=0.5,
        progress=False,
    )
    assert time.monotonic() - start < 4
    assert_only_verified_files(tmp_path / "mnist")
    assert len(list((tmp_path / "mnist").iterdir())) == 4


def test_no_network_fails_fast_and_says_what_to_put_where(tmp_path, closed_port, monkeypatch):
    monkeypatch.delenv("NNFS_DATA_DIR", raising=False)
    start = time.monotonic()
    mirrors = [f"http://127.0.0.1:{closed_port}/a/", f"http://127.0.0.1:{closed_port}/b/"]
    with pytest.raises(data.DownloadError) as info:
        data.download_mnist(data_dir=tmp_path, mirrors=mirrors, timeout=2, progress=False)
    assert time.monotonic() - start < 3
    message = str(info.value)
    assert "could not connect" in message
    assert str(tmp_path / "mnist") in message
    for name, md5 in data.MNIST_FILES.items():  # the real names and MD5s
        assert name in message and md5 in message
    assert "load_mnist() uses the 5,000-digit sample" in message
    assert not (tmp_path / "mnist").exists()  # the folder it created is gone again


def test_existing_bad_file_is_replaced(server, tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"half a file")
    data.download_mnist(data_dir=tmp_path, mirrors=[server.base + "/good/"], progress=False)
    assert_only_verified_files(folder)
    assert "/good/t10k-labels-idx1-ubyte.gz" in server.requests


def test_existing_bad_file_is_removed_even_when_download_fails(server, tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"half a file")
    with pytest.raises(data.DownloadError):
        data.download_mnist(data_dir=tmp_path, mirrors=[server.base + "/bad/"], progress=False)
    assert leftovers(folder) == []
    assert folder.is_dir()  # the folder existed before, so it stays


def test_nnfs_data_dir_is_the_default_target(server, tmp_path, monkeypatch):
    monkeypatch.setenv("NNFS_DATA_DIR", str(tmp_path / "shared"))
    folder = data.download_mnist(mirrors=[server.base + "/good/"], progress=False)
    assert folder == tmp_path / "shared" / "mnist"
    assert data.full_mnist_available()
    assert data.load_mnist("full", dev_size=10).X_train.shape == (30, 784)


def test_command_line_download_and_info(server, tmp_path, capsys):
    argv = ["download", "--data-dir", str(tmp_path), "--mirror", server.base + "/good/"]
    assert data.main(argv + ["--no-progress"]) == 0
    assert "ready" in capsys.readouterr().out
    assert data.main(["info", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "MNIST sample: ok" in out and "full MNIST: ok" in out


def test_command_line_failure_exits_1(server, tmp_path, capsys):
    argv = ["download", "--data-dir", str(tmp_path), "--mirror", server.base + "/bad/"]
    assert data.main(argv + ["--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Could not download") and "checksum mismatch" in err


def test_python_m_entry_point_fails_fast_offline(tmp_path, closed_port):
    """`make data` runs `python -m nnfs_utils.data download`: offline it must fail in seconds."""
    env = {k: v for k, v in os.environ.items() if k != "NNFS_DATA_DIR"}
    mirror = f"http://127.0.0.1:{closed_port}/"
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "nnfs_utils.data", "download", "--data-dir", str(tmp_path)]
        + ["--mirror", mirror, "--timeout", "2", "--no-progress"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert time.monotonic() - start < 15
    assert result.returncode == 1
    assert "train-images-idx3-ubyte.gz" in result.stderr and "f68b3c2d" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("timeout", [0, -1, "5", True, (1,), (1, 0)])
def test_bad_timeout(tmp_path, timeout):
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        data.download_mnist(data_dir=tmp_path, mirrors=["http://127.0.0.1:9/"], timeout=timeout)


@pytest.mark.parametrize("mirrors", [[], ["ftp://example.org/mnist/"], [3], 7])
def test_bad_mirrors(tmp_path, mirrors):
    with pytest.raises(ValueError, match="mirror"):
        data.download_mnist(data_dir=tmp_path, mirrors=mirrors)


def test_default_mirror_order():
    assert [m.split("/")[2] for m in data.MNIST_MIRRORS] == [
        "ossci-datasets.s3.amazonaws.com",
        "storage.googleapis.com",
        "yann.lecun.com",
    ]
    assert data.MNIST_MIRRORS[1].endswith("/cvdf-datasets/mnist/")
