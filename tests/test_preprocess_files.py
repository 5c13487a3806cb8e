"""nnfs_utils.preprocess.load_image on real and damaged image files, each built in tmp_path.

Every bad file must raise an error that names the file, the problem and the fix; nothing may be
read silently wrong (16-bit pixels clipped, the first frame of an animation, a truncated file
filled with grey, a transparent background turned black, a sideways photo).
"""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from nnfs_utils import MLP
from nnfs_utils.preprocess import (
    EmptyImageError,
    ImageFileError,
    load_image,
    to_grayscale,
    to_mnist,
)
from nnfs_utils.widgets import drawing_classifier


def digit_on_paper(height=60, width=40):
    """A black 7 on white paper, uint8: a bar at the top and a stroke down the right side."""
    paper = np.full((height, width), 255, dtype=np.uint8)
    paper[8:14, 6:34] = 0
    paper[8:52, 28:34] = 0
    return paper


def save(image, fmt="PNG", **options):
    buf = io.BytesIO()
    image.save(buf, format=fmt, **options)
    return buf.getvalue()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(values, bit_depth, color_type, extra=b""):
    """A PNG written byte by byte, for bit depths and colour types Pillow does not write."""
    height, width = values.shape[:2]
    rows = values.reshape(height, -1)
    if bit_depth == 16:
        rows = rows.astype(">u2").view(np.uint8).reshape(height, -1)
    elif bit_depth < 8:
        bits = np.unpackbits(rows.astype(np.uint8)[..., None], axis=-1)[..., 8 - bit_depth :]
        rows = np.packbits(bits.reshape(height, -1), axis=1)
    raw = b"".join(b"\x00" + row.astype(np.uint8).tobytes() for row in rows)
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def raw_tiff_12_bit(values):
    """An uncompressed greyscale TIFF of 12 bits per pixel (as scientific cameras write)."""
    height, width = values.shape
    pairs = values.astype(np.uint16).reshape(height, width // 2, 2)
    packed = np.stack(  # two pixels in three bytes, most significant bits first
        [pairs[..., 0] >> 4, (pairs[..., 0] & 0xF) << 4 | pairs[..., 1] >> 8, pairs[..., 1] & 0xFF],
        axis=-1,
    )
    data = packed.astype(np.uint8).tobytes()
    offset = 8 + 2 + 12 * 9 + 4
    entries = [(256, 3, width), (257, 3, height), (258, 3, 12), (259, 3, 1), (262, 3, 1)]
    entries += [(273, 4, offset), (277, 3, 1), (278, 3, height), (279, 4, len(data))]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        ifd += struct.pack("<HHI", tag, kind, 1)
        ifd += struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + data


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path, *fragments, error=ImageFileError):
    """load_image(path) raises `error` whose message names the file and holds every fragment."""
    with pytest.raises(error) as info:
        load_image(path)
    message = str(info.value)
    assert str(path) in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


# ----- more than 8 bits per pixel: scaled by the bit depth ---------------------------------------
def test_a_16_bit_greyscale_png_is_scaled_not_clipped(tmp_path):
    paper16 = digit_on_paper().astype(np.uint16) * 257  # the same picture, 0..65535
    path = write(tmp_path, "scan16.png", save(Image.fromarray(paper16)))
    assert Image.open(path).mode == "I;16"
    loaded = load_image(path)
    assert loaded.dtype == np.float32 and loaded.shape == paper16.shape
    np.testing.assert_allclose(loaded, paper16 / 65535, atol=1e-7)
    # clipped to 255, as before, all but the ink would be white and the ink too
    assert (loaded == 1.0).mean() == pytest.approx((digit_on_paper() == 255).mean())
    np.testing.assert_allclose(to_mnist(loaded), to_mnist(digit_on_paper()), atol=1e-5)


def test_a_dark_16_bit_scan_keeps_its_detail(tmp_path):
    """Faint ink, up to 8000 of 65535: 32 grey levels in 8 bits, all 8001 kept here."""
    ink = ((255 - digit_on_paper()).astype(np.float64) / 255 * 8000).astype(np.uint16)
    path = write(tmp_path, "faint16.png", raw_png(ink, 16, 0))
    loaded = load_image(path)
    np.testing.assert_allclose(loaded, ink / 65535, atol=1e-7)
    np.testing.assert_allclose(to_mnist(loaded), to_mnist(digit_on_paper()), atol=1e-4)


