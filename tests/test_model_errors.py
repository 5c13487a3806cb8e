"""Every bad input a learner is likely to make gets a ValueError/TypeError that names the
problem and the fix, instead of a NumPy traceback from deep inside the kernels."""

import numpy as np
import pytest

from nnfs_utils import MLP


@pytest.fixture
def model():
    return MLP([4, 5, 3], seed=0)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.random((12, 4)).astype(np.float32), rng.integers(0, 3, 12)


# ----------------------------------------------------------------------- inputs X


@pytest.mark.parametrize("method", ["fit", "predict", "predict_proba", "forward", "evaluate"])
def test_wrong_number_of_features_names_layer_and_shapes(model, data, method):
    X, y = data
    bad = X[:, :3]
    args = (bad, y) if method in ("fit", "evaluate") else (bad,)
    kwargs = {"progress": False} if method == "fit" else {}
    with pytest.raises(ValueError) as info:
        getattr(model, method)(*args, **kwargs)
    msg = str(info.value)
    assert "(12, 3)" in msg and "layer 1 (Dense 4 -> 5)" in msg and "(n_samples, 4)" in msg


def test_single_sample_and_unflattened_images_get_a_hint():
    model = MLP([784, 10])
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        model.predict(np.zeros(784))
    with pytest.raises(ValueError, match=r"reshape\(len\(X\), -1\)"):
        model.predict(np.zeros((5, 28, 28)))


def test_empty_input(model):
    with pytest.raises(ValueError, match=r"X is empty .*at least one sample"):
        model.fit(np.zeros((0, 4)), np.zeros(0, dtype=int), progress=False)
    with pytest.raises(ValueError, match="X is empty"):
        model.predict([])


@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_input(model, data, bad_value):
    X, y = data
    X = X.copy()
    X[3, 2] = bad_value
    with pytest.raises(ValueError, match=r"1 NaN or inf value\(s\); clean or impute"):
        model.fit(X, y, progress=False)
    with pytest.raises(ValueError, match="NaN or inf"):
        model.predict(X)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "forward", "evaluate", "loss"])
@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_every_inference_method_rejects_nan_or_inf(model, data, method, bad_value):
    X, y = data
    X = X.copy()
    X[7, 0] = bad_value  # a single bad value in one sample is enough
    args = (X, y) if method in ("evaluate", "loss") else (X,)
    with pytest.raises(ValueError, match=r"X contains 1 NaN or inf value\(s\)"):
        getattr(model, method)(*args)


def test_inputs_so_large_that_the_first_layer_overflows(model):
    X = np.full((2, 4), 3e38, dtype=np.float32)  # finite, but X @ W overflows float32
    with pytest.raises(ValueError, match=r"so large that layer 1 .* overflows.*X / X.max\(\)"):
        model.predict(X)


def test_nan_in_validation_data_is_named(model, data):
    X, y = data
    X_val = X.copy()
    X_val[0, 0] = np.nan
    with pytest.raises(ValueError, match="X_val contains 1 NaN"):
        model.fit(X, y, validation_data=(X_val, y), progress=False)


@pytest.mark.parametrize(
    "bad_X",
    [
        [["a", "b", "c", "d"]],
        np.array([[1, 2, None, 4]], dtype=object),
        np.array([[1 + 2j, 0, 0, 0]]),
    ],
    ids=["strings", "objects", "complex"],
)
def test_non_numeric_input_is_a_type_error(model, bad_X):
    with pytest.raises(TypeError, match=r"must hold numbers.*convert it first"):
        model.predict(bad_X)


def test_ragged_input(model):
    with pytest.raises(ValueError, match="same number of values"):
        model.predict([[1, 2, 3, 4], [1, 2]])


# ----------------------------------------------------------------------- labels y


