"""``python -m nnfs_utils.data download | info``: what ``make data`` runs."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
