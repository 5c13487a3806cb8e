"""Conv2D, MaxPool2D, Flatten and Sequential (nnfs_utils.conv).

Forward passes are compared with plain loops over every output element; backward passes with
central differences in float64, on shapes, strides and padding drawn by hypothesis
(derandomized, so the same examples run every time). The max-pool tie rule is tested on
windows built to tie.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnfs_utils.activations import ReLU
from nnfs_utils.conv import Conv2D, Flatten, MaxPool2D, Sequential, col2im, im2col, output_size
from nnfs_utils.exercises import numerical_gradient  # central differences, as notebook 04
from nnfs_utils.layers import Dense
from nnfs_utils.optimizers import SGD, Adam

CHECK = settings(max_examples=20, deadline=None, derandomize=True, database=None)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def assert_close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def conv_loops(X, W, b, stride, padding):
    """The definition, one output element at a time."""
    p = padding
    X = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
    n, _, Hp, Wp = X.shape
    F, _, k, _ = W.shape
    Ho, Wo = (Hp - k) // stride + 1, (Wp - k) // stride + 1
    Z = np.zeros((n, F, Ho, Wo))
    for s in range(n):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    window = X[s, :, i * stride : i * stride + k, j * stride : j * stride + k]
                    Z[s, f, i, j] = np.sum(window * W[f]) + b[f]
    return Z


def pool_loops(X, size, stride):
    n, C, H, W = X.shape
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    Z = np.zeros((n, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            window = X[:, :, i * stride : i * stride + size, j * stride : j * stride + size]
            Z[:, :, i, j] = window.max(axis=(2, 3))
    return Z


@st.composite
def conv_cases(draw):
    k = draw(st.integers(1, 4))
    padding = draw(st.integers(0, 2))
    stride = draw(st.integers(1, 3))
    height = draw(st.integers(max(1, k - 2 * padding), 8))
    width = draw(st.integers(max(1, k - 2 * padding), 8))
    n = draw(st.integers(1, 3))
    channels, filters = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return n, channels, height, width, filters, k, stride, padding, draw(seeds)


# --------------------------------------------------------------------------- Conv2D
@CHECK
@given(case=conv_cases())
def test_conv_forward_matches_loops(case):
    n, C, H, W, F, k, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    layer = Conv2D(C, F, k, stride, padding, rng=rng, dtype=np.float64)
    layer.b[...] = rng.standard_normal(F)
    X = rng.standard_normal((n, C, H, W))
    Z = layer.forward(X)
    assert Z.shape == layer.output_shape(X.shape)
    assert Z.shape[2:] == (output_size(H, k, stride, padding), output_size(W, k, stride, padding))
    np.testing.assert_allclose(Z, conv_loops(X, layer.W, layer.b, stride, padding), atol=1e-12)


@CHECK
@given(case=conv_cases())
def test_conv_gradients(case):
    n, C, H, W, F, k, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    layer = Conv2D(C, F, k, stride, padding, rng=rng, dtype=np.float64)
    layer.b[...] = rng.standard_normal(F)
    X = rng.standard_normal((n, C, H, W))
    G = rng.standard_normal(layer.output_shape(X.shape))

    def loss():
        return float(np.sum(G * layer.forward(X)))

    layer.forward(X)
    dX = layer.backward(G)
    dW, db = layer.dW.copy(), layer.db.copy()
    assert dX.shape == X.shape and dW.shape == layer.W.shape and db.shape == layer.b.shape
    assert_close(dX, numerical_gradient(loss, X))
    assert_close(dW, numerical_gradient(loss, layer.W))
    assert_close(db, numerical_gradient(loss, layer.b))


def test_conv_first_layer_skips_input_gradient():
    layer = Conv2D(1, 2, 3, rng=0, dtype=np.float64)
    X = np.random.default_rng(1).standard_normal((2, 1, 5, 5))
    G = np.ones(layer.output_shape(X.shape))
    layer.forward(X)
    dX = layer.backward(G)
    dW = layer.dW.copy()
    assert layer.backward(G, input_grad=False) is None
    np.testing.assert_array_equal(layer.dW, dW)
    assert dX.shape == X.shape


def test_conv_init_dtype_and_params():
    layer = Conv2D(3, 4, 5, rng=0)
    assert layer.W.shape == (4, 3, 5, 5) and layer.b.shape == (4,)
    assert layer.W.dtype == np.float32 and layer.W.flags.c_contiguous
    assert np.all(layer.b == 0)
    # He init: standard deviation sqrt(2 / fan-in), fan-in = 3 * 5 * 5
    big = Conv2D(8, 64, 5, rng=0, dtype=np.float64)
    assert abs(big.W.std() / np.sqrt(2 / 200) - 1) < 0.05
    assert [p.shape for p in layer.params] == [g.shape for g in layer.grads]
    # the same seed gives the same weights in both dtypes
    np.testing.assert_allclose(
        Conv2D(2, 3, 3, rng=5).W, Conv2D(2, 3, 3, rng=5, dtype=np.float64).W, rtol=1e-6
    )


def test_conv_float32_input_is_converted_to_the_layer_dtype():
    layer = Conv2D(1, 2, 3, rng=0, dtype=np.float64)
    Z = layer.forward(np.ones((1, 1, 4, 4), dtype=np.uint8))
    assert Z.dtype == np.float64


def test_im2col_and_col2im_are_adjoint():
    # <im2col(X), C> == <X, col2im(C)>: col2im is the transpose of im2col, as backward needs
    rng = np.random.default_rng(3)
    for shape, k, stride in [((2, 3, 7, 6), 3, 1), ((1, 2, 9, 8), 2, 3), ((3, 1, 5, 5), 5, 2)]:
        X = rng.standard_normal(shape)
        cols = im2col(X, k, stride)
        C = rng.standard_normal(cols.shape)
        assert np.isclose(np.sum(cols * C), np.sum(X * col2im(C, shape, k, stride)))


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.zeros((2, 28, 28)), r"X\[:, None\]"),
        (np.zeros((2, 784)), r"X.reshape\(len\(X\), 1, 28, 28\)"),
        (np.zeros((2, 3, 3, 1)), r"got shape \(2, 3, 3, 1\)"),
        (np.zeros((2, 1, 2, 2)), "smaller than the 3x3 filter"),
        (np.array([["a"]]), "must hold numbers"),
        (np.full((1, 1, 4, 4), np.nan, dtype=np.float32), "NaN"),  # converted, so checked
    ],
)
def test_conv_bad_input(X, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Conv2D(1, 2, 3, rng=0, dtype=np.float64).forward(X)


def test_conv_channels_last_gets_a_transpose_hint():
    with pytest.raises(ValueError, match=r"transpose\(0, 3, 1, 2\)"):
        Conv2D(3, 2, 3, rng=0).forward(np.zeros((2, 8, 8, 3), dtype=np.float32))


def test_conv_bad_settings_and_gradient():
    with pytest.raises(ValueError, match="kernel_size must be at least 1"):
        Conv2D(1, 2, 0)
    with pytest.raises(TypeError, match="stride must be a whole number"):
        Conv2D(1, 2, 3, stride=1.5)
    with pytest.raises(ValueError, match="padding must be at least 0"):
        Conv2D(1, 2, 3, padding=-1)
    with pytest.raises(ValueError, match="dtype must be"):
        Conv2D(1, 2, 3, dtype=np.int32)
    layer = Conv2D(1, 2, 3, rng=0, dtype=np.float64)
    with pytest.raises(ValueError, match=r"call forward\(\) before backward\(\)"):
        layer.backward(np.zeros((1, 2, 2, 2)))
    layer.forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"expects dZ of shape \(1, 2, 2, 2\)"):
        layer.backward(np.zeros((1, 2, 3, 3)))


# --------------------------------------------------------------------------- MaxPool2D
@st.composite
def pool_cases(draw):
    size = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    shape = (
        draw(st.integers(1, 2)),
        draw(st.integers(1, 3)),
        draw(st.integers(size, 8)),
        draw(st.integers(size, 8)),
    )
    return shape, size, stride, draw(seeds)


@CHECK
@given(case=pool_cases())
def test_pool_forward_and_gradient(case):
    shape, size, stride, seed = case
    rng = np.random.default_rng(seed)
    # distinct values 0.01 apart: no ties, and a nudge of 1e-6 never changes the maximum
    X = rng.permutation(int(np.prod(shape))).reshape(shape) * 0.01
    pool = MaxPool2D(size, stride)
    Z = pool.forward(X)
    np.testing.assert_array_equal(Z, pool_loops(X, size, stride))
    G = rng.standard_normal(Z.shape)
    dX = pool.backward(G)
    assert_close(dX, numerical_gradient(lambda: float(np.sum(G * pool.forward(X))), X))


def test_pool_ties_send_the_gradient_to_the_first_maximum():
    X = np.array(
        [
            [
                [
                    [1.0, 1.0, 0.0, 2.0],
                    [1.0, 0.0, 2.0, 2.0],
                    [0.0, 0.0, 5.0, 3.0],
                    [0.0, 0.0, 5.0, 5.0],
                ]
            ]
        ]
    )
    pool = MaxPool2D()
    np.testing.assert_array_equal(pool.forward(X)[0, 0], [[1.0, 2.0], [0.0, 5.0]])
    dX = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    expected = [
        [10.0, 0.0, 0.0, 20.0],  # window (0, 0): three 1s tie, the first (top left) wins
        [0.0, 0.0, 0.0, 0.0],  # window (0, 1): 2 at (0, 3) comes before (1, 2) and (1, 3)
        [30.0, 0.0, 40.0, 0.0],  # window (1, 0): all zero, so the top left takes it
        [0.0, 0.0, 0.0, 0.0],
    ]
    np.testing.assert_array_equal(dX[0, 0], expected)
    # the gradient is neither lost nor doubled: every output's gradient lands exactly once
    assert dX.sum() == 100.0


def test_pool_ties_in_overlapping_windows_add_up():
    X = np.ones((1, 1, 3, 3))
    pool = MaxPool2D(size=2, stride=1)
    pool.forward(X)
    dX = pool.backward(np.ones((1, 1, 2, 2)))
    # every window's first place is its top left: (0,0), (0,1), (1,0), (1,1)
    np.testing.assert_array_equal(dX[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_pool_drops_what_does_not_fill_a_window():
    pool = MaxPool2D()
    X = np.arange(25.0).reshape(1, 1, 5, 5)
    np.testing.assert_array_equal(pool.forward(X)[0, 0], [[6, 8], [16, 18]])
    assert pool.backward(np.ones((1, 1, 2, 2)))[0, 0, 4].sum() == 0


def test_pool_bad_input():
    pool = MaxPool2D()
    with pytest.raises(ValueError, match=r"\(n_samples, channels, height, width\)"):
        pool.forward(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="smaller than the 2x2 window"):
        pool.forward(np.zeros((1, 1, 1, 4)))
    with pytest.raises(ValueError, match=r"call forward\(\) before backward\(\)"):
        MaxPool2D().backward(np.zeros((1, 1, 1, 1)))
    pool.forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"expects dZ of shape \(1, 1, 2, 2\)"):
        pool.backward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="size must be at least 1"):
        MaxPool2D(size=0)


# --------------------------------------------------------------------------- Flatten
def test_flatten_round_trip_and_errors():
    flat = Flatten()
    X = np.arange(24.0).reshape(2, 3, 2, 2)
    np.testing.assert_array_equal(flat.forward(X), X.reshape(2, 12))
    np.testing.assert_array_equal(flat.backward(np.ones((2, 12))), np.ones(X.shape))
    with pytest.raises(ValueError, match=r"expects dZ of shape \(2, 12\)"):
        flat.backward(np.ones((2, 11)))
    with pytest.raises(ValueError, match="call forward"):
        Flatten().backward(np.ones((2, 12)))
    with pytest.raises(ValueError, match="batch"):
        Flatten().forward(np.ones(3))


# --------------------------------------------------------------------------- Sequential
def small_net(dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return Sequential(
        [
            Conv2D(1, 3, 3, padding=1, rng=rng, dtype=dtype),
            ReLU(),
            MaxPool2D(),
            Conv2D(3, 4, 3, stride=2, rng=rng, dtype=dtype),
            ReLU(),
            Flatten(),
            Dense(4 * 1 * 1, 3, rng=rng, dtype=dtype),
        ],
        seed=seed,
    )


def test_sequential_gradients_match_central_differences():
    net = small_net()
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 1, 6, 6))
    y = np.array([0, 1, 2, 1])
    for layer in net.layers:
        if hasattr(layer, "b"):
            layer.b[...] = 0.1 * rng.standard_normal(layer.b.shape)  # no ReLU exactly at 0
    loss, grads = net.loss_and_gradients(X, y)
    grads = [g.copy() for g in grads]
    assert len(grads) == len(net.params) == 6
    for p, g in zip(net.params, grads, strict=True):
        assert_close(g, numerical_gradient(lambda: net.loss_fn.forward(net.forward(X), y), p))


def test_sequential_learns_and_optimizers_update_in_place():
    # two classes that differ by where the ink is: left half or right half
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 0.2, size=(64, 1, 6, 6))
    y = rng.integers(0, 2, size=64)
    X[y == 0, :, :, :3] += 1
    X[y == 1, :, :, 3:] += 1
    net = Sequential(
        [
            Conv2D(1, 2, 3, padding=1, rng=0, dtype=np.float64),
            ReLU(),
            MaxPool2D(),
            Flatten(),
            Dense(18, 2, rng=1, dtype=np.float64),
        ]
    )
    W_before = net.params[0]
    history = net.fit(X, y, epochs=15, batch_size=16, optimizer=Adam(lr=0.01), progress=False)
    assert net.params[0] is W_before  # updated in place
    assert history.loss[-1] < history.loss[0] / 3
    assert net.evaluate(X, y) == 1.0
    assert net.predict(X).shape == (64,) and net.predict_proba(X).shape == (64, 2)
    np.testing.assert_allclose(net.predict_proba(X).sum(axis=1), 1.0)


def test_sequential_fit_is_reproducible_and_validates():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((20, 1, 6, 6)), rng.integers(0, 3, 20)
    runs = []
    for _ in range(2):
        net = small_net(seed=3)
        h = net.fit(X, y, epochs=2, batch_size=8, optimizer=SGD(lr=0.05),
                    validation_data=(X[:5], y[:5]), progress=False)  # fmt: skip
        runs.append((h.loss, h.val_accuracy, net.params[0].copy()))
    assert runs[0][0] == runs[1][0] and runs[0][1] == runs[1][1]
    np.testing.assert_array_equal(runs[0][2], runs[1][2])
    assert len(runs[0][1]) == 2


def test_sequential_bad_input():
    net = small_net()
    X = np.zeros((4, 1, 6, 6))
    with pytest.raises(ValueError, match="labels must be in"):
        net.fit(X, [0, 1, 2, 3], epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"X\[:, None\]"):
        net.fit(np.zeros((4, 6, 6)), [0, 1, 2, 1], epochs=1, progress=False)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        net.fit(X, [0, 1, 2, 1], epochs=0, progress=False)
    with pytest.raises(ValueError, match="NaN"):
        net.fit(np.full((4, 1, 6, 6), np.nan), [0, 1, 2, 1], epochs=1, progress=False)
    with pytest.raises(TypeError, match="forward"):
        Sequential([ReLU(), "Dense"])
    with pytest.raises(ValueError, match="at least one layer"):
        Sequential([])
    with pytest.raises(ValueError, match="mix dtypes"):
        Sequential([Conv2D(1, 2, 3), Flatten(), Dense(2, 2, dtype=np.float64)])
    # a Dense that does not fit what Flatten gives names the sizes
    wrong = Sequential(
        [Conv2D(1, 2, 3, dtype=np.float64), Flatten(), Dense(5, 2, dtype=np.float64)]
    )
    with pytest.raises(ValueError, match=r"expects input of shape \(n_samples, 5\)"):
        wrong.fit(X, [0, 1, 0, 1], epochs=1, progress=False)


def test_sequential_divergence_is_reported_and_weights_restored():
    net = small_net()
    X = np.random.default_rng(0).standard_normal((8, 1, 6, 6)) * 1e200
    before = [p.copy() for p in net.params]
    with pytest.raises(ValueError, match="training diverged"):
        net.fit(X, np.zeros(8, dtype=int), epochs=1, batch_size=4, optimizer=SGD(lr=1e10),
                progress=False)  # fmt: skip
    for p, p0 in zip(net.params, before, strict=True):
        np.testing.assert_array_equal(p, p0)


def test_sequential_trains_in_mlp_fits_loop_so_early_stopping_works():
    from nnfs_utils.monitor import EarlyStopping

    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((40, 1, 6, 6)), rng.integers(0, 2, 40)
    net = small_net()
    stop = EarlyStopping(net, patience=1)
    history = net.fit(X, y, epochs=30, batch_size=8, optimizer=SGD(lr=0.5), progress=False,
                      validation_data=(X[:10], y[:10]), callbacks=[stop])  # fmt: skip
    assert stop.stopped_epoch is not None and len(history.loss) == stop.stopped_epoch < 30
    assert net.evaluate(X[:10], y[:10]) == stop.best_accuracy  # the best epoch's weights are back


# --------------------------------------------------------------------------- bench/conv.py
def _bench_conv():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "conv.py"
    spec = importlib.util.spec_from_file_location("bench_conv", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_floor_counts_the_products_conv2d_makes():
    # the (m, k, n) shapes the bench times are those of Conv2D's own products, batch 32
    bench = _bench_conv()
    conv1, conv2 = Conv2D(1, 16, 5, rng=0), Conv2D(16, 32, 5, rng=0)
    X1 = np.zeros((bench.BATCH, 1, 28, 28), dtype=np.float32)
    X2 = np.zeros((bench.BATCH, 16, 12, 12), dtype=np.float32)
    conv1.forward(X1), conv2.forward(X2)
    k1, n1 = conv1.cols.shape
    k2, n2 = conv2.cols.shape
    expected = [(16, k1, n1), (16, n1, k1), (32, k2, n2), (32, n2, k2), (k2, 32, n2)]
    assert bench.conv_gemm_shapes() == expected
    assert bench.step_flops() == sum(2 * m * k * n for m, k, n in expected)


def test_bench_worker_times_an_epoch():
    result = _bench_conv().worker_nnfs(n=64)
    assert result["epoch"] > 0 and result["floor"] > 0 and result["sgemm_gflops"] > 0
