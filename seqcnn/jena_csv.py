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

import csv
import io
import mmap
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from seqcnn import data

__all__ = ["FEATURES", "TEMPERATURE", "MISSING", "MAX_FILL", "Weather", "LoadReport", "Gap", "TIME_FORMATS", "read_csv",
           "clean"]

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


#: Time formats a row may use: the station's, the same without seconds (as a spreadsheet may save it), ISO 8601.
TIME_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "ISO8601")
_TIME_HELP = ("a time like '01.01.2009 00:10:00' (day.month.year hour:minute:second, the seconds may be left "
              "out) or '2009-01-01 00:10:00' (ISO 8601). If a spreadsheet changed the dates, format that column "
              "as DD.MM.YYYY hh:mm:ss (in German: TT.MM.JJJJ hh:mm:ss) and save again, or remove that line")
_SEPARATORS = (",", ";", "\t")
# Map files read-only; on Linux, with all pages read in at once (faster than a page fault per 4 KiB).
_MAP = ({"flags": mmap.MAP_SHARED | mmap.MAP_POPULATE, "prot": mmap.PROT_READ} if hasattr(mmap, "MAP_POPULATE")
        else {"access": mmap.ACCESS_READ})


@dataclass(frozen=True)
class _Dialect:
    """How a file is written: its column names, separator, decimal mark, and where its rows start."""

    header: list[str]
    separator: str = ","
    decimal: str = "."
    body: int = 0  # byte offset of the first data row
    quoted: bool = True  # whether any row has a quote (if none, pyarrow can skip looking for them)

    @property
    def names(self) -> list[str]:
        """The header with every column the loader does not read renamed ``_i`` (so names are unique)."""
        wanted = {_TIME, *FEATURES}
        return [name if name in wanted else f"_{i}" for i, name in enumerate(self.header)]


def _read_bytes(path: Path) -> bytes | mmap.mmap:
    """The file's bytes, mapped (not copied); an operating-system error is a :class:`~seqcnn.data.DataError`.

    The error names the path, what went wrong and what to do.
    """
    try:
        with open(path, "rb") as file:
            try:
                return mmap.mmap(file.fileno(), 0, **_MAP)
            except (ValueError, OSError):  # an empty file, or one that cannot be mapped (a pipe): read it
                return file.read()
    except IsADirectoryError:
        raise data.DataError(f"{path} is a folder, not a CSV file. Point at the CSV file inside it.") from None
    except FileNotFoundError:
        raise data.DataError(f"{path} does not exist. Check the path (and SEQCNN_JENA_CSV).") from None
    except PermissionError:
        raise data.DataError(f"{path} cannot be read: permission denied. Check the file's permissions.") from None
    except OSError as error:
        raise data.DataError(f"{path} cannot be read: {error.strerror or error}. Check the file and "
                             "the disk it is on.") from None


def _split_header(line: str, separator: str = ",") -> list[str]:
    """Column names of a header line, unquoted (as the ``csv`` module reads them) and stripped."""
    return [name.strip() for name in next(csv.reader([line], delimiter=separator), [])]


