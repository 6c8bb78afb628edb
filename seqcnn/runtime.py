"""Quiet, seeded and deterministic TensorFlow/Keras for the chapters.

Call :func:`setup` in the first code cell of a chapter, before anything
imports TensorFlow: the log-level variables only take effect if they are set
before TensorFlow's C++ core is loaded.

Two environment variables let the book's variation study (``python -m
booktools.variation``) re-run a chapter as another machine or another seed
would, without touching its code; unset, nothing changes:

``SEQCNN_SEED_OFFSET``
    An integer added to every seed a chapter passes to :func:`setup`,
    :func:`set_seed` or :func:`seeded` (and so to ``jena.fit_forecaster``).
``SEQCNN_INTRA_OP_THREADS``
    The number of threads TensorFlow may use inside one operation
    (``tf.config.threading.set_intra_op_parallelism_threads``), applied by
    :func:`setup`; unset, TensorFlow's default (one per core).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator

__all__ = ["ONEDNN_ENV", "QUIET_ENV", "SEED_OFFSET_ENV", "THREADS_ENV", "quiet_environment", "seed_offset", "seeded", "set_seed",
           "setup"]

#: TensorFlow's oneDNN kernels on, wherever TensorFlow has them. TensorFlow 2.21 turns them on by itself
#: only on some x86 processors (an AVX-512 Intel Xeon, not an AVX2 AMD EPYC, where its Eigen kernels made
#: the book's trained chapters 1.5 to 2.5 times slower); a value the reader set (``0``) is kept.
ONEDNN_ENV: dict[str, str] = {"TF_ENABLE_ONEDNN_OPTS": "1"}

#: Environment variables set (if not already set) before TensorFlow is imported.
QUIET_ENV: dict[str, str] = {
    # Keras 3 runs on TensorFlow in this course.
    "KERAS_BACKEND": "tensorflow",
    # Hide TensorFlow's C++ INFO/WARNING/ERROR lines (they would land in cell outputs).
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # The same floating-point path, and speed, on every x86 processor (see ONEDNN_ENV).
    **ONEDNN_ENV,
}


#: Environment variable: an integer added to every seed (see :func:`seeded`).
SEED_OFFSET_ENV = "SEQCNN_SEED_OFFSET"
#: Environment variable: TensorFlow's intra-op thread count, applied by :func:`setup`.
THREADS_ENV = "SEQCNN_INTRA_OP_THREADS"


def _int_from_env(name: str, environ: dict[str, str] | None, minimum: int | None = None) -> int | None:
    """The integer in ``environ[name]``, None if unset or empty; a clear error if it is not an integer."""
    environ = os.environ if environ is None else environ
    text = environ.get(name, "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"environment variable {name}={text!r} is not an integer: set it to a whole number "
                         f"or unset it") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"environment variable {name}={value} must be at least {minimum}: set it to a larger "
                         f"number or unset it")
    return value


def seed_offset(environ: dict[str, str] | None = None) -> int:
    """The offset in ``SEQCNN_SEED_OFFSET`` (0 when unset).

    Examples
    --------
    >>> seed_offset({}), seed_offset({"SEQCNN_SEED_OFFSET": "1000"})
    (0, 1000)
    """
    return _int_from_env(SEED_OFFSET_ENV, environ) or 0


def seeded(seed: int, environ: dict[str, str] | None = None) -> int:
    """``seed`` plus :func:`seed_offset`: the seed a chapter's ``seed`` stands for in this run.

    Examples
    --------
    >>> seeded(42, {}), seeded(42, {"SEQCNN_SEED_OFFSET": "1000"})
    (42, 1042)
    """
    return seed + seed_offset(environ)


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and the backend (``keras.utils.set_random_seed``) with :func:`seeded` ``(seed)``.

    Examples
    --------
    >>> import numpy as np
    >>> set_seed(3); first = np.random.rand()
    >>> set_seed(3); np.random.rand() == first
    True
    """
    import keras

    keras.utils.set_random_seed(seeded(seed))


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
    ['KERAS_BACKEND', 'TF_ENABLE_ONEDNN_OPTS']
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
    run. :data:`QUIET_ENV` turns TensorFlow's oneDNN kernels on
    (:data:`ONEDNN_ENV`) unless ``TF_ENABLE_ONEDNN_OPTS`` is already set: they
    give the same numbers at every run on a given machine too, and make
    training faster: about 30% on an Intel Xeon, up to 2.5 times on an AMD
    EPYC where TensorFlow leaves them off by itself. Set the variable before
    anything imports TensorFlow (``import seqcnn`` modules set it then).
    ``SEQCNN_SEED_OFFSET`` is added to ``seed`` and ``SEQCNN_INTRA_OP_THREADS``
    sets TensorFlow's intra-op thread count, when they are set (see the module
    docstring).

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
    threads = _int_from_env(THREADS_ENV, None, minimum=1)
    if threads is not None and tf.config.threading.get_intra_op_parallelism_threads() != threads:
        # Only possible before TensorFlow's runtime starts (the first operation): fail loudly after.
        tf.config.threading.set_intra_op_parallelism_threads(threads)
    keras.utils.set_random_seed(seeded(seed))
    tf.config.experimental.enable_op_determinism()
