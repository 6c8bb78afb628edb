"""jena_csv: the same file as spreadsheets, pandas and other systems save it loads the same values, or is refused.

Each test writes the small file of ``keras_csv`` again in one dialect and
compares what :func:`seqcnn.jena_csv.read_csv` returns with the original's.
The refused cases print the error a reader sees (``pytest -s`` shows it).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seqcnn import data, jena_csv

from test_jena_csv import keras_csv

NAMES = ("Date Time", *jena_csv.FEATURES)
ROWS = 6


def original(tmp_path: Path) -> jena_csv.Weather:
    return jena_csv.read_csv(keras_csv(tmp_path / "original.csv", rows=ROWS))


def table(tmp_path: Path) -> list[list[str]]:
    """The original's rows as text cells: time, then 14 numbers."""
    lines = (tmp_path / "original.csv").read_text().splitlines()[1:]
    return [line.split(",") for line in lines]


def write(path: Path, header: list[str], rows: list[list[str]], sep: str = ",", end: str = "\n",
          encoding: str = "utf-8", tail: str = "") -> Path:
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    path.write_bytes((end.join(lines) + end + tail).encode(encoding))
    return path


def assert_same(weather: jena_csv.Weather, reference: jena_csv.Weather) -> None:
    np.testing.assert_array_equal(weather.times, reference.times)
    np.testing.assert_array_equal(weather.values, reference.values)
    assert weather.values.dtype == np.float32 and weather.values.flags.c_contiguous
    assert str(weather.report).split("\n")[1:] == str(reference.report).split("\n")[1:]


def refused(path: Path) -> str:
    with pytest.raises(data.DataError) as err:
        jena_csv.read_csv(path)
    print(err.value)  # what the reader sees
    assert str(path) in str(err.value)
    return str(err.value)


def german(cell: str) -> str:
    return cell.replace(".", ",")


def no_seconds(time: str) -> str:
    return time[:-3]


def iso(time: str) -> str:
    day, clock = time.split(" ")
    d, m, y = day.split(".")
    return f"{y}-{m}-{d} {clock}"


def test_excel_csv_utf8_bom_crlf(tmp_path):
    reference = original(tmp_path)
    path = write(tmp_path / "excel.csv", list(NAMES), table(tmp_path), end="\r\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfDate Time,")
    assert_same(jena_csv.read_csv(path), reference)


def test_excel_german_semicolons_decimal_commas_dates_without_seconds(tmp_path):
    reference = original(tmp_path)
    rows = [[no_seconds(time)] + [german(cell) for cell in cells] for time, *cells in table(tmp_path)]
    path = write(tmp_path / "excel_de.csv", list(NAMES), rows, sep=";", end="\r\n", encoding="utf-8-sig")
    assert b";100,5;" in path.read_bytes() and b"01.01.2009 00:10;" in path.read_bytes()
    assert_same(jena_csv.read_csv(path), reference)


def test_decimal_commas_found_beyond_the_first_row(tmp_path):
    reference = original(tmp_path)
    rows = [[time] + [german(cell) for cell in cells] for time, *cells in table(tmp_path)]
    rows[0] = [rows[0][0]] + ["0"] * 14  # whole numbers: the same in any locale
    reference.values[0] = 0
    assert_same(jena_csv.read_csv(write(tmp_path / "first_whole.csv", list(NAMES), rows, sep=";")), reference)


def test_tab_separated(tmp_path):
    reference = original(tmp_path)
    assert_same(jena_csv.read_csv(write(tmp_path / "excel.txt", list(NAMES), table(tmp_path), sep="\t")), reference)


def test_excel_iso_dates(tmp_path):
    reference = original(tmp_path)
    rows = [[iso(time)] + cells for time, *cells in table(tmp_path)]
    path = write(tmp_path / "excel_iso.csv", list(NAMES), rows, end="\r\n", encoding="utf-8-sig")
    assert_same(jena_csv.read_csv(path), reference)
    rows = [[iso(no_seconds(time)).replace(" ", "T")] + cells for time, *cells in table(tmp_path)]
    assert_same(jena_csv.read_csv(write(tmp_path / "iso_t.csv", list(NAMES), rows)), reference)