@pytest.mark.parametrize(("color_type", "channels"), [(2, 3), (4, 2), (6, 4)])
def test_16_bit_colour_and_grey_alpha_pngs_are_scaled(tmp_path, color_type, channels):
    levels = np.array([0, 257 * 3, 257 * 117, 65535], dtype=np.uint16)
    values = np.repeat(np.tile(levels, (4, 1))[:, :, None], channels, axis=2)
    loaded = load_image(write(tmp_path, "colour16.png", raw_png(values, 16, color_type)))
    assert loaded.dtype == np.uint8
    assert loaded.shape == ((4, 4) if channels == 3 else (4, 4, 4))  # grey, or RGBA for alpha
    np.testing.assert_array_equal(loaded.reshape(4, 4, -1)[0, :, 0], [0, 3, 117, 255])


@pytest.mark.parametrize("bit_depth", [1, 2, 4])
def test_greyscale_pngs_of_fewer_bits_are_stretched_to_0_255(tmp_path, bit_depth):
    values = np.tile(np.array([0, 2**bit_depth - 1, 0, 2**bit_depth - 1]), (4, 1))
    loaded = load_image(write(tmp_path, f"grey{bit_depth}.png", raw_png(values, bit_depth, 0)))
    np.testing.assert_array_equal(loaded[0], [0, 255, 0, 255])


