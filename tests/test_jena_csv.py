"""jena_csv: reading both CSV formats by column name, and cleaning the real file's quirks."""

from pathlib import Path

import numpy as np
import pytest

from seqcnn import data, jena, jena_csv

EXTRA = ["rain (mm)", "raining (s)", "SWDR (W/m\u00b2)", "PAR (\u00b5mol/m\u00b2/s)"]


def keras_csv(path: Path, rows: int = 6) -> Path:
    """A file in the Keras format: quoted header, LF line ends."""
    header = ",".join(f'"{name}"' for name in ("Date Time", *jena_csv.FEATURES))
    lines = [header] + [
        f"01.01.2009 {i // 6:02d}:{i % 6 * 10:02d}:00," + ",".join(f"{100 * c + i}.5" for c in range(14))
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def roof_csv(path: Path, rows: int = 4) -> Path:
    """A file in the station's newer format: Latin-1 header with extra columns, CRLF line ends."""
    header = ",".join(("Date Time", *jena_csv.FEATURES, *EXTRA))
    lines = [header] + [
        f"09.06.2024 {11 + (4 + i) // 6:02d}:{(4 + i) % 6 * 10:02d}:00,"
        + ",".join(str(c + i / 10) for c in range(14)) + ",0,0,865.9,-9999"
        for i in range(rows)
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


def test_read_keras_format(tmp_path):
    weather = jena_csv.read_csv(keras_csv(tmp_path / "k.csv"))
    assert weather.values.shape == (6, 14) and weather.values.dtype == np.float32
    assert weather.values[2, 0] == 2.5 and weather.values[2, 13] == 1302.5
    assert weather.temperature.tolist() == [100.5, 101.5, 102.5, 103.5, 104.5, 105.5]
    assert str(weather.times[0]) == "2009-01-01T00:00" and str(weather.times[5]) == "2009-01-01T00:50"


def test_read_roof_format_latin1_crlf_extra_columns(tmp_path):
    weather = jena_csv.read_csv(roof_csv(tmp_path / "r.csv"))
    assert weather.values.shape == (4, 14)
    np.testing.assert_allclose(weather.values[1], np.arange(14) + 0.1, rtol=1e-6)
    assert weather.temperature[3] == pytest.approx(1.3)


def test_columns_are_taken_by_name_not_position(tmp_path):
    path = tmp_path / "shuffled.csv"
    names = ["Date Time", *reversed(jena_csv.FEATURES)]
    path.write_text(",".join(names) + "\n01.01.2009 00:10:00," + ",".join(str(13 - c) for c in range(14)) + "\n")
    assert jena_csv.read_csv(path).values[0].tolist() == list(range(14))


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "short.csv"
    names = [n for n in ("Date Time", *jena_csv.FEATURES) if n not in ("rho (g/m**3)", "wd (deg)")]
    path.write_text(",".join(names) + "\n" + ",".join(["01.01.2009 00:10:00"] + ["1"] * 12) + "\n")
    with pytest.raises(data.DataError) as err:
        jena_csv.read_csv(path)
    assert str(path) in str(err.value) and "'rho (g/m**3)', 'wd (deg)'" in str(err.value)


@pytest.mark.parametrize("bad", ["n/a", "", "nan", "inf"])
def test_non_numeric_cell_names_the_line(tmp_path, bad):
    path = keras_csv(tmp_path / "bad.csv")
    lines = path.read_text().splitlines()
    cells = lines[4].split(",")
    cells[1 + jena_csv.FEATURES.index("wv (m/s)")] = bad
    lines[4] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(data.DataError) as err:
        jena_csv.read_csv(path)
    assert f"{path}, line 5: column 'wv (m/s)' holds " in str(err.value)
    assert (f"holds {bad!r}, not a number" if bad != "inf" else "holds inf, not a finite number") in str(err.value)


def test_bad_time_names_the_line(tmp_path):
    path = keras_csv(tmp_path / "bad_time.csv")
    lines = path.read_text().splitlines()
    lines[3] = "1/1/2009 0:30" + lines[3][len("01.01.2009 00:30:00"):]  # US order: 1/2 could be 1 Feb or 2 Jan
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(data.DataError) as err:
        jena_csv.read_csv(path)
    print(err.value)
    assert f"{path}, line 4: column 'Date Time' holds '1/1/2009 0:30', not a time like '01.01.2009 00:10:00'" in str(
        err.value)
    assert "format that column as DD.MM.YYYY hh:mm:ss" in str(err.value)


def german_csv(path: Path) -> Path:
    """The Keras-format file as Excel saves it in a German locale: ';' between cells, decimal commas."""
    lines = keras_csv(path).read_text().splitlines()
    path.write_text("\n".join([lines[0].replace(",", ";")] + [line.replace(",", ";").replace(".5", ",5")
                                                              for line in lines[1:]]) + "\n")
    return path


@pytest.mark.parametrize("path_maker", [roof_csv, keras_csv, german_csv])
def test_fast_and_careful_parsers_agree(tmp_path, path_maker):
    path = path_maker(tmp_path / "r.csv")
    raw = path.read_bytes()
    dialect = jena_csv._dialect(path, raw)
    fast, careful = jena_csv._read_fast(raw, dialect), jena_csv._read_careful(path, raw, dialect)
    np.testing.assert_array_equal(fast[0], careful[0])
    np.testing.assert_array_equal(fast[1], careful[1])
    assert fast[1].flags.c_contiguous and careful[1].flags.c_contiguous




def write_rows(path: Path, rows: list[tuple[str, list[float]]]) -> Path:
    """A Keras-format file with the given ``(time, 14 values)`` rows."""
    header = ",".join(f'"{name}"' for name in ("Date Time", *jena_csv.FEATURES))
    lines = [header] + [f"{time}," + ",".join(f"{v:.2f}" for v in values) for time, values in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def ten_minutes(start_minute: int, count: int, day: str = "01.07.2010") -> list[str]:
    """``count`` times 10 minutes apart from ``start_minute`` after midnight of ``day``."""
    return [f"{day} {(m // 60):02d}:{m % 60:02d}:00" for m in range(start_minute, start_minute + 10 * count, 10)]


def row(i: float) -> list[float]:
    return [1000 + i, i, 273 + i, -i, 50 + i, 10 + i, 5 + i, 5, 3, 4, 1200 - i, 1 + i, 2 + i, 180]


def test_repeated_rows_are_dropped_and_reported(tmp_path):
    times = ten_minutes(0, 8)
    rows = [(t, row(i)) for i, t in enumerate(times)]
    path = write_rows(tmp_path / "twice.csv", rows[:6] + rows[2:6] + rows[6:])  # rows 2-5 again, then on
    weather = jena_csv.read_csv(path)
    assert weather.values.tolist() == jena_csv.read_csv(write_rows(tmp_path / "once.csv", rows)).values.tolist()
    report = weather.report
    assert (report.rows_read, report.rows, report.dropped, report.gaps) == (12, 8, 4, ())
    first, last, count = report.repeated[0]
    assert (str(first), str(last), count) == ("2010-07-01T00:20", "2010-07-01T00:50", 4)
    assert "dropped 4 rows repeating earlier rows exactly (01.07.2010 00:20 to 01.07.2010 00:50)" in str(report)
    assert np.all(np.diff(weather.times) == np.timedelta64(10, "m"))


def test_same_time_with_other_values_names_both_lines(tmp_path):
    times = ten_minutes(0, 5)
    rows = [(t, row(i)) for i, t in enumerate(times)] + [(times[2], row(7))]  # line 7 contradicts line 4
    with pytest.raises(data.DataError) as err:
        jena_csv.read_csv(write_rows(tmp_path / "conflict.csv", rows))
    assert f"{tmp_path / 'conflict.csv'}, lines 4 and 7: two different rows for the same time 01.07.2010 00:20" in str(
        err.value)


def test_time_going_back_names_the_line(tmp_path):
    times = ten_minutes(0, 5)
    rows = [(times[i], row(i)) for i in (0, 1, 3, 2, 4)]
    with pytest.raises(data.DataError) as err:
        jena_csv.read_csv(write_rows(tmp_path / "back.csv", rows))
    message = str(err.value)
    assert "back.csv, line 5: time 01.07.2010 00:20 is earlier than 01.07.2010 00:30 on line 4" in message
    assert "sort the file" in message


def test_short_gap_is_filled_on_the_grid(tmp_path):
    times = ten_minutes(0, 10)
    rows = [(t, row(i)) for i, t in enumerate(times) if i not in (4, 5)]  # 00:40 and 00:50 missing
    weather = jena_csv.read_csv(write_rows(tmp_path / "gap.csv", rows))
    assert len(weather.values) == 10 and np.all(np.diff(weather.times) == np.timedelta64(10, "m"))
    np.testing.assert_allclose(weather.values, np.array([row(i) for i in range(10)]), rtol=1e-6)  # linear rows
    (gap,) = weather.report.gaps
    assert (gap.missing, gap.filled, str(gap.after), str(gap.before)) == (2, True, "2010-07-01T00:30",
                                                                          "2010-07-01T01:00")
    assert weather.report.longest_gap is gap
    assert ("1 gap(s) of at most 6 readings filled by linear interpolation in time (2 readings), the longest: "
            "2 reading(s) missing between 01.07.2010 00:30 and 01.07.2010 01:00") in str(weather.report)


def test_long_gap_is_kept_and_reported(tmp_path):
    times = ten_minutes(0, 20)
    keep = [i for i in range(20) if not 3 <= i <= 9 and i != 15]  # 7 missing (kept), then 1 missing (filled)
    weather = jena_csv.read_csv(write_rows(tmp_path / "long.csv", [(times[i], row(i)) for i in keep]))
    assert len(weather.values) == len(keep) + 1
    assert [(g.missing, g.filled) for g in weather.report.gaps] == [(7, False), (1, True)]
    assert weather.report.longest_gap.missing == 7
    text = str(weather.report)
    assert "1 gap(s) longer than 6 readings kept as they are (7 readings), the longest: 7 reading(s) missing " \
           "between 01.07.2010 00:20 and 01.07.2010 01:40" in text
    assert "1 gap(s) of at most 6 readings filled" in text


def test_missing_marker_is_counted_and_interpolated(tmp_path):
    times = ten_minutes(0, 6)
    rows = [(t, row(i)) for i, t in enumerate(times)]
    wv, max_wv = jena_csv.FEATURES.index("wv (m/s)"), jena_csv.FEATURES.index("max. wv (m/s)")
    for i, col in ((1, wv), (2, wv), (4, max_wv), (5, max_wv)):
        rows[i][1][col] = -9999
    weather = jena_csv.read_csv(write_rows(tmp_path / "marker.csv", rows))
    assert not np.any(weather.values == -9999)
    np.testing.assert_allclose(weather.values[:, wv], [1, 2, 3, 4, 5, 6])  # between 1 (row 0) and 4 (row 3)
    np.testing.assert_allclose(weather.values[:, max_wv], [2, 3, 4, 5, 5, 5])  # the last reading carries to the end
    assert weather.report.marker_counts == {"wv (m/s)": 2, "max. wv (m/s)": 2}
    assert "2 cell(s) of 'wv (m/s)' hold -9999 (missing): filled by linear interpolation in time" in str(weather.report)


def test_column_of_markers_only_is_refused(tmp_path):
    rows = [(t, row(i)) for i, t in enumerate(ten_minutes(0, 3))]
    for _, values in rows:
        values[jena_csv.TEMPERATURE] = -9999
    with pytest.raises(data.DataError, match="only.csv: column 'T \\(degC\\)' holds only -9999"):
        jena_csv.read_csv(write_rows(tmp_path / "only.csv", rows))


def test_clean_file_report(tmp_path):
    weather = jena_csv.read_csv(keras_csv(tmp_path / "k.csv"))
    assert str(weather.report) == ("k.csv: 6 rows read, 6 kept, one every 10 minutes.\n- no repeated rows\n"
                                   "- no gaps\n- no -9999 (missing) values")
    assert weather.report.longest_gap is None and weather.report.dropped == 0


def test_marker_in_an_extra_column_is_ignored(tmp_path):
    weather = jena_csv.read_csv(roof_csv(tmp_path / "r.csv"))  # max. PAR holds -9999: not a feature
    assert weather.report.marker_counts == {} and weather.report.rows == 4


@pytest.mark.parametrize("body", ["", "\n"])
def test_header_without_rows_is_refused(tmp_path, body):
    path = keras_csv(tmp_path / "empty.csv", rows=0)
    path.write_text(path.read_text() + body)
    with pytest.raises(data.DataError, match=f"{path} has a header but no data rows \\(0 rows found\\)"):
        jena_csv.read_csv(path)


def test_single_row(tmp_path):
    weather = jena_csv.read_csv(keras_csv(tmp_path / "one.csv", rows=1))
    assert weather.report.interval == 10 and len(weather.values) == 1


def test_jena_reexports_the_reader():
    assert jena.read_csv is jena_csv.read_csv and jena.Weather is jena_csv.Weather
    assert jena.FEATURES is jena_csv.FEATURES and jena.LoadReport is jena_csv.LoadReport


def reference_clean(times: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The plain way to clean: drop repeats, put the rows on the grid, ``np.interp`` every column over every row."""
    minutes = times.astype("int64")
    _, first = np.unique(minutes, return_index=True)
    minutes, values = minutes[np.sort(first)], values[np.sort(first)]
    steps = np.diff(minutes)
    interval = jena_csv._most_common(steps)
    grid = [minutes[:1]]
    for i, step in enumerate(steps):
        missing = -(-int(step) // interval) - 1
        if 0 < missing <= jena_csv.MAX_FILL:
            grid.append(np.arange(minutes[i] + interval, minutes[i + 1], interval))
        grid.append(minutes[i + 1:i + 2])
    grid = np.concatenate(grid)
    out = np.empty((len(grid), values.shape[1]), dtype=values.dtype)
    for col in range(values.shape[1]):
        valid = values[:, col] != jena_csv.MISSING
        out[:, col] = np.interp(grid, minutes[valid], values[valid, col])
    return grid.astype("datetime64[m]"), out


@pytest.mark.parametrize("seed", range(12))
def test_clean_agrees_with_interpolating_everything(seed):
    rng = np.random.default_rng(seed)
    n = 300
    steps = rng.choice([10, 10, 10, 10, 20, 30, 70, 80, 200], size=n)  # short and long gaps
    minutes = np.cumsum(steps) + 20_000_000
    values = rng.normal(size=(n, 14)).astype("float32")
    for col in rng.choice(14, size=seed % 4, replace=False):  # some columns with -9999, some at the ends
        values[rng.choice(n, size=rng.integers(1, 30), replace=False), col] = jena_csv.MISSING
        values[0 if seed % 2 else -1, col] = jena_csv.MISSING
    copies = np.sort(rng.choice(n, size=seed * 3, replace=False))
    order = np.sort(np.concatenate([np.arange(n), copies]))  # repeated rows right after the originals
    times, rows = minutes[order].astype("datetime64[m]"), values[order]
    before = rows.copy()
    weather = jena_csv.clean(Path("random.csv"), times, rows)
    grid, expected = reference_clean(times, rows)
    np.testing.assert_array_equal(weather.times, grid)
    np.testing.assert_array_equal(weather.values, expected)
    np.testing.assert_array_equal(rows, before)  # the caller's array is not changed
    assert weather.report.dropped == len(copies) and weather.report.rows_read == len(order)
    assert not np.any(weather.values == jena_csv.MISSING) and weather.values.flags.c_contiguous


def test_clean_file_without_anything_to_do_is_not_copied():
    times = (np.arange(5) * 10).astype("datetime64[m]")
    values = np.ones((5, 14), dtype="float32")
    assert jena_csv.clean(Path("ok.csv"), times, values).values is values


def test_clean_names_the_lines_of_a_conflict():
    times = np.array([0, 10, 10], dtype="int64").astype("datetime64[m]")
    values = np.array([[1.0], [2.0], [3.0]], dtype="float32")
    with pytest.raises(data.DataError, match="x.csv, lines 3 and 4: two different rows for the same time"):
        jena_csv.clean(Path("x.csv"), times, values)


@pytest.mark.parametrize("steps, interval", [([1440] * 3 + [10] * 2, 1440), ([2880] * 3 + [10] * 2 + [1440], 2880),
                                             ([2880, 2880, 10, 10], 10), ([10, 20, 20, 10], 10), ([], 10)])
def test_most_common_step(steps, interval):
    assert jena_csv._most_common(np.array(steps, dtype="int64")) == interval
