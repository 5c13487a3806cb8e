"""One table per concept, the notebooks' names on the kernels, and the old names' way out."""

import numpy as np
import pytest

from nnfs_utils import MLP
from nnfs_utils import activations as A
from nnfs_utils.checks import check_bool, check_int
from nnfs_utils.initializers import INITIALIZERS, get_initializer
from nnfs_utils.layers import Dense
from nnfs_utils.losses import SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy
from nnfs_utils.optimizers import OPTIMIZERS, SGD, Adam, RMSProp, default_lr, get_optimizer

X = np.random.default_rng(0).standard_normal((40, 4))
Y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)


# ------------------------------------------------------------------------- initializers
@pytest.mark.parametrize("init", sorted(INITIALIZERS))
def test_every_initializer_name_works_in_dense_and_mlp_alike(init):
    dense = Dense(4, 5, init=init, rng=3)
    model = MLP([4, 5, 3], init=init, seed=3)
    np.testing.assert_array_equal(model.layers[0].W, dense.W)
    assert model.init == init


def test_glorot_is_xavier_everywhere():
    assert get_initializer("glorot") is get_initializer("xavier")
    a, b = MLP([4, 5, 3], init="glorot", seed=1), MLP([4, 5, 3], init="xavier", seed=1)
    for p, q in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(p, q)


def test_unknown_init_lists_the_same_names_in_dense_and_mlp():
    for make in (lambda: Dense(2, 2, init="zeros"), lambda: MLP([2, 2, 2], init="zeros")):
        with pytest.raises(ValueError, match=r"unknown init 'zeros'; use one of \['glorot', 'he'"):
            make()


def test_mlp_saves_and_loads_an_alias(tmp_path):
    model = MLP([4, 5, 3], init="glorot", seed=0)
    loaded = MLP.load(model.save(tmp_path / "m"))
    assert loaded.init == "glorot"
    np.testing.assert_array_equal(loaded.layers[0].W, model.layers[0].W)


# ------------------------------------------------------------------------- activations
def test_activation_table_drives_mlp_and_its_message():
    assert sorted(A.ACTIVATIONS) == ["relu", "sigmoid", "tanh"]
    for name, cls in A.ACTIVATIONS.items():
        model = MLP([4, 3, 3], activation=name)
        assert all(isinstance(act, cls) for act in model.hidden_activations)
        assert model.init == cls.default_init
    with pytest.raises(ValueError, match=r"use one of \['relu', 'sigmoid', 'tanh'\]"):
        MLP([4, 3, 3], activation="softplus")


@pytest.mark.parametrize("name", sorted(A.FUNCTIONS))
def test_function_table_matches_the_layers(name):
    z = np.linspace(-3, 3, 13).reshape(1, -1)
    out = A.FUNCTIONS[name](z)
    if name in A.ACTIVATIONS:
        np.testing.assert_allclose(A.ACTIVATIONS[name]().forward(z), out)
    assert out.shape == z.shape


# ------------------------------------------------------------------------- optimizers
def test_optimizer_names_and_classes_share_default_rates():
    for name, (cls, settings, rate) in OPTIMIZERS.items():
        assert get_optimizer(name).lr == rate == default_lr(name)
        made = cls(**settings)
        assert isinstance(made, cls) and made.lr == rate
    # the issue that made the table: "momentum" and SGD(momentum=0.9) used to disagree
    assert SGD(momentum=0.9).lr == get_optimizer("momentum").lr == 0.01
    assert SGD().lr == get_optimizer("sgd").lr == 0.1


def test_momentum_by_name_and_by_object_train_the_same():
    a, b = MLP([4, 6, 3], seed=2), MLP([4, 6, 3], seed=2)
    ha = a.fit(X, Y, epochs=3, batch_size=8, optimizer="momentum", progress=False)
    hb = b.fit(X, Y, epochs=3, batch_size=8, optimizer=SGD(momentum=0.9), progress=False)
    assert ha.loss == hb.loss
    for p, q in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("opt", [SGD(), SGD(momentum=0.5), RMSProp(), Adam()])
