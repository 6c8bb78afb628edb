"""The numpy reference ops: hand-computed cases, and agreement with Keras layers."""

import itertools

import numpy as np
import pytest

from seqcnn import ops


@pytest.fixture(scope="module")
def keras():
    from seqcnn import runtime

    runtime.setup(seed=0)
    import keras

    return keras


def test_conv1d_by_hand():
    x = np.array([1.0, 2.0, 0.0, -1.0, 3.0]).reshape(1, 5, 1)
    kernel = np.array([1.0, 0.0, -1.0]).reshape(3, 1, 1)
    # Cross-correlation: out[t] = x[t] - x[t + 2]
    assert ops.conv1d(x, kernel)[0, :, 0].tolist() == [1.0, 3.0, -3.0]
    assert ops.conv1d(x, kernel, bias=[10.0])[0, :, 0].tolist() == [11.0, 13.0, 7.0]
    # Causal: out[t] = x[t - 2] - x[t], with zeros before the start.
    assert ops.conv1d(x, kernel, padding="causal")[0, :, 0].tolist() == [-1.0, -2.0, 1.0, 3.0, -3.0]
    # Same: one zero on each side.
    assert ops.conv1d(x, kernel, padding="same")[0, :, 0].tolist() == [-2.0, 1.0, 3.0, -3.0, -1.0]
    # Dilation 2: out[t] = x[t] - x[t + 4]
    assert ops.conv1d(x, kernel, dilation_rate=2)[0, :, 0].tolist() == [-2.0]
    assert ops.conv1d(x, kernel, strides=2)[0, :, 0].tolist() == [1.0, -3.0]


def test_conv1d_mixes_features_and_filters():
    x = np.arange(8, dtype=float).reshape(1, 4, 2)  # steps [0,1], [2,3], [4,5], [6,7]
    kernel = np.zeros((2, 2, 3))
    kernel[0, 0, 0] = 1.0  # filter 0: feature 0 of the first step
    kernel[1, 1, 1] = 1.0  # filter 1: feature 1 of the second step
    kernel[:, :, 2] = 1.0  # filter 2: sum of the window
    out = ops.conv1d(x, kernel)
    assert out.shape == (1, 3, 3)
    assert out[0, :, 0].tolist() == [0.0, 2.0, 4.0]
    assert out[0, :, 1].tolist() == [3.0, 5.0, 7.0]
    assert out[0, :, 2].tolist() == [6.0, 14.0, 22.0]


def test_conv1d_rejects_bad_shapes_and_settings():
    with pytest.raises(ValueError, match="samples, time, features"):
        ops.conv1d(np.zeros((5, 1)), np.zeros((3, 1, 1)))
    with pytest.raises(ValueError, match="kernel must have shape"):
        ops.conv1d(np.zeros((1, 5, 2)), np.zeros((3, 1, 1)))
    with pytest.raises(ValueError, match="padding"):
        ops.conv1d(np.zeros((1, 5, 1)), np.zeros((3, 1, 1)), padding="full")
    with pytest.raises(ValueError, match="strides"):
        ops.conv1d(np.zeros((1, 5, 1)), np.zeros((3, 1, 1)), strides=0)


@pytest.mark.parametrize(
    ("length", "kernel_size", "strides", "padding", "dilation", "expected"),
    [
        (500, 7, 1, "valid", 1, 494),
        (10, 3, 2, "valid", 1, 4),
        (10, 3, 3, "same", 1, 4),
        (10, 3, 1, "causal", 3, 10),
        (10, 3, 1, "valid", 3, 4),
        (4, 5, 1, "valid", 1, 0),
    ],
)
def test_conv1d_output_length(length, kernel_size, strides, padding, dilation, expected):
    assert ops.conv1d_output_length(length, kernel_size, strides, padding, dilation) == expected


def test_window_starts():
    assert ops.window_starts(7, 3, strides=2).tolist() == [0, 2, 4]
    assert ops.window_starts(7, 3, padding="same").tolist() == [-1, 0, 1, 2, 3, 4, 5]
    assert ops.window_starts(5, 3, padding="causal", dilation_rate=2).tolist() == [-4, -3, -2, -1, 0]


def test_pool1d_by_hand():
    x = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 0.0, 6.0]).reshape(1, 7, 1)
    assert ops.pool1d(x, 2)[0, :, 0].tolist() == [3.0, 5.0, 4.0]
    assert ops.pool1d(x, 2, mode="average")[0, :, 0].tolist() == [2.0, 3.5, 2.0]
    assert ops.pool1d(x, 3, strides=1)[0, :, 0].tolist() == [3.0, 5.0, 5.0, 5.0, 6.0]
    # Same padding: the last window holds only the step 6; padding is never the max nor counted.
    assert ops.pool1d(x, 2, padding="same")[0, :, 0].tolist() == [3.0, 5.0, 4.0, 6.0]
    assert ops.pool1d(-x, 2, padding="same")[0, :, 0].tolist() == [-1.0, -2.0, 0.0, -6.0]
    assert ops.pool1d(x, 2, padding="same", mode="average")[0, :, 0].tolist() == [2.0, 3.5, 2.0, 6.0]


