"""Turn a drawing or an image file into a 28x28 input that looks like an MNIST digit.

MNIST digits were made in a particular way: the ink of each handwritten digit was cropped to its
bounding box, scaled (keeping its aspect ratio) to fit a 20x20 box, and that box was placed in a
28x28 field so that the centre of mass of the ink sits in the middle. Ink is bright (1.0) on a
dark (0.0) background. A network trained on MNIST only knows digits made this way, so a drawing
from a canvas or a photo of a digit on paper has to go through the same steps first:

1. ``to_grayscale``: one channel, values in [0, 1], ink bright; a light background (paper, a white
   canvas) is detected from the image border and inverted, and the background level removed.
2. crop to the bounding box of the ink;
3. scale so the longer side is 20 pixels, keeping the aspect ratio;
4. paste into a 28x28 field so the centre of mass is at the centre, then scale to [0, 1].

``to_mnist`` does all four and returns the (784,) vector a model expects; ``mnist_steps`` returns
every intermediate image, which is what the notebook draws.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image

__all__ = ["EmptyImageError", "load_image", "mnist_steps", "to_grayscale", "to_mnist"]

FIELD = 28  # side of an MNIST image
BOX = 20  # side of the box the digit is scaled into
CENTRE = 14  # row and column index where MNIST puts the centre of mass
INK_THRESHOLD = 0.1  # a pixel is ink when it is brighter than this fraction of the brightest
EMPTY_LEVEL = 0.05  # an image whose brightest ink is below this is treated as empty


class EmptyImageError(ValueError):
    """The image holds no ink: there is nothing to classify."""


def _as_array(image) -> np.ndarray:
    if isinstance(image, Image.Image):
        if image.mode == "F":  # 32-bit float pixels: kept as they are
            return np.asarray(image)
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        return np.asarray(image.convert("RGBA" if has_alpha else "L"))  # palette, 1-bit, RGB...
    if isinstance(image, (str, os.PathLike, bytes, bytearray, memoryview)):
        raise TypeError(
            "to_mnist/to_grayscale take an image array; for a file or its bytes call "
            "load_image(path_or_bytes) first"
        )
    try:
        return np.asarray(image)
    except Exception as exc:  # pragma: no cover - numpy raises many kinds
        raise TypeError(f"cannot turn a {type(image).__name__} into an image array") from exc


def to_grayscale(image, invert: bool | str = "auto") -> np.ndarray:
    """Return a (height, width) float32 image in [0, 1] with bright ink on a dark background.

    image: a 2-D array (grey), a 3-D array with 3 (RGB) or 4 (RGBA) channels, a flat array of 784
      values (an MNIST row), or a PIL image. Integer arrays are read as 0..255, floats as 0..1.
      Transparent pixels count as white paper, so black strokes on a transparent canvas work.
    invert: "auto" (default) inverts when the image border is mostly light, i.e. dark ink on
      light paper; True or False force it.
    The background level (median of the border) is subtracted and the result stretched so the
    brightest ink is 1.0. An image without ink is returned as all zeros.
    """
    a = _as_array(image)
    if a.dtype == bool:
        a = a.astype(np.float32)
    if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"image values must be numbers, got dtype {a.dtype}")
    if a.ndim == 1:
        if a.size != FIELD * FIELD:
            raise ValueError(
                f"a flat image must have {FIELD * FIELD} values (28x28), got {a.size}; "
                "pass a 2-D (height, width) array instead"
            )
        a = a.reshape(FIELD, FIELD)
    if a.ndim == 3 and a.shape[2] in (1, 3, 4):
        pass
    elif a.ndim != 2:
        raise ValueError(
            f"expected an image of shape (height, width), (height, width, 3) or "
            f"(height, width, 4), got shape {a.shape}"
        )
    if a.shape[0] < 2 or a.shape[1] < 2:
        raise ValueError(f"the image is too small ({a.shape[0]}x{a.shape[1]}); give at least 2x2")

    if np.issubdtype(a.dtype, np.integer):
        if a.min() < 0 or a.max() > 255:
            raise ValueError("integer images must hold values in 0..255 (8-bit); convert first")
        x = a.astype(np.float32) / 255.0
    else:
        x = a.astype(np.float32)
        if not np.all(np.isfinite(x)):
            raise ValueError("the image contains NaN or infinite values; replace them first")
        if x.min() < -1e-6 or x.max() > 1 + 1e-6:
            raise ValueError(
                f"float images must hold values in [0, 1], got {x.min():.3g}..{x.max():.3g}; "
                "divide 8-bit values by 255 first"
            )
        x = np.clip(x, 0.0, 1.0)

    if x.ndim == 3:
        channels = x.shape[2]
        if channels == 1:
            x = x[:, :, 0]
        else:
            rgb = x[:, :, :3] if channels >= 3 else x
            grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
            if channels == 4:
                alpha = x[:, :, 3]
                grey = alpha * grey + (1.0 - alpha)  # composite on white paper
            x = grey

    border = np.concatenate([x[0, :], x[-1, :], x[:, 0], x[:, -1]])
    if invert == "auto":
        invert = bool(np.median(border) > 0.5)
    elif not isinstance(invert, (bool, np.bool_)):
        raise ValueError(f"invert must be 'auto', True or False, got {invert!r}")
    if invert:
        x = 1.0 - x
        border = 1.0 - border
    background = float(np.median(border))
    x = np.clip(x - background, 0.0, None)
    peak = float(x.max())
    if peak < EMPTY_LEVEL:
        return np.zeros_like(x, dtype=np.float32)
    return (x / peak).astype(np.float32)


def _bounding_box(x: np.ndarray) -> tuple[int, int, int, int]:
    ink = x > INK_THRESHOLD * x.max()
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _resize(x: np.ndarray, height: int, width: int) -> np.ndarray:
    img = Image.fromarray(np.ascontiguousarray(x, dtype=np.float32))  # mode "F"
    out = np.asarray(img.resize((width, height), Image.Resampling.LANCZOS), dtype=np.float32)
    return np.clip(out, 0.0, 1.0)


def mnist_steps(image, invert: bool | str = "auto") -> dict[str, np.ndarray]:
    """Run the MNIST preprocessing and return every step as a dict of 2-D float32 arrays.

    Keys, in order: "grayscale" (bright ink, dark background), "cropped" (bounding box of the
    ink), "scaled" (longer side 20 pixels), "centred" (28x28, centre of mass in the middle,
    values in [0, 1]). Also "center_of_mass": (row, column) of the ink in the final image.
    Raises EmptyImageError (a ValueError) "draw a digit first" when there is no ink.
    """
    grey = to_grayscale(image, invert=invert)
    if not grey.any():
        raise EmptyImageError(
            "draw a digit first: the image has no ink (it is blank or a single flat colour)"
        )
    r0, r1, c0, c1 = _bounding_box(grey)
    cropped = grey[r0:r1, c0:c1]
    h, w = cropped.shape
    scale = BOX / max(h, w)
    new_h = max(1, min(BOX, round(h * scale)))
    new_w = max(1, min(BOX, round(w * scale)))
    scaled = _resize(cropped, new_h, new_w)
    if scaled.max() <= 0:  # a hair-thin stroke can vanish when shrunk a lot
        scaled = _resize(cropped > INK_THRESHOLD, new_h, new_w)

    total = scaled.sum()
    rows, cols = np.indices(scaled.shape)
    cy = float((rows * scaled).sum() / total)
    cx = float((cols * scaled).sum() / total)
    # Place the patch so its centre of mass lands on pixel (14, 14), as in MNIST: the centre
    # of mass of the real digits averages (14.0, 14.0) in row/column indices.
    top = int(np.clip(round(CENTRE - cy), 0, FIELD - new_h))
    left = int(np.clip(round(CENTRE - cx), 0, FIELD - new_w))
    centred = np.zeros((FIELD, FIELD), dtype=np.float32)
    centred[top : top + new_h, left : left + new_w] = scaled
    centred /= centred.max()
    return {
        "grayscale": grey,
        "cropped": cropped,
        "scaled": scaled,
        "centred": centred,
        "center_of_mass": np.array([top + cy, left + cx], dtype=np.float32),
    }


def to_mnist(image, invert: bool | str = "auto") -> np.ndarray:
    """Preprocess an image like MNIST and return a (784,) float32 vector in [0, 1].

    Crop to the bounding box of the ink, scale to 20x20 keeping the aspect ratio, centre by the
    centre of mass in a 28x28 field, scale to [0, 1]. See ``to_grayscale`` for the accepted
    inputs and ``invert``. An image without ink raises EmptyImageError ("draw a digit first").
    Feed the result to a model as a batch of one: ``model.predict_proba(x[None, :])``.
    """
    return mnist_steps(image, invert=invert)["centred"].reshape(FIELD * FIELD)


def load_image(source) -> np.ndarray:
    """Read an image file (PNG, JPEG, ...) and return it as a (height, width) grey array.

    source: a path, the file's bytes (e.g. from an upload widget) or a binary file object.
    Colour and transparency are kept as far as ``to_grayscale`` needs them: the result is an
    (height, width, 4) uint8 RGBA array for images with transparency, else (height, width) uint8.
    Pass it to ``to_mnist``.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) == 0:
            raise ValueError("the image file is empty (0 bytes); choose another file")
        handle = io.BytesIO(bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"no image file at {path}; check the path")
        handle = path
    elif hasattr(source, "read"):
        handle = source
    else:
        raise TypeError(
            f"load_image takes a path, bytes or a file object, got {type(source).__name__}"
        )
    try:
        with Image.open(handle) as img:
            img.load()
            has_alpha = "A" in img.getbands() or "transparency" in img.info
            converted = img.convert("RGBA" if has_alpha else "L")
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError(
            "could not read the file as an image; use a PNG or JPEG file of a digit"
        ) from exc
    return np.asarray(converted, dtype=np.uint8)