def _dialect(path: Path, raw: bytes | mmap.mmap) -> _Dialect:
    """Find the header, the separator and the decimal mark of a file's bytes, or say what is wrong."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4096]:
        raise data.DataError(f"{path} is saved as UTF-16 (Excel's 'Unicode Text'), not as a CSV of text. Save it "
                             "again as 'CSV UTF-8 (comma delimited)' or 'CSV (comma delimited)'.")
    start = 3 if raw[:3] == b"\xef\xbb\xbf" else 0  # Excel's UTF-8 byte order mark
    end = raw.find(b"\n", start)  # the header ends at the first LF, CR or CRLF (not scanning the file for a CR)
    end = len(raw) if end < 0 else end
    cr = raw.find(b"\r", start, end)
    end = cr if cr >= 0 else end
    body = end + (2 if raw[end:end + 2] == b"\r\n" else 1)
    try:
        line = raw[start:end].decode("utf-8")
    except UnicodeDecodeError:  # the mpi_roof files: a Latin-1 header
        line = raw[start:end].decode("latin-1")
    if not line.strip():
        raise data.DataError(f"{path} is empty: no header line. Point at a complete Jena weather CSV.")
    candidates = [_split_header(line, separator) for separator in _SEPARATORS]
    needed = (_TIME, *FEATURES)
    found = [sum(name in header for name in needed) for header in candidates]
    best = int(np.argmax(found))
    header, separator = candidates[best], _SEPARATORS[best]
    missing = [name for name in needed if name not in header]
    if missing:
        raise data.DataError(
            f"{path} lacks the column(s) {', '.join(repr(m) for m in missing)}: a Jena weather CSV needs "
            f"{_TIME!r} and the 14 Keras features, separated by ',' or ';'. Its header has: {', '.join(header)}."
        )
    twice = [name for name in needed if header.count(name) > 1]
    if twice:
        raise data.DataError(f"{path} has the column(s) {', '.join(repr(t) for t in twice)} more than once: "
                             "which one to read is not clear. Remove the extra column(s).")
    sample = raw[body:body + 8192].splitlines()  # the first rows (the last one maybe cut short: left out)
    rows = csv.reader([line.decode("latin-1") for line in sample[:-1 if len(raw) > body + 8192 else None] if line],
                      delimiter=separator)
    columns = [header.index(name) for name in FEATURES]
    comma = re.compile(r"\s*-?\d*,\d+\s*")  # a number with a decimal comma
    decimal = "," if any(comma.fullmatch(cells[c]) for cells in rows for c in columns if c < len(cells)) else "."
    return _Dialect(header, separator, decimal, body, quoted=raw.find(b'"', body) >= 0)


def _line_numbers(raw: bytes | mmap.mmap, dialect: _Dialect) -> np.ndarray:
    """The line of the file on which each data row stands (empty lines hold no row)."""
    lines = raw[dialect.body:].splitlines()
    return np.array([i for i, line in enumerate(lines) if line], dtype="int64") + 2


def _first_stray(raw: bytes | mmap.mmap, dialect: _Dialect) -> int | None:
    """The line of the file holding the rows' first byte that is not UTF-8 text (a stray byte), if any."""
    try:
        raw[dialect.body:].decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[dialect.body:dialect.body + error.start].splitlines(keepends=True)
        partial = bool(before) and not before[-1].endswith((b"\n", b"\r"))  # the stray byte's line began
        return len(before) - partial + 2
    return None


def _stray_note(raw: bytes | mmap.mmap, dialect: _Dialect, line: int) -> str:
    """A sentence naming the first byte of line ``line`` of the file that is not UTF-8 text, or ``""``."""
    text = raw[dialect.body:].splitlines()[line - 2]  # line 2 is the first after the header
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as error:
        return (f"Line {line} holds the byte 0x{text[error.start]:02X}, which is not UTF-8 text: the file may be "
                "damaged there (a download or copy cut short) or saved in another encoding; if so, get it again. ")
    return ""


def _refusal(path: Path, raw: bytes | mmap.mmap, dialect: _Dialect, error: Exception) -> data.DataError:
    """The :class:`~seqcnn.data.DataError` for a parser's own error, naming the line it stands on if it can be found.

    That line is the row that pyarrow's message names (``Row #3``: the
    third row, empty lines not counted), else the first holding a stray
    byte (not UTF-8 text).
    """
    line = None
    found = re.search(r"\bRow #(\d+)", str(error))
    if found:
        lines = _line_numbers(raw, dialect)
        line = int(lines[int(found[1]) - 1]) if 0 < int(found[1]) <= len(lines) else None
    if line is None:
        line = _first_stray(raw, dialect)
    words = str(error).strip() or type(error).__name__
    words += "" if words.endswith(".") else "."
    if line is None:
        return data.DataError(f"{path}: {words} Fix the file, or save it again from a spreadsheet as CSV UTF-8.")
    return data.DataError(f"{path}, line {line}: {words} {_stray_note(raw, dialect, line)}Fix that line, or save "
                          "the file again from a spreadsheet as CSV UTF-8.")


def _parse_errors() -> tuple[type[Exception], ...]:
    """What the parsers raise on rows they cannot read: Python's errors of values, and any of pyarrow's."""
    import pyarrow as pa

    return ValueError, TypeError, LookupError, pa.ArrowException


