"""nnfs_utils.preprocess: drawings and image files turned into MNIST-style 28x28 inputs."""

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from nnfs_utils import MLP
from nnfs_utils.data import load_mnist
from nnfs_utils.preprocess import EmptyImageError, load_image, mnist_steps, to_grayscale, to_mnist


@pytest.fixture(scope="module")
def digits():
    """A small MLP trained for a moment on the shipped sample, and 200 dev digits it gets right."""
    X_train, y_train, X_dev, y_dev = load_mnist("sample")
    model = MLP([784, 64, 10], seed=0)
    model.fit(X_train, y_train, epochs=5, batch_size=32, optimizer="adam", progress=False)
    right = np.flatnonzero(model.predict(X_dev) == y_dev)[:200]
    return model, X_dev[right].reshape(-1, 28, 28), y_dev[right]


def resize(image, height, width):
    img = Image.fromarray(np.asarray(image, dtype=np.float32))
    return np.asarray(img.resize((width, height), Image.Resampling.BILINEAR)).clip(0, 1)


def dilate(image, r):
    """Thicker strokes: the maximum over a (2r+1) x (2r+1) neighbourhood."""
    padded = np.pad(image, r)
    h, w = image.shape
    shifts = [padded[r + dy : r + dy + h, r + dx : r + dx + w] for dy in range(-r, r + 1)
              for dx in range(-r, r + 1)]  # fmt: skip
    return np.max(shifts, axis=0)


def accuracy(model, images, labels):
    return float(np.mean(model.predict(np.stack(images)) == labels))


# ----- the transformed copies of real digits are still recognised --------------------------
def test_shifted_digits_are_recentred(digits):
    model, images, labels = digits
    rng = np.random.default_rng(1)
    copies = []
    for image in images:
        canvas = np.zeros((48, 48), dtype=np.float32)
        top, left = rng.integers(0, 21, size=2)
        canvas[top : top + 28, left : left + 28] = image
        copies.append(canvas)
    assert accuracy(model, [to_mnist(c) for c in copies], labels) >= 0.97
    # without the preprocessing the same copies, squeezed to 28x28, are mostly misread:
    naive = [resize(c, 28, 28).ravel() for c in copies]
    assert accuracy(model, naive, labels) < 0.6


def test_enlarged_dark_on_light_digits(digits):
    """A digit 4x larger, off-centre, dark ink on white paper (like a photo or the canvas)."""
    model, images, labels = digits
    copies = []
    for image in images:
        paper = np.ones((200, 200), dtype=np.float32)
        paper[30:142, 50:162] = 1.0 - resize(image, 112, 112)
        copies.append(paper)
    assert accuracy(model, [to_mnist(c) for c in copies], labels) >= 0.95


def test_small_digits_are_enlarged(digits):
    model, images, labels = digits
    copies = []
    for image in images:
        canvas = np.zeros((60, 60), dtype=np.float32)
        canvas[3:17, 30:44] = resize(image, 14, 14)
        copies.append(canvas)
    assert accuracy(model, [to_mnist(c) for c in copies], labels) >= 0.85


def test_thick_strokes(digits):
    model, images, labels = digits
    copies = [dilate(resize(image, 112, 112), 3) for image in images]
    assert accuracy(model, [to_mnist(c) for c in copies], labels) >= 0.85


def test_mnist_digits_are_left_almost_unchanged(digits):
    """MNIST digits were made this way, so preprocessing one again barely changes it."""
    _, images, _ = digits
    again = np.stack([to_mnist(image) for image in images]).reshape(images.shape)
    assert np.abs(again - images).mean() < 0.01


# ----- the geometry ---------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(
    height=st.integers(3, 150),
    width=st.integers(3, 150),
    top=st.integers(0, 50),
    left=st.integers(0, 50),
    dark_on_light=st.booleans(),
)
def test_box_fits_20_pixels_and_centre_of_mass_is_in_the_middle(
    height, width, top, left, dark_on_light
):
    canvas = np.zeros((top + height + 10, left + width + 10), dtype=np.float32)
    canvas[top : top + height, left : left + width] = 1.0
    if dark_on_light:
        canvas = 1.0 - canvas
    steps = mnist_steps(canvas)
    out = steps["centred"]
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() == pytest.approx(1.0)
    assert max(steps["scaled"].shape) == 20
    # aspect ratio kept (to within the rounding to whole pixels)
    h, w = steps["scaled"].shape
    assert abs(h / w - height / width) <= (height / width) * (1 / min(h, w) + 0.01) + 0.05
    rows, cols = np.indices(out.shape)
    cy, cx = (rows * out).sum() / out.sum(), (cols * out).sum() / out.sum()
    assert abs(cy - 14) <= 0.5 + 1e-6 and abs(cx - 14) <= 0.5 + 1e-6


def test_aspect_ratio_of_a_bar():
    canvas = np.zeros((200, 200), dtype=np.float32)
    canvas[20:120, 60:80] = 1.0  # 100 tall, 20 wide
    assert mnist_steps(canvas)["scaled"].shape == (20, 4)