def test_an_optimizer_object_passed_to_fit_is_checked(opt):
    model = MLP([4, 3, 3])
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0, got -5"):
        model.fit(X, Y, optimizer=opt, weight_decay=-5, progress=False)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        model.fit(X, Y, optimizer=opt, lr=-1, progress=False)
    opt.weight_decay = -5  # assigned directly, past the constructor's check
    with pytest.raises(ValueError, match="weight_decay must be"):
        model.fit(X, Y, optimizer=opt, progress=False)
    opt.weight_decay = 0.0
    opt.lr = np.float64(0.01)  # a NumPy scalar becomes a Python float (see optimizers.py)
    model.fit(X, Y, epochs=1, optimizer=opt, progress=False)
    assert type(opt.lr) is float


def test_optimizer_settings_are_checked_by_set():
    opt = Adam()
    with pytest.raises(ValueError, match="beta1 must be a finite number >= 0 and < 1"):
        opt.set(beta1=1.0)
    with pytest.raises(TypeError, match="Adam has no setting 'momentum'"):
        opt.set(momentum=0.9)
    assert opt.set(lr=0.5).lr == 0.5


def test_optimizer_owns_its_state_one_dict_per_parameter():
    w, b = np.ones((2, 3)), np.zeros((1, 3))
    opt = Adam(lr=0.1)
    opt.step([w, b], [np.ones((2, 3)), np.ones((1, 3))])
    assert opt.t == 1 and [sorted(s) for s in opt.state] == [["m", "v"], ["m", "v"]]
    np.testing.assert_allclose(opt.state[0]["m"], 0.1)  # (1 - beta1) * g
    opt.step([np.ones(4)], [np.ones(4)])  # other parameters: fresh state
    assert opt.state[0]["m"].shape == (4,)


# ------------------------------------------------------------------------- names
def test_dense_backward_uses_the_notebooks_names():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, rng=0, dtype=np.float64)
    X_in, dZ = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    Z = layer.forward(X_in)
    np.testing.assert_array_equal(Z, X_in @ layer.W + layer.b)
    dX = layer.backward(dZ)
    assert layer.X is X_in
    np.testing.assert_array_equal(layer.dW, X_in.T @ dZ)
    np.testing.assert_array_equal(layer.db, dZ.sum(axis=0, keepdims=True))
    np.testing.assert_array_equal(dX, dZ @ layer.W.T)
    assert layer.grads[0] is layer.dW and layer.grads[1] is layer.db


def test_activation_and_loss_attributes_use_the_notebooks_names():
    Z = np.array([[-1.0, 2.0]])
    relu, sig = A.ReLU(), A.Sigmoid()
    relu.forward(Z), sig.forward(Z)
    assert relu.Z is Z
    np.testing.assert_array_equal(sig.A, A.sigmoid(Z))
    loss = SoftmaxCrossEntropy()
    loss.forward(Z, [1])
    np.testing.assert_allclose(loss.P, A.softmax(Z))


@pytest.mark.parametrize(
    ("make", "old", "new"),
    [
        (lambda: Dense(2, 2), "inputs", "X"),
        (A.ReLU, "inputs", "Z"),
        (A.Sigmoid, "output", "A"),
        (A.Tanh, "output", "A"),
        (A.Softmax, "output", "A"),
        (SoftmaxCrossEntropy, "probs", "P"),
        (SigmoidBinaryCrossEntropy, "probs", "P"),
    ],
)
def test_old_attribute_names_still_work_with_a_warning_naming_the_new(make, old, new):
    obj = make()
    with pytest.warns(DeprecationWarning, match=rf"\.{old} is now called \w+\.{new}"):
        setattr(obj, old, np.ones((1, 2)))
    with pytest.warns(DeprecationWarning, match=rf"\.{new}"):
        np.testing.assert_array_equal(getattr(obj, old), np.ones((1, 2)))
    np.testing.assert_array_equal(getattr(obj, new), np.ones((1, 2)))