def test_labels_not_integers(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"whole numbers.*y.astype\(int\)"):
        model.fit(X, y + 0.5, progress=False)
    with pytest.raises(ValueError, match="whole numbers"):
        model.evaluate(X, np.full(12, np.nan))
    # whole-number floats are labels too
    model.fit(X, y.astype(float), epochs=1, progress=False)


def test_string_labels_are_a_type_error(model, data):
    X, _ = data
    with pytest.raises(TypeError, match=r"integers 0\.\.2.*np.unique\(y, return_inverse=True\)"):
        model.fit(X, np.array(["cat"] * 12), progress=False)


@pytest.mark.parametrize("bad_label", [3, 10, -1])
def test_labels_out_of_range(model, data, bad_label):
    X, y = data
    y = y.copy()
    y[5] = bad_label
    with pytest.raises(ValueError, match=r"labels must be in 0\.\.2 for 3 output classes") as info:
        model.fit(X, y, progress=False)
    assert "as wide as the number of classes" in str(info.value)


def test_sigmoid_output_needs_0_1_labels(data):
    X, _ = data
    model = MLP([4, 3, 1], output="sigmoid")
    with pytest.raises(ValueError, match=r"0\.\.1.*output='sigmoid' takes labels 0 and 1"):
        model.fit(X, np.full(12, 2), progress=False)


def test_x_and_y_of_different_lengths(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"X has 12 samples but y has 11 labels.*same length"):
        model.fit(X, y[:-1], progress=False)
    with pytest.raises(ValueError, match="X has 12 samples but y has 13"):
        model.evaluate(X, np.append(y, 0))


def test_labels_of_wrong_shape(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"1-D array of class indices"):
        model.fit(X, np.zeros((12, 2), dtype=int), progress=False)
    with pytest.raises(ValueError, match="not one-hot"):
        model.fit(X, np.full((12, 3), 0.5), progress=False)
    with pytest.raises(ValueError, match="labels y are empty"):
        model.evaluate(X, np.zeros(0, dtype=int))


# ------------------------------------------------------------ training settings


