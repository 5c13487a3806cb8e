"""Unit tests of the kernels: Dense, activations, losses, initializers, optimizers."""

import numpy as np
import pytest

from nnfs_utils import activations as A
from nnfs_utils import initializers as I
from nnfs_utils.layers import Dense, as_float_array
from nnfs_utils.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    MeanSquaredError,
    SigmoidBinaryCrossEntropy,
    SoftmaxCrossEntropy,
    one_hot,
)
from nnfs_utils.optimizers import SGD, Adam, RMSProp, get_optimizer

# ---------------------------------------------------------------------------- Dense


def test_dense_shapes_and_forward_value():
    layer = Dense(3, 2, rng=0)
    assert layer.W.shape == (3, 2) and layer.b.shape == (1, 2)
    assert layer.W.dtype == np.float32 and not layer.b.any()
    layer.W[...] = [[1, 2], [3, 4], [5, 6]]
    layer.b[...] = [[0.5, -1]]
    Z = layer.forward(np.array([[1, 0, 1], [0, 1, 0]], dtype=np.float32))
    np.testing.assert_array_equal(Z, [[6.5, 7], [3.5, 3]])
    assert layer.params[0] is layer.W and layer.grads[0] is layer.dW


def test_dense_backward_formulas_and_input_grad_false():
    rng = np.random.default_rng(1)
    layer = Dense(4, 3, rng=rng, dtype=np.float64)
    X, G = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    layer.forward(X)
    dX = layer.backward(G)
    np.testing.assert_allclose(dX, G @ layer.W.T)
    np.testing.assert_allclose(layer.dW, X.T @ G)
    np.testing.assert_allclose(layer.db, G.sum(axis=0, keepdims=True))
    assert layer.backward(G, input_grad=False) is None


def test_dense_same_seed_same_weights_and_float64_matches_float32():
    a, b = Dense(6, 4, rng=3), Dense(6, 4, rng=3)
    np.testing.assert_array_equal(a.W, b.W)
    c = Dense(6, 4, rng=3, dtype=np.float64)
    assert c.W.dtype == np.float64
    np.testing.assert_allclose(a.W, c.W, rtol=1e-6)
    assert not np.array_equal(Dense(6, 4, rng=4).W, a.W)


def test_dense_wrong_feature_count_names_layer_and_shapes():
    layer = Dense(4, 2, name="hidden layer")
    with pytest.raises(ValueError, match=r"hidden layer expects .*\(n_samples, 4\).*\(3, 5\)"):
        layer.forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        layer.forward(np.zeros(4))
    with pytest.raises(ValueError, match=r"reshape\(len\(X\), -1\)"):
        Dense(4, 2).forward(np.zeros((3, 2, 2)))


def test_dense_backward_errors():
    layer = Dense(2, 3)
    with pytest.raises(ValueError, match="forward"):
        layer.backward(np.zeros((1, 3)))
    layer.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        layer.backward(np.zeros((4, 2)))


def test_dense_bad_dtype_and_rng():
    with pytest.raises(ValueError, match="float32"):
        Dense(2, 2, dtype=np.int32)
    with pytest.raises(TypeError, match="default_rng"):
        Dense(2, 2, rng="seed")
    with pytest.raises(ValueError, match="unknown init"):
        Dense(2, 2, init="zeros")
    with pytest.raises(ValueError, match="at least 1"):
        Dense(0, 2)


def test_as_float_array_errors():
    with pytest.raises(TypeError, match="must hold numbers"):
        as_float_array([["a", "b"]])
    with pytest.raises(TypeError, match="must hold numbers"):
        as_float_array(np.array([1, None]))
    with pytest.raises(ValueError, match="empty"):
        as_float_array(np.zeros((0, 3)))
    with pytest.raises(ValueError, match=r"2 NaN or inf"):
        as_float_array([[1.0, np.nan], [np.inf, 0.0]])
    with pytest.raises(ValueError, match="same number of values"):
        as_float_array([[1, 2], [3]])
    assert as_float_array([[1, 2]]).dtype == np.float64
    assert as_float_array(np.zeros((1, 2), np.uint8), dtype=np.float32).dtype == np.float32


# ---------------------------------------------------------------------- activations


