"""benchmark: the notes' reference loop agrees with seqcnn's loader, and the table is complete."""

import numpy as np

from seqcnn import benchmark, jena


def write_roof_csv(path, rows=4000):
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


def test_run_and_table(tmp_path, capsys):
    path = write_roof_csv(tmp_path / "w.csv")
    results = benchmark.run(path, batches=5, lookback=240, step=6, delay=24, repeat=3)  # best of 3: no cold start
    for task in ("loading", "windowing"):
        assert set(results[task]) == {"notes", "seqcnn", "speedup"}
        assert results[task]["speedup"] > 0
    assert results["windowing"]["speedup"] > 2  # vectorized windows beat the per-sample loop even here
    table = benchmark.format_table(results)
    assert table.count("\n") == 3 and "load the CSV" in table
    assert benchmark.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "4,000 rows" in out and "| cut windows" in out


def test_main_defaults_to_the_chapters_csv(tmp_path, monkeypatch, capsys):
    path = write_roof_csv(tmp_path / "w.csv")
    monkeypatch.setenv(jena.JENA_CSV_ENV, str(path))
    assert benchmark.main([]) == 0
    assert str(path) in capsys.readouterr().out


def test_notes_generator_default_end():
    data = np.arange(40.0).reshape(20, 2)
    rows, samples, targets = next(benchmark.notes_generator(data, 4, 2, 0, None, batch_size=20, step=2))
    # max_index defaults to len(data) - delay - 1 = 17, and a batch reaching it starts over... so it
    # yields rows 4..16 after the wrap check; the last target is row 18.
    assert rows.tolist() == list(range(4, 17)) and targets[-1] == data[18, 1]
