"""Self-checks for the exercises of chapter 1, 1D convolution.

Examples
--------
>>> from seqcnn.exercises import conv1d as check
>>> check.output_length(...)
Not answered yet: write your answer in place of the three dots, then run this cell again.
>>> check.output_length(494)
Not yet. That is the length with a stride of 1: a stride of 2 keeps every second window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from seqcnn import ops
from seqcnn.exercises import Feedback, check_function, check_number, not_answered, not_yet, right, unanswered

__all__ = ["output_length", "causal_taps", "step_detector", "conv1d_function", "reference_conv1d"]


def output_length(answer: Any) -> Feedback:
    """Exercise: the number of output steps of ``Conv1D(32, 7, strides=2)`` on 500 steps.

    >>> output_length(250)
    Not yet. Dividing the length by the stride forgets that the last window must fit: 7 steps.
    """
    return check_number(
        answer, ops.conv1d_output_length(500, 7, strides=2),
        mistakes=[
            (ops.conv1d_output_length(500, 7), "That is the length with a stride of 1: a stride of 2 keeps every "
                                               "second window."),
            (500 / 2, "Dividing the length by the stride forgets that the last window must fit: 7 steps."),
            (500, "That is what padding=\"same\" would keep; this layer has the default, \"valid\"."),
        ],
        hint="Count the windows: the first starts at step 0, each next one 2 steps later, and the last must end "
             "by step 499.",
    )


def causal_taps(answer: Any) -> Feedback:
    """Exercise: the input steps that output step 10 reads, causal padding, kernel 3, dilation 2.

    ``answer`` is the list of steps, in any order.

    >>> causal_taps([6, 8, 10])
    Right. The kernel spans 5 steps and reads 3 of them.
    >>> causal_taps([8, 9, 10])
    Not yet. Those steps are 1 apart: a dilation of 2 puts the taps 2 steps apart.
    """
    if unanswered(answer):
        return not_answered()
    try:
        steps = sorted(int(s) for s in answer)
    except (TypeError, ValueError):
        return not_yet("The answer should be a list of step numbers, such as [1, 2, 3].")
    start = int(ops.window_starts(20, 3, padding="causal", dilation_rate=2)[10])
    expected = [start + 2 * j for j in range(3)]
    if steps == expected:
        return right("The kernel spans 5 steps and reads 3 of them.")
    if len(steps) != 3:
        return not_yet("A kernel of size 3 reads 3 input steps.")
    if steps == [8, 9, 10]:
        return not_yet("Those steps are 1 apart: a dilation of 2 puts the taps 2 steps apart.")
    if max(steps) > 10:
        return not_yet("A causal convolution never reads a step after the output step.")
    return not_yet("With causal padding the last tap is the output step itself; the others come before it.")


def _same_response(kernel: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The response of a one-filter Conv1D with ``kernel`` and padding "same" (as the chapter's detector)."""
    return ops.conv1d(x[None, :, None], kernel.reshape(-1, 1, 1), padding="same")[0, :, 0]


def step_detector(kernel: Any, sequences: Sequence[np.ndarray], step_at: int = 45) -> Feedback:
    """Exercise: a kernel whose response peaks at the step (``step_at``) of each of the chapter's ``sequences``.

    A right kernel ignores flat stretches (its weights add up to zero) and gives its strongest
    response where its window straddles the rise.

    >>> from seqcnn.exercises.conv1d import _chapter_sequences
    >>> step_detector([-1] * 12 + [1] * 12, _chapter_sequences())
    Right. Flat stretches give zero, the rise gives the peak.
    >>> step_detector([-1, -1, -1, 1, 1, 1], _chapter_sequences()).right
    False
    """
    if unanswered(kernel):
        return not_answered()
    try:
        weights = np.asarray(kernel, dtype=float).ravel()
    except (TypeError, ValueError):
        return not_yet("The answer should be a list of numbers, the kernel's weights.")
    if weights.size < 2 or not np.isfinite(weights).all():
        return not_yet("A kernel needs at least two finite weights to see a change.")
    if abs(weights.sum()) > 1e-6 * max(1.0, np.abs(weights).sum()):
        return not_yet("Your kernel responds to flat stretches too: make its weights add up to zero, so that only "
                       "a change gives a response.")
    half = len(weights) // 2
    peaks = [int(_same_response(weights, np.asarray(x, dtype=float)).argmax()) for x in sequences]
    if all(step_at - half - 1 <= p <= step_at + half for p in peaks):
        return right("Flat stretches give zero, the rise gives the peak.")
    troughs = [int(_same_response(weights, np.asarray(x, dtype=float)).argmin()) for x in sequences]
    if all(step_at - half - 1 <= t <= step_at + half for t in troughs):
        return not_yet("Your kernel responds to the rise with its most negative value: flip its sign.")
    return not_yet("Your kernel responds at least as strongly to the bump as to the step. A bump goes back down, a "
                   "step stays up: compare a stretch after with a stretch before, each longer than the bump.")


