"""download_mnist(): fetch the four full-MNIST files from the first mirror that verifies."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from ..checks import check_bool
from . import full_mnist
from .common import _file_hash, get_data_dir
from .full_mnist import _by_hand_instructions, _mnist_folder

DEFAULT_TIMEOUT = 10.0


class DownloadError(RuntimeError):
    """No mirror delivered a verified copy of a file; the message says how to get it by hand."""


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

    check_bool("progress", progress)
    timeout = _check_timeout(timeout)
    mirrors = _check_mirrors(full_mnist.MNIST_MIRRORS if mirrors is None else mirrors)
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
        for name, md5 in full_mnist.MNIST_FILES.items():
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
