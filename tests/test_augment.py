"""nnfs_utils.augment: exact transforms, seeded random augmentation, labels kept."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnfs_utils import MLP
from nnfs_utils.augment import (
    add_noise,
    augment,
    change_thickness,
    plot_augmentation_preview,
    rotate_images,
    shift_images,
)
from nnfs_utils.data import load_mnist


@pytest.fixture(scope="module")
def digits():
    d = load_mnist("sample")
    return d.X_train[:64], d.y_train[:64]


def test_shift_moves_pixels_and_fills_black(digits):
    X, _ = digits
    out = shift_images(X, 3, -2).reshape(-1, 28, 28)
    images = X.reshape(-1, 28, 28)
    np.testing.assert_array_equal(out[:, :-2, 3:], images[:, 2:, :-3])
    assert np.all(out[:, :, :3] == 0) and np.all(out[:, -2:, :] == 0)
    assert out.dtype == X.dtype
    with pytest.raises(ValueError, match="smaller than 28"):
        shift_images(X, 28)


def test_rotation_by_0_and_90_degrees(digits):
    X, _ = digits
    np.testing.assert_allclose(rotate_images(X, 0), X, atol=1e-6)
    turned = rotate_images(X.astype(np.float64), 90).reshape(-1, 28, 28)
    np.testing.assert_allclose(turned, np.rot90(X.reshape(-1, 28, 28), axes=(1, 2)), atol=1e-12)
    small = rotate_images(X, 10)
    assert 0 <= small.min() and small.max() <= 1 + 1e-6


def test_noise_is_seeded_and_clipped(digits):
    X, _ = digits
    a, b = add_noise(X, 0.3, rng=5), add_noise(X, 0.3, rng=5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, add_noise(X, 0.3, rng=6))
    assert a.min() >= 0 and a.max() <= 1
    np.testing.assert_array_equal(add_noise(X, 0.0), X)
    with pytest.raises(ValueError, match="std must be 0 or more"):
        add_noise(X, -1)


def test_thickness_grows_and_shrinks_the_ink(digits):
    X, _ = digits
    ink = X.sum(axis=1)
    assert np.all(change_thickness(X, 1).sum(axis=1) > ink)
    assert np.all(change_thickness(X, -1).sum(axis=1) < ink)
    np.testing.assert_array_equal(change_thickness(X, 0), X)


def test_augment_is_seeded_label_preserving_and_leaves_x_alone(digits):
    X, y = digits
    before = X.copy()
    Xa, ya = augment(X, y, rng=3)
    Xb, yb = augment(X, y, rng=3)
    np.testing.assert_array_equal(Xa, Xb)
    np.testing.assert_array_equal(ya, y)
    np.testing.assert_array_equal(yb, y)
    assert ya is not y
    np.testing.assert_array_equal(X, before)
    assert Xa.shape == X.shape and Xa.dtype == X.dtype
    assert Xa.min() >= 0 and Xa.max() <= 1
    assert not np.array_equal(Xa, augment(X, y, rng=4)[0])
    # every change off: the images come back unchanged
    same, _ = augment(X, y, rng=0, shift=0, rotation=0, noise=0, thickness=False)
    np.testing.assert_allclose(same, X, atol=1e-7)


def test_bad_input_is_named(digits):
    X, y = digits
    with pytest.raises(ValueError, match=r"shape \(n_samples, 784\)"):
        augment(X.reshape(-1, 28, 28), y)
    with pytest.raises(TypeError, match="X / 255"):
        shift_images((X * 255).astype(np.uint8), 1)
    with pytest.raises(ValueError, match="64 images but y has 3 labels"):
        augment(X, y[:3])


def test_preview_grid(digits):
    X, y = digits
    axes = plot_augmentation_preview(Figure(), X, y, n_images=5, n_versions=3)
    assert axes.shape == (4, 5)
    assert axes[0, 2].get_title() == f"label {y[2]}"


def test_augmented_digits_still_read_as_their_labels():
    # a network trained on augmented digits reads augmented dev digits by their labels; with
    # labels that no longer fit the images it could not get far above chance (0.1)
    d = load_mnist("sample")
    X_aug, y_aug = augment(d.X_train, d.y_train, rng=0)
    model = MLP([784, 64, 10], dtype=np.float64, seed=0)
    model.fit(X_aug, y_aug, epochs=5, optimizer="adam", progress=False)
    X_dev, y_dev = augment(d.X_dev, d.y_dev, rng=1)
    np.testing.assert_array_equal(y_dev, d.y_dev)
    assert model.evaluate(X_dev, y_dev) > 0.7  # measured 0.790
    assert model.evaluate(d.X_dev, d.y_dev) > 0.8  # measured 0.888
