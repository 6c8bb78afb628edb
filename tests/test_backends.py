import os

import numpy as np
import pytest


def _case(n_train=4 * 8, builder="bag_of_words"):
    """Batches of 8 samples of 14 features, for the smallest model of seqcnn.models (a few hundred weights).

    Which model does not matter here: a child process spends its time importing Keras and its backend.
    """
    from seqcnn import backends

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(n_train, 14)).astype("float32"), rng.normal(size=n_train).astype("float32")
    return backends.Case(builder, "mae", x, y, x[:8], y[:8], batch_size=8,
                         builder_kwargs=(("vocab_size", 14), ("hidden", 4)))


def test_unknown_or_missing_backend_is_a_clear_error(monkeypatch):
    from seqcnn import backends

    with pytest.raises(ValueError, match="unknown backend 'mxnet'"):
        backends.time_case(_case(), "mxnet")
    monkeypatch.setattr(backends, "available", lambda names=(): [])
    with pytest.raises(RuntimeError, match="jax backend is not installed"):
        backends.time_case(_case(), "jax")


def test_too_few_batches_is_refused():
    from seqcnn import backends

    with pytest.raises(ValueError, match="16 needed"):
        backends.time_case(_case(n_train=8), "tensorflow", steps=1, warmup=1)


def test_a_failing_child_reports_its_error(tmp_path, monkeypatch):
    """A child that fails (here at once: the Keras it imports is a stub that raises) is reported with its error."""
    from seqcnn import backends

    stub = tmp_path / "keras"
    stub.mkdir()
    (stub / "__init__.py").write_text('raise ImportError("this keras is a stub of test_backends")\n')
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])))
    with pytest.raises(RuntimeError, match="timing no_such_model on tensorflow failed") as failure:
        backends.time_case(_case(builder="no_such_model"), "tensorflow", steps=1, warmup=1)
    # The end of the child's own error output comes with it.
    assert "ImportError: this keras is a stub of test_backends" in str(failure.value)


def test_timing_on_the_backends_installed_here():
    """Each backend in a child process of its own, as time_case runs it: only the plumbing is checked (a
    timing per backend, positive, and the epoch's arithmetic), never how fast a backend is."""
    from seqcnn import backends

    installed = backends.available()
    assert "tensorflow" in installed
    # TensorFlow's child runs in time_case's docstring example; here the other backends installed.
    for backend in [name for name in installed if name != "tensorflow"] or ["tensorflow"]:
        timing = backends.time_case(_case(), backend, steps=2, warmup=1)
        assert timing.backend == backend and timing.step_seconds > 0 and timing.validation_batch_seconds > 0
        assert timing.warmup_seconds > 0
        assert timing.epoch_seconds(10, 2) == pytest.approx(10 * timing.step_seconds + 2 * timing.validation_batch_seconds)
