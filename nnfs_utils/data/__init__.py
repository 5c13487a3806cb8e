"""The course's data: MNIST digits (a shipped sample, the full set, Kaggle's CSV) and Fashion-MNIST.

Every notebook works offline: ``load_mnist()`` falls back to the 5,000 real MNIST digits shipped
in ``data/mnist_sample.csv.gz`` when the full set has not been downloaded::

    from nnfs_utils.data import load_mnist

    X_train, y_train, X_dev, y_dev = load_mnist()   # or: data = load_mnist(); data.X_train

Each data set comes as train, dev and test splits (``data.X_test, data.y_test``; unpacking gives
train and dev only): choices are made on dev, and the test set is looked at once, at the end.
The shipped sample is split 4,000 / 500 / 500; full MNIST and Fashion-MNIST 55,000 / 5,000 (dev
carved from the official training images) / the 10,000 official test images; Kaggle's
train.csv 40,000 / 1,000 / 1,000.

Images come back flattened, one row per image: ``X`` has shape ``(n, 784)``, float32 in [0, 1]
(uint8 0-255 with ``normalize=False``); labels ``y`` are int64 of shape ``(n,)``.

Where the files live: the folder named by the ``NNFS_DATA_DIR`` environment variable, else the
repository's ``data/`` folder. The full MNIST set goes to ``<data dir>/mnist/`` (``make data`` or
``download_mnist()``), Kaggle's ``train.csv`` to ``<data dir>/train.csv``, Fashion-MNIST to
``<data dir>/fashion/`` (or Debian's ``dataset-fashion-mnist`` package is used when installed).

Run ``python -m nnfs_utils.data download`` to fetch the full MNIST set, ``... info`` to see
which data sets this machine has.

One module per source; this file only gathers their public names:

    common.py      the data folder, Dataset, the stratified splits, the parse cache
    sample.py      the shipped sample (data/mnist_sample.csv.gz, checked by SHA-256)
    full_mnist.py  the full MNIST set in <data dir>/mnist/ (four IDX files, checked by MD5)
    kaggle.py      Kaggle's train.csv, read strictly
    idx.py         read_idx and the image/label pair check
    mnist.py       load_mnist: picks one of the three MNIST sources
    fashion.py     Fashion-MNIST
    download.py    download_mnist
    cli.py         the command line (__main__.py runs it)

Each setting lives in the module of its source (``full_mnist.MNIST_FILES``,
``fashion.DEBIAN_FASHION_DIR``, ``common.REPO_DATA_DIR``, ...) and is re-exported here to be
read; a test that changes one must patch it in that module, where the code looks it up.
"""

from .cli import main
from .common import (
    CSV_COLUMNS,
    DIGIT_CLASS_NAMES,
    IMAGE_SHAPE,
    N_PIXELS,
    REPO_DATA_DIR,
    Dataset,
    get_data_dir,
)
from .download import DEFAULT_TIMEOUT, DownloadError, download_mnist
from .fashion import (
    DEBIAN_FASHION_DIR,
    FASHION_CLASS_NAMES,
    FASHION_CONTENT_SHA256,
    FASHION_DEV_SIZE,
    FASHION_SUBDIR,
    fashion_mnist_available,
    load_fashion_mnist,
)
from .full_mnist import (
    FULL_DEV_SIZE,
    MNIST_FILES,
    MNIST_MIRRORS,
    MNIST_SUBDIR,
    full_mnist_available,
)
from .idx import read_idx
from .kaggle import KAGGLE_DEV_SIZE, KAGGLE_FILE, KAGGLE_TEST_SIZE
from .mnist import SOURCES, load_mnist
from .sample import SAMPLE_DEV_SIZE, SAMPLE_FILE, SAMPLE_SHA256, SAMPLE_SIZE, SAMPLE_TEST_SIZE

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
    # the command line and the settings of each source (to read; see above to change one)
    "main",
    "CSV_COLUMNS",
    "IMAGE_SHAPE",
    "N_PIXELS",
    "REPO_DATA_DIR",
    "DEFAULT_TIMEOUT",
    "DEBIAN_FASHION_DIR",
    "FASHION_CONTENT_SHA256",
    "FASHION_SUBDIR",
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "MNIST_SUBDIR",
    "KAGGLE_FILE",
    "SOURCES",
    "SAMPLE_FILE",
    "SAMPLE_SHA256",
    "SAMPLE_SIZE",
    # the default split sizes of each source
    "SAMPLE_DEV_SIZE",
    "SAMPLE_TEST_SIZE",
    "FULL_DEV_SIZE",
    "KAGGLE_DEV_SIZE",
    "KAGGLE_TEST_SIZE",
    "FASHION_DEV_SIZE",
]