def test_pool1d_rejects_bad_settings():
    x = np.zeros((1, 4, 1))
    with pytest.raises(ValueError, match="mode"):
        ops.pool1d(x, 2, mode="min")
    with pytest.raises(ValueError, match="padding"):
        ops.pool1d(x, 2, padding="causal")
    with pytest.raises(ValueError, match="mode"):
        ops.global_pool1d(x, mode="sum")


def test_pool1d_output_length():
    assert ops.pool1d_output_length(494, 5) == 98
    assert ops.pool1d_output_length(494, 5, padding="same") == 99
    assert ops.pool1d_output_length(500, 4, strides=2) == 249
    with pytest.raises(ValueError, match="padding"):
        ops.pool1d_output_length(10, 2, padding="causal")


def test_global_pool1d():
    x = np.array([[1.0, -2.0], [4.0, 0.0], [-5.0, 8.0]]).reshape(1, 3, 2)
    assert ops.global_pool1d(x).tolist() == [[4.0, 8.0]]
    assert ops.global_pool1d(x, "average").tolist() == [[0.0, 2.0]]


def test_receptive_field():
    assert ops.receptive_field([(7, 1), (5, 5), (7, 1)]) == [(7, 1), (11, 5), (41, 5)]
    assert ops.receptive_field([(5, 1), (3, 3), (5, 1), (3, 3), (5, 1)])[-1] == (61, 9)
    assert ops.receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]) == [(3, 1), (7, 1), (15, 1)]
    assert ops.receptive_field([]) == []
    with pytest.raises(ValueError, match="kernel_size"):
        ops.receptive_field([(0, 1)])


CONV_SETTINGS = [
    (length, kernel_size, strides, padding, dilation)
    for length, kernel_size, padding in itertools.product((1, 6, 13), (1, 2, 3, 5), ("valid", "same", "causal"))
    for strides, dilation in ((1, 1), (2, 1), (3, 1), (1, 2), (1, 3))
    if padding != "valid" or dilation * (kernel_size - 1) + 1 <= length
]


@pytest.mark.parametrize(("length", "kernel_size", "strides", "padding", "dilation"), CONV_SETTINGS)
def test_conv1d_matches_keras(keras, length, kernel_size, strides, padding, dilation):
    x = np.random.default_rng(length * 100 + kernel_size).normal(size=(2, length, 3)).astype("float32")
    layer = keras.layers.Conv1D(4, kernel_size, strides=strides, padding=padding, dilation_rate=dilation)
    expected = np.asarray(layer(x))
    got = ops.conv1d(x, *layer.get_weights(), strides=strides, padding=padding, dilation_rate=dilation)
    assert got.shape == expected.shape
    assert got.shape[1] == ops.conv1d_output_length(length, kernel_size, strides, padding, dilation)
    np.testing.assert_allclose(got, expected, atol=1e-5)


POOL_SETTINGS = [
    (length, pool_size, strides, padding, mode)
    for length, pool_size, strides, padding, mode in itertools.product(
        (1, 6, 13), (1, 2, 3, 5), (None, 1, 2), ("valid", "same"), ("max", "average")
    )
    if padding == "same" or pool_size <= length
]


@pytest.mark.parametrize(("length", "pool_size", "strides", "padding", "mode"), POOL_SETTINGS)
def test_pool1d_matches_keras(keras, length, pool_size, strides, padding, mode):
    x = np.random.default_rng(length * 10 + pool_size).normal(size=(2, length, 3)).astype("float32")
    layer_class = keras.layers.MaxPooling1D if mode == "max" else keras.layers.AveragePooling1D
    expected = np.asarray(layer_class(pool_size, strides=strides, padding=padding)(x))
    got = ops.pool1d(x, pool_size, strides=strides, padding=padding, mode=mode)
    assert got.shape == expected.shape
    assert got.shape[1] == ops.pool1d_output_length(length, pool_size, strides, padding)
    np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "average"])
def test_global_pool1d_matches_keras(keras, mode):
    x = np.random.default_rng(3).normal(size=(3, 11, 4)).astype("float32")
    layer = keras.layers.GlobalMaxPooling1D() if mode == "max" else keras.layers.GlobalAveragePooling1D()
    np.testing.assert_allclose(ops.global_pool1d(x, mode), np.asarray(layer(x)), atol=1e-6)
