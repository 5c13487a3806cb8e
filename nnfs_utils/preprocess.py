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
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

__all__ = [
    "EmptyImageError",
    "ImageFileError",
    "load_image",
    "mnist_steps",
    "to_grayscale",
    "to_mnist",
]

FIELD = 28  # side of an MNIST image
BOX = 20  # side of the box the digit is scaled into
CENTRE = 14  # row and column index where MNIST puts the centre of mass
INK_THRESHOLD = 0.1  # a pixel is ink when it is brighter than this fraction of the brightest
EMPTY_LEVEL = 0.05  # an image whose brightest ink is below this is treated as empty


class EmptyImageError(ValueError):
    """The image holds no ink: there is nothing to classify."""


def _as_array(image) -> np.ndarray:
    if isinstance(image, Image.Image):
        if image.mode in _MODES_16_BIT:  # 16-bit grey: scaled by the bit depth, not clipped
            return _deep_pixels(image, "the image", image.format, getattr(image, "tag_v2", {}))
        if image.mode in ("F", "I"):  # checked below like float and integer arrays
            return np.asarray(image)
        if image.mode == "LAB":  # the L* channel is the lightness
            return np.asarray(image.getchannel("L"))
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
      Transparent pixels count as white paper, so dark strokes on a transparent canvas work;
      only when that would leave no ink (white strokes) do they count as black.
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
            raise ValueError(
                f"integer images must hold values in 0..255 (8-bit), got {a.min()}..{a.max()}; "
                "divide 16-bit values by 65535.0 (or pass the file to load_image) first"
            )
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
                on_white = alpha * grey + (1.0 - alpha)
                on_black = alpha * grey
                # Transparent pixels are white paper; only when that leaves nothing to see
                # (white strokes on a transparent background) are they black instead.
                white_is_blank = np.ptp(on_white) < EMPTY_LEVEL <= np.ptp(on_black)
                grey = on_black if white_is_blank else on_white
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


# ----- image files ------------------------------------------------------------------------------
# Pixel modes that Pillow gives for files with more than 8 bits per sample: "I;16*" is 16-bit
# grey (PNG, TIFF), "I" 32-bit signed integers (16-bit PGM scaled to 0..65535, integer TIFFs),
# "F" 32-bit floats (TIFF). Everything else is 8 bits per sample (or fewer, scaled by Pillow).
_MODES_16_BIT = ("I;16", "I;16L", "I;16B", "I;16N")
# Formats whose "I" images Pillow has already scaled to 0..65535 (16 bits).
_FORMATS_16_BIT_IN_I = ("PNG", "PPM")
# Formats Pillow cannot read that people upload, recognised by their first bytes.
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
# The first bytes of PNG, JPEG, GIF, BMP and TIFF files.
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")
_ONE_FRAME_FIX = "save the frame you want as a single PNG (or JPEG) and load that"


class ImageFileError(ValueError):
    """An image file that cannot be read correctly; the message names the file and the fix."""


def _label(source, name) -> str:
    """How the messages name the file: the path, the given name or the file object's name."""
    if name is not None:
        return str(name)
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    file_name = getattr(source, "name", None)
    if isinstance(file_name, (str, os.PathLike)):
        return str(file_name)
    return "the file"


def _read_bytes(source, label: str) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            raise IsADirectoryError(
                f"{label} is a folder, not an image file; give the path of an image file in it"
            )
        if not path.is_file():
            raise FileNotFoundError(f"no image file at {label}; check the path")
        try:
            return path.read_bytes()
        except PermissionError as exc:
            raise PermissionError(
                f"{label} cannot be read (permission denied); copy it somewhere you can read "
                "or change its permissions"
            ) from exc
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            raise TypeError(f"{label} was opened as text; open it in binary mode: open(path, 'rb')")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(
                f"reading {label} gave a {type(data).__name__}, not bytes; pass a path, the "
                "file's bytes or a file opened with open(path, 'rb')"
            )
        return bytes(data)
    raise TypeError(f"load_image takes a path, bytes or a file object, got {type(source).__name__}")


