"""Data augmentation for 28x28 digits: new training images that keep their labels.

Every function takes flattened images ``X`` (n_samples, 784) with pixels in [0, 1] (as
``load_mnist`` gives them) and returns new images of the same shape and dtype; ``X`` is never
changed. The exact transforms (used to build damaged dev sets):

    shift_images(X, dx, dy)       move every image right by dx and down by dy pixels
    rotate_images(X, degrees)     rotate every image about its centre (anticlockwise)
    add_noise(X, std, rng)        add Gaussian noise, clipped back to [0, 1]
    change_thickness(X, steps)    thicker strokes (steps > 0) or thinner ones (steps < 0)

and the random ones, seeded, one draw per image:

    augment(X, y, rng, shift=2, rotation=15, noise=0.1, thickness=True) -> (X_new, y)

``augment`` returns the labels unchanged: a shifted or slightly rotated 7 is still a 7.
"""

import numpy as np

from .checks import as_generator

__all__ = [
    "add_noise",
    "augment",
    "change_thickness",
    "plot_augmentation_preview",
    "rotate_images",
    "shift_images",
]

SIDE = 28


def _images(X):
    """X (n, 784) as float images (n, 28, 28), checked."""
    X = np.asarray(X)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != SIDE * SIDE:
        raise ValueError(
            f"expected flattened 28x28 images of shape (n_samples, 784), got shape {X.shape}; "
            "pass X_train as load_mnist gives it, or images.reshape(len(images), 784)"
        )
    if not np.issubdtype(X.dtype, np.floating):
        raise TypeError(
            f"expected float pixels in [0, 1], got dtype {X.dtype}; scale first: X / 255"
        )
    return X.reshape(-1, SIDE, SIDE)


def _flat(images, dtype):
    return np.ascontiguousarray(images.reshape(len(images), SIDE * SIDE), dtype=dtype)