@pytest.mark.parametrize("end", ["\n", "\r\n"])
@pytest.mark.parametrize("quote", [True, False])
def test_libreoffice(tmp_path, end, quote):
    reference = original(tmp_path)
    header = [f'"{name}"' if quote else name for name in NAMES]
    rows = [[f'"{time}"' if quote else time, *cells] for time, *cells in table(tmp_path)]  # text cells quoted
    assert_same(jena_csv.read_csv(write(tmp_path / "libre.csv", header, rows, end=end)), reference)


def test_libreoffice_every_cell_quoted_german(tmp_path):
    reference = original(tmp_path)
    rows = [[f'"{cell}"' for cell in [time, *map(german, cells)]] for time, *cells in table(tmp_path)]
    path = write(tmp_path / "libre_de.csv", [f'"{n}"' for n in NAMES], rows, sep=";")
    assert_same(jena_csv.read_csv(path), reference)


@pytest.mark.parametrize("index", [True, False])
def test_pandas_to_csv(tmp_path, index):
    reference = original(tmp_path)
    frame = pd.read_csv(tmp_path / "original.csv")
    frame["Date Time"] = pd.to_datetime(frame["Date Time"], format="%d.%m.%Y %H:%M:%S")
    path = tmp_path / "pandas.csv"
    frame.to_csv(path, index=index)
    assert path.read_text().startswith(",Date Time," if index else "Date Time,")
    assert "2009-01-01 00:10:00," in path.read_text()
    assert_same(jena_csv.read_csv(path), reference)
    frame.set_index("Date Time").to_csv(path)  # the time as the index
    assert_same(jena_csv.read_csv(path), reference)


@pytest.mark.parametrize("end", ["\r\n", "\r"])
@pytest.mark.parametrize("tail", ["", "\r\n", "\n\n"])
def test_windows_and_old_mac_line_ends_and_trailing_empty_lines(tmp_path, end, tail):
    reference = original(tmp_path)
    assert_same(jena_csv.read_csv(write(tmp_path / "w.csv", list(NAMES), table(tmp_path), end=end, tail=tail)),
                reference)


def test_latin1_header_with_extra_columns(tmp_path):
    reference = original(tmp_path)
    header = [*NAMES, "SWDR (W/m\u00b2)", "PAR (\u00b5mol/m\u00b2/s)"]
    rows = [cells + ["865.9", "-9999"] for cells in table(tmp_path)]
    path = write(tmp_path / "roof.csv", header, rows, end="\r\n", encoding="latin-1")
    assert b"W/m\xb2" in path.read_bytes()
    assert_same(jena_csv.read_csv(path), reference)


def test_empty_line_in_the_middle_is_skipped_and_lines_are_counted(tmp_path):
    reference = original(tmp_path)
    rows = table(tmp_path)
    path = write(tmp_path / "blank.csv", list(NAMES), rows[:2] + [[""]] + rows[2:])
    assert_same(jena_csv.read_csv(path), reference)
    rows[4][3] = "x"  # the 5th row stands on line 7: header, 2 rows, the empty line, 2 rows
    message = refused(write(tmp_path / "blank.csv", list(NAMES), rows[:2] + [[""]] + rows[2:]))
    assert "line 7: column 'Tpot (K)' holds 'x', not a number" in message


def test_utf16_is_refused(tmp_path):
    original(tmp_path)
    message = refused(write(tmp_path / "u16.csv", list(NAMES), table(tmp_path), sep="\t", encoding="utf-16"))
    assert "saved as UTF-16" in message and "Save it again as 'CSV UTF-8" in message


def test_two_digit_year_is_refused(tmp_path):
    original(tmp_path)
    rows = [[time[:6] + time[8:]] + cells for time, *cells in table(tmp_path)]  # 01.01.09 00:00:00
    message = refused(write(tmp_path / "yy.csv", list(NAMES), rows))
    assert "line 2: column 'Date Time' reads as 0009-01-01 00:00, before 1900: a two-digit year?" in message