def test_a_16_bit_tiff_and_a_16_bit_pgm_are_scaled(tmp_path):
    paper16 = digit_on_paper().astype(np.uint16) * 257
    tiff = write(tmp_path, "scan16.tif", save(Image.fromarray(paper16), "TIFF"))
    np.testing.assert_allclose(load_image(tiff), paper16 / 65535, atol=1e-7)
    # a PGM whose maximum value is 1000: Pillow scales it to 0..65535 in mode "I"
    values = (digit_on_paper().astype(np.int64) * 1000 // 255).astype(">u2")
    pgm = write(tmp_path, "scan.pgm", b"P5\n40 60\n1000\n" + values.tobytes())
    assert Image.open(pgm).mode == "I"
    np.testing.assert_allclose(load_image(pgm), values / 1000, atol=1e-4)


def test_a_12_bit_tiff_is_scaled_by_its_own_bit_depth(tmp_path):
    """Pillow gives it as "I;16" with values up to 4095: dividing by 65535 would darken it."""
    paper12 = (digit_on_paper().astype(np.int64) * 4095 // 255).astype(np.uint16)
    path = write(tmp_path, "camera12.tif", raw_tiff_12_bit(paper12))
    assert Image.open(path).mode == "I;16" and np.asarray(Image.open(path)).max() == 4095
    np.testing.assert_allclose(load_image(path), paper12 / 4095, atol=1e-7)
    np.testing.assert_allclose(to_mnist(load_image(path)), to_mnist(digit_on_paper()), atol=1e-4)


def test_32_bit_integer_pixels_are_refused(tmp_path):
    image = Image.fromarray(digit_on_paper().astype(np.int32) * 1000)
    path = write(tmp_path, "scan32.tif", save(image, "TIFF"))
    assert Image.open(path).mode == "I"
    refused(path, "32-bit", "integer", "16-bit greyscale PNG")


def test_float_pixels_in_0_1_are_read_and_others_refused(tmp_path):
    ink = (digit_on_paper() / 255).astype(np.float32)
    good = write(tmp_path, "float.tif", save(Image.fromarray(ink), "TIFF"))
    np.testing.assert_array_equal(load_image(good), ink)
    wide = write(tmp_path, "wide.tif", save(Image.fromarray(ink * 255), "TIFF"))
    refused(wide, "0 to 255", "outside 0..1", "8-bit PNG")
    holes = ink.copy()
    holes[0, 0] = np.nan
    nan = write(tmp_path, "nan.tif", save(Image.fromarray(holes), "TIFF"))
    refused(nan, "NaN", "8-bit PNG")


def test_a_16_bit_pil_image_given_to_to_mnist_is_scaled():
    paper16 = Image.fromarray(digit_on_paper().astype(np.uint16) * 257)
    np.testing.assert_allclose(to_mnist(paper16), to_mnist(digit_on_paper()), atol=1e-5)
    with pytest.raises(ValueError, match=r"0\.\.255.*65535"):
        to_mnist(digit_on_paper().astype(np.uint16) * 257)


# ----- several frames ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "fmt", "options"),
    [
        ("moving.gif", "GIF", {}),
        ("pages.tif", "TIFF", {}),
        ("moving.png", "PNG", {}),  # an animated PNG (APNG)
        ("moving.webp", "WEBP", {"lossless": True}),
    ],
)
def test_an_animation_or_several_pages_is_refused(tmp_path, name, fmt, options):
    frames = [Image.fromarray(digit_on_paper()), Image.fromarray(255 - digit_on_paper())]
    frames.append(Image.fromarray(np.full((60, 40), 128, dtype=np.uint8)))
    data = save(frames[0], fmt, save_all=True, append_images=frames[1:], **options)
    path = write(tmp_path, name, data)
    refused(path, "3 frames", "save the frame you want as a single PNG")


def test_an_mpo_photo_reads_its_first_picture(tmp_path):
    """Many phones write JPEGs with a preview or gain map after the photo (MPO): not refused."""
    photo = Image.fromarray(digit_on_paper()).convert("RGB")
    preview = Image.new("RGB", (40, 60), (0, 0, 0))
    path = write(tmp_path, "phone.jpg", save(photo, "MPO", save_all=True, append_images=[preview]))
    assert Image.open(path).format == "MPO" and Image.open(path).n_frames == 2
    np.testing.assert_array_equal(load_image(path), load_image(save(photo, "JPEG")))


def test_a_single_frame_gif_is_read(tmp_path):
    path = write(tmp_path, "one.gif", save(Image.fromarray(digit_on_paper()), "GIF"))
    np.testing.assert_array_equal(load_image(path), digit_on_paper())


# ----- truncated and damaged files ----------------------------------------------------------------
@pytest.mark.parametrize("keep", [0.3, 0.7, 0.95])
@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("PNG", {}),
        ("JPEG", {"quality": 95}),
        ("GIF", {}),
        ("TIFF", {}),
        ("BMP", {}),
        ("WEBP", {"lossless": True}),
    ],
)
def test_a_truncated_file_is_refused(tmp_path, fmt, options, keep):
    noise = np.random.default_rng(0).integers(0, 256, size=(120, 100), dtype=np.uint8)
    data = save(Image.fromarray(noise), fmt, **options)
    path = write(tmp_path, f"cut.{fmt.lower()}", data[: int(len(data) * keep)])
    refused(path, "damaged or incomplete", "download or save it again")


def test_a_png_without_its_end_is_refused(tmp_path):
    data = save(Image.fromarray(digit_on_paper()))
    assert data.endswith(chunk(b"IEND", b""))
    refused(write(tmp_path, "no_end.png", data[:-12]), "damaged or incomplete")


