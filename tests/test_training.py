"""training: one log line per epoch, timings, the record of a run."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def keras():
    from seqcnn import runtime

    runtime.setup(seed=0)
    import keras

    return keras


def test_fit_logs_one_line_per_epoch(keras, capsys, monkeypatch):
    from seqcnn import training

    # A clock that moves one second each time seqcnn.training reads it: an epoch reads it at its start, at
    # the start and the end of its validation pass, and at its end, so each epoch "takes" 3 s and its
    # validation 1 s, whatever the machine.
    ticks = iter(range(1000))
    monkeypatch.setattr(training, "time", type("Clock", (), {"perf_counter": staticmethod(lambda: float(next(ticks)))}))
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x, y = np.ones((16, 3)), np.zeros(16)
    run = training.fit(model, x, y, epochs=3, batch_size=4, validation_data=(x, y))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4  # one per epoch, then where the time went
    assert lines[0].startswith("epoch 1/3   3.0 s  loss ") and lines[2].startswith("epoch 3/3   3.0 s ")
    assert lines[3] == ("3 epochs in 9.0 s: training steps 6.0 s (of which about 0.0 s tracing in epoch 1), "
                        "validation 3.0 s")
    assert "loss" in lines[0] and "val_mae" in lines[0] and "\r" not in "".join(lines)
    assert set(run.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert len(run.history["loss"]) == 3 and all(isinstance(v, float) for v in run.history["loss"])
    # Each epoch's validation pass is timed inside it, and the breakdown adds up.
    assert run.epoch_seconds == [3.0, 3.0, 3.0] and run.validation_seconds == [1.0, 1.0, 1.0]
    assert run.breakdown() == {"total": 9.0, "training steps": 6.0, "validation": 3.0,
                               "first-epoch extra (tracing)": 0.0}
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


def test_dense_rmsprop_sums_repeated_embedding_rows(keras):
    import tensorflow as tf

    from seqcnn import training

    values = tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    sparse = tf.IndexedSlices(values, tf.constant([0, 0, 2]), tf.constant([4, 2]))  # row 0 twice

    def step(optimizer, grad):
        table = keras.Variable(np.ones((4, 2), "float32"))
        optimizer.build([table])
        optimizer.apply([grad], [table])
        return table.numpy()

    dense_rule = step(keras.optimizers.RMSprop(0.1), tf.convert_to_tensor(sparse))
    ours = step(training.DenseRMSprop(0.1), sparse)
    np.testing.assert_array_equal(ours, dense_rule)
    # Rows 1 and 3 got no gradient and did not move; row 0 moved by the summed gradient (4, 1).
    np.testing.assert_array_equal(ours[[1, 3]], 1.0)
    assert ours[0, 0] == pytest.approx(1 - 0.1 * 4 / np.sqrt(0.1 * 16 + 1e-7))
    # Keras' own path on the sparse gradient squares each occurrence: a different, non-RMSprop update.
    assert not np.allclose(step(keras.optimizers.RMSprop(0.1), sparse)[0], ours[0])
    # Dense gradients pass through: exactly keras.optimizers.RMSprop.
    dense = tf.constant(np.arange(8, dtype="float32").reshape(4, 2))
    np.testing.assert_array_equal(step(training.DenseRMSprop(0.1), dense), step(keras.optimizers.RMSprop(0.1), dense))


def test_dense_rmsprop_trains_an_embedding_reproducibly(keras):
    from seqcnn import training

    x = np.random.default_rng(0).integers(0, 20, size=(64, 12))
    y = (x[:, :6].sum(axis=1) > x[:, 6:].sum(axis=1)).astype("float32")

    def run():
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((12,), dtype="int32"), keras.layers.Embedding(20, 4),
                                  keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
        model.compile(optimizer=training.DenseRMSprop(1e-2), loss=keras.losses.BinaryCrossentropy(from_logits=True))
        return training.fit(model, x, y, epochs=3, batch_size=16, verbose_log=False).history["loss"]

    first = run()
    assert first == run()
    assert first[-1] < first[0]


def test_epoch_log_ignores_evaluate_outside_fit_and_fills_epochs_without_validation():
    from seqcnn import training

    log = training.EpochLog(epochs=2, print_fn=lambda line: None)
    log.on_test_begin()
    log.on_test_end()  # an evaluate() outside fit: not an epoch's validation
    log.on_epoch_begin(0)
    log.on_epoch_end(0, {"loss": 1.0})
    assert log.validation_seconds == [0.0]
    assert training.Run({}, [3.0], [0.0]).breakdown()["first-epoch extra (tracing)"] == 0.0


def test_interleaved_step_seconds_steps_copies_in_turns_and_takes_medians(keras, monkeypatch):
    """What the function does, not how fast this machine is: which model is stepped when, and what is returned.

    ``train_on_batch`` is wrapped to record every step and to advance a scripted clock (the only clock
    ``seqcnn.training`` sees here) by the stepped model's training FLOPs at 1 GFLOP/s, times a factor
    that changes from round to round: the medians are then known exactly.
    """
    from seqcnn import flops, training

    def dense(name, width):
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(width), keras.layers.Dense(1)], name=name)
        model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss="mae")
        return model

    models = {"small": dense("small", 2), "large": dense("large", 64)}
    x, y = np.ones((4, 8), "float32"), np.zeros(4, "float32")
    cost = {name: flops.training_flops(model, (8,)) * len(x) / 1e9 for name, model in models.items()}
    # The larger step costs more, counted in operations (6 x (8 x 64 + 64) a sample against 6 x (8 x 2 + 2)).
    assert cost["large"] > cost["small"] > 0
    before = {name: [w.copy() for w in model.get_weights()] for name, model in models.items()}
    factors = [100.0, 1.0, 3.0, 2.0, 5.0, 4.0]  # the untraced first step, then 5 timed rounds: median 3
    now, steps = [0.0], []
    real_step = keras.Model.train_on_batch

    def recorded_step(model, *args, **kwargs):
        steps.append(model)
        result = real_step(model, *args, **kwargs)
        now[0] += cost[model.name] * factors[sum(m is model for m in steps) - 1]
        return result

    monkeypatch.setattr(keras.Model, "train_on_batch", recorded_step)
    monkeypatch.setattr(training, "time", type("Clock", (), {"perf_counter": staticmethod(lambda: now[0])}))
    seconds = training.interleaved_step_seconds(models, x, y, rounds=5)
    # One untimed step per model, then 5 rounds of one step each, in turns, on copies of the models.
    assert [model.name for model in steps] == ["small", "large"] * 6
    copies = {model.name: model for model in steps}
    assert all(copies[m.name] is m for m in steps) and not any(copies[name] is models[name] for name in models)
    assert all(int(copy.optimizer.iterations.numpy()) == 6 for copy in copies.values())
    # Each name gets the median of its own timed steps (the first step left out): positive.
    assert seconds == pytest.approx({name: 3.0 * cost[name] for name in models}, rel=1e-12)
    assert all(s > 0 for s in seconds.values())
    # The models themselves are not stepped: same weights, optimizers never used.
    for name, model in models.items():
        assert all(np.array_equal(a, b) for a, b in zip(before[name], model.get_weights()))
        assert int(model.optimizer.iterations.numpy()) == 0
