"""Quiet, seeded and deterministic TensorFlow/Keras for the chapters.

Call :func:`setup` in the first code cell of a chapter, before anything
imports TensorFlow: the log-level variables only take effect if they are set
before TensorFlow's C++ core is loaded.
"""

from __future__ import annotations

import logging
import os

__all__ = ["QUIET_ENV", "quiet_environment", "setup"]

#: Environment variables set (if not already set) before TensorFlow is imported.
QUIET_ENV: dict[str, str] = {
    # Keras 3 runs on TensorFlow in this course.
    "KERAS_BACKEND": "tensorflow",
    # Hide TensorFlow's C++ INFO/WARNING/ERROR lines (they would land in cell outputs).
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # oneDNN kernels reorder floating-point sums: turning them off keeps CPU results repeatable.
    "TF_ENABLE_ONEDNN_OPTS": "0",
    # Deterministic TensorFlow ops (also enabled through the API in setup()).
    "TF_DETERMINISTIC_OPS": "1",
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
    ['KERAS_BACKEND', 'TF_DETERMINISTIC_OPS', 'TF_ENABLE_ONEDNN_OPTS']
    >>> env["TF_CPP_MIN_LOG_LEVEL"]
    '0'
    """
    environ = os.environ if environ is None else environ
    added = {k: v for k, v in QUIET_ENV.items() if k not in environ}
    environ.update(added)
    return added


def setup(seed: int = 42) -> None:
    """Prepare a chapter's kernel: quiet logs, fixed seeds, deterministic ops.

    Sets :data:`QUIET_ENV`, imports Keras, seeds Python, NumPy and the
    backend with ``keras.utils.set_random_seed`` and turns on TensorFlow's op
    determinism, so that training on the CPU gives the same numbers at every
    run.

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
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
