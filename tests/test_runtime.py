"""runtime: quiet environment, seeds and determinism."""

import os

import numpy as np

from seqcnn import runtime


def test_quiet_environment_keeps_existing_values():
    env = {"TF_CPP_MIN_LOG_LEVEL": "1", "TF_ENABLE_ONEDNN_OPTS": "0", "OTHER": "x"}
    added = runtime.quiet_environment(env)
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "1" and env["TF_ENABLE_ONEDNN_OPTS"] == "0"  # the reader's choices
    assert added == {k: v for k, v in runtime.QUIET_ENV.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")}
    assert runtime.quiet_environment({})["TF_ENABLE_ONEDNN_OPTS"] == "1"  # unset: oneDNN on
    assert env["KERAS_BACKEND"] == "tensorflow" and env["OTHER"] == "x"


def test_setup_makes_keras_repeatable(monkeypatch):
    for name in runtime.QUIET_ENV:
        monkeypatch.delenv(name, raising=False)
    runtime.setup(seed=7)
    import keras
    from tensorflow.python.framework import config as tf_config

    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert tf_config.is_op_determinism_enabled()

    def weights():
        layer = keras.layers.Dense(3)
        layer.build((None, 4))
        return layer.get_weights()[0], np.random.rand(), keras.random.uniform((2,)).numpy()

    runtime.setup(seed=7)
    a = weights()
    runtime.setup(seed=7)
    b = weights()
    runtime.setup(seed=8)
    c = weights()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])


def test_setup_prints_nothing_on_stderr_and_turns_onednn_on():
    """A fresh process: TensorFlow's start-up lines must not reach stderr (they would land in cells).

    Its oneDNN kernels are on (TensorFlow leaves them off by itself on some processors, an AVX2 AMD EPYC).
    A reader's own ``TF_ENABLE_ONEDNN_OPTS=0`` is kept (``test_quiet_environment_keeps_existing_values``);
    that TensorFlow then runs without oneDNN, ``test_variation`` shows in a real kernel.
    """
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in runtime.QUIET_ENV}
    code = ("import os; from seqcnn import runtime; runtime.setup(); import keras; "
            "from tensorflow.python.util import _pywrap_util_port; "
            "print(keras.backend.backend(), os.environ['TF_ENABLE_ONEDNN_OPTS'], _pywrap_util_port.IsMklEnabled())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["tensorflow", "1", "True"]
    assert done.stderr == ""


def test_seed_offset_is_added_to_every_seed_and_zero_by_default(monkeypatch):
    import keras

    monkeypatch.delenv(runtime.SEED_OFFSET_ENV, raising=False)
    assert runtime.seed_offset() == 0 and runtime.seeded(42) == 42

    def draw():
        return keras.random.uniform((3,)).numpy(), np.random.rand()

    keras.utils.set_random_seed(7)
    plain = draw()
    runtime.set_seed(7)  # no offset: exactly keras' own seeding
    same = draw()
    monkeypatch.setenv(runtime.SEED_OFFSET_ENV, "1000")
    assert runtime.seeded(7) == 1007
    runtime.set_seed(7)
    shifted = draw()
    keras.utils.set_random_seed(1007)
    expected = draw()
    np.testing.assert_array_equal(plain[0], same[0])
    assert plain[1] == same[1]
    np.testing.assert_array_equal(shifted[0], expected[0])
    assert not np.array_equal(shifted[0], plain[0])


def test_bad_environment_values_are_named(monkeypatch):
    import pytest

    monkeypatch.setenv(runtime.SEED_OFFSET_ENV, "two")
    with pytest.raises(ValueError, match="SEQCNN_SEED_OFFSET='two' is not an integer"):
        runtime.seeded(1)
    monkeypatch.setenv(runtime.THREADS_ENV, "0")
    with pytest.raises(ValueError, match="SEQCNN_INTRA_OP_THREADS=0 must be at least 1"):
        runtime.setup()


def test_setup_applies_the_thread_count_and_the_offset():
    """A fresh process, as a chapter's kernel started by the variation study."""
    import subprocess
    import sys

    code = ("from seqcnn import runtime; runtime.setup(seed=5); import numpy as np, tensorflow as tf; "
            "print(tf.config.threading.get_intra_op_parallelism_threads(), np.random.rand())")
    env = {**os.environ, runtime.THREADS_ENV: "1", runtime.SEED_OFFSET_ENV: "1000"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    threads, draw = done.stdout.split()
    np.random.seed(1005)
    assert threads == "1" and float(draw) == np.random.rand()
