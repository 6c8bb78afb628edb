"""Time the chapters' models under each of Keras 3's backends: TensorFlow, JAX, PyTorch.

Keras 3 runs the same model code on several backends, but a process picks
its backend once, when it first imports Keras. So each measurement runs in
a child process (``python -m seqcnn.backends``) with ``KERAS_BACKEND`` set:
it builds the model with :mod:`seqcnn.models`, compiles it with RMSprop and
the given loss, trains it on the given batches and evaluates it, and reports
the seconds per training step and per validation batch, after a warm-up that
pays for tracing and compiling.

The TensorFlow child runs as the chapters do (:func:`seqcnn.runtime.setup`:
deterministic ops, XLA off); JAX compiles every step with XLA, as Keras does
by default on that backend; PyTorch runs eagerly, Keras' default there.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["BACKENDS", "Case", "Timing", "available", "time_case"]

#: Keras 3's backends, and the package each one needs.
BACKENDS: dict[str, str] = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def available(backends=tuple(BACKENDS)) -> list[str]:
    """The backends whose package is installed here.

    Examples
    --------
    >>> "tensorflow" in available()
    True
    """
    return [name for name in backends if importlib.util.find_spec(BACKENDS[name]) is not None]


@dataclass(frozen=True)
class Case:
    """A model to time: its builder in :mod:`seqcnn.models`, its loss, and real batches to train on.

    ``x_train``/``y_train`` hold whole batches of ``batch_size`` samples
    (at least ``warmup + steps`` of them); ``x_val``/``y_val`` at least one.
    """

    builder: str
    loss: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    batch_size: int = 128
    learning_rate: float = 1e-3
    builder_kwargs: tuple = ()


@dataclass(frozen=True)
class Timing:
    """Seconds per training step and per validation batch of one case on one backend."""

    backend: str
    step_seconds: float
    validation_batch_seconds: float
    warmup_seconds: float

    def epoch_seconds(self, steps: int, validation_batches: int) -> float:
        """An epoch of ``steps`` training steps and ``validation_batches`` validation batches.

        Examples
        --------
        >>> round(Timing("jax", 0.01, 0.002, 3.0).epoch_seconds(500, 205), 2)
        5.41
        """
        return steps * self.step_seconds + validation_batches * self.validation_batch_seconds


def time_case(case: Case, backend: str, steps: int = 20, warmup: int = 2, timeout: float = 900) -> Timing:
    """Train ``case`` for ``warmup`` then ``steps`` batches under ``backend``, in a child process.

    Parameters
    ----------
    case : Case
        The model and its batches.
    backend : str
        ``"tensorflow"``, ``"jax"`` or ``"torch"``.
    steps : int, default 20
        Timed training steps (after ``warmup`` untimed ones).
    warmup : int, default 2
        Steps that pay for tracing and compiling.
    timeout : float, default 900
        Seconds before the child is stopped.

    Returns
    -------
    Timing
        The median seconds per step (over the timed steps) and per validation batch.

    Raises
    ------
    RuntimeError
        When the backend is not installed, or the child fails (with the end of its error output).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(size=(4 * 8, 12, 14)).astype("float32"), rng.normal(size=4 * 8).astype("float32")
    >>> case = Case("gru", "mae", x, y, x[:8], y[:8], batch_size=8)
    >>> timing = time_case(case, "tensorflow", steps=2, warmup=1)
    >>> timing.backend, timing.step_seconds > 0
    ('tensorflow', True)
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}: choose one of {sorted(BACKENDS)}")
    if backend not in available([backend]):
        raise RuntimeError(f"the {backend} backend is not installed here (pip install {BACKENDS[backend]})")
    needed = (warmup + steps) * case.batch_size
    if len(case.x_train) < needed or len(case.x_val) < case.batch_size:
        raise ValueError(f"{case.builder}: {len(case.x_train)} training samples given, {needed} needed "
                         f"({warmup} + {steps} batches of {case.batch_size}), and at least one validation batch")
    with tempfile.TemporaryDirectory(prefix="seqcnn-backends-") as folder:
        arrays = Path(folder) / "case.npz"
        np.savez(arrays, x_train=case.x_train[:needed], y_train=case.y_train[:needed], x_val=case.x_val,
                 y_val=case.y_val)
        config = dict(builder=case.builder, loss=case.loss, batch_size=case.batch_size,
                      learning_rate=case.learning_rate, builder_kwargs=dict(case.builder_kwargs),
                      steps=steps, warmup=warmup, arrays=str(arrays))
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
        done = subprocess.run([sys.executable, "-m", "seqcnn.backends", json.dumps(config)], env=env,
                              capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"timing {case.builder} on {backend} failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Timing(backend, result["step_seconds"], result["validation_batch_seconds"], result["warmup_seconds"])


def _child(config: dict) -> dict:  # pragma: no cover - runs in the child process (covered by time_case)
    """Build, compile, warm up and time one model on this process's backend."""
    import keras

    if keras.backend.backend() == "tensorflow":
        from seqcnn import runtime

        runtime.setup(seed=42)
    else:
        keras.utils.set_random_seed(42)
    from seqcnn import models

    data = np.load(config["arrays"])
    model = getattr(models, config["builder"])(**config["builder_kwargs"])
    loss = keras.losses.BinaryCrossentropy(from_logits=True) if config["loss"] == "binary_logits" else config["loss"]
    model.compile(optimizer=keras.optimizers.RMSprop(config["learning_rate"]), loss=loss)
    size, warmup = config["batch_size"], config["warmup"]
    x, y = data["x_train"], data["y_train"]
    start = time.perf_counter()
    for i in range(warmup):
        model.train_on_batch(x[i * size:(i + 1) * size], y[i * size:(i + 1) * size])
    model.test_on_batch(data["x_val"][:size], data["y_val"][:size])
    warm = time.perf_counter() - start
    seconds = []
    for i in range(warmup, warmup + config["steps"]):
        start = time.perf_counter()
        model.train_on_batch(x[i * size:(i + 1) * size], y[i * size:(i + 1) * size])
        seconds.append(time.perf_counter() - start)
    xv = data["x_val"]
    batches = max(1, len(xv) // size)
    start = time.perf_counter()
    for i in range(batches):
        model.test_on_batch(xv[i * size:(i + 1) * size], data["y_val"][i * size:(i + 1) * size])
    validation = (time.perf_counter() - start) / batches
    return dict(step_seconds=float(np.median(seconds)), validation_batch_seconds=validation, warmup_seconds=warm)


if __name__ == "__main__":  # pragma: no cover - the child's entry point
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", help="JSON: builder, loss, batch_size, learning_rate, steps, warmup, arrays")
    print(json.dumps(_child(json.loads(parser.parse_args().config))))
