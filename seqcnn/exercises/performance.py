"""Self-checks for the exercises of chapter 7, performance notes.

Examples
--------
>>> from seqcnn.exercises import performance as check
>>> check.batch_bytes(...)
Not answered yet: write your answer in place of the three dots, then run this cell again.
>>> check.bound_seconds(3.84e9)
Not yet. A rate in GFLOP/s counts billions of operations per second: convert it to FLOP/s before dividing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from seqcnn import flops, jena
from seqcnn.exercises import Feedback, check_function, check_number

__all__ = ["batch_bytes", "cut_windows_function", "reference_cut", "bound_seconds"]

BATCH, STEPS, FEATURES = 128, 240, 14
"""The batch of :func:`batch_bytes`: 128 windows of 240 hourly steps (lookback 1440, step 6), 14 features."""


def batch_bytes(answer: Any) -> Feedback:
    """Exercise: the bytes of one batch of 128 windows of 240 steps and 14 features, as float32.

    >>> batch_bytes(128 * 240 * 14 * 4)
    Right. An epoch of 500 such batches writes 500 times as many bytes of windows.
    >>> batch_bytes(128 * 240 * 14 * 8)
    Not yet. That is the size in float64, 8 bytes a number: the windows are float32.
    """
    expected = np.empty((BATCH, STEPS, FEATURES), dtype="float32").nbytes
    return check_number(
        answer, expected,
        mistakes=[
            (2 * expected, "That is the size in float64, 8 bytes a number: the windows are float32."),
            (expected / FEATURES, "That counts one number per time step: each step of a window holds every "
                                  "feature."),
            (8 * expected, "That is the size in bits: a byte holds 8 of them."),
            (6 * expected, "That counts every row of the 10 days: a window keeps one row in 6."),
            (expected / BATCH, "That is one window: the batch holds 128 of them."),
        ],
        hint="Multiply the numbers in a batch (windows, steps, features) by the bytes of one float32.",
        remark="An epoch of 500 such batches writes 500 times as many bytes of windows.",
        rtol=0.0, atol=0.5,  # a whole number of bytes
    )


def reference_cut(values: np.ndarray, starts: np.ndarray, lookback: int, step: int) -> np.ndarray:
    """The windows ``values[s : s + lookback : step]`` for each start ``s``, cut by :class:`seqcnn.jena.WindowCutter`.

    >>> reference_cut(np.arange(10.0)[:, None], np.array([0, 3]), lookback=4, step=2)[:, :, 0].tolist()
    [[0.0, 2.0], [3.0, 5.0]]
    """
    return jena.WindowCutter(np.asarray(values), lookback, step)(np.asarray(starts))


def _every_row(values: np.ndarray, starts: np.ndarray, lookback: int, step: int) -> np.ndarray:
    return values[np.asarray(starts)[:, None] + np.arange(lookback)]


def _one_row_late(values: np.ndarray, starts: np.ndarray, lookback: int, step: int) -> np.ndarray:
    return values[np.asarray(starts)[:, None] + 1 + np.arange(0, lookback, step)]


def _one_step_late(values: np.ndarray, starts: np.ndarray, lookback: int, step: int) -> np.ndarray:
    return values[np.asarray(starts)[:, None] + np.arange(step, lookback + step, step)]


def _one_row_early(values: np.ndarray, starts: np.ndarray, lookback: int, step: int) -> np.ndarray:
    return values[np.asarray(starts)[:, None] - 1 + np.arange(0, lookback, step)]


_SERIES = (np.arange(60, dtype="float32").reshape(20, 3) * np.array([1, 10, 100], dtype="float32")) % 97
CUT_CASES = [((_SERIES, np.array(starts), lookback, step), {})
             for starts, lookback, step in [([1, 3, 7], 6, 2), ([2, 4], 9, 3), ([1, 5, 10], 4, 1), ([6], 12, 6)]]
"""The calls :func:`cut_windows_function` tries: a series of 20 rows and 3 features, windows of several steps."""


def cut_windows_function(function: Callable[..., Any]) -> Feedback:
    """Exercise: ``function(values, starts, lookback, step)``, the windows starting at rows ``starts``, in numpy.

    It returns an array of shape ``(len(starts), lookback // step, features)``, compared with
    :class:`seqcnn.jena.WindowCutter` (:func:`reference_cut`).

    >>> def cut(values, starts, lookback, step):
    ...     return values[np.asarray(starts)[:, None] + np.arange(0, lookback, step)]
    >>> cut_windows_function(cut)
    Right. It cuts the same windows as jena.WindowCutter, for every step tried.
    >>> def late(values, starts, lookback, step):
    ...     return values[np.asarray(starts)[:, None] + np.arange(1, lookback + 1, step)]
    >>> cut_windows_function(late)
    Not yet. Your windows start one row late: a window's first step is its start row.
    """
    return check_function(
        function, CUT_CASES, reference_cut,
        mistakes=[
            (_every_row, "Your windows keep every row: a window keeps one row in step, lookback // step rows in "
                         "all."),
            (_one_row_late, "Your windows start one row late: a window's first step is its start row."),
            (_one_row_early, "Your windows start one row early: a window's first step is its start row."),
            (_one_step_late, "Your windows are one step late: they skip their start row and read a row after "
                             "their end. A window's first step is its start row."),
        ],
        hint="Cut one window by hand, values[s : s + lookback : step], and compare; then build a table of row "
             "numbers, one line per window, to index values with.",
        remark="It cuts the same windows as jena.WindowCutter, for every step tried.",
    )


MACS, SAMPLES, GFLOPS = 1e6, 64_000, 100.0
"""The epoch of :func:`bound_seconds`: 1 million multiply-adds per sample in the forward pass, 64,000 training
samples (500 batches of 128), a machine whose matrix product reaches 100 GFLOP/s."""


def bound_seconds(answer: Any) -> Feedback:
    """Exercise: the fewest seconds an epoch of ``SAMPLES`` training samples needs at ``GFLOPS``, ``MACS`` each.

    ``MACS`` counts the forward pass's multiply-adds of one sample; the conventions are those of
    :mod:`seqcnn.flops` (2 FLOPs a multiply-add, 3 forward passes a training step).

    >>> bound_seconds(2 * 3 * 1e6 * 64_000 / 100e9)
    Right. No implementation can train this epoch faster at that rate: the chapter compares real epochs with such bounds.
    >>> bound_seconds(3 * 1e6 * 64_000 / 100e9)
    Not yet. You counted multiply-adds: the rate counts floating-point operations, and a multiply-add is two of them.
    """
    passes = flops.TRAINING_PASSES
    expected = flops.bound_seconds(2 * passes * MACS, SAMPLES, GFLOPS)
    return check_number(
        answer, expected,
        mistakes=[
            (expected * 1e9, "A rate in GFLOP/s counts billions of operations per second: convert it to FLOP/s "
                             "before dividing."),
            (expected / 2, "You counted multiply-adds: the rate counts floating-point operations, and a "
                           "multiply-add is two of them."),
            (expected / passes, "You counted the forward pass only: a training step also computes the gradients, "
                                "see the conventions of seqcnn.flops."),
            (expected / (2 * passes), "You counted the forward pass's multiply-adds: convert them to floating-point "
                                      "operations, and count every pass of a training step."),
            (expected * 1e3, "That is in milliseconds: the question asks for seconds."),
        ],
        hint="Count the floating-point operations of the epoch's training steps, then divide by the machine's rate "
             "in operations per second.",
        remark="No implementation can train this epoch faster at that rate: the chapter compares real epochs with "
               "such bounds.",
        rtol=1e-3,
    )
