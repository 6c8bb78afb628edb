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
