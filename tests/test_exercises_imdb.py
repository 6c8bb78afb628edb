"""The self-checks of chapter 3's exercises (seqcnn.exercises.imdb): right, unanswered, and the named mistakes."""

import keras  # noqa: F401  (imported here, at collection, so that no test pays for it)
import numpy as np
import pytest

from seqcnn import imdb
from seqcnn.exercises import imdb as check


def keep_last(ids, length):
    out = np.zeros((len(ids), length), dtype="int32")
    for row, seq in zip(out, ids):
        seq = seq[-length:]
        if len(seq):
            row[length - len(seq):] = seq
    return out


def keeps_start(ids, length):
    out = np.zeros((len(ids), length), dtype="int32")
    for row, seq in zip(out, ids):
        seq = seq[:length]
        row[length - len(seq):] = seq
    return out


def pads_end(ids, length):
    return np.array([list(seq[-length:]) + [0] * (length - len(seq[-length:])) for seq in ids])


def unwritten(ids, length):
    ...


def test_pad_or_truncate_function_accepts_the_solution_and_the_library():
    assert check.pad_or_truncate_function(keep_last).right is True
    assert check.pad_or_truncate_function(lambda ids, length: imdb.pad_or_truncate(ids, length)).right is True
    assert check.pad_or_truncate_function(lambda ids, length: [list(r) for r in keep_last(ids, length)]).right


def test_pad_or_truncate_function_unanswered():
    assert check.pad_or_truncate_function(...).right is None
    assert check.pad_or_truncate_function(unwritten).right is None


@pytest.mark.parametrize("function, words", [(keeps_start, "first words"), (pads_end, "wrong side")])
def test_pad_or_truncate_function_names_the_mistake(function, words):
    feedback = check.pad_or_truncate_function(function)
    assert feedback.right is False
    assert words in feedback.message


def test_pad_or_truncate_function_reports_a_failing_function():
    feedback = check.pad_or_truncate_function(lambda ids, length: 1 / 0)
    assert feedback.right is False and "ZeroDivisionError" in feedback.message


def test_parameters_accepts_the_count_by_hand():
    vocab, dim, filters, k = 10_000, 128, 32, 7
    by_hand = vocab * dim + (k * dim * filters + filters) + (k * filters * filters + filters) + (filters + 1)
    assert check.parameters(by_hand).right is True
    assert check.parameters(float(by_hand)).right is True


def test_parameters_unanswered():
    assert check.parameters(...).right is None


@pytest.mark.parametrize("answer, words", [
    (10_000 * 128 + 7 * 128 * 32 + 7 * 32 * 32 + 32, "not the biases"),  # no biases
    (10_000 * 128 + (7 * 32 + 32) * 2 + 33, "count the channels"),  # kernel x filters, no input channels
])
def test_parameters_names_the_mistake(answer, words):
    feedback = check.parameters(answer)
    assert feedback.right is False
    assert words in feedback.message
    assert "1315937" not in feedback.message.replace(",", "").replace("_", "")


def test_parameters_other_answers():
    assert check.parameters(12).right is False
    assert check.parameters("many").right is False
