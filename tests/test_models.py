"""models: the builders give the architectures and parameter counts of the chapters."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def models():
    from seqcnn import runtime

    runtime.setup(seed=0)
    from seqcnn import models

    return models


def test_imdb_convnet_matches_the_2020_notes(models):
    model = models.imdb_convnet()
    assert model.count_params() == 1_315_937
    shapes = [tuple(layer.output.shape) for layer in model.layers]
    assert shapes == [(None, 500, 128), (None, 494, 32), (None, 98, 32), (None, 92, 32), (None, 32), (None, 1)]
    assert [layer.count_params() for layer in model.layers] == [1_280_000, 28_704, 0, 7_200, 0, 33]
    assert model.get_layer("logit").activation.__name__ == "linear"
    out = model.predict(np.ones((2, 500), dtype="int32"), verbose=0)
    assert out.shape == (2, 1)


def test_bag_of_words(models):
    model = models.bag_of_words(vocab_size=100, hidden=8)
    assert model.count_params() == 100 * 8 + 8 + 8 + 1
    assert model.predict(np.zeros((3, 100)), verbose=0).shape == (3, 1)


def test_tcn_sizes_its_blocks_and_keeps_the_window_s_length_to_the_last_step(models):
    model = models.tcn()
    convs = [layer for layer in model.layers if layer.name.endswith("_conv")]
    assert [layer.dilation_rate[0] for layer in convs] == [1, 3, 9, 27, 81]
    assert {layer.padding for layer in convs} == {"causal"}
    # Block 1: 3 taps x 14 features x 16 + 16, its 1x1 match 14 x 16 + 16; the other four: 3 x 16 x 16 + 16 each.
    assert model.count_params() == (3 * 14 * 16 + 16) + (14 * 16 + 16) + 4 * (3 * 16 * 16 + 16) + 17
    assert model.predict(np.zeros((2, 240, 14), "float32"), verbose=0).shape == (2, 1)


def test_tcn_never_reads_the_future(models):
    """Causal: moving input step t leaves every block's output before t as it was."""
    import keras

    from seqcnn import causal, ops

    model = models.tcn()
    blocks = keras.Model(model.inputs, model.get_layer("block_5_relu").output)
    x = np.random.default_rng(1).normal(size=(1, 60, 14)).astype("float32")
    moved = x.copy()
    moved[:, 40, :] += 3.0
    before, after = (blocks.predict(v, verbose=0) for v in (x, moved))
    np.testing.assert_array_equal(before[:, :40], after[:, :40])
    assert not np.allclose(before[:, 40:], after[:, 40:])
    # The last step of a 300-step window sees exactly the last 3 ** 5 steps.
    windows = np.random.default_rng(2).normal(size=(4, 300, 14)).astype("float32")
    reached = causal.input_reach(model, windows)
    assert reached.nonzero()[0].tolist() == list(range(300 - 243, 300))
    field = ops.receptive_field(causal.tcn_layers(3, [1, 3, 9, 27, 81]))[-1][0]
    assert field == 243 == int(causal.reach(300, causal.tcn_layers(3, [1, 3, 9, 27, 81]))[0].sum())


def test_windows_mae_reverses_time_only(models):
    """A model that reads the last step is exact in order and wrong by the window's span reversed; a sum is not moved."""
    import keras

    from seqcnn import causal

    x = np.tile(np.arange(6, dtype="float32")[None, :, None], (5, 1, 2))  # each window counts 0..5 in both features
    y = np.full(5, 5.0)
    last = keras.Sequential([keras.Input((6, 2)), keras.layers.Lambda(lambda v: v[:, -1, :1])])
    total = keras.Sequential([keras.Input((6, 2)), keras.layers.Lambda(lambda v: keras.ops.sum(v[:, :, :1], axis=1) / 3)])
    batches = [(x[:3], y[:3]), (x[3:], y[3:])]  # uneven batches: the mean is over samples
    assert causal.windows_mae(last, batches) == 0.0
    assert causal.windows_mae(last, batches, reverse=True) == 5.0
    assert causal.windows_mae(total, batches) == causal.windows_mae(total, batches, reverse=True) == 0.0
