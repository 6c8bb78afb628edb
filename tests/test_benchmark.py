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


def test_run_times_every_method_on_the_same_file_and_windows_and_reports_their_numbers(tmp_path, capsys, monkeypatch):
    """What run() measures, not how fast this machine is: every method reads the same file and cuts the same
    windows (the first rows of the training half, the windows of the definition), in every repeat, and the
    report's derived numbers (throughputs, speedups, targets, copy fraction) are those of its seconds."""
    path = write_roof_csv(tmp_path / "w.csv")
    batches, batch_size, lookback, step, delay, repeat = 3, 16, 240, 6, 24, 2
    read, cut = [], {method: [] for method in benchmark.METHODS["windowing"]}

    def reading(method, parse):
        return lambda file: read.append((method, file)) or parse(file)

    notes_generator, keras_dataset = benchmark.notes_generator, benchmark.keras_dataset

    def recorded_notes(*args, **kwargs):
        for rows, samples, targets in notes_generator(*args, **kwargs):
            cut["notes"].append((samples.astype("float32"), targets.astype("float32")))
            yield rows, samples, targets

    class RecordedKeras:
        def __init__(self, dataset):
            self.dataset = dataset

        def as_numpy_iterator(self):
            for x, y in self.dataset.as_numpy_iterator():
                cut["keras"].append((x, y))
                yield x, y

    class RecordedBatches(jena.WindowBatches):
        def __getitem__(self, index):
            batch = super().__getitem__(index)
            cut["seqcnn"].append(batch)
            return batch

    with monkeypatch.context() as patched:  # record what run() reads and cuts
        patched.setattr(benchmark, "notes_parse", reading("notes", benchmark.notes_parse))
        patched.setattr(benchmark, "pandas_parse", reading("pandas", benchmark.pandas_parse))
        patched.setattr(jena, "read_csv", reading("seqcnn", jena.read_csv))
        patched.setattr(benchmark, "notes_generator", recorded_notes)
        patched.setattr(benchmark, "keras_dataset",
                        lambda *args, **kwargs: RecordedKeras(keras_dataset(*args, **kwargs)))
        patched.setattr(jena, "WindowBatches", RecordedBatches)
        results = benchmark.run(path, batches=batches, batch_size=batch_size, lookback=lookback, step=step,
                                delay=delay, repeat=repeat)

    # Loading: each method reads the same file, once per repeat (seqcnn once more, for the windows' values).
    assert {file for _, file in read} == {path}
    assert [read.count((m, path)) for m in benchmark.METHODS["loading"]] == [repeat, repeat, repeat + 1]
    # Windowing: every method cuts all the batches in every repeat, and the same windows and targets.
    raw = jena.read_csv(path).values
    values = jena.Normalizer.fit(raw)(raw)
    rows = jena.window_rows(0, len(values) // 2, lookback, delay)[: batches * batch_size]
    expected = [jena.windows(values, rows[i * batch_size : (i + 1) * batch_size], lookback, step, delay)
                for i in range(batches)] * repeat
    for method, batches_cut in cut.items():
        assert len(batches_cut) == repeat * batches, method
        for (x, y), (expected_x, expected_y) in zip(batches_cut, expected, strict=True):
            assert x.shape == (batch_size, lookback // step, 14) and y.shape == (batch_size,)
            np.testing.assert_array_equal(x, expected_x, err_msg=method)
            np.testing.assert_array_equal(y, expected_y, err_msg=method)
    # The counts, and numbers derived from the seconds measured.
    assert results.windows == batches * batch_size and results.window_bytes == (lookback // step) * 14 * 4
    assert results.file_bytes == path.stat().st_size
    for task, methods in benchmark.METHODS.items():
        seconds = results.seconds[task]
        assert list(seconds) == list(methods) and all(s > 0 for s in seconds.values())
        amount = results.file_bytes if task == "loading" else results.windows
        for method in methods:
            assert results.throughput(task, method) == pytest.approx(amount / seconds[method])
            assert results.speedup(task, method) == pytest.approx(seconds[method] / seconds["seqcnn"])
        met = seconds["notes"] / seconds["seqcnn"] >= benchmark.TARGETS[task]  # the verdict shown, not a test
        assert benchmark.meets_targets(results)[task] == met
    assert set(results.copy) == {"cutter", "numpy"} and all(rate > 0 for rate in results.copy.values())
    assert results.copy_fraction == pytest.approx(results.copy["cutter"] / results.copy["numpy"])
    # The table shows those numbers: one row per task and method, in order.
    table = benchmark.format_table(results).splitlines()
    shown = [[cell.strip() for cell in line.strip("|").split("|")] for line in table[2:]]
    assert [(row[1], row[2]) for row in shown] == [
        (benchmark.LABELS[m], f"{results.seconds[task][m]:.3f}") for task, ms in benchmark.METHODS.items() for m in ms]
    assert [row[4] for row in shown] == ["" if m == "seqcnn" else f"{results.speedup(task, m):.1f}x"
                                         for task, ms in benchmark.METHODS.items() for m in ms]
    assert shown[3][0] == f"cut {batches * batch_size} windows"
    assert f"{results.copy_fraction:.0%} of the memory-copy rate" in benchmark.format_copy(results)
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