def _shift_one(image, dx, dy):
    out = np.zeros_like(image)
    h, w = image.shape
    src_y, dst_y = (
        (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    )
    src_x, dst_x = (
        (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    )
    out[dst_y, dst_x] = image[src_y, src_x]
    return out


def shift_images(X, dx, dy=0):
    """Every image moved right by ``dx`` and down by ``dy`` whole pixels (black fills in)."""
    dx, dy = int(dx), int(dy)
    if abs(dx) >= SIDE or abs(dy) >= SIDE:
        raise ValueError(f"a shift must be smaller than {SIDE} pixels, got dx={dx}, dy={dy}")
    images = _images(X)
    return _flat(np.stack([_shift_one(im, dx, dy) for im in images]), images.dtype)


def _rotate(images, radians):
    """Rotate each image by its own angle (radians, anticlockwise), bilinear sampling."""
    c = (SIDE - 1) / 2
    rows, cols = np.mgrid[0:SIDE, 0:SIDE].astype(np.float64)
    y, x = rows - c, cols - c  # output pixel positions about the centre
    cos, sin = np.cos(radians)[:, None, None], np.sin(radians)[:, None, None]
    # where each output pixel comes from: the inverse rotation (y points down in an image)
    src_x = cos * x - sin * y + c
    src_y = sin * x + cos * y + c
    x0, y0 = np.floor(src_x).astype(int), np.floor(src_y).astype(int)
    fx, fy = src_x - x0, src_y - y0
    n = np.arange(len(images))[:, None, None]
    out = np.zeros(images.shape, dtype=np.float64)
    for ox, oy, weight in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                           (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):  # fmt: skip
        xi, yi = x0 + ox, y0 + oy
        inside = (xi >= 0) & (xi < SIDE) & (yi >= 0) & (yi < SIDE)
        values = images[n, np.clip(yi, 0, SIDE - 1), np.clip(xi, 0, SIDE - 1)]
        out += np.where(inside, values, 0.0) * weight
    return out


def rotate_images(X, degrees):
    """Every image rotated by ``degrees`` (anticlockwise) about its centre, bilinear."""
    images = _images(X)
    angles = np.full(len(images), np.deg2rad(float(degrees)))
    return _flat(_rotate(images, angles), images.dtype)


def add_noise(X, std, rng=0):
    """Gaussian noise of standard deviation ``std`` added to every pixel, clipped to [0, 1]."""
    if not std >= 0:
        raise ValueError(f"std must be 0 or more, got {std!r}")
    images = _images(X)
    noisy = images + as_generator(rng).normal(0.0, std, size=images.shape)
    return _flat(np.clip(noisy, 0.0, 1.0), images.dtype)


def _neighbour_stack(images):
    """The image and its 4 neighbours (up, down, left, right), zero beyond the border."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    return np.stack(
        [
            padded[:, 1:-1, 1:-1],
            padded[:, :-2, 1:-1],
            padded[:, 2:, 1:-1],
            padded[:, 1:-1, :-2],
            padded[:, 1:-1, 2:],
        ]
    )


def _thicken(images, steps):
    """Grow (steps > 0, a maximum over the 4 neighbours) or shrink (min) the strokes."""
    out = images
    for _ in range(abs(int(steps))):
        stack = _neighbour_stack(out)
        if steps > 0:
            out = stack.max(axis=0)
        else:  # thinner: half-way to the minimum, so thin strokes fade rather than vanish
            out = 0.5 * (out + stack.min(axis=0))
    return out


def change_thickness(X, steps):
    """Strokes made thicker (``steps`` > 0) or thinner (< 0) by ``|steps|`` pixel steps."""
    images = _images(X)
    return _flat(_thicken(images, int(steps)), images.dtype)


def augment(X, y, rng=0, shift=2, rotation=15.0, noise=0.1, thickness=True):
    """A randomly changed copy of every image, and the labels unchanged.

    Per image, drawn from ``rng`` (so the same seed gives the same images): a shift of up to
    ``shift`` pixels in x and y, a rotation of up to ``rotation`` degrees either way, Gaussian
    noise with a standard deviation drawn from [0, ``noise``], and (``thickness=True``) strokes
    one step thicker, one step thinner or unchanged. 0 (or False) turns a change off.
    Returns (X_new, y) with ``y`` a copy of the labels.
    """
    images = _images(X)
    y = np.asarray(y)
    if len(y) != len(images):
        raise ValueError(
            f"X has {len(images)} images but y has {len(y)} labels; pass matching X and y"
        )
    rng = as_generator(rng)
    n = len(images)
    out = images.astype(np.float64)
    if thickness:
        steps = rng.integers(-1, 2, size=n)  # -1, 0 or 1
        for s in (-1, 1):
            chosen = steps == s
            out[chosen] = _thicken(out[chosen], s)
    if rotation:
        angles = np.deg2rad(rng.uniform(-rotation, rotation, size=n))
        out = _rotate(out, angles)
    if shift:
        moves = rng.integers(-int(shift), int(shift) + 1, size=(n, 2))
        out = np.stack([_shift_one(im, dx, dy) for im, (dx, dy) in zip(out, moves, strict=True)])
    if noise:
        stds = rng.uniform(0, noise, size=(n, 1, 1))
        out = np.clip(out + rng.normal(size=out.shape) * stds, 0.0, 1.0)
    return _flat(out, images.dtype), y.copy()


def plot_augmentation_preview(fig, X, y, rng=0, n_images=8, n_versions=4, **augment_options):
    """A grid: each column one training image, the original on top, augmented versions below."""
    X, y = np.asarray(X)[:n_images], np.asarray(y)[:n_images]
    rng = as_generator(rng)
    rows = [X] + [augment(X, y, rng, **augment_options)[0] for _ in range(n_versions)]
    axes = fig.subplots(len(rows), len(X), squeeze=False)
    for r, images in enumerate(rows):
        for c, image in enumerate(images):
            ax = axes[r, c]
            ax.imshow(image.reshape(SIDE, SIDE), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"label {y[c]}", fontsize=9)
        axes[r, 0].set_ylabel("original" if r == 0 else f"version {r}", fontsize=9)
    return axes
