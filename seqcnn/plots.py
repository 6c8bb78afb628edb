"""The figures the chapters draw, with labelled axes.

Every function draws on a new figure (or on the axes it is given) and
returns the matplotlib ``Figure``, so a chapter cell shows it and a test can
inspect it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from seqcnn.ops import conv1d_output_length, window_starts

__all__ = [
    "plot_conv_windows",
    "plot_stacked_signals",
    "plot_receptive_field",
    "plot_causal_reach",
    "plot_history",
    "plot_temperature",
    "plot_part_distributions",
]


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_conv_windows(
    length: int,
    kernel_size: int,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
    highlight: Sequence[int] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw which input steps each output step of a Conv1D reads.

    Input steps form the top row (padding steps are drawn hatched), output
    steps the bottom row; lines join the highlighted output steps to the
    input steps of their window.

    Parameters
    ----------
    length : int
        Number of input steps.
    kernel_size, strides, padding, dilation_rate
        As in ``keras.layers.Conv1D``.
    highlight : sequence of int, optional
        Output steps whose windows are drawn; by default the first, a middle
        and the last one.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> fig = plot_conv_windows(10, 3, padding="causal")
    >>> fig.axes[0].get_title()
    'Conv1D(kernel_size=3, strides=1, dilation_rate=1, padding="causal"): 10 input steps -> 10 output steps'
    """
    ax = _axes(ax, (9, 2.8))
    n_out = conv1d_output_length(length, kernel_size, strides, padding, dilation_rate)
    starts = window_starts(length, kernel_size, strides, padding, dilation_rate)
    taps = np.arange(kernel_size) * dilation_rate
    if highlight is None:
        highlight = sorted({0, n_out // 2, n_out - 1}) if n_out else []
    lowest = min(0, int(starts.min())) if n_out else 0
    highest = max(length - 1, int(starts.max() + taps[-1])) if n_out else length - 1
    colors = plt.get_cmap("tab10")
    for i in range(lowest, highest + 1):
        pad = not 0 <= i < length
        ax.add_patch(plt.Rectangle((i - 0.4, 0.6), 0.8, 0.8, facecolor="white" if pad else "#dde6f2",
                                   edgecolor="grey", hatch="//" if pad else None))
        ax.text(i, 1.0, "0" if pad else str(i), ha="center", va="center", fontsize=8)
    for t in range(n_out):
        x_out = starts[t] + taps[-1] / 2
        color = colors(highlight.index(t) % 10) if t in highlight else "lightgrey"
        ax.add_patch(plt.Rectangle((x_out - 0.4, -1.4), 0.8, 0.8, facecolor=color, edgecolor="grey", alpha=0.8))
        ax.text(x_out, -1.0, str(t), ha="center", va="center", fontsize=8)
        if t in highlight:
            for tap in taps:
                ax.plot([x_out, starts[t] + tap], [-0.6, 0.6], color=color, lw=1.2)
    ax.set_xlim(lowest - 1, highest + 1)
    ax.set_ylim(-1.8, 1.8)
    ax.set_yticks([1.0, -1.0], ["input steps", "output steps"])
    ax.set_xticks([])
    ax.set_xlabel("time")
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        f'Conv1D(kernel_size={kernel_size}, strides={strides}, dilation_rate={dilation_rate}, '
        f'padding="{padding}"): {length} input steps -> {n_out} output steps'
    )
    return ax.figure


def plot_stacked_signals(
    signals: Mapping[str, np.ndarray],
    title: str,
    xlabel: str = "time step",
    marks: Sequence[int] = (),
) -> Figure:
    """Plot several 1D signals one above the other, sharing the time axis.

    Parameters
    ----------
    signals : mapping of str to array
        Label (used as the y-axis label) to values, one panel each.
    title : str
        Figure title.
    xlabel : str, default "time step"
        Label of the shared x axis.
    marks : sequence of int, optional
        Time steps marked with a dashed vertical line in every panel.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> fig = plot_stacked_signals({"input": np.zeros(5), "output": np.ones(5)}, "demo")
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['input', 'output']
    """
    fig, axes = plt.subplots(len(signals), 1, figsize=(9, 1.6 * len(signals) + 0.6), sharex=True,
                             layout="constrained", squeeze=False)
    for ax, (label, values) in zip(axes[:, 0], signals.items()):
        ax.plot(np.arange(len(values)), values, drawstyle="steps-mid")
        ax.set_ylabel(label)
        for mark in marks:
            ax.axvline(mark, color="grey", ls="--", lw=0.8)
    axes[-1, 0].set_xlabel(xlabel)
    fig.suptitle(title)
    return fig


def plot_receptive_field(
    names: Sequence[str], fields: Sequence[int], lengths: Sequence[int]
) -> Figure:
    """Receptive field and sequence length after each layer of a stack.

    Parameters
    ----------
    names : sequence of str
        Layer names, from input to output (the first is usually "input").
    fields : sequence of int
        Input steps seen by one step after each layer.
    lengths : sequence of int
        Sequence length after each layer.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, with a log-scaled y axis.

    Examples
    --------
    >>> fig = plot_receptive_field(["input", "conv"], [1, 7], [500, 494])
    >>> fig.axes[0].get_ylabel()
    'time steps (log scale)'
    """
    ax = _axes(None, (8, 3.6))
    x = np.arange(len(names))
    ax.plot(x, lengths, "o-", label="sequence length (steps left)")
    ax.plot(x, fields, "s-", label="receptive field (input steps seen by one step)")
    for xi, (field, length) in enumerate(zip(fields, lengths)):
        ax.annotate(str(length), (xi, length), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
        ax.annotate(str(field), (xi, field), textcoords="offset points", xytext=(0, -13), ha="center", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(0.5, max(max(fields), max(lengths)) * 2.5)
    ax.set_xticks(x, names, rotation=20, ha="right")
    ax.set_xlabel("layer")
    ax.set_ylabel("time steps (log scale)")
    ax.legend(loc="lower right")
    ax.set_title("Stacking convolution and pooling: shorter sequences, wider views")
    return ax.figure


def plot_causal_reach(levels: Sequence[np.ndarray], layers: Sequence[tuple[int, int, int]],
                      names: Sequence[str] | None = None, ax: Axes | None = None, title: str | None = None) -> Figure:
    """The steps of each level of a causal stack that its last output step depends on, and the taps between them.

    Level 0 is the input; each level above is one convolution's output. A filled dot is a step the
    output depends on, a line a tap of a convolution from one of those steps to the level below.

    Parameters
    ----------
    levels : sequence of numpy.ndarray
        One boolean mask per level, input first (:func:`seqcnn.causal.reach`).
    layers : sequence of (kernel_size, strides, dilation_rate)
        The convolutions from the input up (:func:`seqcnn.causal.tcn_layers`).
    names : sequence of str, optional
        A name per level, input first; by default "input" and "dilation d" for each layer.
    ax : matplotlib.axes.Axes, optional
        Where to draw (a new figure by default).
    title : str, optional
        The axes' title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from seqcnn import causal
    >>> layers = causal.tcn_layers(kernel_size=2, dilations=[1, 2, 4])
    >>> fig = plot_causal_reach(causal.reach(16, layers), layers)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['input', 'dilation 1', 'dilation 2', 'dilation 4']
    >>> fig.axes[0].get_xlabel()
    'time step (the output is the last step of the top level)'
    """
    length = len(levels[0])
    names = list(names) if names is not None else ["input", *(f"dilation {d}" for _, _, d in layers)]
    if len(names) != len(levels):
        raise ValueError(f"{len(names)} names for {len(levels)} levels (the input and one per layer)")
    ax = _axes(ax, (9, 0.55 * len(levels) + 1.4))
    steps = np.arange(length)
    for level, (mask, (kernel_size, _, dilation)) in enumerate(zip(levels[1:], layers), start=1):
        for t in np.flatnonzero(mask):
            taps = t - dilation * np.arange(kernel_size)
            for tap in taps[taps >= 0]:
                ax.plot([t, tap], [level, level - 1], color="tab:blue", alpha=0.35, linewidth=0.6)
    size = 12 if length <= 40 else 4
    for level, mask in enumerate(levels):
        ax.scatter(steps[~mask], np.full((~mask).sum(), level), s=size, color="0.8", zorder=2)
        ax.scatter(steps[mask], np.full(mask.sum(), level), s=size * 1.6, color="tab:blue", zorder=3)
    ax.set_yticks(range(len(levels)), names)
    ax.set_xlim(-1, length)
    ax.set_ylim(-0.5, len(levels) - 0.5)
    ax.set_xlabel("time step (the output is the last step of the top level)")
    if title is not None:
        ax.set_title(title)
    return ax.figure


def plot_history(runs: Mapping[str, Mapping[str, Sequence[float]]], metrics: Sequence[str] = ("accuracy", "loss"),
                 mark_best: str | None = None) -> Figure:
    """Training and validation curves of several runs, side by side.

    One column per run, one row per metric; rows share their y axis so the
    runs compare at a glance. Replaces the 2020 notes' ``plot_acc_and_loss``:
    a metric missing from a run is an error, not a silently skipped plot.
    With ``mark_best``, a dotted vertical line marks each run's best
    validation epoch: the weights an early-stopping run keeps.

    Parameters
    ----------
    runs : mapping of str to mapping
        Run title to its history (``{"loss": [...], "val_loss": [...], ...}``,
        as in ``keras.callbacks.History.history`` or ``seqcnn.training.Run.history``).
    metrics : sequence of str, default ("accuracy", "loss")
        Metrics to plot; each needs ``metric`` and ``"val_" + metric``.
    mark_best : {"min", "max"}, optional
        Mark the epoch of the lowest (``"min"``) or highest (``"max"``)
        validation value of the first metric, in every row of its run.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> fig = plot_history({"run": {"loss": [0.7, 0.5], "val_loss": [0.6, 0.55]}}, metrics=["loss"])
    >>> fig.axes[0].get_title(), fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('run', 'epoch', 'loss')
    >>> fig = plot_history({"run": {"loss": [0.7, 0.5, 0.4], "val_loss": [0.6, 0.5, 0.55]}}, ["loss"], mark_best="min")
    >>> [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    ['training', 'validation', 'best epoch (2)']
    """
    if mark_best not in (None, "min", "max"):
        raise ValueError(f"mark_best must be 'min', 'max' or None, got {mark_best!r}")
    fig, axes = plt.subplots(len(metrics), len(runs), figsize=(4.6 * len(runs), 3.0 * len(metrics)),
                             sharey="row", squeeze=False, layout="constrained")
    for col, (title, history) in enumerate(runs.items()):
        for row, metric in enumerate(metrics):
            missing = [k for k in (metric, "val_" + metric) if k not in history]
            if missing:
                raise KeyError(f"run {title!r} has no {', '.join(missing)}; it has {', '.join(history)}")
            ax = axes[row, col]
            epochs = np.arange(1, len(history[metric]) + 1)
            ax.plot(epochs, history[metric], "o--", label="training")
            ax.plot(epochs, history["val_" + metric], "s-", label="validation")
            if mark_best:
                chosen = history["val_" + metrics[0]]
                best = int(np.argmin(chosen) if mark_best == "min" else np.argmax(chosen)) + 1
                ax.axvline(best, color="0.35", linestyle=":", linewidth=1.5, label=f"best epoch ({best})")
            ax.set_xlabel("epoch")
            ax.set_ylabel(metric)
            ax.set_xticks(epochs)
            ax.grid(alpha=0.3)
            ax.legend()
            if row == 0:
                ax.set_title(title)
    return fig


def plot_temperature(times: np.ndarray, temperature: np.ndarray, first_days: int = 10) -> Figure:
    """Temperature over the whole record (top) and over its first ``first_days`` days (bottom).

    Parameters
    ----------
    times : numpy.ndarray
        ``datetime64`` timestamps.
    temperature : numpy.ndarray
        Degrees Celsius, one per timestamp.
    first_days : int, default 10
        Length of the zoomed view.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> times = np.datetime64("2024-06-01") + np.arange(3000) * np.timedelta64(10, "m")
    >>> fig = plot_temperature(times, np.sin(np.arange(3000) / 144))
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['temperature (°C)', 'temperature (°C)']
    """
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.5), layout="constrained")
    top.plot(times, temperature, lw=0.5)
    top.set_title(f"Whole record: {str(times[0])[:10]} to {str(times[-1])[:10]}")
    zoom = times < times[0] + np.timedelta64(first_days, "D")
    bottom.plot(times[zoom], temperature[zoom], lw=1)
    bottom.set_title(f"First {first_days} days")
    for ax in (top, bottom):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_ylabel("temperature (°C)")
        ax.set_xlabel("time")
        ax.grid(alpha=0.3)
    return fig


def plot_part_distributions(values: np.ndarray, bounds: Sequence[tuple[int, int]], names: Sequence[str],
                            xlabel: str = "temperature (°C)") -> Figure:
    """Histograms of one variable in consecutive parts of a series (e.g. train, validation, test).

    Parameters
    ----------
    values : numpy.ndarray
        The variable over the whole series.
    bounds : sequence of (int, int)
        ``[start, end)`` of each part.
    names : sequence of str
        Name of each part.
    xlabel : str, default "temperature (°C)"
        Label of the x axis.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; each part's mean is marked by a dashed line.

    Examples
    --------
    >>> fig = plot_part_distributions(np.arange(10.0), [(0, 5), (5, 10)], ["a", "b"])
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['a (mean 2.0)', 'b (mean 7.0)']
    """
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    edges = np.histogram_bin_edges(values, bins=40)
    for (start, end), name, color in zip(bounds, names, ("C0", "C1", "C2", "C3")):
        part = values[start:end]
        ax.hist(part, bins=edges, density=True, alpha=0.45, color=color, label=f"{name} (mean {part.mean():.1f})")
        ax.axvline(part.mean(), color=color, ls="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density")
    ax.legend()
    ax.set_title("Distribution in each part")
    return fig