def read_csv(path: str | Path) -> Weather:
    """Read a Jena weather CSV (Keras or ``mpi_roof`` format) by column name, and clean it.

    The file may be written as the station, Keras, spreadsheets or pandas
    write it: UTF-8 with or without a byte order mark, or a Latin-1 header
    (the ``mpi_roof`` files write ``²`` and ``µ`` in extra columns); lines
    ending in LF, CRLF or CR, empty lines anywhere; names and cells quoted
    or not; cells separated by ``,`` or by ``;`` (then numbers may use a
    decimal comma, as Excel saves them in a German locale); times in any of
    :data:`TIME_FORMATS`. Extra columns (such as pandas' index) are ignored.
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
        If the file cannot be read (naming the path and the reason), has no
        data rows, a feature column is missing or twice (naming the columns
        and the file), a cell is not a number or a time (naming the line, the
        column and the value), a row has too many or too few cells, or holds
        a stray byte that is not UTF-8 text (naming the line and the byte),
        or the times conflict (see :func:`clean`). Any other error of the
        parsers on the rows is one too, naming the line where it can be found.

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
    raw = _read_bytes(path)
    try:
        return _load(path, raw)
    finally:
        if isinstance(raw, mmap.mmap):
            try:
                raw.close()  # now, not when collected: an open map keeps the file busy on Windows
            except BufferError:  # pyarrow still holds a view of it (an error's traceback): closed when collected
                pass


def _load(path: Path, raw: bytes | mmap.mmap) -> Weather:
    """:func:`read_csv` of the file's bytes."""
    dialect = _dialect(path, raw)
    if not re.compile(rb"\S").search(raw, dialect.body):
        raise data.DataError(f"{path} has a header but no data rows (0 rows found). Point at a complete file.")
    try:
        times, values = _read_fast(raw, dialect)
        if not np.isfinite(values).all():
            raise ValueError("a cell holds nan or inf")
    except MemoryError:  # pyarrow's too (an ArrowException): not a fault of the file
        raise
    except _parse_errors() as error:  # pyarrow's errors name no line: find the bad cell the careful way
        times, values = _read_careful(path, raw, dialect)
        if np.isfinite(values).all():  # pandas read what pyarrow refused: refuse it too, in pyarrow's words
            raise _refusal(path, raw, dialect, error) from None
        row, col = np.argwhere(~np.isfinite(values))[0]  # "inf" parses as a number
        raise data.DataError(
            f"{path}, line {_line_numbers(raw, dialect)[row]}: column {FEATURES[col]!r} holds {values[row, col]}, "
            "not a finite number. Fix or remove that line."
        ) from None
    if times.min() < np.datetime64("1900-01-01"):  # '01.01.09' reads as the year 9
        row = int(np.argmin(times))
        when = str(times[row]).replace("T", " ")
        raise data.DataError(f"{path}, line {_line_numbers(raw, dialect)[row]}: column {_TIME!r} reads as {when}, "
                             f"before 1900: a two-digit year? Expected {_TIME_HELP}.")
    return _clean(path, times, values, lambda: _line_numbers(raw, dialect))


def _read_fast(raw: bytes | mmap.mmap, dialect: _Dialect) -> tuple[np.ndarray, np.ndarray]:
    """Parse with pyarrow's multithreaded CSV reader; any bad cell raises ``ValueError``.

    The header was read already (it may be Latin-1): pyarrow reads the rows'
    bytes as they are, from where they start, without transcoding the file.
    """
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    table = pa_csv.read_csv(
        pa.BufferReader(pa.py_buffer(raw)[dialect.body:]),
        read_options=pa_csv.ReadOptions(column_names=dialect.names, block_size=1 << 20),
        parse_options=pa_csv.ParseOptions(delimiter=dialect.separator, quote_char='"' if dialect.quoted else False),
        convert_options=pa_csv.ConvertOptions(
            include_columns=[_TIME, *FEATURES],
            column_types={_TIME: pa.timestamp("s"), **{name: pa.float32() for name in FEATURES}},
            timestamp_parsers=[pa_csv.ISO8601 if f == "ISO8601" else f for f in TIME_FORMATS],
            decimal_point=dialect.decimal,
            null_values=[],  # an empty cell is an error, not a missing value
            strings_can_be_null=False,
        ),
    )
    # C order: one time step's 14 features side by side, so that windows copy contiguous rows. Batch by
    # batch, so that the rows being written stay in the cache (column by column over the whole file is slower).
    values = np.empty((table.num_rows, len(FEATURES)), dtype="float32")
    start = 0
    for batch in table.select(list(FEATURES)).to_batches():
        stop = start + batch.num_rows
        np.stack([column.to_numpy() for column in batch.columns], axis=1, out=values[start:stop])
        start = stop
    return table.column(_TIME).to_numpy().astype("datetime64[m]"), values


