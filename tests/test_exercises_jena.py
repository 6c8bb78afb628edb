"""The self-checks of chapter 4's exercises, on small series written here (never the real record)."""

import numpy as np
import pytest

from seqcnn import jena
from seqcnn.exercises import jena as check
from test_jena_csv import keras_csv


@pytest.fixture(scope="module")
def chapter():
    """A stand-in for the chapter's ``prepared`` and ``windows``: a random walk of 1,000 10-minute rows."""
    walk = np.random.default_rng(7).normal(size=(1000, len(jena.FEATURES))).cumsum(axis=0)
    bounds = jena.split_bounds(len(walk))
    normalizer = jena.Normalizer.fit(walk[slice(*bounds[0])])
    prepared = jena.Prepared(None, bounds, normalizer, normalizer(walk))
    return prepared, prepared.batches(lookback=144, step=6, delay=24, batch_size=16, steps=2)


def _normalized_yesterday(prepared, rows, delay, back=144):
    t = jena.TEMPERATURE
    return float(np.abs(prepared.values[rows + delay, t] - prepared.values[rows + delay - back, t]).mean())


def _hidden(feedback, *values):
    """The feedback is a wrong answer's, and shows none of ``values`` (the right answer, written in a few ways)."""
    assert feedback.right is False
    assert not any(str(value) in feedback.message for value in values), feedback.message
    return feedback.message


# --- yesterday_baseline ---------------------------------------------------------------------------------------

def test_yesterday_baseline_solution_and_placeholder(chapter):
    prepared, windows = chapter
    mae = _normalized_yesterday(prepared, windows.validation.rows, 24)
    feedback = check.yesterday_baseline(prepared.normalizer.scale(mae), prepared, windows)
    assert feedback.right is True and feedback.message.startswith("Right.")
    assert check.yesterday_baseline(..., prepared, windows).right is None


def test_yesterday_baseline_names_its_mistakes(chapter):
    prepared, windows = chapter
    rows = windows.validation.rows
    normalized = _normalized_yesterday(prepared, rows, 24)
    celsius = float(prepared.normalizer.scale(normalized))
    shown = (f"{celsius:.2f}", f"{celsius:.1f}", f"{celsius:.3f}")
    assert "normalized units" in _hidden(check.yesterday_baseline(normalized, prepared, windows), *shown)
    same_as_now = prepared.normalizer.scale(jena.baseline_mae(prepared.values, rows, 6, 24))
    assert "same as now" in _hidden(check.yesterday_baseline(same_as_now, prepared, windows), *shown)
    two_days = prepared.normalizer.scale(_normalized_yesterday(prepared, rows, 24, back=288))
    assert "48 hours" in _hidden(check.yesterday_baseline(two_days, prepared, windows), *shown)
    assert check.yesterday_baseline("warm", prepared, windows).right is False


# --- window_rows_function -------------------------------------------------------------------------------------

def test_window_rows_solution_and_placeholder():
    def window(row, lookback, step, delay):
        return np.arange(row - lookback, row, step), row + delay

    def unwritten(row, lookback, step, delay):
        ...  # your code

    assert check.window_rows_function(window).right is True
    assert check.window_rows_function(...).right is None
    assert check.window_rows_function(unwritten).right is None


def test_the_reference_is_what_jena_windows_reads():
    values = np.arange(40.0)[:, None] * np.ones((1, 3))
    x, y = jena.windows(values, np.array([20]), lookback=12, step=3, delay=5, target_column=2)
    assert check.reference_window(20, 12, 3, 5).tolist() == [*x[0, :, 0], y[0]] == [8, 11, 14, 17, 25]


def test_window_rows_names_its_mistakes():
    def ends_at_row(row, lookback, step, delay):  # off by one: reads the sample's own row
        return list(range(row - lookback + step, row + 1, step)), row + delay

    def every_row(row, lookback, step, delay):
        return list(range(row - lookback, row)), row + delay

    def target_after_window(row, lookback, step, delay):
        return list(range(row - lookback, row, step)), row - step + delay

    assert "sample's row itself" in _hidden(check.window_rows_function(ends_at_row), "range(row - lookback, row")
    assert "one row in step" in _hidden(check.window_rows_function(every_row), "range(row - lookback, row")
    assert "target is not" in _hidden(check.window_rows_function(target_after_window), "row + delay")


def test_window_rows_wants_a_pair_and_reports_failures():
    assert "Return two things" in check.window_rows_function(lambda r, lookback, step, delay: r).message
    feedback = check.window_rows_function(lambda r, lookback, step, delay: [][0])
    assert feedback.right is False and "IndexError" in feedback.message


# --- training_windows -----------------------------------------------------------------------------------------

def test_training_windows_on_a_written_file(tmp_path):
    prepared = jena.prepare(keras_csv(tmp_path / "k.csv", rows=40))  # 20 training rows
    start, end = prepared.bounds[0]
    right = (end - start) - 4 - 3
    assert right == len(prepared.rows(0, 4, 3)) == 13
    assert check.training_windows(right, prepared, lookback=4, step=2, delay=3).right is True
    assert check.training_windows(..., prepared, lookback=4, step=2, delay=3).right is None
    forgot_lookback = check.training_windows(end - start - 3, prepared, lookback=4, step=2, delay=3)
    assert "not for the window" in _hidden(forgot_lookback, right)
    forgot_delay = check.training_windows(end - start - 4, prepared, lookback=4, step=2, delay=3)
    assert "not for the target" in _hidden(forgot_delay, right)


def test_training_windows_in_the_chapters_setting(chapter):
    prepared, windows = chapter
    right = len(windows.train.rows)
    assert check.training_windows(right, prepared, 144, 6, 24).right is True
    assert "an epoch draws" in _hidden(check.training_windows(500 * 128, prepared, 144, 6, 24), right)
    assert "every row" in _hidden(check.training_windows(right // 6, prepared, 144, 6, 24), right)
