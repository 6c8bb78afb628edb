"""runtime: quiet environment, seeds and determinism."""

import os

import numpy as np

from seqcnn import runtime


def test_quiet_environment_keeps_existing_values():
    env = {"TF_CPP_MIN_LOG_LEVEL": "1", "OTHER": "x"}
    added = runtime.quiet_environment(env)
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "1"
    assert added == {k: v for k, v in runtime.QUIET_ENV.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
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


def test_setup_prints_nothing_on_stderr():
    """A fresh process: TensorFlow's start-up lines must not reach stderr (they would land in cells)."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in runtime.QUIET_ENV}
    code = "from seqcnn import runtime; runtime.setup(); import keras; print(keras.backend.backend())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "tensorflow"
    assert done.stderr == ""
