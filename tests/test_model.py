"""The MLP: it learns, it is reproducible, it saves and loads, fit reports what it did."""

import numpy as np
import pytest

import nnfs_utils
from nnfs_utils import MLP
from nnfs_utils.layers import Dense
from nnfs_utils.optimizers import SGD

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_Y = np.array([0, 1, 1, 0])


def blobs(n=300, n_features=5, n_classes=3, seed=0):
    """Well separated Gaussian clusters: a problem any working trainer solves quickly."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 4, (n_classes, n_features))
    y = rng.integers(0, n_classes, n)
    X = centers[y] + rng.normal(0, 1, (n, n_features))
    return X.astype(np.float32), y


def test_exported_from_package():
    assert nnfs_utils.MLP is MLP


def test_structure():
    model = MLP([784, 128, 10])
    assert model.layer_sizes == [784, 128, 10]
    assert len(model.layers) == 2 and all(isinstance(layer, Dense) for layer in model.layers)
    assert (
        model.n_params == 784 * 128 + 128 + 128 * 10 + 10 == nnfs_utils.count_params([784, 128, 10])
    )
    assert model.layers[0].W.dtype == np.float32
    assert isinstance(model.rng, np.random.Generator)
    assert "n_params=101,770" in repr(model)


def test_default_init_follows_activation():
    assert MLP([2, 3, 2]).init == "he"
    assert MLP([2, 3, 2], activation="tanh").init == "xavier"
    uniform = MLP([50, 40, 2], init="uniform")
    assert uniform.layers[0].W.min() >= -0.5 and uniform.layers[0].W.max() < 0.5


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_learns_xor_softmax(activation):
    model = MLP([2, 8, 2], activation=activation, seed=1)
    history = model.fit(
        XOR_X, XOR_Y, epochs=400, batch_size=4, optimizer="adam", lr=0.05, progress=False
    )
    np.testing.assert_array_equal(model.predict(XOR_X), XOR_Y)
    assert model.evaluate(XOR_X, XOR_Y) == 1.0
    assert history.loss[-1] < 0.1 < history.loss[0]


def test_learns_xor_sigmoid_output():
    model = MLP([2, 4, 1], activation="tanh", output="sigmoid", seed=0)
    model.fit(XOR_X, XOR_Y, epochs=500, batch_size=4, optimizer="adam", lr=0.05, progress=False)
    p = model.predict_proba(XOR_X)
    assert p.shape == (4, 1)
    np.testing.assert_array_equal(model.predict(XOR_X), XOR_Y)
    assert model.loss(XOR_X, XOR_Y) < 0.1


def test_forward_predict_activations_shapes():
    X, y = blobs(n=7)
    model = MLP([5, 6, 4, 3], seed=0)
    p = model.forward(X)
    assert p.shape == (7, 3) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(model.predict_proba(X), p)
    pred = model.predict(X)
    assert pred.shape == (7,) and pred.dtype == np.int64
    np.testing.assert_array_equal(pred, p.argmax(axis=1))
    acts = model.activations(X)
    assert [a.shape for a in acts] == [(7, 5), (7, 6), (7, 4), (7, 3)]
    assert (acts[1] >= 0).all()  # ReLU
    np.testing.assert_array_equal(acts[-1], p)
    assert model.evaluate(X, y) == pytest.approx(np.mean(pred == y))


@pytest.mark.parametrize(
    ("optimizer", "lr"), [("sgd", None), ("momentum", None), ("rmsprop", 0.01), ("adam", 0.01)]
)
def test_every_optimizer_trains(optimizer, lr):
    X, y = blobs()
    model = MLP([5, 16, 3], seed=0)
    before = model.loss(X, y)
    history = model.fit(X, y, epochs=5, batch_size=32, optimizer=optimizer, lr=lr, progress=False)
    assert model.loss(X, y) < before / 2
    assert model.evaluate(X, y) > 0.9
    assert history.loss[-1] < history.loss[0]


def test_same_seed_gives_identical_weights_and_different_seed_does_not():
    X, y = blobs()

    def trained(seed):
        model = MLP([5, 8, 3], seed=seed)
        model.fit(X, y, epochs=3, batch_size=16, optimizer="adam", progress=False)
        return model.params

    a, b, c = trained(0), trained(0), trained(1)
    for pa, pb in zip(a, b, strict=True):
        np.testing.assert_array_equal(pa, pb)
    assert not np.array_equal(a[0], c[0])


def test_history_and_callbacks():
    X, y = blobs()
    seen = []
    model = MLP([5, 8, 3], seed=0)
    history = model.fit(
        X[:250],
        y[:250],
        epochs=3,
        batch_size=50,
        validation_data=(X[250:], y[250:]),
        callbacks=[lambda epoch, logs: seen.append((epoch, logs))],
        progress=False,
    )
    assert [e for e, _ in seen] == [1, 2, 3]
    assert set(seen[0][1]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    d = history.as_dict()
    assert set(d) == {"loss", "accuracy", "val_loss", "val_accuracy", "epoch_time"}
    assert all(len(v) == 3 for v in d.values())
    assert all(isinstance(v, float) for values in d.values() for v in values)
    assert history.val_accuracy[-1] == pytest.approx(model.evaluate(X[250:], y[250:]))
    assert history.val_loss[-1] == pytest.approx(model.loss(X[250:], y[250:]), rel=1e-5)
    assert seen[-1][1]["loss"] == history.loss[-1]
    no_val = MLP([5, 3]).fit(X, y, epochs=2, progress=False, callbacks=print)
    assert no_val.val_loss == [] and len(no_val.loss) == 2


def test_progress_bar_shows_and_hides(capsys):
    X, y = blobs(n=40)
    MLP([5, 3]).fit(X, y, epochs=2, progress=True)
    assert "training" in capsys.readouterr().err
    MLP([5, 3]).fit(X, y, epochs=2, progress=False)
    assert capsys.readouterr().err == ""


def test_fit_accepts_one_hot_labels_and_optimizer_objects():
    X, y = blobs(n=60)
    a, b = MLP([5, 4, 3], seed=2), MLP([5, 4, 3], seed=2)
    a.fit(X, y, epochs=2, progress=False, optimizer=SGD(lr=0.05))
    b.fit(X, np.eye(3)[y], epochs=2, progress=False, optimizer="sgd", lr=0.05)
    np.testing.assert_array_equal(a.layers[0].W, b.layers[0].W)


def test_shuffle_false_and_large_batch():
    X, y = blobs(n=50)
    model = MLP([5, 3], seed=0)
    history = model.fit(X, y, epochs=2, batch_size=1000, shuffle=False, progress=False)
    assert len(history.loss) == 2


def test_fit_input_is_not_modified_and_uint8_works():
    X, y = blobs(n=30)
    X_copy = X.copy()
    MLP([5, 3]).fit(X, y, epochs=1, progress=False)
    np.testing.assert_array_equal(X, X_copy)
    pixels = np.random.default_rng(0).integers(0, 256, (20, 5), dtype=np.uint8)
    MLP([5, 3]).fit(pixels / 255, y[:20], epochs=1, progress=False)
    assert MLP([5, 3]).predict(pixels).shape == (20,)


def test_weight_decay_shrinks_weights():
    X, y = blobs()
    plain, decayed = MLP([5, 16, 3], seed=0), MLP([5, 16, 3], seed=0)
    plain.fit(X, y, epochs=5, progress=False)
    decayed.fit(X, y, epochs=5, progress=False, weight_decay=0.05)
    assert np.abs(decayed.layers[0].W).sum() < np.abs(plain.layers[0].W).sum()


def test_diverging_learning_rate_stops_with_advice():
    X, y = blobs()
    X = X * 100
    model = MLP([5, 16, 3], seed=0)
    with pytest.raises(
        ValueError,
        match=r"(?s)loss became (nan|inf).*lr=1e\+06 is too large.*smaller one, e.g. lr=100000",
    ):
        model.fit(X, y, epochs=5, optimizer="sgd", lr=1e6, progress=False)
    assert all(np.isfinite(p).all() for p in model.params)  # weights put back, still usable
    assert np.isfinite(model.forward(X)).all()


@pytest.mark.parametrize(
    ("sizes", "activation", "output", "dtype"),
    [
        ([6, 5, 3], "relu", "softmax", np.float32),
        ([6, 4, 4, 1], "tanh", "sigmoid", np.float64),
    ],
)
def test_save_load_round_trip(tmp_path, sizes, activation, output, dtype):
    rng = np.random.default_rng(0)
    X = rng.random((10, 6)).astype(dtype)
    y = rng.integers(0, 2, 10)
    model = MLP(sizes, activation=activation, output=output, seed=3, dtype=dtype)
    model.fit(X, y, epochs=2, progress=False)
    path = model.save(tmp_path / "model")
    assert path.name == "model.npz" and path.exists()
    loaded = MLP.load(path)
    assert loaded.layer_sizes == sizes and loaded.activation == activation
    assert loaded.output == output and loaded.dtype == dtype
    for p, q in zip(model.params, loaded.params, strict=True):
        np.testing.assert_array_equal(p, q)
        assert q.dtype == dtype
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    with np.load(path, allow_pickle=False) as data:  # loadable without pickle
        assert "W0" in data.files


def test_loss_and_gradients_does_not_update():
    X, y = blobs(n=20)
    model = MLP([5, 4, 3], seed=0)
    W = model.layers[0].W.copy()
    loss, grads = model.loss_and_gradients(X, y)
    assert loss == pytest.approx(model.loss(X, y))
    assert [g.shape for g in grads] == [p.shape for p in model.params]
    np.testing.assert_array_equal(model.layers[0].W, W)


def test_threads_none_and_two_give_same_result():
    X, y = blobs(n=64)
    a, b = MLP([5, 8, 3], seed=0), MLP([5, 8, 3], seed=0)
    a.fit(X, y, epochs=2, progress=False, threads=None)
    b.fit(X, y, epochs=2, progress=False, threads=2)
    np.testing.assert_allclose(a.layers[0].W, b.layers[0].W, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("batch_size", "shape", "dtype"), [(128, (784,), np.float32), (7, (3,), np.float64), (1, (1,), np.float32), (32, (1, 28, 28), np.float64)]
)  # fmt: skip
def test_the_batch_buffer_is_page_aligned_and_contiguous(batch_size, shape, dtype):
    from nnfs_utils.training import _batch_buffer

    batch = _batch_buffer(batch_size, shape, dtype)
    assert batch.shape == (batch_size, *shape) and batch.dtype == dtype
    assert batch.flags.c_contiguous and batch.flags.writeable
    assert batch.ctypes.data % 4096 == 0
    assert batch.base.nbytes >= 4 << 20  # big enough for NumPy to ask Linux for huge pages
