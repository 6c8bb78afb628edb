"""Self-checks for the exercises of chapter 4, forecasting temperature with a 1D convnet.

The checks take the chapter's objects (``prepared``, the ``windows`` of ``prepared.batches``, the
window setting) and compute the right answer from them, so that they hold for whichever file the
chapter read.

Examples
--------
>>> from seqcnn.exercises import jena as check
>>> prepared, windows = check._small_chapter()  # 800 rows, 400 of them for training
>>> check.training_windows(..., prepared, lookback=144, step=6, delay=12)
Not answered yet: write your answer in place of the three dots, then run this cell again.
>>> check.training_windows(400, prepared, lookback=144, step=6, delay=12)
Not yet. That is one window per row of the training part: a window needs lookback rows before its row, and its target delay rows after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from seqcnn import jena
from seqcnn.exercises import RETURNS_NONE, Feedback, check_function, check_number, not_answered, not_yet, unanswered

__all__ = ["DAY", "yesterday_baseline", "window_rows_function", "reference_window", "training_windows"]

DAY = 144
"""Rows in 24 hours: the station reads its instruments every 10 minutes."""


def _small_chapter(rows: int = 800, seed: int = 0) -> tuple[jena.Prepared, jena.Splits]:
    """A stand-in for the chapter's ``prepared`` and ``windows``: a random walk, 10-minute rows (for the examples).

    The windows are one day long (``lookback=144``, ``step=6``) and their target 2 hours ahead (``delay=12``).
    """
    walk = np.random.default_rng(seed).normal(size=(rows, len(jena.FEATURES))).cumsum(axis=0)
    bounds = jena.split_bounds(rows)
    normalizer = jena.Normalizer.fit(walk[slice(*bounds[0])])
    prepared = jena.Prepared(None, bounds, normalizer, normalizer(walk))
    return prepared, prepared.batches(lookback=DAY, step=6, delay=12, batch_size=32, steps=2)


def _mae(values: np.ndarray, rows: np.ndarray, delay: int, back: int) -> float:
    """The normalized MAE of forecasting the target ``values[rows + delay]`` by the temperature ``back`` rows before it."""
    target = values[rows + delay, jena.TEMPERATURE]
    return float(np.abs(target - values[rows + delay - back, jena.TEMPERATURE]).mean())


def yesterday_baseline(answer: Any, prepared: jena.Prepared, splits: jena.Splits) -> Feedback:
    """Exercise: the validation MAE, in °C, of "the temperature 24 hours before the target".

    ``prepared`` and ``splits`` are the chapter's ``prepared`` and ``windows``: the validation
    windows' rows, ``step`` and ``delay`` come from ``splits.validation``.

    >>> prepared, splits = _small_chapter()
    >>> rows, t = splits.validation.rows, jena.TEMPERATURE
    >>> mae = np.abs(prepared.values[rows + 12, t] - prepared.values[rows + 12 - DAY, t]).mean()
    >>> yesterday_baseline(prepared.normalizer.scale(mae), prepared, splits)
    Right. It needs no learning either: compare it with "same as now", the better of the two is the bar.
    >>> yesterday_baseline(mae, prepared, splits)
    Not yet. That is the error in normalized units: the question asks for °C, as the chapter's table gives them.
    """
    validation, test = splits.validation, splits.test
    step, delay = validation.step, validation.delay
    values, scale = prepared.values, prepared.normalizer.scale
    expected = scale(_mae(values, validation.rows, delay, DAY))
    return check_number(
        answer, expected,
        mistakes=[
            (_mae(values, validation.rows, delay, DAY), "That is the error in normalized units: the question asks "
                                                        "for °C, as the chapter's table gives them."),
            (scale(jena.baseline_mae(values, validation.rows, step, delay)),
             "That is the \"same as now\" baseline: it reads the window's last step. Read the row 24 hours before "
             "the target instead."),
            (scale(_mae(values, validation.rows, delay, 2 * DAY)),
             "Your forecast reads the temperature 48 hours before the target: count the 24 hours back from the "
             "target's row, not from the sample's row."),
            (scale(_mae(values, test.rows, delay, DAY)), "That is the error on the test part: the question asks "
                                                         "about the validation windows."),
        ],
        hint="For each validation row r, the target is delay rows after r; compare it with the temperature 144 rows "
             "before the target, average the absolute differences, then convert to °C.",
        remark="It needs no learning either: compare it with \"same as now\", the better of the two is the bar.",
        rtol=5e-3,
    )


def reference_window(row: int, lookback: int, step: int, delay: int) -> np.ndarray:
    """The rows that ``jena.windows`` reads for the sample of ``row``, then its target's row, as one array.

    It cuts the sample from a series whose every row holds its own row number, so the window and the
    target it returns are the rows the library reads.

    >>> reference_window(10, lookback=4, step=2, delay=3).tolist()
    [6.0, 8.0, 13.0]
    """
    numbers = np.arange(row + delay + 1, dtype=float)[:, None]
    samples, targets = jena.windows(numbers, np.array([row]), lookback, step, delay, target_column=0)
    return np.append(samples[0, :, 0], targets[0])


def _ends_at_row(row: int, lookback: int, step: int, delay: int) -> np.ndarray:
    return np.append(np.arange(row - lookback + step, row + step, step), row + delay)


def _one_step_too_many(row: int, lookback: int, step: int, delay: int) -> np.ndarray:
    return np.append(np.arange(row - lookback, row + 1, step), row + delay)


def _every_row(row: int, lookback: int, step: int, delay: int) -> np.ndarray:
    return np.append(np.arange(row - lookback, row), row + delay)


def _target_after_last_step(row: int, lookback: int, step: int, delay: int) -> np.ndarray:
    return np.append(np.arange(row - lookback, row, step), row - step + delay)


WINDOW_CASES = [((row, lookback, step, delay), {})
                for row, lookback, step, delay in [(10, 4, 2, 3), (20, 12, 3, 5), (7, 5, 1, 2), (1440, 1440, 6, 144)]]
"""The calls :func:`window_rows_function` tries: ``(row, lookback, step, delay)``, the last one the chapter's."""