def test_old_dvalues_argument_still_works_with_a_warning():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2), np.float32))
    dZ = np.ones((4, 3), np.float32)
    expected = layer.backward(dZ)
    with pytest.warns(DeprecationWarning, match="dvalues= is now called dZ="):
        np.testing.assert_array_equal(layer.backward(dvalues=dZ), expected)
    relu = A.ReLU()
    relu.forward(np.ones((1, 2)))
    with pytest.warns(DeprecationWarning, match="dvalues= is now called dA="):
        relu.backward(dvalues=np.ones((1, 2)))
    with pytest.warns(DeprecationWarning, match="z= is now called Z="):
        np.testing.assert_array_equal(A.Sigmoid().forward(z=np.zeros((1, 2))), [[0.5, 0.5]])
    with pytest.warns(DeprecationWarning, match="logits= is now called Z="):
        assert SoftmaxCrossEntropy().forward(logits=np.zeros((2, 2)), y=[0, 1]) > 0


def test_a_models_own_layers_skip_the_old_name_wrapper_and_compute_the_same():
    import copy
    import pickle

    model = MLP([4, 3, 2], seed=0)
    layer, relu = model.layers[0], model.hidden_activations[0]
    for bound in (layer.backward, relu.forward, relu.backward):
        assert not getattr(bound, "takes_old_names", False)
        assert bound.__self__ in (layer, relu)
    # the same numbers as the wrapped methods of a layer made by hand
    free = Dense(4, 3, rng=0)
    np.testing.assert_array_equal(free.W, layer.W)
    Xb = X[:5].astype(np.float32)
    free.forward(Xb)
    layer.forward(Xb)
    dZ = np.ones((5, 3), np.float32)
    np.testing.assert_array_equal(layer.backward(dZ), free.backward(dZ))
    with pytest.warns(DeprecationWarning, match="dvalues= is now called dZ="):
        free.backward(dvalues=dZ)  # a learner's own layer keeps the old names
    # copies and pickles bind the methods to the copy, not to the original
    for other in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert other.layers[0].backward.__self__ is other.layers[0]
        assert other.hidden_activations[0].forward.__self__ is other.hidden_activations[0]


def test_without_old_names_leaves_a_subclass_override_alone():
    from nnfs_utils._compat import without_old_names

    class Doubled(A.ReLU):
        def forward(self, Z):
            return 2 * super().forward(Z)

    relu = without_old_names(Doubled())
    assert "forward" not in vars(relu)  # the override is used as it is
    assert "backward" in vars(relu)  # the inherited, wrapped method is unwrapped
    np.testing.assert_array_equal(relu.forward(np.array([[-1.0, 2.0]])), [[0.0, 4.0]])
    np.testing.assert_array_equal(relu.backward(np.array([[3.0, 3.0]])), [[0.0, 3.0]])


# ------------------------------------------------------------------------- checks
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"value": 2.5}, TypeError, r"^seed must be a whole number, got 2\.5 \(float\)\.$"),
        ({"value": True}, TypeError, r"got True \(bool\)\.$"),
        ({"value": -1}, ValueError, r"^seed must be at least 0, got -1\.$"),
        ({"value": 2.5, "example": 32}, TypeError, r"^seed must be a whole number, got 2\.5; e\.g\. seed=32$"),
        ({"value": 0, "minimum": 1, "example": 32}, ValueError, r"^seed must be at least 1, got 0$"),
    ],
)  # fmt: skip
def test_check_int_keeps_both_wordings(kwargs, error, message):
    with pytest.raises(error, match=message):
        check_int("seed", **kwargs)


def test_check_int_and_check_bool_accept_numpy_scalars():
    assert check_int("seed", np.int64(3)) == 3 and type(check_int("seed", np.int8(3))) is int
    assert check_bool("normalize", np.True_) and check_bool("normalize", False) is False
    with pytest.raises(TypeError, match=r"^normalize must be True or False, got 1\.$"):
        check_bool("normalize", 1)


def test_the_training_loop_does_not_recheck_what_fit_checked(monkeypatch):
    model = MLP([4, 3, 3])
    calls = []
    monkeypatch.setattr(Dense, "check_input", lambda self, X: calls.append(1) or X)
    model.fit(X, Y, epochs=2, batch_size=8, progress=False)
    assert calls == []  # the MLP's layers trust the model's one check at the door
    Dense(4, 2).forward(X)
    assert calls == [1]  # a layer you call yourself checks its input