def test_a_truncated_file_is_refused_even_when_pillow_is_told_to_accept_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = save(Image.fromarray(digit_on_paper()), "JPEG")
    path = write(tmp_path, "cut.jpg", data[: len(data) // 2])
    refused(path, "damaged or incomplete")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the caller's setting is put back
    np.testing.assert_array_equal(
        load_image(save(Image.fromarray(digit_on_paper()))), digit_on_paper()
    )


def test_a_png_with_a_damaged_byte_is_refused(tmp_path):
    noise = np.random.default_rng(1).integers(0, 256, size=(50, 50), dtype=np.uint8)
    data = bytearray(save(Image.fromarray(noise)))
    start = data.index(b"IDAT") + 4
    data[start + 100] ^= 0xFF  # one byte of the compressed pixels
    refused(write(tmp_path, "flipped.png", bytes(data)), "damaged or incomplete")
    # a damaged byte in a text chunk: the pixels decode fine, the chunk's checksum fails
    text = chunk(b"tEXt", b"Comment\x00a scanned digit")
    clean = raw_png(digit_on_paper(), 8, 0, extra=text)
    np.testing.assert_array_equal(load_image(clean), digit_on_paper())
    damaged = bytearray(clean)
    damaged[clean.index(b"scanned")] ^= 0x01
    refused(write(tmp_path, "bad_text.png", bytes(damaged)), "damaged or incomplete")


# ----- not an image, empty, missing --------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "data", "fragments"),
    [
        ("notes.png", b"these are my notes, not a picture", ("not an image", "PNG or JPEG")),
        ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", ("HEIC", "JPEG")),
        ("scan.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", ("PDF", "PNG or JPEG")),
        ("digit.svg", b'<?xml version="1.0"?>\n<svg xmlns="x"/>', ("SVG", "PNG")),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(tmp_path, name, data, fragments):
    refused(write(tmp_path, name, data), *fragments)


def test_an_empty_file_is_refused(tmp_path):
    path = write(tmp_path, "empty.png", b"")
    refused(path, "empty (0 bytes)")
    with open(path, "rb") as handle:
        refused(handle.name, "empty")
        with pytest.raises(ImageFileError, match="empty.png is empty"):
            load_image(handle)
    with pytest.raises(ImageFileError, match="^the file is empty"):
        load_image(b"")
    with open(path.with_name("digit.png"), "wb+") as handle:
        handle.write(save(Image.fromarray(digit_on_paper())))  # written, not rewound
        with pytest.raises(ImageFileError, match=r"digit.png is empty.*seek\(0\)"):
            load_image(handle)
        handle.seek(0)
        np.testing.assert_array_equal(load_image(handle), digit_on_paper())


def test_a_missing_path_and_a_folder_are_refused(tmp_path):
    refused(tmp_path / "missing.png", "no image file", "check the path", error=FileNotFoundError)
    refused(tmp_path, "is a folder", "path of an image file", error=IsADirectoryError)


def test_a_file_opened_as_text_is_refused(tmp_path):
    path = write(tmp_path, "digit.png", save(Image.fromarray(digit_on_paper())))
    with open(path, encoding="latin-1") as handle, pytest.raises(TypeError, match="'rb'"):
        load_image(handle)


def test_messages_name_the_upload_or_the_file_object(tmp_path):
    with pytest.raises(ImageFileError, match="^my upload.gif is not an image"):
        load_image(b"GIF? no", name="my upload.gif")
    path = write(tmp_path, "named.png", b"junk")
    with open(path, "rb") as handle, pytest.raises(ImageFileError, match="named.png is not"):
        load_image(handle)
    assert issubclass(ImageFileError, ValueError)  # the drawing widget shows ValueErrors


def test_the_drawing_widget_shows_the_reason_for_a_bad_upload():
    frames = [Image.fromarray(digit_on_paper()), Image.fromarray(255 - digit_on_paper())]
    gif = save(frames[0], "GIF", save_all=True, append_images=frames[1:])
    w = drawing_classifier(MLP([784, 10], seed=0))
    assert w.load(gif) is None
    assert "2 frames" in w.readout.value and "single PNG" in w.readout.value


# ----- huge images (decompression bombs) ----------------------------------------------------------
@pytest.mark.parametrize("side", [10_000, 20_000])  # Pillow warns above 89 M pixels, fails at 179 M
def test_a_decompression_bomb_is_refused(tmp_path, side):
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    refused(write(tmp_path, "bomb.png", data), "too large", "shrink the image")


def test_the_size_limit_is_pillows(tmp_path, monkeypatch):
    path = write(tmp_path, "digit.png", save(Image.fromarray(digit_on_paper())))
    np.testing.assert_array_equal(load_image(path), digit_on_paper())
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # the digit has 2,400 pixels
    refused(path, "too large", "1,000 pixels")


# ----- transparency: the background is white paper -----------------------------------------------
def transparent_variants():
    """The 7 as black ink on a transparent background, in every way a file can say so."""
    ink = digit_on_paper() == 0
    rgba = np.zeros((60, 40, 4), dtype=np.uint8)
    rgba[:, :, 3] = np.where(ink, 255, 0)
    la = Image.fromarray(rgba).convert("LA")
    palette = Image.fromarray(np.where(ink, 1, 0).astype(np.uint8), mode="L").convert("P")
    palette.putpalette([0, 0, 0, 0, 0, 0])  # index 0 (background) is black and transparent
    rgb_key = Image.fromarray(np.repeat(np.where(ink, 0, 9).astype(np.uint8)[..., None], 3, 2))
    grey_key = Image.fromarray(np.where(ink, 0, 9).astype(np.uint8))  # background: 9, keyed
    grey16 = np.where(ink, 0, 9).astype(np.uint16)
    return [
        ("rgba.png", save(Image.fromarray(rgba))),
        ("la.png", save(la)),
        ("palette.png", save(palette, transparency=0)),
        ("palette.gif", save(palette, "GIF", transparency=0)),
        ("rgb_key.png", save(rgb_key, transparency=(9, 9, 9))),
        ("grey_key.png", save(grey_key, transparency=9)),
        ("grey16_key.png", raw_png(grey16, 16, 0, chunk(b"tRNS", struct.pack(">H", 9)))),
    ]


@pytest.mark.parametrize(("name", "data"), transparent_variants())
def test_a_transparent_background_becomes_white_paper(tmp_path, name, data):
    loaded = load_image(write(tmp_path, name, data))
    assert loaded.shape == (60, 40, 4)
    np.testing.assert_allclose(to_grayscale(loaded), to_grayscale(255 - digit_on_paper()))
    np.testing.assert_allclose(to_mnist(loaded), to_mnist(digit_on_paper()), atol=1e-6)


def test_white_strokes_on_a_transparent_background_are_read_too(tmp_path):
    rgba = np.full((60, 40, 4), 255, dtype=np.uint8)
    rgba[:, :, 3] = np.where(digit_on_paper() == 0, 255, 0)
    loaded = load_image(write(tmp_path, "white.png", save(Image.fromarray(rgba))))
    np.testing.assert_allclose(to_mnist(loaded), to_mnist(digit_on_paper()), atol=1e-6)
    with pytest.raises(EmptyImageError):  # fully transparent: still nothing to read
        to_mnist(np.zeros((60, 40, 4), dtype=np.uint8))


# ----- photos taken sideways ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("orientation", "upright"),
    [
        (1, lambda a: a),
        (2, lambda a: a[:, ::-1]),
        (3, lambda a: a[::-1, ::-1]),
        (4, lambda a: a[::-1]),
        (5, lambda a: a.T),
        (6, lambda a: np.rot90(a, -1)),  # the phone was turned clockwise
        (7, lambda a: a[::-1, ::-1].T),
        (8, lambda a: np.rot90(a, 1)),
    ],
)
def test_the_exif_orientation_of_a_photo_is_applied(tmp_path, orientation, upright):
    stored = digit_on_paper()
    exif = Image.Exif()
    exif[0x0112] = orientation  # EXIF "Orientation"
    for fmt in ("PNG", "JPEG"):
        data = save(
            Image.fromarray(stored), fmt, exif=exif, **({"quality": 100} if fmt == "JPEG" else {})
        )
        loaded = load_image(write(tmp_path, f"photo.{fmt.lower()}", data))
        assert loaded.shape == upright(stored).shape
        assert np.abs(loaded.astype(int) - upright(stored)).max() <= (0 if fmt == "PNG" else 8)


# ----- other colour models ------------------------------------------------------------------------
def test_cmyk_jpeg_and_lab_tiff_are_read_as_grey(tmp_path):
    paper = digit_on_paper()
    cmyk = write(
        tmp_path, "print.jpg", save(Image.fromarray(paper).convert("CMYK"), "JPEG", quality=100)
    )
    assert Image.open(cmyk).mode == "CMYK"
    assert np.abs(load_image(cmyk).astype(int) - paper).max() <= 8
    lab = Image.merge(
        "LAB",
        [Image.fromarray(paper), Image.new("L", (40, 60), 128), Image.new("L", (40, 60), 128)],
    )
    path = write(tmp_path, "lab.tif", save(lab, "TIFF"))
    assert Image.open(path).mode == "LAB"
    np.testing.assert_array_equal(load_image(path), paper)
