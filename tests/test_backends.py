import numpy as np
import pytest


def _case(n_train=4 * 8, builder="gru"):
    from seqcnn import backends

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(n_train, 6, 14)).astype("float32"), rng.normal(size=n_train).astype("float32")
    return backends.Case(builder, "mae", x, y, x[:8], y[:8], batch_size=8)


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


def test_a_failing_child_reports_its_error():
    from seqcnn import backends

    with pytest.raises(RuntimeError, match="timing no_such_model on tensorflow failed"):
        backends.time_case(_case(builder="no_such_model"), "tensorflow", steps=1, warmup=1)


def test_timing_on_the_backends_installed_here():
    from seqcnn import backends

    for backend in backends.available():
        timing = backends.time_case(_case(), backend, steps=2, warmup=1)
        assert timing.backend == backend and timing.step_seconds > 0 and timing.validation_batch_seconds > 0
        assert timing.epoch_seconds(10, 2) == pytest.approx(10 * timing.step_seconds + 2 * timing.validation_batch_seconds)
