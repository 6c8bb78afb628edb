"""What did the filters learn? Top-activating windows and per-word contributions."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

__all__ = ["layer_activations", "top_windows", "sentiment_filters", "word_contributions", "highlight_html"]


def layer_activations(model, layer_name: str, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Output of one layer of ``model`` for the inputs ``x``.

    Parameters
    ----------
    model : keras.Model
        A model with a defined input (e.g. a ``Sequential`` built from an ``Input``).
    layer_name : str
        The layer whose output is wanted.
    x : numpy.ndarray
        Inputs.
    batch_size : int, default 256
        Inputs per forward pass.

    Returns
    -------
    numpy.ndarray
        The layer's output for every input.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((6, 1)), keras.layers.Conv1D(2, 3, name="conv")])
    >>> layer_activations(model, "conv", np.zeros((4, 6, 1))).shape
    (4, 4, 2)
    """
    import keras

    probe = keras.Model(model.inputs, model.get_layer(layer_name).output)
    return np.asarray(probe.predict(x, batch_size=batch_size, verbose=0))


def top_windows(
    activations: np.ndarray, ids: np.ndarray, filters: Sequence[int], kernel_size: int, k: int = 5
) -> dict[int, list[tuple[float, int, int]]]:
    """The ``k`` input windows that activate each filter most, one per sequence.

    Windows that contain padding (id 0) are skipped, and each sequence gives at
    most one window per filter, so the list is not ``k`` copies of one review.

    Parameters
    ----------
    activations : numpy.ndarray
        Output of a "valid" Conv1D, shape ``(samples, steps, filters)``; step
        ``t`` reads input positions ``t .. t + kernel_size - 1``.
    ids : numpy.ndarray
        The input ids, shape ``(samples, length)``.
    filters : sequence of int
        Filters to report.
    kernel_size : int
        Width of the convolution window.
    k : int, default 5
        Windows per filter.

    Returns
    -------
    dict
        ``{filter: [(activation, sample, start), ...]}``, strongest first.

    Examples
    --------
    >>> ids = np.array([[0, 5, 6, 7], [4, 5, 6, 0]])
    >>> act = np.array([[[9.0], [1.0]], [[3.0], [8.0]]])  # 2 samples, 2 steps, 1 filter
    >>> top_windows(act, ids, [0], kernel_size=3)
    {0: [(3.0, 1, 0), (1.0, 0, 1)]}
    """
    n, steps, _ = activations.shape
    starts = np.arange(steps)
    window_has_pad = np.stack([(ids[:, s : s + kernel_size] == 0).any(axis=1) for s in starts], axis=1)
    result = {}
    for f in filters:
        scores = np.where(window_has_pad, -np.inf, activations[:, :, f])
        best_step = scores.argmax(axis=1)
        best = scores[np.arange(n), best_step]
        order = [i for i in np.argsort(-best, kind="stable") if np.isfinite(best[i])][:k]
        result[f] = [(float(best[i]), int(i), int(best_step[i])) for i in order]
    return result


def sentiment_filters(pooled: np.ndarray, labels: np.ndarray, n: int = 2) -> tuple[list[int], list[int]]:
    """Filters whose strongest response differs most between positive and negative texts.

    Parameters
    ----------
    pooled : numpy.ndarray
        Each filter's maximum over the sequence, shape ``(samples, filters)``.
    labels : numpy.ndarray
        0 (negative) or 1 (positive) per sample.
    n : int, default 2
        Filters to return per side.

    Returns
    -------
    (list of int, list of int)
        The ``n`` filters most typical of positive texts, then of negative
        texts (largest mean difference first).

    Examples
    --------
    >>> pooled = np.array([[1.0, 0.0, 5.0], [0.0, 1.0, 5.0]])
    >>> sentiment_filters(pooled, np.array([1, 0]), n=1)
    ([0], [1])
    """
    difference = pooled[labels == 1].mean(axis=0) - pooled[labels == 0].mean(axis=0)
    order = np.argsort(difference, kind="stable")
    return [int(i) for i in order[::-1][:n]], [int(i) for i in order[:n]]


def word_contributions(model, ids: np.ndarray) -> np.ndarray:
    """How much each word moves the model's output: occlusion, one word at a time.

    The contribution of position ``i`` is ``output(ids) - output(ids with
    position i set to 0)`` (0 is the padding id). Padding positions get 0.

    Parameters
    ----------
    model : keras.Model
        A model with one output per sequence (e.g. a logit).
    ids : numpy.ndarray
        One sequence of ids, shape ``(length,)``.

    Returns
    -------
    numpy.ndarray
        One float per position.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, use_bias=False)])
    >>> model.set_weights([np.array([[1.0], [2.0], [3.0]])])
    >>> word_contributions(model, np.array([0, 1, 2])).round(3).tolist()
    [0.0, 2.0, 6.0]
    """
    words = np.flatnonzero(ids)
    batch = np.repeat(ids[None, :], len(words) + 1, axis=0)
    batch[np.arange(1, len(words) + 1), words] = 0
    out = np.asarray(model.predict(batch, batch_size=256, verbose=0)).reshape(-1)
    contributions = np.zeros(len(ids))
    contributions[words] = out[0] - out[1:]
    return contributions


def highlight_html(words: Sequence[str], scores: Sequence[float]) -> str:
    """HTML of ``words`` on a background coloured by score: green positive, red negative.

    Parameters
    ----------
    words : sequence of str
        The words, in order.
    scores : sequence of float
        One score per word; the colour's strength is relative to the largest
        absolute score.

    Returns
    -------
    str
        A ``<p>`` element; each word's score is in its ``title`` (tooltip).

    Examples
    --------
    >>> highlight_html(["good", "<bad>"], [1.0, -0.5])  # doctest: +NORMALIZE_WHITESPACE
    '<p style="line-height: 1.8"><span style="background: rgba(26, 152, 80, 1.00)"
    title="+1.000">good</span> <span style="background: rgba(215, 48, 39, 0.50)"
    title="-0.500">&lt;bad&gt;</span></p>'
    """
    scores = np.asarray(scores, dtype=float)
    scale = np.abs(scores).max() or 1.0
    spans = []
    for word, score in zip(words, scores):
        rgb = "26, 152, 80" if score >= 0 else "215, 48, 39"
        spans.append(
            f'<span style="background: rgba({rgb}, {abs(score) / scale:.2f})" '
            f'title="{score:+.3f}">{html.escape(word)}</span>'
        )
    return '<p style="line-height: 1.8">' + " ".join(spans) + "</p>"
