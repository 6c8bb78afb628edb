"""filters: top windows, sentiment filters, occlusion contributions, highlighting."""

import numpy as np
import pytest

from seqcnn import filters


@pytest.fixture(scope="module")
def keras():
    from seqcnn import runtime

    runtime.setup(seed=0)
    import keras

    return keras


def test_layer_activations_match_a_hand_conv(keras):
    from seqcnn import ops

    model = keras.Sequential([keras.Input((6, 1)), keras.layers.Conv1D(2, 3, name="conv"), keras.layers.Flatten()])
    x = np.random.default_rng(0).normal(size=(5, 6, 1)).astype("float32")
    act = filters.layer_activations(model, "conv", x, batch_size=2)
    np.testing.assert_allclose(act, ops.conv1d(x, *model.get_layer("conv").get_weights()), atol=1e-5)


def test_top_windows_skips_padding_and_keeps_one_window_per_sequence():
    ids = np.array([[0, 0, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], [7, 7, 7, 7, 7, 7]])
    act = np.zeros((3, 4, 2))
    act[0, 0, 0] = 100.0  # window with padding: never reported
    act[0, 2, 0] = 5.0
    act[1, 1, 0] = 7.0
    act[1, 3, 0] = 6.0  # second-best window of sequence 1: not reported
    act[2, :, 0] = -1.0
    act[2, 3, 1] = 2.0
    result = filters.top_windows(act, ids, filters=[0, 1], kernel_size=3, k=3)
    assert result[0] == [(7.0, 1, 1), (5.0, 0, 2), (-1.0, 2, 0)]
    assert result[1][0] == (2.0, 2, 3)
    assert filters.top_windows(act, ids, filters=[0], kernel_size=3, k=1) == {0: [(7.0, 1, 1)]}


def test_sentiment_filters_ranks_by_mean_difference():
    pooled = np.array([[3.0, 0.0, 1.0, 2.0], [2.0, 1.0, 1.0, 0.0], [0.0, 4.0, 1.0, 0.5]])
    labels = np.array([1, 1, 0])
    # differences pos - neg: [2.5, -3.5, 0.0, 0.5]
    assert filters.sentiment_filters(pooled, labels, n=2) == ([0, 3], [1, 2])


def test_word_contributions_by_occlusion(keras):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[1.0], [-2.0], [0.5], [4.0]]), np.array([10.0])])
    ids = np.array([0, 3, 2, 1])
    # output = 10 + 0 - 6 + 1 + 4; removing position i removes its term w_i * ids_i.
    np.testing.assert_allclose(filters.word_contributions(model, ids), [0.0, -6.0, 1.0, 4.0], atol=1e-5)


def test_highlight_html_escapes_and_scales():
    out = filters.highlight_html(["<b>", "ok", "bad"], [0.0, 2.0, -1.0])
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert "rgba(26, 152, 80, 1.00)" in out and "rgba(215, 48, 39, 0.50)" in out
    assert 'title="+2.000"' in out and 'title="-1.000"' in out
    assert filters.highlight_html(["a"], [0.0]).count("0.00)") == 1
