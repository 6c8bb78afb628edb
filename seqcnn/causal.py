"""Stacks of dilated causal convolutions: which input steps reach an output, and how far back it sees.

A causal ``Conv1D`` with kernel size ``k`` and dilation ``d`` computes output step ``t`` from the
input steps ``t, t - d, ..., t - (k - 1) d``: never a later one. Stacked, with dilations that double
from layer to layer, a few layers see a long stretch of the past: the receptive field is
``1 + sum((k - 1) d)`` over the layers (:func:`seqcnn.ops.receptive_field`, which takes the
layers as :func:`tcn_layers` gives them). :func:`reach` follows it down the stack, layer by layer,
for a figure; :func:`input_reach` measures it on a Keras model, from the inputs whose change moves
its output; :func:`windows_mae` tells whether a trained model uses the order of its input (its error
on windows reversed in time).

Examples
--------
>>> from seqcnn import ops
>>> layers = tcn_layers(kernel_size=2, dilations=[1, 2, 4])
>>> ops.receptive_field(layers)[-1][0]
8
>>> [int(level.sum()) for level in reach(10, layers)]
[8, 4, 2, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["tcn_layers", "reach", "input_reach", "windows_mae"]


def tcn_layers(kernel_size: int, dilations: Sequence[int], convs_per_block: int = 1) -> list[tuple[int, int, int]]:
    """The ``(kernel_size, strides, dilation_rate)`` of each convolution of a stack of residual blocks, from the input up.

    The layout of :func:`seqcnn.ops.receptive_field`; the strides are 1, as causal padding keeps every step.

    Each block holds ``convs_per_block`` convolutions with the block's dilation. (A block's residual
    path adds its input step ``t`` to its output step ``t``: it reaches no step that its convolutions
    do not, since their first tap is ``t`` itself.)

    >>> tcn_layers(3, [1, 2], convs_per_block=2)
    [(3, 1, 1), (3, 1, 1), (3, 1, 2), (3, 1, 2)]
    """
    if kernel_size < 1 or convs_per_block < 1 or any(d < 1 for d in dilations):
        raise ValueError("kernel_size, convs_per_block and every dilation must be at least 1")
    return [(kernel_size, 1, d) for d in dilations for _ in range(convs_per_block)]


def reach(length: int, layers: Sequence[tuple[int, int, int]], step: int = -1) -> list[np.ndarray]:
    """The steps of each level of the stack that output ``step`` of its last layer depends on.

    Parameters
    ----------
    length : int
        Steps of the input sequence (causal padding keeps every level this long).
    layers : sequence of (kernel_size, strides, dilation_rate)
        The convolutions, from the input up (:func:`tcn_layers`); strides of 1 only.
    step : int, default -1
        The output step followed down (the last one, the forecast's).

    Returns
    -------
    list of numpy.ndarray
        One boolean mask of ``length`` per level, from the input (first) to the last layer's
        output (last, with only ``step`` set). Taps that would fall before the sequence's start
        read causal padding, not a step.

    Examples
    --------
    >>> [np.flatnonzero(level).tolist() for level in reach(8, [(3, 1, 1), (3, 1, 2)])]
    [[1, 2, 3, 4, 5, 6, 7], [3, 5, 7], [7]]
    """
    current = np.zeros(length, dtype=bool)
    current[step] = True
    levels = [current]
    if any(strides != 1 for _, strides, _ in layers):
        raise ValueError("reach follows stacks of stride 1 (causal padding keeps every step)")
    for kernel_size, _, dilation in reversed(list(layers)):
        below = np.zeros(length, dtype=bool)
        for t in np.flatnonzero(current):
            taps = t - dilation * np.arange(kernel_size)
            below[taps[taps >= 0]] = True
        levels.append(below)
        current = below
    return levels[::-1]


def input_reach(model: Any, windows: np.ndarray, delta: float = 1.0) -> np.ndarray:
    """The input steps whose change moves the model's output, for any of ``windows``.

    Each step of each window is moved by ``delta`` in every feature, one step at a time, and the
    model's outputs compared with those of the unchanged windows. A step whose every path to the
    output runs through ReLUs that are off for all windows would count as not reached, so pass
    several windows.

    Parameters
    ----------
    model : keras.Model
        A model from ``(samples, steps, features)`` to one output per sample.
    windows : numpy.ndarray
        Inputs of shape ``(samples, steps, features)``.
    delta : float, default 1.0
        How far each step is moved.

    Returns
    -------
    numpy.ndarray
        A boolean mask over the ``steps``.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((6, 1)), keras.layers.Conv1D(1, 2, padding="causal", dilation_rate=2),
    ...                           keras.layers.Lambda(lambda x: x[:, -1, :])])
    >>> input_reach(model, np.zeros((1, 6, 1), "float32")).nonzero()[0].tolist()
    [3, 5]
    """
    windows = np.asarray(windows, dtype="float32")
    samples, steps, _ = windows.shape
    moved = np.repeat(windows[None], steps, axis=0)  # (steps, samples, steps, features)
    moved[np.arange(steps), :, np.arange(steps), :] += delta
    base = np.asarray(model.predict(windows, verbose=0)).reshape(samples, -1)
    out = np.asarray(model.predict(moved.reshape(steps * samples, steps, -1), verbose=0, batch_size=1024))
    changed = np.abs(out.reshape(steps, samples, -1) - base[None]) > 0
    return changed.any(axis=(1, 2))


def windows_mae(model: Any, batches: Any, reverse: bool = False) -> float:
    """The model's mean absolute error over ``batches``, optionally with each window's time order reversed.

    A model that uses the order of its input steps forecasts worse from reversed windows (the
    latest measurement comes first); a model that reads its window as a bag of patterns hardly
    notices.

    Parameters
    ----------
    model : keras.Model
        A model from ``(samples, steps, features)`` to one output per sample.
    batches : sequence of (x, y)
        Batches of windows and targets, e.g. the validation part of
        :meth:`seqcnn.jena.Prepared.batches`.
    reverse : bool, default False
        Reverse the time axis of every window.

    Returns
    -------
    float
        The MAE over all samples, in the targets' unit.

    Examples
    --------
    >>> import keras
    >>> last = keras.Sequential([keras.Input((3, 1)), keras.layers.Lambda(lambda x: x[:, -1, :])])
    >>> x = np.array([[[1.0], [2.0], [3.0]]], dtype="float32")
    >>> windows_mae(last, [(x, np.array([3.0]))]), windows_mae(last, [(x, np.array([3.0]))], reverse=True)
    (0.0, 2.0)
    """
    total, count = 0.0, 0
    for i in range(len(batches)):
        x, y = batches[i]
        x = np.asarray(x)[:, ::-1, :] if reverse else np.asarray(x)
        predicted = np.asarray(model.predict_on_batch(x)).reshape(len(x), -1)[:, 0]
        total += float(np.abs(predicted - np.asarray(y).reshape(-1)).sum())
        count += len(x)
    return total / count