def test_learning_rate_that_makes_loss_inf_or_nan_stops_training(model, data):
    X, y = data
    with pytest.raises(
        ValueError, match=r"loss became nan.*diverged.*Try a smaller one, e.g. lr=1e\+19"
    ):
        model.fit(X * 1e3, y, epochs=20, optimizer="sgd", lr=1e20, progress=False)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"lr": -0.1}, ValueError, "lr must be a finite number > 0"),
        ({"lr": float("inf")}, ValueError, "lr must be a finite number"),
        ({"lr": "fast"}, TypeError, "lr must be a number"),
        ({"epochs": 0}, ValueError, "epochs must be at least 1"),
        ({"epochs": 2.5}, TypeError, "epochs must be a whole number"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
        ({"optimizer": "adagrad"}, ValueError, "unknown optimizer 'adagrad'; use one of"),
        ({"weight_decay": -1}, ValueError, "weight_decay must be"),
        ({"callbacks": ["not callable"]}, TypeError, r"callbacks must be functions"),
        ({"validation_data": np.zeros((3, 4))}, TypeError, r"pair \(X_val, y_val\)"),
        ({"threads": 0}, ValueError, "threads must be at least 1"),
    ],
)
def test_bad_fit_settings(model, data, kwargs, error, pattern):
    X, y = data
    with pytest.raises(error, match=pattern):
        model.fit(X, y, progress=False, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "pattern"),
    [
        (([784],), {}, ValueError, "at least 2 numbers"),
        (("784-10",), {}, TypeError, "list of ints"),
        (([784, 12.5, 10],), {}, TypeError, "must hold ints"),
        (([784, 0, 10],), {}, ValueError, "at least 1"),
        (([4, 3],), {"activation": "softplus"}, ValueError, "unknown activation"),
        (([4, 3],), {"output": "linear"}, ValueError, "unknown output"),
        (([4, 3],), {"output": "sigmoid"}, ValueError, r"needs 1 output unit.*\[\.\.\., 1\]"),
        (([4, 1],), {}, ValueError, "output='softmax' needs at least 2"),
        (([4, 3],), {"init": "zeros"}, ValueError, "unknown init"),
        (([4, 3],), {"dtype": np.float16}, ValueError, "float32"),
        (([4, 3],), {"seed": "abc"}, TypeError, "int seed"),
    ],
)
def test_bad_model_settings(args, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        MLP(*args, **kwargs)


# ------------------------------------------------------------------------- loading


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        MLP.load(tmp_path / "nope.npz")


def test_load_a_file_that_is_not_a_model(tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("these are my notes")
    with pytest.raises(ValueError, match="not a model saved by MLP.save"):
        MLP.load(text)
    array = tmp_path / "array.npy"
    np.save(array, np.zeros(3))
    with pytest.raises(ValueError, match="single array, not a model"):
        MLP.load(array)
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # starts like a zip file, then garbage
    with pytest.raises(ValueError, match="not a model saved by MLP.save"):
        MLP.load(broken)
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.zeros(3))
    with pytest.raises(ValueError, match="an .npz file but not a model saved by MLP.save"):
        MLP.load(other)


def _edited_copy(path, tmp_path, **changes):
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays.update(changes)
    for key, value in list(arrays.items()):
        if value is None:
            del arrays[key]
    out = tmp_path / "edited.npz"
    np.savez(out, **arrays)
    return out


def test_load_mismatched_shapes_and_missing_arrays(model, tmp_path):
    path = model.save(tmp_path / "m.npz")
    bad = _edited_copy(path, tmp_path, W1=np.zeros((5, 4), np.float32))
    with pytest.raises(ValueError, match=r"W1 has shape \(5, 4\) but layer_sizes \[4, 5, 3\]"):
        MLP.load(bad)
    bad = _edited_copy(path, tmp_path, layer_sizes=np.array([4, 6, 3]))
    with pytest.raises(ValueError, match=r"W0 has shape \(4, 5\).*need \(4, 6\)"):
        MLP.load(bad)
    bad = _edited_copy(path, tmp_path, b1=None)
    with pytest.raises(ValueError, match="missing b1"):
        MLP.load(bad)
    bad = _edited_copy(path, tmp_path, b0=np.full((1, 5), np.nan, np.float32))
    with pytest.raises(ValueError, match="non-finite"):
        MLP.load(bad)
    bad = _edited_copy(path, tmp_path, activation=np.array("softplus"))
    with pytest.raises(ValueError, match="unknown activation"):
        MLP.load(bad)


def test_load_refuses_what_a_saved_model_never_holds(model, tmp_path):
    path = model.save(tmp_path / "m.npz")
    bad = _edited_copy(path, tmp_path, version=np.array(99))
    with pytest.raises(ValueError, match="file version 99, this nnfs_utils reads version 1"):
        MLP.load(bad)
    bad = _edited_copy(path, tmp_path, version=None)
    with pytest.raises(ValueError, match="no file version"):
        MLP.load(bad)
    bad = _edited_copy(path, tmp_path, W2=np.zeros((3, 2), np.float32))
    with pytest.raises(ValueError, match=r"does not have: \['W2'\]"):
        MLP.load(bad)
    with np.load(path) as data:
        W1 = data["W1"].astype(np.float64)
    bad = _edited_copy(path, tmp_path, W1=W1)
    with pytest.raises(ValueError, match="mixes weight types"):
        MLP.load(bad)
    bad = _edited_copy(path, tmp_path, layer_sizes=np.array([4.0, 5.9, 3.0]))
    with pytest.raises(ValueError, match="not whole numbers"):
        MLP.load(bad)
    assert np.array_equal(MLP.load(path).predict_proba(np.ones((2, 4))),
                          model.predict_proba(np.ones((2, 4))))  # fmt: skip


def test_load_refuses_pickled_objects(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, format=np.array("nnfs_utils.MLP"), W0=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError):
        MLP.load(path)
