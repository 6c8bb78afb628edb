"""Training helpers: one compact log line per epoch, timings, a record of the run."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from seqcnn.runtime import quiet_environment

quiet_environment()  # TensorFlow's log settings must be in place before Keras loads it.

import keras  # noqa: E402

__all__ = ["EpochLog", "RestoreBest", "Run", "best_checkpoint", "fit", "DenseRMSprop"]


class DenseRMSprop(keras.optimizers.RMSprop):
    """``keras.optimizers.RMSprop`` that first adds up an embedding's sparse gradient into a dense one.

    With the TensorFlow backend the gradient of an ``Embedding`` is a
    ``tf.IndexedSlices``: one row per word *occurrence* in the batch
    (128 reviews x 500 words = 64,000 rows for the IMDB convnet, for about
    3,400 distinct words). Keras 3's RMSprop applies its update to those rows
    one occurrence at a time: it squares each occurrence's gradient and
    scatters 64,000 increments into the table. That is slow (about a third
    of an IMDB training step on a 2-core CPU) and not RMSprop: for a word seen
    twice its running average gets ``g1**2 + g2**2`` instead of
    ``(g1 + g2)**2``. This class sums the repeated rows into the dense
    gradient first (``tf.convert_to_tensor``) and then applies the unchanged
    RMSprop update, the textbook rule that Keras' JAX and PyTorch backends
    apply too. Dense gradients pass through untouched, so for models without
    an embedding it is exactly ``keras.optimizers.RMSprop``. The arguments are
    those of ``keras.optimizers.RMSprop``.

    Examples
    --------
    >>> import numpy as np
    >>> import tensorflow as tf
    >>> table = keras.Variable(np.ones((3, 1), "float32"))
    >>> grad = tf.IndexedSlices(tf.constant([[1.0], [3.0]]), tf.constant([0, 0]), tf.constant([3, 1]))
    >>> optimizer = DenseRMSprop(learning_rate=0.1)
    >>> optimizer.apply([grad], [table])  # row 0 seen twice: its gradient is 1 + 3 = 4
    >>> optimizer.variables[-1].numpy().ravel().astype(float).round(3).tolist()  # running average: 0.1 * 4**2
    [1.6, 0.0, 0.0]
    """

    def apply(self, grads, trainable_variables=None):
        """Sum the repeated rows of any ``tf.IndexedSlices`` gradient, then update as RMSprop does."""
        import tensorflow as tf

        grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]
        return super().apply(grads, trainable_variables)


class EpochLog(keras.callbacks.Callback):
    """Print one line per epoch (no progress bar) and record each epoch's seconds.

    It also records the seconds of each epoch's validation pass (Keras runs
    it inside the epoch, between the last training step and the end of the
    epoch), so that a run's time can be split into training steps and
    validation (see :meth:`Run.breakdown`).

    Parameters
    ----------
    epochs : int
        Total number of epochs (for the ``epoch 3/10`` counter).
    print_fn : callable, default print
        Where the lines go.

    Examples
    --------
    >>> log = EpochLog(epochs=2)
    >>> log.on_epoch_begin(0)
    >>> log.on_epoch_end(0, {"loss": 0.69312, "accuracy": 0.5, "val_loss": 0.7, "val_accuracy": 0.48})
    ... # doctest: +ELLIPSIS
    epoch 1/2 ... s  loss 0.6931  accuracy 0.5000  val_loss 0.7000  val_accuracy 0.4800
    >>> len(log.seconds)
    1
    """

    def __init__(self, epochs: int, print_fn=print):
        super().__init__()
        self.epochs = epochs
        self.print_fn = print_fn
        self.seconds: list[float] = []
        self.validation_seconds: list[float] = []
        self._start = self._test_start = 0.0
        self._in_epoch = False

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._in_epoch = True

    def on_test_begin(self, logs=None):
        self._test_start = time.perf_counter()

    def on_test_end(self, logs=None):
        if self._in_epoch:  # the validation pass of fit, not a separate evaluate()
            self.validation_seconds.append(time.perf_counter() - self._test_start)

    def on_epoch_end(self, epoch, logs=None):
        self._in_epoch = False
        self.seconds.append(time.perf_counter() - self._start)
        if len(self.validation_seconds) < len(self.seconds):
            self.validation_seconds.append(0.0)  # an epoch without validation
        width = len(str(self.epochs))
        metrics = "  ".join(f"{name} {value:.4f}" for name, value in (logs or {}).items())
        self.print_fn(f"epoch {epoch + 1:>{width}}/{self.epochs} {self.seconds[-1]:5.1f} s  {metrics}")


class RestoreBest(keras.callbacks.Callback):
    """Keep the weights of the epoch with the best ``monitor`` value, and restore them at the end.

    Parameters
    ----------
    monitor : str, default "val_accuracy"
        The metric to watch.
    mode : {"max", "min"}, default "max"
        Whether larger or smaller is better.

    Attributes
    ----------
    best_epoch : int
        1-based epoch whose weights the model holds after training.
    best : float
        The ``monitor`` value of that epoch.

    Examples
    --------
    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> best = RestoreBest(monitor="loss", mode="min")
    >>> _ = model.fit(np.ones((4, 1)), np.ones(4), epochs=3, verbose=0, callbacks=[best])
    >>> best.best_epoch
    3
    """

    def __init__(self, monitor: str = "val_accuracy", mode: str = "max"):
        super().__init__()
        if mode not in ("max", "min"):
            raise ValueError(f"mode must be 'max' or 'min', got {mode!r}")
        self.monitor, self.mode = monitor, mode
        self.best_epoch, self.best = 0, float("nan")
        self._weights = None

    def on_epoch_end(self, epoch, logs=None):
        value = float(logs[self.monitor])
        better = value > self.best if self.mode == "max" else value < self.best
        if self._weights is None or better:
            self.best_epoch, self.best = epoch + 1, value
            self._weights = self.model.get_weights()

    def on_train_end(self, logs=None):
        if self._weights is not None:
            self.model.set_weights(self._weights)


def best_checkpoint(patience: int | None, epochs: int, monitor: str = "val_loss") -> keras.callbacks.EarlyStopping:
    """Keras' own early stopping, keeping the best epoch's weights: stop after ``patience`` epochs without a better ``monitor``.

    ``keras.callbacks.EarlyStopping(restore_best_weights=True)``, the idiom of
    *Deep Learning with Python* and of the Keras examples: the model ends
    with the weights of the epoch with the best ``monitor`` value, whether
    training stopped early or ran all ``epochs``.

    Parameters
    ----------
    patience : int or None
        Epochs without improvement after which training stops; ``None`` runs
        all ``epochs`` (a fixed budget) and still keeps the best epoch's weights.
    epochs : int
        The ceiling, ``model.fit``'s ``epochs``.
    monitor : str, default "val_loss"
        A loss or error to minimize (``"val_accuracy"`` and other accuracies are maximized).

    Examples
    --------
    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> stop = best_checkpoint(patience=None, epochs=3, monitor="loss")
    >>> _ = model.fit(np.ones((4, 1)), np.ones(4), epochs=3, verbose=0, callbacks=[stop])
    >>> stop.best_epoch + 1, stop.stopped_epoch  # the 3rd epoch was best; it did not stop early
    (3, 0)
    """
    if patience is not None and patience < 1:
        raise ValueError(f"patience must be at least 1 epoch (or None for a fixed budget), got {patience}")
    return keras.callbacks.EarlyStopping(monitor=monitor, patience=epochs if patience is None else patience,
                                         restore_best_weights=True)


def _checkpoint_line(stop: keras.callbacks.EarlyStopping, epochs_run: int, epochs: int) -> str:
    """What an early-stopping callback did, in one line of the training log.

    Examples
    --------
    >>> stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    >>> stop.best_epoch, stop.best, stop.stopped_epoch = 1, 0.49512, 4
    >>> _checkpoint_line(stop, 5, 20)
    'stopped after epoch 5 of 20 (val_loss not better for 3 epochs); kept the weights of epoch 2 (val_loss 0.4951)'
    >>> stop.stopped_epoch = 0
    >>> _checkpoint_line(stop, 20, 20)
    'ran all 20 epochs; kept the weights of epoch 2 (val_loss 0.4951)'
    """
    kept = f"kept the weights of epoch {stop.best_epoch + 1} ({stop.monitor} {float(stop.best):.4f})"
    if stop.stopped_epoch:
        return (f"stopped after epoch {epochs_run} of {epochs} ({stop.monitor} not better for {stop.patience} "
                f"epochs); {kept}")
    return f"ran all {epochs_run} epochs; {kept}"


@dataclass
class Run:
    """What one training run produced: per-epoch metrics and seconds.

    Examples
    --------
    >>> run = Run({"val_loss": [0.5, 0.3, 0.4]}, [2.0, 1.0, 1.0])
    >>> run.best_epoch("val_loss"), run.total_seconds
    (2, 4.0)
    >>> Run({"val_accuracy": [0.8, 0.9]}, [1.0, 1.0]).best_epoch("val_accuracy", mode="max")
    2
    """

    history: dict[str, list[float]]
    epoch_seconds: list[float] = field(default_factory=list)
    validation_seconds: list[float] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        """Seconds spent in all epochs."""
        return float(sum(self.epoch_seconds))

    def breakdown(self) -> dict[str, float]:
        """Where the run's seconds went: training steps, validation passes, and the first epoch's extra.

        The first epoch also traces the model into a graph; its extra cost is
        estimated as its training time minus the median training time of the
        other epochs (0 for a one-epoch run).

        Examples
        --------
        >>> run = Run({}, [12.0, 10.0, 10.5], [2.0, 2.0, 2.5])
        >>> run.breakdown()
        {'total': 32.5, 'training steps': 26.0, 'validation': 6.5, 'first-epoch extra (tracing)': 2.0}
        """
        training = [epoch - val for epoch, val in zip(self.epoch_seconds, self.validation_seconds or
                                                       [0.0] * len(self.epoch_seconds))]
        extra = max(0.0, training[0] - statistics.median(training[1:])) if len(training) > 1 else 0.0
        return {"total": round(self.total_seconds, 3), "training steps": round(sum(training), 3),
                "validation": round(sum(self.validation_seconds), 3), "first-epoch extra (tracing)": round(extra, 3)}

    def best_epoch(self, metric: str, mode: str = "min") -> int:
        """1-based epoch with the lowest (``mode="min"``) or highest value of ``metric``."""
        values = self.history[metric]
        pick = min if mode == "min" else max
        return values.index(pick(values)) + 1


def fit(model, x, y=None, *, epochs: int, verbose_log: bool = True, **kwargs) -> Run:
    """``model.fit`` with one log line per epoch and per-epoch timings.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    x, y
        Training data, as for ``keras.Model.fit``.
    epochs : int
        Number of epochs.
    verbose_log : bool, default True
        Print the one-line-per-epoch log.
    **kwargs
        Passed to ``model.fit`` (``batch_size``, ``validation_data``,
        ``steps_per_epoch``...); ``verbose`` is always 0.

    Returns
    -------
    Run
        The metrics of every epoch and the seconds each took.

    Examples
    --------
    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> run = fit(model, np.zeros((8, 2)), np.zeros(8), epochs=2, verbose_log=False)
    >>> len(run.history["loss"]), len(run.epoch_seconds)
    (2, 2)
    """
    log = EpochLog(epochs, print_fn=print if verbose_log else (lambda line: None))
    callbacks = [log, *kwargs.pop("callbacks", [])]
    history = model.fit(x, y, epochs=epochs, verbose=0, callbacks=callbacks, **kwargs)
    run = Run({k: [float(v) for v in vs] for k, vs in history.history.items()}, list(log.seconds),
              list(log.validation_seconds))
    parts = run.breakdown()
    log.print_fn(f"{len(run.epoch_seconds)} epochs in {parts['total']:.1f} s: training steps "
                 f"{parts['training steps']:.1f} s (of which about {parts['first-epoch extra (tracing)']:.1f} s "
                 f"tracing in epoch 1), validation {parts['validation']:.1f} s")
    for callback in callbacks:
        if isinstance(callback, keras.callbacks.EarlyStopping) and callback.restore_best_weights:
            log.print_fn(_checkpoint_line(callback, len(run.epoch_seconds), epochs))
    return run


def interleaved_step_seconds(models: dict, x, y, rounds: int = 10) -> dict[str, float]:
    """Median seconds of one training step of each model, measured in turns.

    Timing one model's epochs and then another's compares them at two
    different moments: if another program takes a core during one of them,
    the ratio says more about the machine than about the models. Here the
    models take turns, one step each, ``rounds`` times, so whatever else the
    machine does falls on all of them alike. Each model is copied (same
    architecture and weights, a fresh optimizer of the same kind and learning
    rate, the same loss), so the trained models are left as they are.

    Parameters
    ----------
    models : dict
        Name to compiled ``keras.Model``.
    x, y
        One batch, shaped for every model.
    rounds : int, default 10
        Timed steps per model (after one untimed step that traces it).

    Returns
    -------
    dict
        Name to median seconds per step.

    Examples
    --------
    >>> import numpy as np
    >>> small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    >>> small.compile(optimizer="rmsprop", loss="mae")
    >>> seconds = interleaved_step_seconds({"a": small, "b": small}, np.zeros((8, 4)), np.zeros(8), rounds=3)
    >>> sorted(seconds), all(s > 0 for s in seconds.values())
    (['a', 'b'], True)
    """
    copies = {}
    for name, model in models.items():
        twin = keras.models.clone_model(model)
        twin.set_weights(model.get_weights())
        optimizer = type(model.optimizer).from_config(model.optimizer.get_config())
        twin.compile(optimizer=optimizer, loss=model.loss)
        twin.train_on_batch(x, y)  # traces the step
        copies[name] = twin
    seconds: dict[str, list[float]] = {name: [] for name in copies}
    for _ in range(rounds):
        for name, twin in copies.items():
            start = time.perf_counter()
            twin.train_on_batch(x, y)
            seconds[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in seconds.items()}