def _chapter_sequences() -> list[np.ndarray]:
    """The chapter's two sequences: a step at time 45 and the bump at time 10 or 70 (for the examples)."""
    bump = np.array([0.0, 1.0, 2.0, 3.0, 2.0, 1.0, 0.0])
    out = []
    for at in (10, 70):
        seq = np.zeros(100)
        seq[45:] = 1.0
        seq[at:at + len(bump)] += bump
        out.append(seq)
    return out


def reference_conv1d(x: np.ndarray, kernel: np.ndarray, strides: int = 1, dilation_rate: int = 1) -> np.ndarray:
    """What Keras' ``Conv1D`` (one filter, no bias, padding "valid") gives for one sequence ``x`` and ``kernel``.

    >>> reference_conv1d(np.arange(6.0), np.array([1.0, -1.0]), strides=2).tolist()
    [-1.0, -1.0, -1.0]
    """
    import keras

    x = np.asarray(x, dtype="float32")
    kernel = np.asarray(kernel, dtype="float32")
    layer = keras.layers.Conv1D(1, len(kernel), strides=strides, dilation_rate=dilation_rate, use_bias=False)
    layer.build((None, len(x), 1))
    layer.set_weights([kernel.reshape(-1, 1, 1)])
    return np.asarray(layer(x[None, :, None]))[0, :, 0]


def _without_dilation(x: np.ndarray, kernel: np.ndarray, strides: int = 1, dilation_rate: int = 1) -> np.ndarray:
    return reference_conv1d(x, kernel, strides)


def _without_strides(x: np.ndarray, kernel: np.ndarray, strides: int = 1, dilation_rate: int = 1) -> np.ndarray:
    return reference_conv1d(x, kernel, 1, dilation_rate)


def _flipped(x: np.ndarray, kernel: np.ndarray, strides: int = 1, dilation_rate: int = 1) -> np.ndarray:
    return reference_conv1d(x, np.asarray(kernel)[::-1], strides, dilation_rate)


CASES = [
    ((np.array([0.0, 1, 3, 2, 5, 4, 1, 0, 2, 3, 1, 4, 2, 0, 1, 5, 3, 2, 4, 1]), np.array([1.0, -2, 0.5])),
     {"strides": s, "dilation_rate": d})
    for s, d in [(1, 1), (2, 1), (3, 1), (1, 2), (1, 3)]
]
"""The calls :func:`conv1d_function` tries: one sequence of 20 steps, a kernel of 3, strides or dilations
(Keras' ``Conv1D`` refuses both at once)."""


def conv1d_function(function: Callable[..., Any]) -> Feedback:
    """Exercise: ``function(x, kernel, strides=1, dilation_rate=1)``, a strided, dilated Conv1D in numpy.

    It takes one sequence ``x`` of shape ``(steps,)`` and a kernel of shape ``(kernel_size,)`` and
    returns the ``"valid"`` output, compared with Keras' ``Conv1D``.

    >>> def ignores_dilation(x, kernel, strides=1, dilation_rate=1):
    ...     k = len(kernel)
    ...     return np.array([x[t:t + k] @ kernel for t in range(0, len(x) - k + 1, strides)])
    >>> conv1d_function(ignores_dilation)
    Not yet. Your output is right without dilation: with dilation_rate d, the taps of a window are d steps apart.
    """
    return check_function(
        function, CASES, reference_conv1d,
        mistakes=[
            (_without_dilation, "Your output is right without dilation: with dilation_rate d, the taps of a window "
                                "are d steps apart."),
            (_without_strides, "Your output is right with a stride of 1: with strides s, consecutive windows start "
                               "s steps apart."),
            (_flipped, "Your kernel is reversed: Keras does not flip the kernel (a cross-correlation, "
                       "unlike numpy.convolve)."),
        ],
        hint="Compare with reference_conv1d on a short sequence: how many windows, where does each start, "
             "which steps does it read?",
        remark="It agrees with Keras' Conv1D for every stride and dilation tried.",
    )
