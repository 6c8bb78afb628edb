"""The self-checks of chapter 7's exercises (the Performance page)."""

import numpy as np

from seqcnn import flops, jena
from seqcnn.exercises import performance as check


def _hidden(feedback, *values):
    """The feedback is a wrong answer's, and shows none of ``values`` (the right answer, written in a few ways)."""
    assert feedback.right is False
    assert not any(str(value) in feedback.message for value in values), feedback.message
    return feedback.message


def test_batch_bytes():
    right = 128 * 240 * 14 * 4
    shown = (right, f"{right:,}", f"{right / 1e6:.2f}")
    assert check.batch_bytes(right).right is True
    assert check.batch_bytes(...).right is None
    assert "float64" in _hidden(check.batch_bytes(128 * 240 * 14 * 8), *shown)
    assert "every feature" in _hidden(check.batch_bytes(128 * 240 * 4), *shown)
    assert check.batch_bytes(right + 1).right is False


def test_cut_windows_solution_and_placeholder():
    def cut(values, starts, lookback, step):
        return values[np.asarray(starts)[:, None] + np.arange(0, lookback, step)]

    def loop(values, starts, lookback, step):
        return np.stack([values[s : s + lookback : step] for s in starts])

    def unwritten(values, starts, lookback, step):
        ...  # your code

    assert check.cut_windows_function(cut).right is True
    assert check.cut_windows_function(loop).right is True
    assert check.cut_windows_function(...).right is None
    assert check.cut_windows_function(unwritten).right is None


def test_the_reference_cuts_like_jena_windows():
    values = np.random.default_rng(0).normal(size=(50, 4)).astype("float32")
    rows = np.array([24, 30, 41])
    x, _ = jena.windows(values, rows, lookback=24, step=4, delay=2)
    np.testing.assert_array_equal(check.reference_cut(values, rows - 24, 24, 4), x)


def test_cut_windows_names_its_mistakes():
    def ignores_step(values, starts, lookback, step):
        return values[np.asarray(starts)[:, None] + np.arange(lookback)]

    def one_row_late(values, starts, lookback, step):
        return np.stack([values[s + 1 : s + 1 + lookback : step] for s in starts])

    assert "one row in step" in _hidden(check.cut_windows_function(ignores_step), "np.arange(0, lookback, step)")
    assert "one row late" in _hidden(check.cut_windows_function(one_row_late), "np.arange(0, lookback, step)")
    assert check.cut_windows_function(lambda values, starts, lookback, step: values[:2]).right is False


def test_bound_seconds():
    right = flops.bound_seconds(2 * 3 * 1e6, 64_000, 100.0)
    shown = (right, f"{right:.2f}", f"{right:.1f}")
    assert check.bound_seconds(right).right is True
    assert check.bound_seconds(3.84).right is True  # the value typed by hand
    assert check.bound_seconds(...).right is None
    assert "GFLOP/s" in _hidden(check.bound_seconds(right * 1e9), *shown)
    assert "multiply-add is two" in _hidden(check.bound_seconds(right / 2), *shown)
    assert "forward pass only" in _hidden(check.bound_seconds(right / 3), *shown)