def test_decimal_point_in_a_decimal_comma_file_is_refused(tmp_path):
    original(tmp_path)
    rows = [[time] + [german(cell) for cell in cells] for time, *cells in table(tmp_path)]
    rows[3][5] = "403.5"
    message = refused(write(tmp_path / "mixed.csv", list(NAMES), rows, sep=";"))
    assert "line 5: column 'rh (%)' holds '403.5', not a number with a decimal comma" in message


def test_column_twice_is_refused(tmp_path):
    original(tmp_path)
    rows = [cells + [cells[2]] for cells in table(tmp_path)]
    message = refused(write(tmp_path / "twice.csv", [*NAMES, "T (degC)"], rows))
    assert "has the column(s) 'T (degC)' more than once" in message


def test_semicolons_in_header_only_name_what_is_missing(tmp_path):
    original(tmp_path)
    message = refused(write(tmp_path / "one.csv", ["Date Time"], [["01.01.2009 00:10:00"]]))
    assert "lacks the column(s) 'p (mbar)'" in message and "separated by ',' or ';'" in message


def test_milliseconds_are_refused_naming_the_line(tmp_path):
    original(tmp_path)
    rows = table(tmp_path)
    rows[2][0] += ".000"  # milliseconds: pandas' ISO parser would take them, pyarrow does not
    rows[2][0] = iso(rows[2][0])
    message = refused(write(tmp_path / "ms.csv", list(NAMES), rows))
    assert "line 4: column 'Date Time' holds '2009-01-01 00:20:00.000', not a time like" in message


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "is empty: no header line" in refused(path)


def test_folder_is_refused(tmp_path):
    assert "is a folder, not a CSV file" in refused(tmp_path)


def test_missing_file_is_refused(tmp_path):
    assert "does not exist" in refused(tmp_path / "nowhere.csv")


@pytest.mark.parametrize("error, words", [(PermissionError(13, "Permission denied"), "permission denied"),
                                          (OSError(5, "Input/output error"), "Input/output error")])
def test_unreadable_file_is_refused(tmp_path, monkeypatch, error, words):
    path = keras_csv(tmp_path / "locked.csv")
    real_open = open

    def locked(file, *args, **kwargs):
        if Path(file) == path:
            raise error
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", locked)
    assert f"cannot be read: {words}" in refused(path)


def test_quoted_decimal_commas_between_commas(tmp_path):
    reference = original(tmp_path)
    rows = [[time] + [f'"{german(cell)}"' for cell in cells] for time, *cells in table(tmp_path)]
    assert_same(jena_csv.read_csv(write(tmp_path / "libre_comma.csv", list(NAMES), rows)), reference)


@pytest.mark.parametrize("blank", [False, True])
def test_unquoted_decimal_commas_between_commas_are_refused(tmp_path, blank):
    original(tmp_path)
    rows = table(tmp_path)
    rows[3] = [rows[3][0]] + [german(cell) for cell in rows[3][1:]]  # line 5 (6 after an empty line)
    if blank:
        rows.insert(1, [""])
    message = refused(write(tmp_path / "split.csv", list(NAMES), rows))
    assert f"line {6 if blank else 5}: 29 cells where the header has 15. A row needs one cell per column: a ',' " \
           "inside an unquoted cell (such as a decimal comma) splits it" in message


def test_unclosed_quote_is_refused(tmp_path):
    original(tmp_path)
    rows = table(tmp_path)
    rows[2][0] = '"' + rows[2][0]
    assert "line 4: 1 cells where the header has 15" in refused(write(tmp_path / "quote.csv", list(NAMES), rows))


@pytest.mark.parametrize("time", ["2009-01-01T00:20:00Z", "2009-01-01 00:20:00+01:00"])
def test_time_zones_are_refused(tmp_path, time):
    original(tmp_path)
    rows = table(tmp_path)
    rows[2][0] = time
    assert f"line 4: column 'Date Time' holds {time!r}, not a time like" in refused(
        write(tmp_path / "zone.csv", list(NAMES), rows))