def _is_pair(result: Any) -> bool:
    try:
        inputs, target = result
        return np.ndim(inputs) == 1 and np.ndim(target) == 0
    except (TypeError, ValueError):
        return False


def window_rows_function(function: Callable[..., Any]) -> Feedback:
    """Exercise: ``function(row, lookback, step, delay)``, the rows a sample's window reads and its target's row.

    The function returns a pair: the rows of the window, in order, and the target's row. They are
    compared with the rows that ``jena.windows`` reads (:func:`reference_window`).

    >>> def window(row, lookback, step, delay):
    ...     return list(range(row - lookback, row, step)), row + delay
    >>> window_rows_function(window)
    Right. Your rows are those that jena.windows reads, for every setting tried.
    >>> def every_row(row, lookback, step, delay):
    ...     return list(range(row - lookback, row)), row + delay
    >>> window_rows_function(every_row)
    Not yet. Your window keeps every row of the lookback: the window keeps one row in step.
    >>> def unwritten(row, lookback, step, delay):
    ...     ...
    >>> window_rows_function(unwritten).right is None
    True
    """
    if unanswered(function):
        return not_answered()
    if not callable(function):
        return not_yet(f"The answer should be a function, not {type(function).__name__}.")
    pair_hint = not_yet("Return two things: the list of the rows the window reads, and the target's row.")

    def flattened(row: int, lookback: int, step: int, delay: int) -> np.ndarray | None:
        result = function(row, lookback, step, delay)
        if result is None:
            return None
        inputs, target = result
        return np.append(np.asarray(inputs, dtype=float).ravel(), float(target))

    failed = object()
    try:
        first = function(*WINDOW_CASES[0][0])
    except Exception:  # the learner's code: check_function reports the failure
        first = failed
    if first is None:
        return Feedback(None, RETURNS_NONE)
    if first is not failed and not _is_pair(first):
        return pair_hint
    return check_function(
        flattened, WINDOW_CASES, reference_window,
        mistakes=[
            (_ends_at_row, "Your window reads the sample's row itself: the window holds the lookback rows before "
                           "that row, and the row is not one of them."),
            (_one_step_too_many, "Your window has one step too many: it should hold lookback // step rows, and "
                                 "the sample's row is not one of them."),
            (_every_row, "Your window keeps every row of the lookback: the window keeps one row in step."),
            (_target_after_last_step, "Your window is right, your target is not: the delay counts from the row "
                                      "that names the sample, not from the window's last step."),
        ],
        hint="Try row=10, lookback=4, step=2, delay=3 by hand: which rows come before row 10, which of them does "
             "the window keep, and where is the target?",
        remark="Your rows are those that jena.windows reads, for every setting tried.",
    )


def training_windows(answer: Any, prepared: jena.Prepared, lookback: int, step: int, delay: int) -> Feedback:
    """Exercise: how many different windows the training part gives, for the chapter's window setting.

    Compared with the rows the library makes (``prepared.rows(0, lookback, delay)``).

    >>> prepared, _ = _small_chapter()
    >>> start, end = prepared.bounds[0]
    >>> training_windows(end - start - DAY - 12, prepared, lookback=DAY, step=6, delay=12)
    Right. Every row from the first whose window fits to the last whose target fits names one window.
    >>> training_windows(end - start - 12, prepared, lookback=DAY, step=6, delay=12)
    Not yet. You left room for the target but not for the window: the first lookback rows of the part have no full window before them.
    """
    start, end = prepared.bounds[0]
    expected = len(prepared.rows(0, lookback, delay))
    rows = end - start
    return check_number(
        answer, expected,
        mistakes=[
            (rows - delay, "You left room for the target but not for the window: the first lookback rows of the "
                           "part have no full window before them."),
            (rows - lookback, "You left room for the window but not for the target: the last delay rows of the "
                              "part have no target after them inside the part."),
            (rows, "That is one window per row of the training part: a window needs lookback rows before its row, "
                   "and its target delay rows after it."),
            (expected + 1, "One too many: the last target must be the part's last row, end - 1, not end."),
            (expected / step, "Windows do not start one step apart: a window can start at every row, and only "
                              "inside a window is one row in step kept."),
            (expected // step, "Windows do not start one step apart: a window can start at every row, and only "
                               "inside a window is one row in step kept."),
            (500 * 128, "That is how many windows an epoch draws, at random and with replacement: the question "
                        "asks how many different windows the training part holds."),
        ],
        hint="Find the first row whose window fits in the training part, and the last row whose target does; "
             "count the rows from one to the other.",
        remark="Every row from the first whose window fits to the last whose target fits names one window.",
    )
