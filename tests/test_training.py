"""training: one log line per epoch, timings, the record of a run."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def keras():
    from seqcnn import runtime

    runtime.setup(seed=0)
    import keras

    return keras


def test_fit_logs_one_line_per_epoch(keras, capsys):
    from seqcnn import training

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x, y = np.ones((16, 3)), np.zeros(16)
    run = training.fit(model, x, y, epochs=3, batch_size=4, validation_data=(x, y))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("epoch 1/3 ") and lines[2].startswith("epoch 3/3 ")
    assert "loss" in lines[0] and "val_mae" in lines[0] and "\r" not in "".join(lines)
    assert set(run.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert len(run.history["loss"]) == 3 and all(isinstance(v, float) for v in run.history["loss"])
    assert len(run.epoch_seconds) == 3 and run.total_seconds == pytest.approx(sum(run.epoch_seconds))
    # SGD on a zero target: the loss goes down.
    assert run.history["loss"][-1] < run.history["loss"][0]
    assert run.best_epoch("loss") == 3


def test_fit_keeps_user_callbacks_and_can_be_silent(keras, capsys):
    from seqcnn import training

    seen = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    training.fit(model, np.ones((4, 2)), np.ones(4), epochs=2, callbacks=[callback], verbose_log=False)
    assert seen == [0, 1]
    assert capsys.readouterr().out == ""


def test_run_best_epoch():
    from seqcnn.training import Run

    run = Run({"val_loss": [0.5, 0.2, 0.3], "val_accuracy": [0.7, 0.9, 0.8]}, [1.0, 1.0, 1.5])
    assert run.best_epoch("val_loss") == 2
    assert run.best_epoch("val_accuracy", mode="max") == 2
    assert run.total_seconds == 3.5


def test_restore_best_puts_back_the_best_epoch(keras):
    from seqcnn import training

    class Scripted(keras.callbacks.Callback):
        """Pretend validation accuracies 0.6, 0.9, 0.7 and remember each epoch's weights."""

        def __init__(self):
            super().__init__()
            self.weights = []

        def on_epoch_end(self, epoch, logs=None):
            logs["val_accuracy"] = [0.6, 0.9, 0.7][epoch]
            self.weights.append(self.model.get_weights()[0].copy())

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    scripted, best = Scripted(), training.RestoreBest()
    model.fit(np.ones((4, 2)), np.full(4, 3.0), epochs=3, verbose=0, callbacks=[scripted, best])
    assert (best.best_epoch, best.best) == (2, 0.9)
    np.testing.assert_array_equal(model.get_weights()[0], scripted.weights[1])
    assert not np.array_equal(scripted.weights[1], scripted.weights[2])
    with pytest.raises(ValueError, match="mode"):
        training.RestoreBest(mode="best")