def test_date_alone_is_midnight(tmp_path):
    reference = original(tmp_path)
    rows = table(tmp_path)
    rows[0][0] = "2009-01-01"
    assert_same(jena_csv.read_csv(write(tmp_path / "date.csv", list(NAMES), rows)), reference)


def test_what_pyarrow_refuses_is_refused_even_if_pandas_reads_it(tmp_path, monkeypatch):
    path = keras_csv(tmp_path / "k.csv")

    def refuse(raw, dialect):
        raise ValueError("In CSV column #3: something pyarrow does not take")

    monkeypatch.setattr(jena_csv, "_read_fast", refuse)
    message = refused(path)
    assert "something pyarrow does not take. Fix the file, or save it again from a spreadsheet as CSV UTF-8" in message


# A stray byte (issue 24, item 7): a byte that is not UTF-8 text, such as 0xFF or a Latin-1 'é' (0xE9), where a
# download or a copy was cut short. Whatever the parsers make of it, the reader sees a DataError naming the line.

def stray(tmp_path: Path, name: str, row: int, cut: int | None, byte: bytes, newline: bool = True) -> Path:
    """The original with ``byte`` in row ``row`` (line ``row + 2``) after ``cut`` characters (the rest of the row
    dropped), or, if ``cut`` is None, at the end of the complete row; the file's last line ends without a newline
    unless ``newline``."""
    original(tmp_path)
    lines = [",".join(NAMES).encode()] + [",".join(cells).encode() for cells in table(tmp_path)]
    text = lines[row + 1]
    lines[row + 1] = text + byte if cut is None else text[:cut] + byte
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + (b"\n" if newline else b""))
    assert byte in path.read_bytes()
    return path


def refused_quietly(path: Path, monkeypatch) -> str:
    """:func:`refused`, also checking that no exception was swallowed on the way (pyarrow calls back into Python)."""
    swallowed = []
    monkeypatch.setattr("sys.unraisablehook", swallowed.append)
    message = refused(path)
    assert not swallowed, [str(hook.exc_value) for hook in swallowed]
    return message


@pytest.mark.parametrize("byte", [b"\xff", b"\xe9"])
def test_row_cut_short_by_a_stray_byte_names_the_line(tmp_path, monkeypatch, byte):
    path = stray(tmp_path, "cut.csv", row=2, cut=60, byte=byte)  # in the middle of the 8th number of line 4
    assert path.read_bytes().split(b"\n")[3].endswith(b",602.5," + byte)
    message = refused_quietly(path, monkeypatch)
    assert f"{path}, line 4: 9 cells where the header has 15." in message
    assert f"Line 4 holds the byte 0x{byte[0]:02X}, which is not UTF-8 text" in message
    assert "Fix that line" in message


@pytest.mark.parametrize("byte", [b"\xff", b"\xe9"])
def test_stray_byte_inside_a_complete_row_names_the_line(tmp_path, monkeypatch, byte):
    original(tmp_path)
    rows = [[cell.encode() for cell in cells] for cells in table(tmp_path)]
    rows[2][8] = byte + rows[2][8]  # 'VPdef (mbar)' of line 4
    path = tmp_path / "inside.csv"
    path.write_bytes(b"\n".join([",".join(NAMES).encode()] + [b",".join(cells) for cells in rows]) + b"\n")
    message = refused_quietly(path, monkeypatch)
    assert f"{path}, line 4: column 'VPdef (mbar)' holds {byte.decode('latin-1') + '702.5'!r}, not a number" in message
    assert f"Line 4 holds the byte 0x{byte[0]:02X}, which is not UTF-8 text" in message