def _not_an_image(data: bytes, label: str) -> ImageFileError:
    """The error for bytes Pillow does not recognise, naming the format when it is a common one."""
    head = data[:512].lstrip()
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        what = "a HEIC/HEIF photo (the iPhone's default), which Pillow cannot read"
        fix = "export it as JPEG or PNG (or set the camera to 'Most Compatible')"
    elif head.startswith(b"%PDF"):
        what = "a PDF document, not an image"
        fix = "export the page with the digit as a PNG or JPEG image"
    elif head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        what = "an SVG drawing (vector graphics), not a pixel image"
        fix = "export it as a PNG or JPEG image"
    elif data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        what = "damaged or incomplete (it starts like an image file, but cannot be read)"
        fix = "download or save it again, as a PNG or JPEG file"
    else:
        what = f"not an image file that can be read (it starts with {data[:8]!r})"
        fix = "use a PNG or JPEG file of a digit"
    return ImageFileError(f"{label} is {what}; {fix}")


def _open(data: bytes, label: str) -> tuple[Image.Image, str | None, dict]:
    """Open, check and decode the image, stood upright; every failure is an ImageFileError.

    Returns the image, its format and its TIFF tags (the upright copy has neither).
    """
    # A cut-off file must fail, not come out half grey, even if the caller (or another
    # library) switched Pillow's global setting on; it is put back afterwards.
    truncated_setting = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img.verify()  # PNG: the checksum of every chunk, and the file's end
            img = Image.open(io.BytesIO(data))
            frames = getattr(img, "n_frames", 1)
            # An MPO (a JPEG from many phones and cameras) holds the photo first, then
            # previews or a gain map: its first frame is the picture.
            if frames > 1 and img.format != "MPO":
                raise ImageFileError(
                    f"{label} holds {frames} frames (an animation or a multi-page "
                    f"{img.format} file) and only one can be read; {_ONE_FRAME_FIX}"
                )
            img.load()
            tags = dict(getattr(img, "tag_v2", {}))
            return ImageOps.exif_transpose(img), img.format, tags  # a sideways photo, upright
    except ImageFileError:
        raise
    except MemoryError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        limit = Image.MAX_IMAGE_PIXELS or 0
        raise ImageFileError(
            f"{label} is too large to read safely ({exc}); a digit needs no more than about "
            f"1000x1000 pixels, so shrink the image first (the limit is {limit:,} pixels)"
        ) from exc
    except UnidentifiedImageError as exc:
        raise _not_an_image(data, label) from exc
    except Exception as exc:  # Pillow reports damaged files with many exception types
        raise ImageFileError(
            f"{label} is damaged or incomplete and cannot be read ({type(exc).__name__}: "
            f"{exc}); download or save it again, as a PNG or JPEG file"
        ) from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_setting


