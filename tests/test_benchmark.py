"""benchmark: the peers read the same numbers and cut the same windows as seqcnn, and the report is complete."""

import numpy as np
import pytest

from seqcnn import benchmark, jena


def write_roof_csv(path, rows=4000):
    """A file in the station's ``mpi_roof`` format: Latin-1 header with extra columns, CRLF line ends."""
    rng = np.random.default_rng(0)
    header = ",".join(["Date Time", *jena.FEATURES, "rain (mm)", "SWDR (W/m\u00b2)"])
    stamps = np.datetime64("2024-06-09T00:00") + np.arange(rows) * np.timedelta64(10, "m")
    lines = [header]
    for stamp, row in zip(stamps, rng.normal(size=(rows, 16)).round(2)):
        day = stamp.astype("datetime64[D]").item()
        lines.append(f"{day:%d.%m.%Y} {str(stamp)[11:16]}:00," + ",".join(map(str, row)))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


def test_notes_parse_reads_the_same_numbers(tmp_path):
    path = write_roof_csv(tmp_path / "w.csv", rows=50)
    parsed = benchmark.notes_parse(path)
    assert parsed.shape == (50, 16)
    np.testing.assert_allclose(parsed[:, :14], jena.read_csv(path).values, rtol=1e-6)


def test_pandas_parse_reads_the_same_times_and_numbers(tmp_path):
    path = write_roof_csv(tmp_path / "w.csv", rows=50)
    times, values = benchmark.pandas_parse(path)
    weather = jena.read_csv(path)
    assert values.dtype == np.float32 and values.shape == (50, 14)
    np.testing.assert_array_equal(values, weather.values)  # both round the same decimal text to float32
    np.testing.assert_array_equal(times.astype("datetime64[m]"), weather.times)


@pytest.fixture
def series():
    return np.random.default_rng(3).normal(size=(3000, 14)).astype("float32")


@pytest.mark.parametrize("batch_size", [64, 100])  # 100 does not divide the 700 rows: a short last batch
def test_the_three_methods_cut_the_same_windows(series, batch_size):
    lookback, step, delay = 240, 6, 36
    rows = jena.window_rows(0, 1500, lookback, delay)[:700]
    ours = jena.WindowBatches(series, rows, lookback, step, delay, batch_size=batch_size)
    keras_batches = list(benchmark.keras_dataset(series, rows, lookback, step, delay, batch_size)
                         .as_numpy_iterator())
    notes = benchmark.notes_generator(series, lookback, delay, 0, 1500, batch_size=batch_size, step=step,
                                      target_column=jena.TEMPERATURE)
    assert len(keras_batches) == len(ours) == -(-700 // batch_size)
    for i, (x, y) in enumerate(keras_batches):
        expected_x, expected_y = ours[i]
        assert x.dtype == expected_x.dtype == np.float32
        np.testing.assert_array_equal(x, expected_x)
        np.testing.assert_array_equal(y, expected_y)
        if len(x) == batch_size:  # the notes' generator has no short last batch: it starts over
            notes_rows, samples, targets = next(notes)
            np.testing.assert_array_equal(notes_rows, rows[i * batch_size : (i + 1) * batch_size])
            np.testing.assert_array_equal(samples.astype("float32"), x)
            np.testing.assert_array_equal(targets.astype("float32"), y)
    # and they are the windows of the definition: values[r - lookback : r : step], target values[r + delay]
    r = rows[-1]
    np.testing.assert_array_equal(keras_batches[-1][0][-1], series[r - lookback : r : step])
    assert keras_batches[-1][1][-1] == series[r + delay, jena.TEMPERATURE]


def test_keras_dataset_refuses_rows_it_cannot_cut(series):
    for rows in (np.array([300, 302]), np.array([], dtype=int)):
        with pytest.raises(ValueError, match="consecutive rows"):
            benchmark.keras_dataset(series, rows, 240, 6, 36)


def test_copy_rate_counts_the_bytes_copied(monkeypatch):
    monkeypatch.setattr(benchmark, "best_time", lambda fn, repeat: fn() or 0.5)  # runs the copies, "takes" 0.5 s
    assert benchmark.copy_rate((128, 40, 14), count=10) == 10 * 128 * 40 * 14 * 4 / 0.5


def test_run_and_report(tmp_path, capsys):
    path = write_roof_csv(tmp_path / "w.csv")
    # Enough windows and runs that the best of them is the code's speed, not a pause of a busy machine
    # (5 batches, best of 3, once measured 0.86x under a load average of 8: a millisecond is one time slice).
    results = benchmark.run(path, batches=20, batch_size=64, lookback=240, step=6, delay=24, repeat=7)
    assert results.windows == 20 * 64 and results.window_bytes == 40 * 14 * 4
    assert results.file_bytes == path.stat().st_size
    for task, methods in benchmark.METHODS.items():
        assert set(results.seconds[task]) == set(methods)
        assert all(seconds > 0 for seconds in results.seconds[task].values())
    assert results.speedup("windowing", "notes") > 2  # vectorized windows beat the per-sample loop even here
    assert results.speedup("windowing", "keras") > 2  # and tf.data's per-window graph ops
    assert set(results.copy) == {"cutter", "numpy"} and 0 < results.copy_fraction
    assert set(benchmark.meets_targets(results)) == set(benchmark.TARGETS)
    table = benchmark.format_table(results)
    assert table.count("\n") == 7 and "| load the CSV" in table and "| cut 1,280 windows | Keras |" in table
    assert "memory-copy rate" in benchmark.format_copy(results)
    with pytest.raises(ValueError, match="fewer than the 50 batches of 128"):
        benchmark.run(path, batches=50, lookback=240, step=6, delay=24, repeat=1)
    assert benchmark.main([str(path), "--batches", "3", "--repeat", "1"]) == 0  # 416 training rows of 1440
    out = capsys.readouterr().out
    assert "4,000 rows" in out and "| cut 384 windows | seqcnn |" in out and "memory-copy rate" in out


def test_main_defaults_to_the_chapters_csv(tmp_path, monkeypatch, capsys):
    path = write_roof_csv(tmp_path / "w.csv")
    monkeypatch.setenv(jena.JENA_CSV_ENV, str(path))
    assert benchmark.main(["--batches", "2", "--repeat", "1"]) == 0
    assert str(path) in capsys.readouterr().out


def test_notes_generator_default_end():
    data = np.arange(40.0).reshape(20, 2)
    rows, samples, targets = next(benchmark.notes_generator(data, 4, 2, 0, None, batch_size=20, step=2))
    # max_index defaults to len(data) - delay - 1 = 17, and a batch reaching it starts over... so it
    # yields rows 4..16 after the wrap check; the last target is row 18.
    assert rows.tolist() == list(range(4, 17)) and targets[-1] == data[18, 1]


def test_notes_generator_shuffle_draws_windows_inside_the_range():
    data = np.arange(200.0).reshape(100, 2)
    gen = benchmark.notes_generator(data, 10, 2, 0, 50, shuffle=True, batch_size=30, step=5,
                                    rng=np.random.default_rng(0))
    rows, samples, targets = next(gen)
    assert rows.min() >= 10 and rows.max() < 50 and len(set(rows.tolist())) > 1
    for row, sample, target in zip(rows, samples, targets):
        np.testing.assert_array_equal(sample, data[row - 10 : row : 5])
        assert target == data[row + 2, 1]
