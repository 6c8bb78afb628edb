"""Self-checks for the exercises of chapter 2, 1D pooling.

Examples
--------
>>> from seqcnn.exercises import pooling as check
>>> check.pool_length(249)
Right. Overlapping windows shorten the sequence less.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from seqcnn import ops
from seqcnn.exercises import Feedback, check_function, check_number, not_answered, not_yet, right, unanswered

__all__ = ["pool_length", "field_without_pooling", "dilations", "global_max_pool_function"]


def pool_length(answer: Any) -> Feedback:
    """Exercise: the length that ``MaxPooling1D(4, strides=2)`` gives on 500 steps.

    >>> pool_length(125)
    Not yet. That is the length with strides 4, the default: here the windows start 2 steps apart and overlap.
    """
    return check_number(
        answer, ops.pool1d_output_length(500, 4, strides=2),
        mistakes=[
            (ops.pool1d_output_length(500, 4), "That is the length with strides 4, the default: here the windows "
                                               "start 2 steps apart and overlap."),
            (500 / 2, "Dividing by the stride forgets that the last window must fit: 4 steps."),
            (ops.pool1d_output_length(500, 4, strides=1), "That is the length with strides 1."),
        ],
        hint="Count the windows of 4 steps, the first at step 0, each next one 2 steps later.",
        remark="Overlapping windows shorten the sequence less.",
    )


def field_without_pooling(field: Any, steps: Any, length: int = 240) -> Feedback:
    """Exercise: the receptive field and the output length of three ``Conv1D(32, 5)`` without pooling.

    >>> field_without_pooling(13, 228)
    Right. Without pooling, depth alone adds k - 1 steps per layer.
    >>> field_without_pooling(15, 240)
    Not yet. Each layer adds k - 1 = 4 steps to the field, not k: the first layer's window already counts its own step.
    """
    if unanswered(field) or unanswered(steps):
        return not_answered()
    expected_field = ops.receptive_field([(5, 1)] * 3)[-1][0]
    expected_steps = length
    for _ in range(3):
        expected_steps = ops.conv1d_output_length(expected_steps, 5)
    try:
        field, steps = float(field), float(steps)
    except (TypeError, ValueError):
        return not_yet("Both answers should be numbers.")
    if field == expected_field and steps == expected_steps:
        return right("Without pooling, depth alone adds k - 1 steps per layer.")
    if field == 3 * 5:
        return not_yet("Each layer adds k - 1 = 4 steps to the field, not k: the first layer's window already "
                       "counts its own step.")
    if field != expected_field:
        return not_yet("The receptive field is not right yet: follow ops.receptive_field's rule, layer by layer.")
    if steps == length:
        return not_yet("The field is right. The length is not: padding \"valid\" shortens the sequence at each "
                       "layer.")
    return not_yet("The field is right. The length is not: each valid convolution of 5 steps removes 4.")


def dilations(rates: Any, field: int) -> Feedback:
    """Exercise: dilation rates for three ``Conv1D(32, 5)`` (no pooling) whose receptive field is ``field``.

    >>> dilations([1, 5, 9], 61)
    Right. Dilation reaches as far as pooling and keeps every step.
    >>> dilations([1, 3, 9], 61)
    Not yet. Those are the pooled stack's jumps: each pooling window widens the field as well, so they fall short.
    """
    if unanswered(rates):
        return not_answered()
    try:
        rates = [int(r) for r in rates]
    except (TypeError, ValueError):
        return not_yet("The answer should be a list of three whole numbers.")
    if len(rates) != 3 or min(rates) < 1:
        return not_yet("Give three dilation rates, one per layer, each at least 1.")
    got = ops.receptive_field([(5, 1, r) for r in rates])[-1][0]
    if got == field:
        return right("Dilation reaches as far as pooling and keeps every step.")
    if rates == [1, 3, 9]:
        return not_yet("Those are the pooled stack's jumps: each pooling window widens the field as well, so they "
                       "fall short.")
    if got < field:
        return not_yet("The field is too short: each layer adds 4 d steps, so the rates must add up to more.")
    return not_yet("The field is too wide: each layer adds 4 d steps, so the rates must add up to less.")


CASES = [((np.arange(24.0).reshape(2, 4, 3) % 7 - 3.0,), {}),
         ((np.array([[[-2.0, 1.0], [-5.0, 0.5], [-1.0, -3.0]]]),), {})]
"""The calls :func:`global_max_pool_function` tries: batches of shape (samples, steps, channels)."""


def _reference(x: np.ndarray) -> np.ndarray:
    import keras

    return np.asarray(keras.layers.GlobalMaxPooling1D()(np.asarray(x, dtype="float32")))


def global_max_pool_function(function: Callable[..., Any]) -> Feedback:
    """Exercise: ``function(x)``, global max pooling of a batch ``(samples, steps, channels)`` in numpy.

    Compared with Keras' ``GlobalMaxPooling1D``.

    >>> global_max_pool_function(lambda x: x.max(axis=1))
    Right. It agrees with Keras' GlobalMaxPooling1D: one value per sample and channel.
    >>> global_max_pool_function(lambda x: x.max(axis=2))
    Not yet. Your function takes the maximum over the channels: pooling takes it over time, axis 1.
    """
    return check_function(
        function, CASES, _reference,
        mistakes=[
            (lambda x: x.max(axis=2), "Your function takes the maximum over the channels: pooling takes it over "
                                      "time, axis 1."),
            (lambda x: x.mean(axis=1), "Your function averages: that is GlobalAveragePooling1D."),
            (lambda x: x.max(axis=0), "Your function takes the maximum over the samples: each sample keeps its "
                                      "own maximum."),
        ],
        hint="The output should have one value per sample and channel: shape (samples, channels).",
        remark="It agrees with Keras' GlobalMaxPooling1D: one value per sample and channel.",
    )