def test_result_is_a_flat_float32_vector_in_0_1():
    canvas = np.zeros((100, 100), dtype=np.uint8)
    canvas[30:70, 45:55] = 255
    x = to_mnist(canvas)
    assert x.shape == (784,) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() == pytest.approx(1.0)


def test_inputs_in_every_format_give_the_same_result():
    ink = np.zeros((90, 90), dtype=np.uint8)
    ink[20:70, 30:40] = 255
    ink[20:30, 30:70] = 255
    expected = to_mnist(ink)
    paper = 255 - ink  # black on white
    rgb = np.repeat(paper[:, :, None], 3, axis=2)
    transparent = np.zeros((90, 90, 4), dtype=np.uint8)  # black strokes on a transparent canvas
    transparent[:, :, 3] = ink
    images = [Image.fromarray(paper), Image.fromarray(rgb), Image.fromarray(paper).convert("P")]
    images.append(Image.fromarray(paper).convert("1"))  # black and white, one bit per pixel
    images.append(Image.fromarray((ink / 255).astype(np.float32)))  # mode "F"
    for variant in (paper, rgb, transparent, ink / 255.0, *images):
        np.testing.assert_allclose(to_mnist(variant), expected, atol=1e-5)
    np.testing.assert_allclose(to_mnist(ink, invert=False), expected, atol=1e-5)
    np.testing.assert_allclose(to_mnist(paper, invert=True), expected, atol=1e-5)


def test_a_grey_paper_background_is_removed():
    paper = np.full((80, 80), 200, dtype=np.uint8)  # a greyish photo of paper
    paper[20:60, 35:45] = 40
    clean = np.full((80, 80), 255, dtype=np.uint8)
    clean[20:60, 35:45] = 0
    np.testing.assert_allclose(to_mnist(paper), to_mnist(clean), atol=1e-5)


def test_a_flat_784_vector_is_read_as_28x28(digits):
    _, images, _ = digits
    np.testing.assert_allclose(to_mnist(images[0].ravel()), to_mnist(images[0]), atol=0)


# ----- empty and bad input ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "blank",
    [
        np.zeros((280, 280), dtype=np.uint8),
        np.full((280, 280), 255, dtype=np.uint8),
        np.full((50, 60), 0.5, dtype=np.float32),
        np.zeros((40, 40, 4), dtype=np.uint8),  # fully transparent
    ],
)
def test_empty_canvas_says_draw_a_digit_first(blank):
    with pytest.raises(EmptyImageError, match="draw a digit first"):
        to_mnist(blank)
    assert issubclass(EmptyImageError, ValueError)
    assert not to_grayscale(blank).any()


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (np.zeros((5, 5, 2)), ValueError, r"shape \(height, width\)"),
        (np.zeros((2, 3, 4, 5)), ValueError, "shape"),
        (np.zeros(100), ValueError, "784 values"),
        (np.zeros((1, 30)), ValueError, "too small"),
        (np.full((10, 10), np.nan), ValueError, "NaN"),
        (np.full((10, 10), 3.0), ValueError, "divide 8-bit values by 255"),
        (np.full((10, 10), -1, dtype=np.int16), ValueError, "0..255"),
        (np.array([["a", "b"], ["c", "d"]]), TypeError, "numbers"),
        ("digit.png", TypeError, "load_image"),
        (b"\x89PNG", TypeError, "load_image"),
    ],
)
def test_bad_input_is_explained(bad, error, message):
    with pytest.raises(error, match=message):
        to_mnist(bad)


def test_bad_invert_value():
    with pytest.raises(ValueError, match="invert must be"):
        to_mnist(np.eye(10), invert="yes")


# ----- image files ------------------------------------------------------------------------------
def png_bytes(array):
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


def test_load_image_from_path_bytes_and_file_object(tmp_path):
    paper = np.full((64, 48), 255, dtype=np.uint8)
    paper[10:50, 20:28] = 0
    data = png_bytes(paper)
    path = tmp_path / "one.png"
    path.write_bytes(data)
    for source in (path, str(path), data, bytearray(data), memoryview(data), io.BytesIO(data)):
        loaded = load_image(source)
        assert loaded.shape == (64, 48) and loaded.dtype == np.uint8
        np.testing.assert_array_equal(loaded, paper)
    np.testing.assert_allclose(to_mnist(load_image(path)), to_mnist(paper), atol=0)


def test_load_image_keeps_transparency():
    rgba = np.zeros((40, 40, 4), dtype=np.uint8)
    rgba[5:35, 18:22, 3] = 255  # a black bar on a transparent background
    loaded = load_image(png_bytes(rgba))
    assert loaded.shape == (40, 40, 4)
    assert to_mnist(loaded).max() == pytest.approx(1.0)


def test_load_image_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no image file"):
        load_image(tmp_path / "missing.png")
    with pytest.raises(ValueError, match="PNG or JPEG"):
        load_image(b"this is not an image")
    with pytest.raises(ValueError, match="empty"):
        load_image(b"")
    with pytest.raises(TypeError, match="path, bytes or a file object"):
        load_image(42)