def _deep_pixels(img: Image.Image, label: str, fmt: str | None, tags: dict) -> np.ndarray:
    """Pixels of more than 8 bits as float32 in [0, 1], scaled by their bit depth.

    fmt and tags: the file's format and TIFF tags. A TIFF says its bit depth (a 12-bit TIFF
    comes as "I;16" with values up to 4095); other "I;16" images and the "I" images of PNG
    and PPM files hold 16 bits.
    """
    values = np.asarray(img)
    if img.mode == "F":  # floating-point pixels, read as they are when they lie in [0, 1]
        if not np.all(np.isfinite(values)):
            raise ImageFileError(
                f"{label} holds NaN or infinite pixel values; save it as an 8-bit PNG"
            )
        low, high = float(values.min()), float(values.max())
        if low < 0.0 or high > 1.0:
            raise ImageFileError(
                f"{label} holds floating-point pixels from {low:.4g} to {high:.4g}, outside "
                "0..1, so their brightness is unknown; save it as an 8-bit PNG"
            )
        return values.astype(np.float32)
    if 258 in tags:  # TIFF BitsPerSample and SampleFormat (2: signed integers)
        bits = int(np.atleast_1d(tags[258])[0])
        signed = int(np.atleast_1d(tags.get(339, 1))[0]) == 2
    else:
        known = img.mode in _MODES_16_BIT or fmt in _FORMATS_16_BIT_IN_I
        bits, signed = (16 if known else 32), img.mode == "I" and not known
    if bits > 16 or signed:
        raise ImageFileError(
            f"{label} holds {bits}-bit {'signed ' if signed else ''}integer pixels, whose "
            "brightness scale is not defined; save it as an 8-bit or 16-bit greyscale PNG"
        )
    top = 2**bits - 1
    low, high = int(values.min()), int(values.max())
    if low < 0 or high > top:
        raise ImageFileError(
            f"{label} holds pixel values {low}..{high}, outside the 0..{top} of its bit "
            "depth; save it as an 8-bit PNG"
        )
    return (values.astype(np.float64) / top).astype(np.float32)


def load_image(source, *, name: str | None = None) -> np.ndarray:
    """Read an image file (PNG, JPEG, ...) and return its pixels for ``to_mnist``.

    source: a path, the file's bytes (e.g. from an upload widget) or a binary file object.
    name: how error messages call the file when ``source`` is bytes (e.g. the upload's name).

    The result is a (height, width) array of grey levels, or (height, width, 4) RGBA when the
    image has transparency (``to_grayscale`` then puts it on white paper). It is uint8 (0..255)
    for images of up to 8 bits per sample, and float32 in [0, 1] for deeper grey images (12 or
    16 bits, scaled by their bit depth; float pixels already in [0, 1]). A photo whose EXIF
    data says it was taken sideways is turned upright first. A phone's JPEG that carries extra
    pictures after the photo (MPO: previews, a gain map) gives its first picture, the photo.

    Refused, with an ImageFileError (a ValueError) naming the file, the problem and the fix:
    an empty, truncated or damaged file (PNG checksums are checked; a changed byte inside a
    JPEG, GIF, BMP or TIFF has no checksum and can go unnoticed), anything that is not an
    image, an animation or a file of several pages, 32-bit integer or out-of-range float
    pixels, and an image larger than Pillow's decompression-bomb limit
    (``PIL.Image.MAX_IMAGE_PIXELS``). A missing path raises FileNotFoundError, a folder
    IsADirectoryError, a file opened in text mode TypeError.
    """
    label = _label(source, name)
    data = _read_bytes(source, label)
    if not data:
        fix = "choose the image file again"
        if hasattr(source, "read"):
            fix += ", or call .seek(0) on the file object if it was read before"
        raise ImageFileError(f"{label} is empty (0 bytes); {fix}")
    img, fmt, tags = _open(data, label)
    bands = img.getbands()
    has_alpha = "A" in bands or "a" in bands or "transparency" in img.info
    if img.mode in _MODES_16_BIT or img.mode in ("I", "F"):
        grey = _deep_pixels(img, label, fmt, tags)
        if "transparency" not in img.info:
            return grey
        alpha = (np.asarray(img) != img.info["transparency"]).astype(np.float32)
        return np.dstack([grey, grey, grey, alpha])
    if img.mode == "LAB":  # CIE L*a*b* (some TIFFs): the L* channel is the lightness
        return np.asarray(img.getchannel("L"), dtype=np.uint8)
    try:
        converted = img.convert("RGBA" if has_alpha else "L")
    except ValueError as exc:
        raise ImageFileError(
            f"{label} has pixels of mode {img.mode!r}, which cannot be turned into grey "
            "levels; save it as an 8-bit PNG"
        ) from exc
    return np.asarray(converted, dtype=np.uint8)
