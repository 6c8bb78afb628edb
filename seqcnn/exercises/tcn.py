"""Self-checks for the exercises of the chapter on dilated causal convolutions (a temporal convolutional network).

Examples
--------
>>> from seqcnn.exercises import tcn as check
>>> check.receptive_field(...)
Not answered yet: write your answer in place of the three dots, then run this cell again.
>>> check.receptive_field(7)
Not yet. That is the field of six layers without dilation: each layer adds its kernel's span, which a dilation stretches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seqcnn import ops
from seqcnn.exercises import Feedback, check_function, check_number

__all__ = ["receptive_field", "dilations_function"]

KERNEL_SIZE = 2
"""The taps of each layer of the stack in :func:`receptive_field`."""
DILATIONS = (1, 2, 4, 8, 16, 32)
"""The dilations of the six layers in :func:`receptive_field`."""


def receptive_field(answer: Any) -> Feedback:
    """Exercise: the input steps the last step sees through six causal layers of 2 taps, dilations 1 to 32.

    >>> receptive_field(63)
    Not yet. That is the steps the layers add: the output step itself is one more.
    """
    layers = [(KERNEL_SIZE, 1, d) for d in DILATIONS]
    expected = ops.receptive_field(layers)[-1][0]
    added = expected - 1
    return check_number(
        answer, expected,
        mistakes=[
            (added, "That is the steps the layers add: the output step itself is one more."),
            (1 + len(DILATIONS) * (KERNEL_SIZE - 1), "That is the field of six layers without dilation: each layer "
                                                     "adds its kernel's span, which a dilation stretches."),
            (1 + sum(KERNEL_SIZE * d for d in DILATIONS), "Each layer adds (k - 1) d steps, the distance from its "
                                                         "first tap to its last, not k d."),
            (DILATIONS[-1], "That is the top layer's dilation alone: the layers below it add their spans too."),
        ],
        hint="Start from the one output step and add, layer by layer, the distance between a kernel's first and last "
             "tap.",
        remark="Each layer doubles the field: six layers see 2 to the 6th steps.",
    )


def _reference(window: int, kernel_size: int) -> list[int]:
    """The dilations 1, k, k², ... of the fewest layers whose field ``k ** layers`` covers ``window`` steps."""
    dilations: list[int] = []
    while _field(kernel_size, dilations) < window:
        dilations.append(kernel_size ** len(dilations))
    return dilations


def _field(kernel_size: int, dilations: list[int]) -> int:
    """The receptive field of causal layers of ``kernel_size`` taps with ``dilations`` (1 without layers)."""
    return ops.receptive_field([(kernel_size, 1, d) for d in dilations])[-1][0] if dilations else 1


def _one_more(window: int, kernel_size: int) -> list[int]:
    found = _reference(window, kernel_size)
    return [*found, kernel_size ** len(found)]


def _one_fewer(window: int, kernel_size: int) -> list[int]:
    return _reference(window, kernel_size)[:-1]


def _strictly_longer(window: int, kernel_size: int) -> list[int]:
    return _reference(window + 1, kernel_size)


def _doubling(window: int, kernel_size: int) -> list[int]:
    return _reference(window, 2)


CASES = [((window, kernel_size), {}) for window, kernel_size in [(240, 3), (240, 2), (243, 3), (244, 3), (10, 4), (1, 3)]]
"""The calls :func:`dilations_function` tries: the chapter's window with 3 and 2 taps, a window of exactly
3 ** 5 steps and one step more, a small case, and a window of one step (no layer needed)."""


def dilations_function(function: Callable[..., Any]) -> Feedback:
    """Exercise: ``function(window, kernel_size)``, the dilations 1, k, k², ... of the fewest layers that see ``window``.

    >>> dilations_function(lambda window, kernel_size: [2 ** i for i in range(max(window - 1, 0).bit_length())])
    Not yet. Your dilations double whatever the kernel: with k taps, a layer can multiply the field by k.
    """
    return check_function(
        function, CASES, _reference,
        mistakes=[
            (_one_more, "Your stack has one layer too many for some windows: stop as soon as the field, k to the "
                        "power of the layers, reaches the window (a field exactly as long as the window is enough)."),
            (_strictly_longer, "Your stack has one layer too many when the window is exactly as long as a field: a "
                               "field that covers the window is enough, it need not be longer."),
            (_one_fewer, "Your stack falls short for some windows: the field after L layers is k to the power L, "
                         "and it must reach the whole window."),
            (_doubling, "Your dilations double whatever the kernel: with k taps, a layer can multiply the field by k."),
        ],
        hint="Add layers while the field is shorter than the window; after L layers of k taps with dilations 1, k, "
             "k squared, ..., the field is k to the power L.",
        remark="For the chapter's 240-step window and 3 taps, that is the five blocks of models.tcn.",
    )
