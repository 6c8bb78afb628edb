"""Self-checks for the exercises of chapter 5, Conv1D + GRU.

Examples
--------
>>> from seqcnn.exercises import conv_gru as check
>>> check.gru_steps(...)
Not answered yet: write your answer in place of the three dots, then run this cell again.
>>> check.gru_steps(240)
Not yet. That is the window's length: the layers in front of the GRU shorten it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from seqcnn import flops, models, ops
from seqcnn.exercises import Feedback, check_function, check_number

__all__ = ["gru_steps", "gru_parameters", "conv1d_macs_function"]

WINDOW_STEPS = 720 // 3
"""The steps of a 5-day window sampled every 30 minutes: 720 ten-minute measurements, one in 3."""


@lru_cache(maxsize=1)
def _gru_steps() -> int:
    """The steps the GRU of ``models.conv_gru`` reads from a window of :data:`WINDOW_STEPS` steps."""
    model = models.conv_gru()
    shape = (None, WINDOW_STEPS, model.input_shape[-1])
    for layer in model.layers:
        if type(layer).__name__ == "GRU":
            return int(shape[1])
        shape = layer.compute_output_shape(shape)
    raise ValueError("models.conv_gru has no GRU layer")


def gru_steps(answer: Any) -> Feedback:
    """Exercise: how many steps the GRU of ``models.conv_gru`` reads from a 5-day window sampled every 30 minutes.

    >>> gru_steps(80)
    Not yet. That is what the pooling alone leaves: each Conv1D with padding "valid" shortens the sequence too.
    """
    expected, after_pool = _gru_steps(), ops.pool1d_output_length(WINDOW_STEPS, 3)
    return check_number(
        answer, expected,
        mistakes=[
            (WINDOW_STEPS, "That is the window's length: the layers in front of the GRU shorten it."),
            (after_pool, "That is what the pooling alone leaves: each Conv1D with padding \"valid\" shortens the "
                         "sequence too."),
            (ops.conv1d_output_length(after_pool, 5), "You shortened the sequence by the second Conv1D, but not by "
                                                      "the first, in front of the pooling."),
            (ops.pool1d_output_length(ops.conv1d_output_length(WINDOW_STEPS, 5), 3),
             "That is the length after the pooling: the second Conv1D comes before the GRU as well."),
        ],
        hint="Follow the length layer by layer: a Conv1D of 5 steps with padding \"valid\", a MaxPooling1D of 3, "
             "another Conv1D of 5.",
        remark=f"The GRU loops over {expected / WINDOW_STEPS:.0%} of the steps it would read alone.",
    )


@lru_cache(maxsize=1)
def _gru_counts() -> dict[str, int]:
    """The GRU layer's parameter count and the counts of the usual slips (built once)."""
    model = models.gru()
    layer = model.get_layer("gru")
    inputs, units = model.input_shape[-1], layer.units
    per_gate = inputs * units + units * units
    return {"expected": int(layer.count_params()), "one_bias": 3 * (per_gate + units),
            "lstm": 4 * (per_gate + units), "four_gates": 4 * (per_gate + 2 * units),
            "model": int(model.count_params())}


def gru_parameters(answer: Any) -> Feedback:
    """Exercise: the number of trainable parameters of the GRU layer of ``models.gru()`` (Keras 3's GRU).

    >>> gru_parameters(4512)
    Not yet. That is the count with one bias vector per gate: Keras' default reset_after=True gives each gate two, one for the input's part and one for the state's.
    """
    counts = _gru_counts()
    gates = "A GRU has fewer gates than an LSTM: count them again."
    return check_number(
        answer, counts["expected"],
        mistakes=[
            (counts["one_bias"], "That is the count with one bias vector per gate: Keras' default reset_after=True "
                                 "gives each gate two, one for the input's part and one for the state's."),
            (counts["lstm"], gates),
            (counts["four_gates"], gates),
            (counts["model"], "That is the whole model's count: the question asks for the GRU layer alone, "
                              "without the Dense layer."),
        ],
        hint="Per gate: a kernel on the 14 inputs, a kernel on the 32-unit state, and biases; then times the "
             "number of gates.",
        remark="A GRU's parameters do not depend on how many steps it reads: its cost does.",
    )


def _conv1d(steps: int, channels: int, filters: int, kernel_size: int):
    import keras

    layer = keras.layers.Conv1D(filters, kernel_size)
    layer.build((None, steps, channels))
    return layer


def _reference(steps: int, channels: int, filters: int, kernel_size: int) -> int:
    """What :func:`seqcnn.flops.layer_macs` counts for ``Conv1D(filters, kernel_size)`` on ``(steps, channels)``."""
    return flops.layer_macs(_conv1d(steps, channels, filters, kernel_size), (steps, channels))


def _input_length(steps: int, channels: int, filters: int, kernel_size: int) -> int:
    return steps * filters * kernel_size * channels


def _no_channels(steps: int, channels: int, filters: int, kernel_size: int) -> int:
    return ops.conv1d_output_length(steps, kernel_size) * filters * kernel_size


def _one_short(steps: int, channels: int, filters: int, kernel_size: int) -> int:
    return (steps - kernel_size) * filters * kernel_size * channels


CASES = [((steps, channels, filters, kernel_size), {})
         for steps, channels, filters, kernel_size in [(240, 14, 32, 5), (78, 32, 32, 5), (10, 3, 4, 3), (7, 2, 5, 7)]]
"""The calls :func:`conv1d_macs_function` tries: the two convolutions of ``models.conv_gru``, a small layer,
and a kernel as long as the sequence."""


def conv1d_macs_function(function: Callable[..., Any]) -> Feedback:
    """Exercise: ``function(steps, channels, filters, kernel_size)``, the multiply-adds of a Conv1D for one sample.

    The layer is ``Conv1D(filters, kernel_size)`` (padding "valid", stride 1) on an input of shape
    ``(steps, channels)``; compared with :func:`seqcnn.flops.layer_macs`.

    >>> conv1d_macs_function(lambda steps, channels, filters, kernel_size: steps * filters * kernel_size * channels)
    Not yet. Your count has a window at every input step: with padding "valid" there are fewer output steps than input steps.
    """
    return check_function(
        function, CASES, _reference,
        mistakes=[
            (_input_length, "Your count has a window at every input step: with padding \"valid\" there are fewer "
                            "output steps than input steps."),
            (_no_channels, "Your count is right for one input channel: each tap of a window multiplies every "
                           "channel of its step."),
            (_one_short, "Your count misses one window: the last window ends on the last step, so count the "
                         "windows again on a short example."),
        ],
        hint="Count per output step: how many output steps, how many filters, and how many products each filter "
             "needs for one window.",
        remark="It agrees with flops.layer_macs, the count that the Performance page turns into a lower bound on training time.",
    )