def _read_careful(path: Path, raw: bytes | mmap.mmap, dialect: _Dialect) -> tuple[np.ndarray, np.ndarray]:
    """Parse with pandas, keeping text where a cell is not a number, to name the bad line.

    A row with more or fewer cells than the header is named first (pyarrow
    reports its physical line). Any other error of pyarrow or pandas is a
    :class:`~seqcnn.data.DataError` too, naming the line if it can be found
    (see :func:`_refusal`).
    """
    try:
        return _parse_careful(path, raw, dialect)
    except (data.DataError, MemoryError):
        raise
    except _parse_errors() as error:
        raise _refusal(path, raw, dialect, error) from None


def _parse_careful(path: Path, raw: bytes | mmap.mmap, dialect: _Dialect) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_read_careful`, letting the parsers' own errors through.

    The rows are read as Latin-1, where any byte is a character: a stray
    byte (not UTF-8 text) stays in its cell, to be named with its line.
    """
    import pandas as pd
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    uneven = []
    pa_csv.read_csv(
        pa.BufferReader(pa.py_buffer(raw)[dialect.body:]),
        read_options=pa_csv.ReadOptions(column_names=dialect.names, use_threads=False, encoding="latin-1"),
        parse_options=pa_csv.ParseOptions(delimiter=dialect.separator, invalid_row_handler=lambda row: uneven.append(
            row) or "skip"),
        convert_options=pa_csv.ConvertOptions(include_columns=[_TIME], column_types={_TIME: pa.binary()}),
    )
    if uneven:
        row = uneven[0]  # row.number counts the rows, not the empty lines
        line = int(_line_numbers(raw, dialect)[row.number - 1]) if row.number else None
        raise data.DataError(
            f"{path}, line {line or '?'}: "
            f"{row.actual_columns} cells where the header has {row.expected_columns}. A row needs one cell per column: "
            f"a {dialect.separator!r} inside an unquoted cell (such as a decimal comma) splits it, an unclosed '\"' "
            f"joins cells, a row cut short lacks some. {_stray_note(raw, dialect, line) if line else ''}Fix that line, "
            "or save the file again with ';' between cells if its numbers have decimal commas."
        )
    table = pd.read_csv(io.BytesIO(raw[dialect.body:]), sep=dialect.separator, names=dialect.names, header=None,
                        encoding="latin-1", usecols=[_TIME, *FEATURES], na_filter=False, dtype=str)
    lines = _line_numbers(raw, dialect)
    for name in FEATURES:
        cells = table[name]
        text = cells.str.replace(",", ".", regex=False) if dialect.decimal == "," else cells
        bad = pd.to_numeric(text, errors="coerce").isna()
        if dialect.decimal == ",":
            bad |= cells.str.contains(".", regex=False)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            mark = " with a decimal comma, as the file's first rows have them" if dialect.decimal == "," else ""
            raise data.DataError(
                f"{path}, line {lines[row]}: column {name!r} holds {cells.iloc[row]!r}, "
                f"not a number{mark}. {_stray_note(raw, dialect, lines[row])}Fix or remove that line."
            )
    cells = table[_TIME]
    times = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    iso = cells.str.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?")  # what pyarrow takes as ISO
    for time_format in TIME_FORMATS:
        parsed = pd.to_datetime(cells.where(iso) if time_format == "ISO8601" else cells, format=time_format,
                                errors="coerce")
        times = times.fillna(parsed)
    if times.isna().any():
        row = int(np.flatnonzero(times.isna())[0])
        raise data.DataError(
            f"{path}, line {lines[row]}: column {_TIME!r} holds {cells.iloc[row]!r}, not {_TIME_HELP}. "
            f"{_stray_note(raw, dialect, lines[row])}".rstrip()
        )
    text = table[list(FEATURES)]
    if dialect.decimal == ",":
        text = text.apply(lambda column: column.str.replace(",", ".", regex=False))
    values = np.ascontiguousarray(text.astype("float32").to_numpy())
    return times.to_numpy().astype("datetime64[m]"), values


def clean(path: Path, times: np.ndarray, values: np.ndarray) -> Weather:
    """Drop repeated rows, refuse conflicting times, fill ``-9999`` and short gaps; report it all.

    Only what needs it is touched: a file with nothing to drop or fill is
    returned as it was read, without a copy, and filling interpolates only
    the inserted rows and the ``-9999`` cells.

    Parameters
    ----------
    path : pathlib.Path
        The file the rows come from (for messages and the report).
    times : numpy.ndarray
        ``datetime64[m]`` time of each row, in file order (row ``i`` is line ``i + 2``).
    values : numpy.ndarray
        ``(rows, features)`` float32 measurements (not changed: filled rows are a new array).

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
    return _clean(path, times, values, lambda: np.arange(len(times)) + 2)


def _clean(path: Path, times: np.ndarray, values: np.ndarray, lines: Callable[[], np.ndarray]) -> Weather:
    """:func:`clean`, with ``lines()`` giving the file's line of each row (asked for only to word an error)."""
    rows_read, original = len(times), values
    minutes = times.astype("datetime64[m]").view("int64")
    steps = np.diff(minutes)
    keep = source = None  # rows kept: all unless some repeat earlier ones
    repeated: list[tuple[np.datetime64, np.datetime64, int]] = []
    if (steps <= 0).any():
        keep = _repeats(path, minutes, times, values, lines)
        dropped = np.flatnonzero(~keep)
        for run in np.split(dropped, np.flatnonzero(np.diff(dropped) > 1) + 1) if len(dropped) else []:
            repeated.append((times[run[0]], times[run[-1]], len(run)))
        source = np.flatnonzero(keep)
        minutes = minutes[source]
        steps = np.diff(minutes)
        back = np.flatnonzero(steps <= 0)
        if len(back):
            i, line = back[0], lines()
            raise data.DataError(
                f"{path}, line {line[source[i + 1]]}: time {_when(times[source[i + 1]])} is earlier than "
                f"{_when(times[source[i]])} on line {line[source[i]]}. The rows must be in time order: sort the "
                "file or remove that line."
            )
    interval = _most_common(steps)
    marker = None  # where -9999 stands among the kept rows, if anywhere (min() is faster than a full compare)
    counts = np.zeros(values.shape[1], dtype="int64")
    if len(values) and values.min() <= MISSING:
        marker = values == MISSING if keep is None else values[keep] == MISSING
        counts = marker.sum(axis=0)
    gaps, inserted, after = _gaps(minutes, steps, interval)
    grid, values, slots = _assemble(minutes, values, source, inserted, after)
    if len(slots) or counts.any():
        if values is original:  # only -9999 to fill: fill a copy, not the caller's array
            values = values.copy()
        _fill(path, grid, values, slots, minutes, marker, counts)
    report = LoadReport(
        path=Path(path), rows_read=rows_read, rows=len(grid), interval=interval, repeated=tuple(repeated),
        gaps=gaps, marker_counts={FEATURES[c]: int(counts[c]) for c in np.flatnonzero(counts)},
    )
    return Weather(Path(path), grid.view("datetime64[m]"), values, report)


def _most_common(steps: np.ndarray) -> int:
    """The most common step between rows, in minutes (the smallest if tied; 10 for a single row).

    Steps are positive. Those under a day are counted with ``bincount``
    (linear time); only if the longer ones could outnumber the winner are
    all steps sorted.
    """
    if not len(steps):
        return 10
    day = 24 * 60
    counts = np.bincount(np.minimum(steps, day), minlength=day + 1)
    best = int(np.argmax(counts[:day]))
    if counts[best] >= counts[day]:  # no longer step can be more common (nor tie it and be smaller)
        return best
    found, counts = np.unique(steps, return_counts=True)
    return int(found[np.argmax(counts)])


def _repeats(path: Path, minutes: np.ndarray, times: np.ndarray, values: np.ndarray,
             lines: Callable[[], np.ndarray]) -> np.ndarray:
    """Which rows to keep: all but exact repeats of an earlier row; refuse a time with two different rows."""
    order = np.argsort(minutes, kind="stable")  # equal times stay in file order
    ordered = minutes[order]
    same = np.flatnonzero(ordered[1:] == ordered[:-1])  # order[k + 1] repeats the time of order[k]
    # first of each run of equal times: runs of consecutive k in `same` share one
    starts = np.concatenate([[True], np.diff(same) > 1]) if len(same) else np.zeros(0, dtype=bool)
    first = order[same[np.maximum.accumulate(np.where(starts, np.arange(len(same)), 0))]]
    later = order[same + 1]
    differ = np.flatnonzero((values[later] != values[first]).any(axis=1))
    if len(differ):
        row, earlier = later[differ[0]], first[differ[0]]
        line = lines()
        raise data.DataError(
            f"{path}, lines {line[earlier]} and {line[row]}: two different rows for the same time "
            f"{_when(times[row])}. Keep the right one and remove the other."
        )
    keep = np.ones(len(times), dtype=bool)
    keep[later] = False
    return keep


def _gaps(minutes: np.ndarray, steps: np.ndarray, interval: int) -> tuple[tuple[Gap, ...], np.ndarray, np.ndarray]:
    """Every gap; the times of the readings to insert, and after which row each goes."""
    gaps, inserted, after = [], [], []
    for i in np.flatnonzero(steps > interval):
        missing = -(-int(steps[i]) // interval) - 1
        filled = missing <= MAX_FILL
        gaps.append(Gap(*minutes[i:i + 2].view("datetime64[m]"), missing, filled))
        if filled:
            inserted.append(np.arange(minutes[i] + interval, minutes[i + 1], interval))
            after.append(np.full(len(inserted[-1]), i))
    if not inserted:
        return tuple(gaps), np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    return tuple(gaps), np.concatenate(inserted), np.concatenate(after)


def _assemble(minutes: np.ndarray, values: np.ndarray, source: np.ndarray | None, inserted: np.ndarray,
              after: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid of times, the rows on it (the inserted ones still to fill), and where the inserted ones are.

    ``minutes`` are the kept rows' times, ``source`` their rows in ``values``
    (``None``: all rows), ``after[j]`` the kept row that ``inserted[j]``
    follows. The kept rows are copied once, in blocks that are contiguous
    both in the file and on the grid; with nothing dropped or inserted,
    ``values`` itself is returned, not a copy.
    """
    if source is None and not len(inserted):
        return minutes, values, np.zeros(0, dtype="int64")
    grid = np.empty(len(minutes) + len(inserted), dtype="int64")
    out = np.empty((len(grid), values.shape[1]), dtype=values.dtype)
    starts = np.flatnonzero(np.diff(source) != 1) + 1 if source is not None else np.zeros(0, dtype="int64")
    points, ends = np.unique(after, return_index=True)  # kept rows followed by inserted ones
    bounds = np.union1d(np.union1d(starts, points + 1), [0, len(minutes)])
    if len(bounds) > 10_000:  # pragma: no cover  (thousands of blocks: index row by row instead)
        kept = np.arange(len(minutes)) + np.searchsorted(after, np.arange(len(minutes)), side="left")
        free = np.ones(len(grid), dtype=bool)
        free[kept] = False
        grid[kept], grid[free] = minutes, inserted
        out[kept] = values[source] if source is not None else values
        return grid, out, np.flatnonzero(free)
    ends = np.append(ends[1:], len(after))  # inserted[ends[k - 1]:ends[k]] follow kept row points[k]
    place, done = 0, 0  # next grid row to write; inserted rows written so far
    slots = []
    for begin, stop in zip(bounds[:-1], bounds[1:]):
        first = source[begin] if source is not None else begin
        grid[place:place + stop - begin] = minutes[begin:stop]
        out[place:place + stop - begin] = values[first:first + stop - begin]
        place += stop - begin
        k = np.searchsorted(points, stop - 1)
        if k < len(points) and points[k] == stop - 1:
            more = ends[k] - done
            grid[place:place + more] = inserted[done:ends[k]]
            slots.append(np.arange(place, place + more))
            place, done = place + more, ends[k]
    return grid, out, np.concatenate(slots) if slots else np.zeros(0, dtype="int64")


def _fill(path: Path, grid: np.ndarray, out: np.ndarray, inserted: np.ndarray, minutes: np.ndarray,
          marker: np.ndarray | None, counts: np.ndarray) -> None:
    """Fill, in place, the inserted rows of ``out`` and its ``-9999`` cells, linear in time between valid readings.

    ``inserted`` are the rows of ``out`` to fill, ``minutes`` the times of
    the file's kept rows, ``marker`` where they
    hold ``-9999``. The inserted rows of a column without ``-9999`` lie
    between two rows of the file: interpolating between just those rows
    gives what ``np.interp`` over the whole column gives. A column with
    ``-9999`` is interpolated between its valid readings at its marked and
    inserted rows.
    """
    if len(inserted):
        around = np.setdiff1d(np.union1d(inserted - 1, inserted + 1), inserted)  # the file's rows around them
        for col in np.flatnonzero(counts == 0):
            out[inserted, col] = np.interp(grid[inserted], grid[around], out[around, col])
    if marker is None:
        return
    kept = np.searchsorted(grid, minutes)  # where the file's rows went
    for col in np.flatnonzero(counts):
        valid = ~marker[:, col]
        if not valid.any():
            raise data.DataError(f"{path}: column {FEATURES[col]!r} holds only -9999 (missing). "
                                 "Use a file with readings in every column.")
        todo = np.union1d(inserted, kept[marker[:, col]])
        out[todo, col] = np.interp(grid[todo], grid[kept[valid]], out[kept[valid], col])
