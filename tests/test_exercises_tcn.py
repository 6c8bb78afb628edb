"""The self-checks of the exercises on dilated causal convolutions (seqcnn.exercises.tcn): right, unanswered, and the named mistakes."""

import pytest

from seqcnn import causal, ops
from seqcnn.exercises import tcn as check


def _no_digits_of(value, message):
    return str(value) not in message.replace(",", "").replace("_", "")


def test_receptive_field_accepts_the_sum_of_the_spans():
    layers = causal.tcn_layers(kernel_size=2, dilations=[1, 2, 4, 8, 16, 32])
    assert check.receptive_field(ops.receptive_field(layers)[-1][0]).right is True
    assert check.receptive_field(64).right is True


def test_receptive_field_unanswered():
    assert check.receptive_field(...).right is None


@pytest.mark.parametrize("answer, words", [(63, "one more"), (7, "without dilation"), (127, "not k d"),
                                           (32, "top layer's dilation")])
def test_receptive_field_names_the_mistake(answer, words):
    feedback = check.receptive_field(answer)
    assert feedback.right is False
    assert words in feedback.message
    assert _no_digits_of(64, feedback.message)


def _solution(window, kernel_size):
    dilations = []
    while kernel_size ** len(dilations) < window:
        dilations.append(kernel_size ** len(dilations))
    return dilations


def test_dilations_accepts_the_chapter_solution_and_gives_the_model_its_blocks():
    import inspect

    from seqcnn import models

    assert check.dilations_function(_solution).right is True
    defaults = inspect.signature(models.tcn).parameters
    assert _solution(240, defaults["kernel_size"].default) == list(defaults["dilations"].default)


def test_dilations_unwritten():
    def dilations_for(window, kernel_size):
        ...

    assert check.dilations_function(dilations_for).right is None


@pytest.mark.parametrize("wrong, words", [
    (lambda window, kernel_size: [*_solution(window, kernel_size), kernel_size ** len(_solution(window, kernel_size))],
     "one layer too many"),
    (lambda window, kernel_size: _solution(window, kernel_size)[:-1], "falls short"),
    (lambda window, kernel_size: _solution(window, 2), "double whatever the kernel"),
    # "<=" instead of "<": a layer too many exactly when the window is a power of the kernel size.
    (lambda window, kernel_size: [kernel_size ** i for i in range(len(_solution(window + 1, kernel_size)))],
     "exactly as long as a field"),
])
def test_dilations_names_the_mistake(wrong, words):
    feedback = check.dilations_function(wrong)
    assert feedback.right is False
    assert words in feedback.message
    assert "81" not in feedback.message
