"""Self-checks for the exercises of chapter 3, movie reviews.

Examples
--------
>>> from seqcnn.exercises import imdb as check
>>> check.parameters(...)
Not answered yet: write your answer in place of the three dots, then run this cell again.
>>> check.parameters(1_315_872)
Not yet. Your count has the kernels and the embedding, not the biases: each Conv1D filter and each Dense unit adds one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from seqcnn import imdb, models
from seqcnn.exercises import Feedback, check_function, check_number

__all__ = ["pad_or_truncate_function", "parameters"]


def _reference(ids: Sequence[np.ndarray], length: int) -> np.ndarray:
    """The chapter's matrix: :func:`seqcnn.imdb.pad_or_truncate` with ``keep="end"``."""
    return imdb.pad_or_truncate(ids, length, keep="end")


def _keeps_start(ids: Sequence[np.ndarray], length: int) -> np.ndarray:
    return imdb.pad_or_truncate(ids, length, keep="start")


def _pads_end(ids: Sequence[np.ndarray], length: int, keep: str = "end") -> np.ndarray:
    out = np.zeros((len(ids), length), dtype="int32")
    for row, seq in zip(out, ids):
        seq = seq[-length:] if keep == "end" else seq[:length]
        row[: len(seq)] = seq
    return out


def _keeps_start_pads_end(ids: Sequence[np.ndarray], length: int) -> np.ndarray:
    return _pads_end(ids, length, keep="start")


def _cases() -> list[tuple[tuple, dict]]:
    reviews = [np.array([4, 8, 15, 16, 23, 42]), np.array([7, 9]), np.array([3, 5, 2, 6]), np.array([11])]
    return [((reviews, length), {}) for length in (4, 3, 6)]


CASES = _cases()
"""The calls :func:`pad_or_truncate_function` tries: four short "reviews" (lists of word ids) longer and
shorter than the matrix, made 4, 3 and 6 columns wide."""


def pad_or_truncate_function(function: Callable[..., Any]) -> Feedback:
    """Exercise: ``function(ids, length)``, the chapter's ``(len(ids), length)`` matrix of word ids.

    It must give what ``imdb.pad_or_truncate(ids, length, keep="end")`` gives: a long sequence loses
    its first words, a short one is padded with 0 in front.

    >>> from seqcnn import imdb
    >>> pad_or_truncate_function(lambda ids, length: imdb.pad_or_truncate(ids, length))
    Right. Every review ends in the last column, whatever its length: the verdict stays in view.
    >>> pad_or_truncate_function(lambda ids, length: imdb.pad_or_truncate(ids, length, keep="start"))
    Not yet. Your function keeps the first words of a long review: the chapter drops words from the other end.
    """
    return check_function(
        function, CASES, _reference,
        mistakes=[
            (_keeps_start, "Your function keeps the first words of a long review: the chapter drops words from the "
                           "other end."),
            (_pads_end, "Long reviews are right, short ones are not: your zeros are on the wrong side of the "
                        "words."),
            (_keeps_start_pads_end, "Your matrix is what TextVectorization(output_sequence_length=...) gives: "
                                    "both the kept words and the padding are at the other end."),
        ],
        hint="Try your function on [np.array([1, 2, 3, 4]), np.array([5])] with length 3 and compare with "
             "imdb.pad_or_truncate: which words does each row keep, and where are its zeros?",
        remark="Every review ends in the last column, whatever its length: the verdict stays in view.",
    )


@lru_cache(maxsize=1)
def _counts() -> dict[str, float]:
    """The model's parameter count, the embedding's share of it, and the counts of three usual slips (built once)."""
    model = models.imdb_convnet()
    expected = no_bias = no_channels = per_position = 0
    for layer in model.layers:
        size = int(sum(np.prod(w.shape) for w in layer.trainable_weights))
        expected += size
        kind = type(layer).__name__
        if kind == "Embedding":
            no_bias, no_channels = no_bias + size, no_channels + size
            per_position += model.input_shape[1] * layer.output_dim
            continue
        per_position += size
        if kind == "Conv1D":
            no_bias += size - layer.filters
            no_channels += layer.kernel_size[0] * layer.filters + layer.filters
        else:
            no_bias += size - (layer.units if kind == "Dense" else 0)
            no_channels += size
    share = model.get_layer("embedding").count_params() / expected
    return {"expected": expected, "embedding_share": share, "no_bias": no_bias, "no_channels": no_channels,
            "per_position": per_position}


def parameters(answer: Any) -> Feedback:
    """Exercise: the number of trainable parameters of ``models.imdb_convnet()``, counted layer by layer.

    >>> parameters(1_280_545)
    Not yet. A Conv1D filter has a weight for each step of its window and each input channel: count the channels.
    >>> parameters(99_937)
    Not yet. The embedding holds one vector per word of the vocabulary, not one per position of the review.
    """
    counts = _counts()
    return check_number(
        answer, counts["expected"],
        mistakes=[
            (counts["no_bias"], "Your count has the kernels and the embedding, not the biases: each Conv1D filter "
                                "and each Dense unit adds one."),
            (counts["no_channels"], "A Conv1D filter has a weight for each step of its window and each input "
                                    "channel: count the channels."),
            (counts["per_position"], "The embedding holds one vector per word of the vocabulary, not one per "
                                     "position of the review."),
        ],
        hint="Count layer by layer: the embedding's table, each Conv1D's kernel (window x input channels x "
             "filters) and biases, the Dense layer's weights and bias; pooling layers have none.",
        remark=f"The embedding holds {counts['embedding_share']:.0%} of them; the convolutions and the Dense layer "
               "hold the rest.",
    )
