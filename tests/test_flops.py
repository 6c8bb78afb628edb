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