def test_activation_functions_values():
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(A.step(z), [[0, 0, 1]])
    np.testing.assert_array_equal(A.relu(z), [[0, 0, 3]])
    np.testing.assert_array_equal(A.relu_derivative(z), [[0, 0, 1]])
    np.testing.assert_allclose(A.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(A.sigmoid_derivative(0.0), 0.25)
    np.testing.assert_allclose(A.tanh(z), np.tanh(z))
    p = A.softmax(z)
    np.testing.assert_allclose(p, np.exp(z) / np.exp(z).sum(), rtol=1e-12)
    np.testing.assert_allclose(A.softmax(np.array([1.0, 2.0])).sum(), 1.0)


def test_activations_keep_float32():
    z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    for f in (A.step, A.sigmoid, A.sigmoid_derivative, A.relu, A.tanh, A.softmax):
        assert f(z).dtype == np.float32, f.__name__


@pytest.mark.parametrize("big", [1000.0, -1000.0])
def test_softmax_and_sigmoid_stable_at_1000(big):
    z = np.array([[big, 0.0, -big], [big, big, big]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        p = A.softmax(z)
        s = A.sigmoid(z)
        layer_p = A.Softmax().forward(z.astype(np.float32))
    assert np.isfinite(p).all() and np.isfinite(s).all() and np.isfinite(layer_p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [1 / 3] * 3)
    np.testing.assert_array_equal(p[0], [1, 0, 0] if big > 0 else [0, 0, 1])
    assert s[0, 0] == (1.0 if big > 0 else 0.0)


def test_softmax_cross_entropy_stable_at_1000():
    logits = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    loss_fn = SoftmaxCrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = loss_fn.forward(logits, [0, 0])
        grad = loss_fn.backward()
    assert loss == pytest.approx(1000.0)  # one right (loss 0), one wrong by 2000
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad, [[0, 0], [-0.5, 0.5]])


def test_activation_rejects_strings():
    with pytest.raises(TypeError, match="must hold numbers"):
        A.relu(["a"])


# --------------------------------------------------------------------------- losses


def test_one_hot():
    Y = one_hot([2, 0, 1], 3)
    np.testing.assert_array_equal(Y, np.eye(3)[[2, 0, 1]])
    assert Y.dtype == np.float32
    assert one_hot(np.array([1.0]), 2, dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError, match=r"0\.\.2"):
        one_hot([3], 3)
    with pytest.raises(ValueError, match="whole numbers"):
        one_hot([0.5], 3)
    with pytest.raises(TypeError, match="integers"):
        one_hot(["cat"], 3)


def test_loss_values_by_hand():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    cce = CategoricalCrossEntropy().forward(probs, [0, 1])
    assert cce == pytest.approx(-(np.log(0.7) + np.log(0.8)) / 2)
    assert CategoricalCrossEntropy().forward(probs, one_hot([0, 1], 3)) == pytest.approx(cce)
    logits = np.log(probs)  # softmax(log p) = p when rows sum to 1
    assert SoftmaxCrossEntropy().forward(logits, [0, 1]) == pytest.approx(cce)
    bce = BinaryCrossEntropy().forward(np.array([[0.9], [0.2]]), [1, 0])
    assert bce == pytest.approx(-(np.log(0.9) + np.log(0.8)) / 2)
    sbce = SigmoidBinaryCrossEntropy().forward(np.log([[9.0], [0.25]]), [1, 0])
    assert sbce == pytest.approx(bce)  # sigmoid(log 9) = 0.9, sigmoid(log 0.25) = 0.2
    mse = MeanSquaredError().forward(np.array([[1.0, 2.0]]), np.array([[0.0, 4.0]]))
    assert mse == pytest.approx(2.5)


def test_fused_softmax_backward_is_p_minus_one_hot_over_n():
    logits = np.random.default_rng(0).standard_normal((4, 3))
    loss_fn = SoftmaxCrossEntropy()
    loss_fn.forward(logits, [0, 2, 1, 1])
    expected = (A.softmax(logits) - one_hot([0, 2, 1, 1], 3, np.float64)) / 4
    np.testing.assert_allclose(loss_fn.backward(), expected)
    # the same as Softmax.backward applied to the cross-entropy gradient
    probs = A.Softmax().forward(logits)
    via_chain = A.Softmax()
    via_chain.A = probs
    dprobs = CategoricalCrossEntropy().backward(probs, [0, 2, 1, 1])
    np.testing.assert_allclose(via_chain.backward(dprobs), expected, atol=1e-12)


def test_fused_losses_need_forward_before_backward():
    for loss_fn in (SoftmaxCrossEntropy(), SigmoidBinaryCrossEntropy()):
        with pytest.raises(ValueError, match="before backward"):
            loss_fn.backward()


def test_loss_shape_errors():
    with pytest.raises(ValueError, match="4 samples but y has 3"):
        SoftmaxCrossEntropy().forward(np.zeros((4, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="2-D"):
        SoftmaxCrossEntropy().forward(np.zeros(3), [0])
    with pytest.raises(ValueError, match="must match"):
        MeanSquaredError().forward(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"0\.\.2"):
        CategoricalCrossEntropy().forward(np.full((1, 3), 1 / 3), [-1])


# ---------------------------------------------------------------------- initializers


def test_initializer_statistics():
    rng = np.random.default_rng(0)
    W = I.he(400, 300, rng)
    assert W.shape == (400, 300) and W.dtype == np.float32
    assert W.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    X = I.xavier(400, 300, rng, np.float64)
    assert np.abs(X).max() <= np.sqrt(6 / 700) and X.dtype == np.float64
    assert X.var() == pytest.approx(2 / 700, rel=0.03)
    U = I.uniform_classic(200, 100, rng)
    assert U.min() >= -0.5 and U.max() < 0.5 and abs(U.mean()) < 0.01
    assert I.get_initializer("glorot") is I.xavier
    assert I.get_initializer("uniform") is I.uniform_classic


def test_initializer_errors():
    with pytest.raises(TypeError, match="int"):
        I.he(2.5, 3)
    with pytest.raises(ValueError, match="unknown init"):
        I.get_initializer("nope")


# ------------------------------------------------------------------------ optimizers


def _quadratic_descent(opt, steps=300):
    """Minimise f(w) = sum((w - 3)^2) from w = 0; returns the final w."""
    w = np.zeros((2, 2))
    for _ in range(steps):
        g = 2 * (w - 3)
        opt.step([w], [g])
    return w


@pytest.mark.parametrize(
    "opt",
    [SGD(lr=0.1), SGD(lr=0.05, momentum=0.9), RMSProp(lr=0.05), Adam(lr=0.1)],
    ids=["sgd", "momentum", "rmsprop", "adam"],
)
def test_optimizers_minimise_a_quadratic(opt):
    np.testing.assert_allclose(_quadratic_descent(opt), 3.0, atol=0.05)


def test_sgd_step_by_hand_and_grads_untouched():
    w, g = np.array([[1.0, 2.0]]), np.array([[0.5, -1.0]])
    SGD(lr=0.1).step([w], [g])
    np.testing.assert_allclose(w, [[0.95, 2.1]])
    np.testing.assert_array_equal(g, [[0.5, -1.0]])
    w = np.array([[1.0]])
    SGD(lr=0.1, weight_decay=0.5).step([w], [np.array([[0.0]])])
    np.testing.assert_allclose(w, [[0.95]])  # decay alone: w -= lr * 0.5 * w


def test_momentum_and_adam_first_steps_by_hand():
    w = np.array([1.0])
    opt = SGD(lr=0.1, momentum=0.9)
    opt.step([w], [np.array([1.0])])  # v = -0.1
    opt.step([w], [np.array([1.0])])  # v = -0.09 - 0.1
    np.testing.assert_allclose(w, [1.0 - 0.1 - 0.19])
    w = np.array([0.0])
    Adam(lr=0.01, eps=0.0 + 1e-12).step([w], [np.array([5.0])])
    np.testing.assert_allclose(w, [-0.01])  # bias-corrected: the first step is exactly lr


def test_get_optimizer():
    assert isinstance(get_optimizer("sgd"), SGD) and get_optimizer("sgd").lr == 0.1
    mom = get_optimizer("Momentum", lr=0.02)
    assert mom.momentum == 0.9 and mom.lr == 0.02
    assert isinstance(get_optimizer("rmsprop"), RMSProp)
    adam = get_optimizer("adam", weight_decay=1e-4)
    assert isinstance(adam, Adam) and adam.weight_decay == 1e-4 and adam.lr == 0.001
    obj = Adam()
    assert get_optimizer(obj, lr=0.5) is obj and obj.lr == 0.5


def test_optimizer_errors():
    with pytest.raises(ValueError, match="unknown optimizer"):
        get_optimizer("adagrad")
    with pytest.raises(TypeError, match="step"):
        get_optimizer(42)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        SGD(lr=-1)
    with pytest.raises(ValueError, match="lr must be"):
        Adam(lr=float("nan"))
    with pytest.raises(TypeError, match="lr must be a number"):
        SGD(lr="0.1")
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.0)
    with pytest.raises(ValueError, match="2 parameter arrays but 1"):
        SGD().step([np.zeros(1), np.zeros(1)], [np.zeros(1)])
    with pytest.raises(ValueError, match="does not match"):
        SGD().step([np.zeros(2)], [np.zeros(3)])


def test_as_float_array_accepts_huge_but_finite_values():
    big = np.full((2, 2), 3e38, dtype=np.float32)  # their sum overflows; the values are fine
    np.testing.assert_array_equal(as_float_array(big), big)
