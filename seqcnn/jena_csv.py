"""Read a Jena weather CSV and clean its known quirks, saying what was done.

The Keras file ``jena_climate_2009_2016.csv`` and the station's newer
``mpi_roof_*.csv`` files share their first 15 columns: a timestamp and 14
measurements. :func:`read_csv` reads either by column name, keeps the 14 Keras
features in the Keras order, and cleans the record so that one row is one
reading, every ``interval`` minutes:

- **repeated rows**: a row equal to an earlier one (same time, same values) is
  dropped and counted (the Keras file repeats the day of 1 July 2010);
- **conflicts**: the same time with other values, or a time earlier than the
  one before it, is a :class:`~seqcnn.data.DataError` naming the lines;
- **the station's missing-value marker** ``-9999`` in any feature is a missing
  reading, never a value: it is counted per column and filled by linear
  interpolation in time between that column's nearest readings before and after;
- **gaps** (missing readings) of up to :data:`MAX_FILL` readings are filled the
  same way, onto the regular grid; longer gaps are kept and reported. A window
  counts rows, so a kept gap makes the windows across it cover more time: in
  the first two years of the Keras file, the one gap (two readings on
  8 October 2009) would stretch 1,584 of the 50,975 training windows of
  10 days and a 24-hour target by 20 minutes each. An hour of weather is
  safely interpolated; days are not, so longer gaps are left for the reader
  of the report to judge.

What was found and done is the :class:`LoadReport` in ``Weather.report``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from seqcnn import data

__all__ = ["FEATURES", "TEMPERATURE", "MISSING", "MAX_FILL", "Weather", "LoadReport", "Gap", "read_csv", "clean"]

#: The 14 measurements of the Keras file, in its order.
FEATURES = (
    "p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)", "VPmax (mbar)", "VPact (mbar)",
    "VPdef (mbar)", "sh (g/kg)", "H2OC (mmol/mol)", "rho (g/m**3)", "wv (m/s)", "max. wv (m/s)", "wd (deg)",
)  # fmt: skip
#: Column index of the temperature among :data:`FEATURES`.
TEMPERATURE = FEATURES.index("T (degC)")
#: The station's marker of a missing reading.
MISSING = -9999.0
#: Longest gap, in missing readings, that :func:`clean` fills (6 readings: one hour).
MAX_FILL = 6
_TIME = "Date Time"
_TIME_FORMAT = "%d.%m.%Y %H:%M:%S"


def _when(time: np.datetime64) -> str:
    """A time as the CSV writes it: ``01.07.2010 00:10``."""
    return time.astype(object).strftime("%d.%m.%Y %H:%M")


@dataclass(frozen=True)
class Gap:
    """Readings missing between two consecutive rows of the file."""

    after: np.datetime64
    before: np.datetime64
    missing: int
    filled: bool

    def __str__(self) -> str:
        return f"{self.missing} reading(s) missing between {_when(self.after)} and {_when(self.before)}"


@dataclass(frozen=True)
class LoadReport:
    """What :func:`read_csv` found in a file and what it did about it.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    rows_read : int
        Data rows in the file.
    rows : int
        Rows after cleaning (repeated rows dropped, short gaps filled).
    interval : int
        Minutes between readings (the most common difference between rows).
    repeated : tuple of (numpy.datetime64, numpy.datetime64, int)
        Runs of dropped repeated rows: first time, last time, rows.
    gaps : tuple of Gap
        Every gap, filled or kept.
    marker_counts : dict of str to int
        Cells holding ``-9999`` per column (only columns that had some).

    Examples
    --------
    >>> t = np.datetime64("2010-07-01T00:10")
    >>> print(LoadReport(Path("x.csv"), rows_read=10, rows=8, interval=10, repeated=((t, t, 2),)))
    x.csv: 10 rows read, 8 kept, one every 10 minutes.
    - dropped 2 rows repeating earlier rows exactly (01.07.2010 00:10 to 01.07.2010 00:10)
    - no gaps
    - no -9999 (missing) values
    """

    path: Path
    rows_read: int
    rows: int
    interval: int
    repeated: tuple[tuple[np.datetime64, np.datetime64, int], ...] = ()
    gaps: tuple[Gap, ...] = ()
    marker_counts: dict[str, int] = field(default_factory=dict)

    @property
    def dropped(self) -> int:
        """Repeated rows dropped."""
        return sum(count for *_, count in self.repeated)

    @property
    def longest_gap(self) -> Gap | None:
        """The gap with the most missing readings, if any."""
        return max(self.gaps, key=lambda gap: gap.missing, default=None)

    def __str__(self) -> str:
        lines = [f"{self.path.name}: {self.rows_read:,} rows read, {self.rows:,} kept, one every "
                 f"{self.interval} minutes."]
        for first, last, count in self.repeated:
            lines.append(f"- dropped {count:,} rows repeating earlier rows exactly ({_when(first)} to {_when(last)})")
        if not self.repeated:
            lines.append("- no repeated rows")
        filled = [gap for gap in self.gaps if gap.filled]
        kept = [gap for gap in self.gaps if not gap.filled]
        if filled:
            longest = max(filled, key=lambda gap: gap.missing)
            lines.append(f"- {len(filled)} gap(s) of at most {MAX_FILL} readings filled by linear interpolation in "
                         f"time ({sum(gap.missing for gap in filled)} readings), the longest: {longest}")
        if kept:
            lines.append(f"- {len(kept)} gap(s) longer than {MAX_FILL} readings kept as they are "
                         f"({sum(gap.missing for gap in kept):,} readings), the longest: {self.longest_gap}")
        if not self.gaps:
            lines.append("- no gaps")
        for name, count in self.marker_counts.items():
            lines.append(f"- {count:,} cell(s) of {name!r} hold -9999 (missing): filled by linear interpolation "
                         "in time")
        if not self.marker_counts:
            lines.append("- no -9999 (missing) values")
        return "\n".join(lines)


@dataclass(frozen=True)
class Weather:
    """Measurements of one CSV file: ``values[i]`` was taken at ``times[i]``."""

    path: Path
    times: np.ndarray
    values: np.ndarray
    report: LoadReport | None = None

    @property
    def temperature(self) -> np.ndarray:
        """The ``T (degC)`` column."""
        return self.values[:, TEMPERATURE]


def _split_header(line: str) -> list[str]:
    return [name.strip().strip('"') for name in line.rstrip("\r\n").split(",")]


def read_csv(path: str | Path) -> Weather:
    """Read a Jena weather CSV (Keras or ``mpi_roof`` format) by column name, and clean it.

    The header may be Latin-1 (the ``mpi_roof`` files write ``²`` and ``µ``
    in extra columns) and lines may end in CRLF. Extra columns are ignored.
    The rows are then cleaned by :func:`clean` (see the module's docstring).

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    Weather
        Timestamps (``datetime64[m]``), a float32 array of the 14
        :data:`FEATURES`, in that order, and the :class:`LoadReport`.

    Raises
    ------
    seqcnn.data.DataError
        If the file has no data rows, a feature column is missing (naming the
        columns and the file), a cell is not a number (naming the line, the
        column and the value), or the times conflict (see :func:`clean`).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "tiny.csv"
    >>> header = '"Date Time",' + ",".join(f'"{name}"' for name in FEATURES)
    >>> rows = ["01.01.2009 00:10:00," + ",".join(str(i) for i in range(14)),
    ...         "01.01.2009 00:20:00," + ",".join(str(-i) for i in range(14))]
    >>> _ = path.write_text("\\n".join([header, *rows]) + "\\n")
    >>> weather = read_csv(path)
    >>> weather.values.shape, weather.temperature.tolist(), str(weather.times[1])
    ((2, 14), [1.0, -1.0], '2009-01-01T00:20')
    """
    path = Path(path)
    with open(path, encoding="latin-1", newline="") as file:
        header = _split_header(file.readline())
        has_rows = bool(file.readline().strip())
    missing = [name for name in (_TIME, *FEATURES) if name not in header]
    if missing:
        raise data.DataError(
            f"{path} lacks the column(s) {', '.join(repr(m) for m in missing)}: a Jena weather CSV needs "
            f"{_TIME!r} and the 14 Keras features. Its header has: {', '.join(header)}."
        )
    if not has_rows:
        raise data.DataError(f"{path} has a header but no data rows (0 rows found). Point at a complete file.")
    try:
        times, values = _read_fast(path, header)
        if not np.isfinite(values).all():
            raise ValueError("a cell holds nan or inf")
    except ValueError:  # pyarrow's errors name no line: find the bad cell the careful way
        times, values = _read_careful(path)
    if not np.isfinite(values).all():  # "inf" and "nan" parse as numbers
        row, col = np.argwhere(~np.isfinite(values))[0]
        raise data.DataError(
            f"{path}, line {row + 2}: column {FEATURES[col]!r} holds {values[row, col]}, not a finite number. "
            "Fix or remove that line."
        )
    return clean(path, times, values)


def _read_fast(path: Path, header: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Parse with pyarrow's multithreaded CSV reader; any bad cell raises ``ValueError``.

    The header was read already (it may be Latin-1): the rows are plain ASCII,
    so pyarrow reads the bytes without transcoding the file.
    """
    import pyarrow as pa
    from pyarrow import csv

    table = csv.read_csv(
        path,
        read_options=csv.ReadOptions(skip_rows=1, column_names=header, block_size=1 << 20),
        convert_options=csv.ConvertOptions(
            include_columns=[_TIME, *FEATURES],
            column_types={_TIME: pa.timestamp("s"), **{name: pa.float32() for name in FEATURES}},
            timestamp_parsers=[_TIME_FORMAT],
            null_values=[],  # an empty cell is an error, not a missing value
            strings_can_be_null=False,
        ),
    )
    # C order: one time step's 14 features side by side, so that windows copy contiguous rows.
    values = np.empty((table.num_rows, len(FEATURES)), dtype="float32")
    for col, name in enumerate(FEATURES):
        values[:, col] = table.column(name).to_numpy()
    return table.column(_TIME).to_numpy().astype("datetime64[m]"), values


def _read_careful(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Parse with pandas, keeping text where a cell is not a number, to name the bad line."""
    import pandas as pd

    table = pd.read_csv(path, encoding="latin-1", usecols=[_TIME, *FEATURES], na_filter=False, dtype=str)
    for name in FEATURES:
        numbers = pd.to_numeric(table[name], errors="coerce")
        if numbers.isna().any():
            row = int(np.flatnonzero(numbers.isna())[0])
            raise data.DataError(
                f"{path}, line {row + 2}: column {name!r} holds {table[name].iloc[row]!r}, "
                "not a number. Fix or remove that line."
            )
    times = pd.to_datetime(table[_TIME], format=_TIME_FORMAT, errors="coerce")
    if times.isna().any():
        row = int(np.flatnonzero(times.isna())[0])
        raise data.DataError(
            f"{path}, line {row + 2}: column {_TIME!r} holds {table[_TIME].iloc[row]!r}, not a time like "
            "'01.01.2009 00:10:00' (day.month.year hour:minute:second). Fix or remove that line."
        )
    values = np.ascontiguousarray(table[list(FEATURES)].astype("float32").to_numpy())
    return times.to_numpy().astype("datetime64[m]"), values


def clean(path: Path, times: np.ndarray, values: np.ndarray) -> Weather:
    """Drop repeated rows, refuse conflicting times, fill ``-9999`` and short gaps; report it all.

    Parameters
    ----------
    path : pathlib.Path
        The file the rows come from (for messages and the report).
    times : numpy.ndarray
        ``datetime64[m]`` time of each row, in file order (row ``i`` is line ``i + 2``).
    values : numpy.ndarray
        ``(rows, features)`` float32 measurements.

    Returns
    -------
    Weather
        The cleaned rows, one every ``interval`` minutes except across gaps
        longer than :data:`MAX_FILL` readings, with their :class:`LoadReport`.

    Raises
    ------
    seqcnn.data.DataError
        If one time has two different rows (naming both lines), a time is
        earlier than the one before it (naming both lines), or a column holds
        only ``-9999``.

    Examples
    --------
    >>> times = np.array(["2009-01-01T00:10", "2009-01-01T00:20", "2009-01-01T00:20", "2009-01-01T00:50"],
    ...                  dtype="datetime64[m]")
    >>> values = np.array([[1.0, 0.0], [2.0, -9999.0], [2.0, -9999.0], [5.0, 4.0]], dtype="float32")
    >>> weather = clean(Path("toy.csv"), times, values)
    >>> weather.values.tolist()  # the repeated 00:20 dropped, 00:30 and 00:40 filled, -9999 interpolated
    [[1.0, 0.0], [2.0, 1.0], [3.0, 2.0], [4.0, 3.0], [5.0, 4.0]]
    >>> print(weather.report)
    toy.csv: 4 rows read, 5 kept, one every 10 minutes.
    - dropped 1 rows repeating earlier rows exactly (01.01.2009 00:20 to 01.01.2009 00:20)
    - 1 gap(s) of at most 6 readings filled by linear interpolation in time (2 readings), the longest: 2 reading(s) missing between 01.01.2009 00:20 and 01.01.2009 00:50
    - 1 cell(s) of 'T (degC)' hold -9999 (missing): filled by linear interpolation in time
    """
    lines = np.arange(len(times)) + 2
    repeated: list[tuple[np.datetime64, np.datetime64, int]] = []
    if len(times) > 1 and not (np.diff(times) > np.timedelta64(0, "m")).all():
        keep = _repeats(path, times, values)
        dropped = np.flatnonzero(~keep)
        for run in np.split(dropped, np.flatnonzero(np.diff(dropped) > 1) + 1) if len(dropped) else []:
            repeated.append((times[run[0]], times[run[-1]], len(run)))
        times, values, lines = times[keep], values[keep], lines[keep]
        back = np.flatnonzero(np.diff(times) <= np.timedelta64(0, "m"))
        if len(back):
            i = back[0]
            raise data.DataError(
                f"{path}, line {lines[i + 1]}: time {_when(times[i + 1])} is earlier than {_when(times[i])} on "
                f"line {lines[i]}. The rows must be in time order: sort the file or remove that line."
            )
    minutes = times.astype("int64")
    steps = np.diff(minutes)
    interval = _most_common(steps)
    marker = values == MISSING
    counts = marker.sum(axis=0)
    gaps, grid = _gaps(times, minutes, steps, interval)
    if len(grid) > len(minutes) or counts.any():
        values = _interpolate(path, grid, minutes, values, marker)
    report = LoadReport(
        path=Path(path), rows_read=len(lines) + sum(count for *_, count in repeated), rows=len(grid),
        interval=interval, repeated=tuple(repeated), gaps=gaps,
        marker_counts={FEATURES[c]: int(counts[c]) for c in np.flatnonzero(counts)},
    )
    return Weather(Path(path), grid.astype("datetime64[m]"), values, report)


def _most_common(steps: np.ndarray) -> int:
    """The most common step between rows, in minutes (the smallest if tied; 10 for a single row)."""
    if not len(steps):
        return 10
    found, counts = np.unique(steps, return_counts=True)
    return int(found[np.argmax(counts)])


def _repeats(path: Path, times: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which rows to keep: all but exact repeats of an earlier row; refuse a time with two different rows."""
    order = np.argsort(times, kind="stable")  # equal times stay in file order
    same = np.flatnonzero(times[order][1:] == times[order][:-1])
    keep = np.ones(len(times), dtype=bool)
    first = order.copy()  # first[k]: file row of the first occurrence of order[k]'s time
    for k in same:  # few: only repeated times
        first[k + 1] = first[k]
        row, earlier = order[k + 1], first[k + 1]
        if not np.array_equal(values[row], values[earlier]):
            raise data.DataError(
                f"{path}, lines {earlier + 2} and {row + 2}: two different rows for the same time "
                f"{_when(times[row])}. Keep the right one and remove the other."
            )
        keep[row] = False
    return keep


def _gaps(times: np.ndarray, minutes: np.ndarray, steps: np.ndarray,
          interval: int) -> tuple[tuple[Gap, ...], np.ndarray]:
    """Every gap, and the grid of times: the rows' times plus those of the gaps it fills."""
    gaps, inserted = [], []
    for i in np.flatnonzero(steps > interval):
        missing = -(-int(steps[i]) // interval) - 1
        filled = missing <= MAX_FILL
        gaps.append(Gap(times[i], times[i + 1], missing, filled))
        if filled:
            inserted.append(np.arange(minutes[i] + interval, minutes[i + 1], interval))
    grid = np.sort(np.concatenate([minutes, *inserted])) if inserted else minutes
    return tuple(gaps), grid


def _interpolate(path: Path, grid: np.ndarray, minutes: np.ndarray, values: np.ndarray,
                 marker: np.ndarray) -> np.ndarray:
    """The rows at the times of ``grid``: inserted rows and ``-9999`` cells linear in time between valid readings."""
    out = np.empty((len(grid), values.shape[1]), dtype=values.dtype)
    kept = np.searchsorted(grid, minutes)  # where the file's rows go
    out[kept] = values
    inserted = np.ones(len(grid), dtype=bool)
    inserted[kept] = False
    for col in range(values.shape[1]):
        todo, times, readings = inserted, minutes, values[:, col]
        if marker[:, col].any():
            valid = ~marker[:, col]
            if not valid.any():
                raise data.DataError(f"{path}: column {FEATURES[col]!r} holds only -9999 (missing). "
                                     "Use a file with readings in every column.")
            todo = inserted.copy()
            todo[kept[marker[:, col]]] = True
            times, readings = minutes[valid], readings[valid]
        out[todo, col] = np.interp(grid[todo], times, readings)
    return out