@pytest.mark.parametrize("cut", [60, None])
@pytest.mark.parametrize("byte", [b"\xff", b"\xe9"])
def test_stray_byte_at_the_end_of_the_file_names_the_line(tmp_path, monkeypatch, byte, cut):
    path = stray(tmp_path, "end.csv", row=ROWS - 1, cut=cut, byte=byte, newline=False)
    assert path.read_bytes().endswith(byte)
    message = refused_quietly(path, monkeypatch)
    assert f"{path}, line 7: " in message
    assert ("9 cells where the header has 15" if cut else "column 'wd (deg)' holds '1305.5") in message
    assert f"Line 7 holds the byte 0x{byte[0]:02X}, which is not UTF-8 text" in message


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_stray_byte_cutting_the_time_short_names_the_line_after_an_empty_line(tmp_path, monkeypatch, end):
    original(tmp_path)
    lines = [",".join(NAMES).encode()] + [",".join(cells).encode() for cells in table(tmp_path)]
    lines[3] = lines[3][:10] + b"\xe9"  # '01.01.2009' and a stray byte
    lines.insert(2, b"")  # so it stands on line 5
    path = tmp_path / "time.csv"
    path.write_bytes(end.encode().join(lines) + end.encode())
    message = refused_quietly(path, monkeypatch)
    assert f"{path}, line 5: 1 cells where the header has 15." in message
    assert "Line 5 holds the byte 0xE9, which is not UTF-8 text" in message


def test_stray_byte_in_a_column_not_read_is_ignored(tmp_path):
    reference = original(tmp_path)
    rows = [[cell.encode() for cell in cells] + [b"x"] for cells in table(tmp_path)]
    rows[2][-1] = b"\xff\xe9"
    path = tmp_path / "extra.csv"
    path.write_bytes(b"\n".join([",".join([*NAMES, "note"]).encode()] + [b",".join(cells) for cells in rows]) + b"\n")
    assert_same(jena_csv.read_csv(path), reference)


def arrow_invalid(message: str) -> Exception:
    import pyarrow as pa

    return pa.ArrowInvalid(message)


@pytest.mark.parametrize("error", [
    lambda: UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
    lambda: arrow_invalid("CSV parse error: Row #3: Expected 15 columns, got 9"),
    lambda: pd.errors.ParserError("Error tokenizing data. C error: Expected 15 fields in line 4, saw 9"),
    lambda: TypeError("something pandas does not take"),
])
def test_any_error_of_the_careful_parser_names_the_line_of_the_stray_byte(tmp_path, monkeypatch, error):
    path = stray(tmp_path, "careful.csv", row=2, cut=None, byte=b"\xff")

    def fail(*args, **kwargs):
        raise error()

    monkeypatch.setattr(pd, "read_csv", fail)
    message = refused(path)
    assert f"{path}, line 4: " in message and "Line 4 holds the byte 0xFF, which is not UTF-8 text" in message


def test_error_of_the_careful_parser_without_a_stray_byte_names_pyarrows_row(tmp_path, monkeypatch):
    path = keras_csv(tmp_path / "k.csv")
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n")  # row 3 stands on line 5

    def fail(*args, **kwargs):
        raise arrow_invalid("CSV parse error: Row #3: Expected 15 columns, got 9: ...")

    monkeypatch.setattr(jena_csv, "_read_fast", fail)
    monkeypatch.setattr(pd, "read_csv", fail)
    message = refused(path)
    assert f"{path}, line 5: CSV parse error: Row #3: Expected 15 columns, got 9: ... Fix that line" in message


@pytest.mark.parametrize("error", ["ArrowNotImplementedError", "ArrowTypeError", "ArrowKeyError", "ArrowIndexError"])
def test_any_arrow_error_of_the_fast_parser_is_refused(tmp_path, monkeypatch, error):
    import pyarrow as pa

    path = stray(tmp_path, "fast.csv", row=2, cut=60, byte=b"\xff")

    def fail(raw, dialect):
        raise getattr(pa, error)("something pyarrow does not take")

    monkeypatch.setattr(jena_csv, "_read_fast", fail)
    assert f"{path}, line 4: 9 cells where the header has 15." in refused(path)


def test_running_out_of_memory_is_not_blamed_on_the_file(tmp_path, monkeypatch):
    import pyarrow as pa

    def fail(raw, dialect):
        raise pa.ArrowMemoryError("malloc of size 1048576 failed")

    monkeypatch.setattr(jena_csv, "_read_fast", fail)
    with pytest.raises(pa.ArrowMemoryError):
        jena_csv.read_csv(keras_csv(tmp_path / "k.csv"))
