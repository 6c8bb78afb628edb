"""The self-checks of chapter 5's exercises (seqcnn.exercises.conv_gru): right, unanswered, and the named mistakes."""

import keras  # noqa: F401  (imported here, at collection, so that no test pays for it)
import pytest

from seqcnn import ops
from seqcnn.exercises import conv_gru as check


def _no_digits_of(value, message):
    return str(value) not in message.replace(",", "").replace("_", "")


def test_gru_steps_accepts_the_length_through_the_layers():
    answer = ops.conv1d_output_length(ops.pool1d_output_length(ops.conv1d_output_length(240, 5), 3), 5)
    assert check.gru_steps(answer).right is True


def test_gru_steps_unanswered():
    assert check.gru_steps(...).right is None


@pytest.mark.parametrize("answer, words", [(240, "window's length"), (80, "pooling alone")])
def test_gru_steps_names_the_mistake(answer, words):
    feedback = check.gru_steps(answer)
    assert feedback.right is False
    assert words in feedback.message
    assert _no_digits_of(74, feedback.message)


def test_gru_parameters_accepts_the_count_by_hand():
    inputs, units = 14, 32
    assert check.gru_parameters(3 * (inputs * units + units * units + 2 * units)).right is True


def test_gru_parameters_unanswered():
    assert check.gru_parameters(...).right is None


@pytest.mark.parametrize("answer, words", [
    (3 * (14 * 32 + 32 * 32 + 32), "reset_after"),  # one bias vector per gate
    (4 * (14 * 32 + 32 * 32 + 32), "fewer gates"),  # an LSTM's count
])
def test_gru_parameters_names_the_mistake(answer, words):
    feedback = check.gru_parameters(answer)
    assert feedback.right is False
    assert words in feedback.message
    assert _no_digits_of(4608, feedback.message)


def conv1d_macs(steps, channels, filters, kernel_size):
    return (steps - kernel_size + 1) * filters * kernel_size * channels


def test_conv1d_macs_function_accepts_the_solution():
    assert check.conv1d_macs_function(conv1d_macs).right is True


def test_conv1d_macs_function_unanswered():
    def unwritten(steps, channels, filters, kernel_size):
        ...

    assert check.conv1d_macs_function(...).right is None
    assert check.conv1d_macs_function(unwritten).right is None


@pytest.mark.parametrize("function, words", [
    (lambda steps, channels, filters, kernel_size: steps * filters * kernel_size * channels, "every input step"),
    (lambda steps, channels, filters, kernel_size: (steps - kernel_size + 1) * filters * kernel_size,
     "one input channel"),
])
def test_conv1d_macs_function_names_the_mistake(function, words):
    feedback = check.conv1d_macs_function(function)
    assert feedback.right is False
    assert words in feedback.message
    assert _no_digits_of(conv1d_macs(240, 14, 32, 5), feedback.message)
