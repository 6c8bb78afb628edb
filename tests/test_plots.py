"""plots: each figure has its title, labels and the marks it promises."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from seqcnn import plots


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_conv_windows_draws_one_box_per_step_and_lines_per_tap():
    fig = plots.plot_conv_windows(12, 3, padding="causal", dilation_rate=2, highlight=[0, 5])
    ax = fig.axes[0]
    # 12 input steps + 4 padding steps on the left, then 12 output steps.
    assert len(ax.patches) == 16 + 12
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 4
    # Two highlighted output steps, three taps each.
    assert len(ax.lines) == 6
    assert "12 input steps -> 12 output steps" in ax.get_title()
    assert ax.get_xlabel() == "time"


def test_conv_windows_default_highlight_and_empty_output():
    ax = plots.plot_conv_windows(10, 3).axes[0]
    assert len(ax.lines) == 3 * 3  # first, middle and last output step
    ax = plots.plot_conv_windows(2, 5).axes[0]
    assert len(ax.lines) == 0 and "-> 0 output steps" in ax.get_title()


def test_stacked_signals():
    fig = plots.plot_stacked_signals({"a": np.arange(5.0), "b": np.ones(5)}, "title", marks=[1, 3])
    assert [ax.get_ylabel() for ax in fig.axes] == ["a", "b"]
    assert fig.axes[-1].get_xlabel() == "time step"
    assert fig.get_suptitle() == "title"
    assert len(fig.axes[0].lines) == 1 + 2  # the signal and two marks


def test_receptive_field_plot():
    fig = plots.plot_receptive_field(["input", "conv", "pool"], [1, 5, 7], [240, 236, 78])
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["input", "conv", "pool"]
    lengths, fields = (line.get_ydata().tolist() for line in ax.lines)
    assert lengths == [240, 236, 78] and fields == [1, 5, 7]
    assert ax.get_legend() is not None


def test_plot_history_side_by_side():
    runs = {
        "slow": {"accuracy": [0.5, 0.6], "val_accuracy": [0.5, 0.55], "loss": [0.7, 0.6], "val_loss": [0.7, 0.65]},
        "fast": {"accuracy": [0.8, 0.9], "val_accuracy": [0.8, 0.85], "loss": [0.4, 0.3], "val_loss": [0.4, 0.45]},
    }
    fig = plots.plot_history(runs)
    assert len(fig.axes) == 4
    top_left, top_right, bottom_left, _ = fig.axes
    assert (top_left.get_title(), top_right.get_title()) == ("slow", "fast")
    assert top_left.get_ylabel() == "accuracy" and bottom_left.get_ylabel() == "loss"
    assert top_right.lines[1].get_ydata().tolist() == [0.8, 0.85]
    assert top_left.get_shared_y_axes().joined(top_left, top_right)


def test_plot_history_missing_metric_is_an_error():
    with pytest.raises(KeyError, match="has no val_accuracy"):
        plots.plot_history({"run": {"accuracy": [0.5], "loss": [0.7], "val_loss": [0.7]}})


def test_plot_temperature_zooms_on_the_first_days():
    times = np.datetime64("2024-06-01") + np.arange(3000) * np.timedelta64(10, "m")
    fig = plots.plot_temperature(times, np.arange(3000.0), first_days=2)
    top, bottom = fig.axes
    assert len(top.lines[0].get_xdata()) == 3000
    assert len(bottom.lines[0].get_xdata()) == 2 * 144
    assert top.get_title() == "Whole record: 2024-06-01 to 2024-06-21" and bottom.get_title() == "First 2 days"


def test_plot_part_distributions_marks_each_mean():
    fig = plots.plot_part_distributions(np.arange(12.0), [(0, 6), (6, 9), (9, 12)], ["train", "val", "test"])
    ax = fig.axes[0]
    assert [line.get_xdata()[0] for line in ax.lines] == [2.5, 7.0, 10.0]
    assert ax.get_xlabel() == "temperature (°C)"


def test_causal_reach_fills_the_reached_steps_and_draws_one_line_per_tap():
    from seqcnn import causal

    layers = causal.tcn_layers(kernel_size=2, dilations=[1, 2, 4, 8])
    levels = causal.reach(16, layers)
    fig = plots.plot_causal_reach(levels, layers, title="small")
    ax = fig.axes[0]
    filled = [len(c.get_offsets()) for c in ax.collections[1::2]]  # per level: the steps not reached, then those reached
    assert filled == [int(level.sum()) for level in levels] == [16, 8, 4, 2, 1]
    assert len(ax.lines) == 2 * (8 + 4 + 2 + 1)  # two taps from every reached step above the input
    assert ax.get_title() == "small"
    with pytest.raises(ValueError, match="3 names for 5 levels"):
        plots.plot_causal_reach(levels, layers, names=["a", "b", "c"])
