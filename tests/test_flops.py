import pytest


@pytest.fixture(scope="module")
def keras():
    from seqcnn import runtime

    runtime.setup(seed=0)
    import keras

    return keras


def test_counts_follow_the_layer_shapes(keras):
    from seqcnn import flops

    same = keras.layers.Conv1D(8, 3, padding="same")
    same.build((None, 10, 4))
    assert flops.layer_macs(same, (10, 4)) == 10 * 8 * 3 * 4
    dense = keras.layers.Dense(5)
    dense.build((None, 7, 6))
    assert flops.layer_macs(dense, (7, 6)) == 7 * 6 * 5  # applied at every time step
    assert flops.layer_macs(keras.layers.MaxPooling1D(2), (10, 4)) == 0
    embedding = keras.layers.Embedding(100, 8)
    embedding.build((None, 20))
    assert flops.layer_macs(embedding, (20,)) == 0


def test_unsupported_layers_are_refused_not_guessed(keras):
    from seqcnn import flops

    strided = keras.layers.Conv1D(8, 3, strides=2)
    strided.build((None, 10, 4))
    with pytest.raises(ValueError, match="stride 1"):
        flops.layer_macs(strided, (10, 4))
    lstm = keras.layers.LSTM(4)
    lstm.build((None, 10, 4))
    with pytest.raises(ValueError, match="LSTM"):
        flops.layer_macs(lstm, (10, 4))


def test_bound_and_epoch_flops(keras):
    from seqcnn import flops, models

    model = models.gru()
    per_sample = flops.training_flops(model, (240, 14))
    assert per_sample == 6 * (240 * 3 * 32 * (14 + 32) + 32)
    assert flops.epoch_flops(model, (240, 14), 10, 0) == 10 * per_sample
    assert flops.bound_seconds(per_sample, 1000, 10.0) == pytest.approx(per_sample * 1000 / 1e10)


def test_dilated_convolutions_count_their_taps_not_their_span(keras):
    from seqcnn import flops

    valid = keras.layers.Conv1D(8, 3, dilation_rate=4)
    valid.build((None, 20, 2))
    assert flops.layer_macs(valid, (20, 2)) == (20 - 2 * 4) * 8 * 3 * 2  # the span shortens a "valid" output
    causal = keras.layers.Conv1D(8, 3, padding="causal", dilation_rate=4)
    causal.build((None, 20, 2))
    assert flops.layer_macs(causal, (20, 2)) == 20 * 8 * 3 * 2  # causal padding keeps every step


def test_a_functional_model_is_counted_layer_by_layer_at_the_given_length(keras):
    from seqcnn import flops, models

    model = models.tcn()  # the time axis is open: the count follows the length asked for
    counts = flops.forward_macs(model, (240, 14))
    expected = 240 * 16 * 3 * 14 + 240 * 16 * 14 + 4 * 240 * 16 * 3 * 16 + 16  # block 1 (+ 1x1 match), 4 blocks, Dense
    assert sum(counts.values()) == expected
    assert sum(flops.forward_macs(model, (120, 14)).values()) == (expected - 16) // 2 + 16
    assert counts["block_5_add"] == counts["block_5_relu"] == 0
    assert set(counts) == {layer.name for layer in model.layers[1:]}
