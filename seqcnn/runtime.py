"""Quiet, seeded and deterministic TensorFlow/Keras for the chapters.

Call :func:`setup` in the first code cell of a chapter, before anything
imports TensorFlow: the log-level variables only take effect if they are set
before TensorFlow's C++ core is loaded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator

__all__ = ["QUIET_ENV", "quiet_environment", "setup"]

#: Environment variables set (if not already set) before TensorFlow is imported.
QUIET_ENV: dict[str, str] = {
    # Keras 3 runs on TensorFlow in this course.
    "KERAS_BACKEND": "tensorflow",
    # Hide TensorFlow's C++ INFO/WARNING/ERROR lines (they would land in cell outputs).
    "TF_CPP_MIN_LOG_LEVEL": "3",
}


def quiet_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Set the variables of :data:`QUIET_ENV` that are not set yet.

    Parameters
    ----------
    environ : dict, optional
        The mapping to update; ``os.environ`` by default.

    Returns
    -------
    dict
        The variables this call set (those already set are left alone).

    Examples
    --------
    >>> env = {"TF_CPP_MIN_LOG_LEVEL": "0"}
    >>> sorted(quiet_environment(env))
    ['KERAS_BACKEND']
    >>> env["TF_CPP_MIN_LOG_LEVEL"]
    '0'
    """
    environ = os.environ if environ is None else environ
    added = {k: v for k, v in QUIET_ENV.items() if k not in environ}
    environ.update(added)
    return added


@contextlib.contextmanager
def _stderr_to_devnull() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration of the block.

    TensorFlow 2.21 writes two INFO lines ("oneDNN custom operations are on")
    straight to file descriptor 2 while it loads, before its log settings
    apply, so ``TF_CPP_MIN_LOG_LEVEL`` cannot hide them. Jupyter kernels
    forward that descriptor into cell outputs.
    """
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def setup(seed: int = 42) -> None:
    """Prepare a chapter's kernel: quiet logs, fixed seeds, deterministic ops.

    Sets :data:`QUIET_ENV`, imports Keras, seeds Python, NumPy and the
    backend with ``keras.utils.set_random_seed`` and turns on TensorFlow's op
    determinism, so that training on the CPU gives the same numbers at every
    run. (TensorFlow's oneDNN kernels stay on: on a given machine they give the
    same numbers at every run too, and they make training about 30% faster.)

    Parameters
    ----------
    seed : int, default 42
        The seed for every random number generator.

    Examples
    --------
    >>> setup(seed=0)
    >>> import numpy as np
    >>> first = np.random.rand()
    >>> setup(seed=0)
    >>> np.random.rand() == first
    True
    """
    quiet_environment()
    with _stderr_to_devnull():
        import tensorflow as tf
    import keras

    tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
