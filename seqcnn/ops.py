"""Reference 1D convolution and pooling in plain numpy.

These functions follow the conventions of ``keras.layers.Conv1D`` and the 1D
pooling layers: inputs are ``(samples, time, features)``, kernels are
``(kernel_size, in_features, filters)``, and ``padding`` is ``"valid"``,
``"same"`` or (convolution only) ``"causal"``. They are written for reading,
not for speed: each output step is computed from the window of input steps it
sees, exactly as the chapters describe it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "conv1d",
    "conv1d_output_length",
    "pool1d",
    "pool1d_output_length",
    "global_pool1d",
    "receptive_field",
    "window_starts",
]

_PADDINGS = ("valid", "same", "causal")


def _check_padding(padding: str, allowed: Sequence[str]) -> None:
    if padding not in allowed:
        raise ValueError(f"padding must be one of {', '.join(map(repr, allowed))}, got {padding!r}")


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


def conv1d_output_length(
    length: int,
    kernel_size: int,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> int:
    """Number of output steps of a 1D convolution.

    With an effective kernel size ``k = dilation_rate * (kernel_size - 1) + 1``,
    ``"valid"`` gives ``floor((length - k) / strides) + 1`` (zero if the
    kernel does not fit), while ``"same"`` and ``"causal"`` pad the input so
    that the output has ``ceil(length / strides)`` steps.

    Parameters
    ----------
    length : int
        Number of input time steps.
    kernel_size : int
        Width of the convolution window.
    strides : int, default 1
        Step between two consecutive windows.
    padding : {"valid", "same", "causal"}, default "valid"
        Padding mode, as in ``keras.layers.Conv1D``.
    dilation_rate : int, default 1
        Spacing between the kernel taps.

    Returns
    -------
    int
        The number of output time steps.

    Examples
    --------
    >>> conv1d_output_length(500, 7)
    494
    >>> conv1d_output_length(500, 7, padding="same"), conv1d_output_length(10, 3, strides=2)
    (500, 4)
    """
    _check_padding(padding, _PADDINGS)
    _check_positive(kernel_size=kernel_size, strides=strides, dilation_rate=dilation_rate)
    if padding != "valid":
        return math.ceil(length / strides)
    effective = dilation_rate * (kernel_size - 1) + 1
    if length < effective:
        return 0
    return (length - effective) // strides + 1


def pool1d_output_length(
    length: int, pool_size: int, strides: int | None = None, padding: str = "valid"
) -> int:
    """Number of output steps of a 1D pooling layer.

    Parameters
    ----------
    length : int
        Number of input time steps.
    pool_size : int
        Width of the pooling window.
    strides : int, optional
        Step between windows; defaults to ``pool_size`` as in Keras.
    padding : {"valid", "same"}, default "valid"
        Padding mode.

    Returns
    -------
    int
        The number of output time steps.

    Examples
    --------
    >>> pool1d_output_length(494, 5)
    98
    >>> pool1d_output_length(494, 5, padding="same")
    99
    """
    _check_padding(padding, ("valid", "same"))
    return conv1d_output_length(length, pool_size, strides or pool_size, padding)


def _same_padding(length: int, effective: int, strides: int) -> tuple[int, int]:
    """Left and right padding that TensorFlow uses for ``padding="same"``."""
    out = math.ceil(length / strides)
    total = max((out - 1) * strides + effective - length, 0)
    return total // 2, total - total // 2


def window_starts(
    length: int,
    kernel_size: int,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> np.ndarray:
    """Input index of the first tap of every output step's window.

    Indices refer to the unpadded input, so they can be negative when padding
    is added on the left (``"same"`` or ``"causal"``).

    Parameters
    ----------
    length, kernel_size, strides, padding, dilation_rate
        As in :func:`conv1d_output_length`.

    Returns
    -------
    numpy.ndarray
        One integer per output step; output step ``t`` reads input steps
        ``start[t] + dilation_rate * j`` for ``j`` in ``range(kernel_size)``.

    Examples
    --------
    >>> window_starts(6, 3).tolist()
    [0, 1, 2, 3]
    >>> window_starts(6, 3, padding="causal").tolist()
    [-2, -1, 0, 1, 2, 3]
    """
    n_out = conv1d_output_length(length, kernel_size, strides, padding, dilation_rate)
    effective = dilation_rate * (kernel_size - 1) + 1
    if padding == "same":
        left = _same_padding(length, effective, strides)[0]
    elif padding == "causal":
        left = effective - 1
    else:
        left = 0
    return np.arange(n_out) * strides - left


def _windows(x: np.ndarray, starts: np.ndarray, taps: np.ndarray, fill: float) -> np.ndarray:
    """Gather ``x[:, starts[t] + taps[j], :]`` into ``(samples, out, taps, features)``.

    Positions outside the input read ``fill`` (the padding value).
    """
    index = starts[:, None] + taps[None, :]
    inside = (index >= 0) & (index < x.shape[1])
    gathered = x[:, np.clip(index, 0, x.shape[1] - 1), :]
    return np.where(inside[None, :, :, None], gathered, fill)


def _as_batch(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"expected an input of shape (samples, time, features), got shape {x.shape}")
    return x


def conv1d(
    x: np.ndarray,
    kernel: np.ndarray,
    bias: np.ndarray | None = None,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> np.ndarray:
    """1D convolution (cross-correlation, as in Keras) of a batch of sequences.

    Output step ``t`` of filter ``f`` is
    ``bias[f] + sum_j sum_c x[start[t] + dilation_rate * j, c] * kernel[j, c, f]``,
    the dot product of one window of the input with the kernel.

    Parameters
    ----------
    x : numpy.ndarray
        Input of shape ``(samples, time, in_features)``.
    kernel : numpy.ndarray
        Weights of shape ``(kernel_size, in_features, filters)``, the layout
        of ``keras.layers.Conv1D.kernel``.
    bias : numpy.ndarray, optional
        One value per filter; zero when omitted.
    strides : int, default 1
        Step between two consecutive windows.
    padding : {"valid", "same", "causal"}, default "valid"
        ``"valid"`` uses only full windows; ``"same"`` pads zeros on both sides
        so the output has ``ceil(time / strides)`` steps; ``"causal"`` pads on
        the left only, so output step ``t`` never sees input after ``t``.
    dilation_rate : int, default 1
        Spacing between kernel taps.

    Returns
    -------
    numpy.ndarray
        Output of shape ``(samples, out_time, filters)``.

    Examples
    --------
    >>> x = np.arange(5, dtype=float).reshape(1, 5, 1)
    >>> kernel = np.ones((3, 1, 1))
    >>> conv1d(x, kernel)[0, :, 0].tolist()
    [3.0, 6.0, 9.0]
    >>> conv1d(x, kernel, padding="causal")[0, :, 0].tolist()
    [0.0, 1.0, 3.0, 6.0, 9.0]
    """
    x = _as_batch(x)
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 3 or kernel.shape[1] != x.shape[2]:
        raise ValueError(
            f"kernel must have shape (kernel_size, {x.shape[2]}, filters) for an input with "
            f"{x.shape[2]} features, got shape {kernel.shape}"
        )
    kernel_size = kernel.shape[0]
    starts = window_starts(x.shape[1], kernel_size, strides, padding, dilation_rate)
    windows = _windows(x, starts, np.arange(kernel_size) * dilation_rate, fill=0.0)
    out = np.einsum("stjc,jcf->stf", windows, kernel)
    if bias is not None:
        out = out + np.asarray(bias, dtype=float)
    return out


def pool1d(
    x: np.ndarray,
    pool_size: int,
    strides: int | None = None,
    padding: str = "valid",
    mode: str = "max",
) -> np.ndarray:
    """Max or average pooling over time.

    Parameters
    ----------
    x : numpy.ndarray
        Input of shape ``(samples, time, features)``.
    pool_size : int
        Width of the pooling window.
    strides : int, optional
        Step between windows; defaults to ``pool_size`` (non-overlapping
        windows), as in ``keras.layers.MaxPooling1D``.
    padding : {"valid", "same"}, default "valid"
        With ``"same"``, windows that run past the ends use only the input
        steps they cover (padding never wins a max, and is not counted in an
        average), as in TensorFlow.
    mode : {"max", "average"}, default "max"
        The statistic taken over each window.

    Returns
    -------
    numpy.ndarray
        Output of shape ``(samples, out_time, features)``.

    Examples
    --------
    >>> x = np.array([1.0, 3.0, 2.0, 5.0, 4.0]).reshape(1, 5, 1)
    >>> pool1d(x, 2)[0, :, 0].tolist()
    [3.0, 5.0]
    >>> pool1d(x, 2, padding="same", mode="average")[0, :, 0].tolist()
    [2.0, 3.5, 4.0]
    """
    x = _as_batch(x)
    _check_padding(padding, ("valid", "same"))
    if mode not in ("max", "average"):
        raise ValueError(f"mode must be 'max' or 'average', got {mode!r}")
    strides = strides or pool_size
    starts = window_starts(x.shape[1], pool_size, strides, padding)
    taps = np.arange(pool_size)
    if mode == "max":
        return _windows(x, starts, taps, fill=-np.inf).max(axis=2)
    values = _windows(x, starts, taps, fill=0.0).sum(axis=2)
    counts = _windows(np.ones_like(x[:1, :, :1]), starts, taps, fill=0.0).sum(axis=2)
    return values / counts


def global_pool1d(x: np.ndarray, mode: str = "max") -> np.ndarray:
    """Global max or average pooling: one value per feature, over all time steps.

    Parameters
    ----------
    x : numpy.ndarray
        Input of shape ``(samples, time, features)``.
    mode : {"max", "average"}, default "max"
        The statistic taken over time.

    Returns
    -------
    numpy.ndarray
        Output of shape ``(samples, features)``: the time axis is gone.

    Examples
    --------
    >>> x = np.array([[1.0, 0.0], [3.0, 2.0], [2.0, 4.0]]).reshape(1, 3, 2)
    >>> global_pool1d(x).tolist(), global_pool1d(x, "average").tolist()
    ([[3.0, 4.0]], [[2.0, 2.0]])
    """
    x = _as_batch(x)
    if mode == "max":
        return x.max(axis=1)
    if mode == "average":
        return x.mean(axis=1)
    raise ValueError(f"mode must be 'max' or 'average', got {mode!r}")


def receptive_field(layers: Sequence[tuple[int, int] | tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Receptive field and input spacing after each layer of a stack.

    Each layer is described by ``(kernel_size, strides)`` or
    ``(kernel_size, strides, dilation_rate)``; a pooling layer is
    ``(pool_size, pool_size)``. After a layer, one output step sees ``field``
    consecutive input steps, and two neighbouring output steps start
    ``jump`` input steps apart:

    ``field = field_prev + (dilation_rate * (kernel_size - 1)) * jump_prev`` and
    ``jump = jump_prev * strides``.

    Parameters
    ----------
    layers : sequence of tuples
        The layers from input to output.

    Returns
    -------
    list of (int, int)
        ``(field, jump)`` after each layer.

    Examples
    --------
    The IMDB model of the course: Conv1D(7), MaxPooling1D(5), Conv1D(7).

    >>> receptive_field([(7, 1), (5, 5), (7, 1)])
    [(7, 1), (11, 5), (41, 5)]
    """
    field, jump = 1, 1
    out = []
    for layer in layers:
        kernel_size, strides, *rest = layer
        dilation_rate = rest[0] if rest else 1
        _check_positive(kernel_size=kernel_size, strides=strides, dilation_rate=dilation_rate)
        field += dilation_rate * (kernel_size - 1) * jump
        jump *= strides
        out.append((field, jump))
    return out
