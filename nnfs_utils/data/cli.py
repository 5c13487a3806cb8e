"""The command line: ``python -m nnfs_utils.data download | info`` (``make data`` runs download)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .common import get_data_dir
from .download import DEFAULT_TIMEOUT, DownloadError, download_mnist
from .fashion import _find_fashion
from .full_mnist import _full_mnist_problem, _mnist_folder
from .kaggle import KAGGLE_FILE
from .sample import _read_sample


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
