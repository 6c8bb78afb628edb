"""The Jena weather record: read the CSV, split in time, normalize, cut windows.

The Keras file ``jena_climate_2009_2016.csv`` and the station's newer
``mpi_roof_*.csv`` files share their first 15 columns: a timestamp and 14
measurements. :func:`read_csv` reads either by column name and keeps the 14
Keras features, in the Keras order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seqcnn import data
from seqcnn.runtime import quiet_environment

quiet_environment()  # TensorFlow's log settings must be in place before Keras loads it.

import keras  # noqa: E402

__all__ = [
    "FEATURES",
    "TEMPERATURE",
    "JENA_CSV_ENV",
    "Weather",
    "read_csv",
    "locate_csv",
    "split_bounds",
    "Normalizer",
    "window_rows",
    "windows",
    "baseline_mae",
    "WindowBatches",
    "Prepared",
    "prepare",
]

#: The 14 measurements of the Keras file, in its order.
FEATURES = (
    "p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)", "VPmax (mbar)", "VPact (mbar)",
    "VPdef (mbar)", "sh (g/kg)", "H2OC (mmol/mol)", "rho (g/m**3)", "wv (m/s)", "max. wv (m/s)", "wd (deg)",
)  # fmt: skip
#: Column index of the temperature among :data:`FEATURES`.
TEMPERATURE = FEATURES.index("T (degC)")
#: Environment variable naming a specific CSV file for the Jena chapters.
JENA_CSV_ENV = "SEQCNN_JENA_CSV"
_TIME = "Date Time"


@dataclass(frozen=True)
class Weather:
    """Measurements of one CSV file: ``values[i]`` was taken at ``times[i]``."""

    path: Path
    times: np.ndarray
    values: np.ndarray

    @property
    def temperature(self) -> np.ndarray:
        """The ``T (degC)`` column."""
        return self.values[:, TEMPERATURE]


def _split_header(line: str) -> list[str]:
    return [name.strip().strip('"') for name in line.rstrip("\r\n").split(",")]


def read_csv(path: str | Path) -> Weather:
    """Read a Jena weather CSV (Keras or ``mpi_roof`` format) by column name.

    The header may be Latin-1 (the ``mpi_roof`` files write ``²`` and ``µ``
    in extra columns) and lines may end in CRLF. Extra columns are ignored.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    Weather
        Timestamps (``datetime64[m]``) and a float32 array of the 14
        :data:`FEATURES`, in that order.

    Raises
    ------
    seqcnn.data.DataError
        If a feature column is missing (naming the columns and the file) or a
        cell is not a number (naming the line, the column and the value).

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
    import pandas as pd

    path = Path(path)
    with open(path, encoding="latin-1", newline="") as file:
        header = _split_header(file.readline())
    missing = [name for name in (_TIME, *FEATURES) if name not in header]
    if missing:
        raise data.DataError(
            f"{path} lacks the column(s) {', '.join(repr(m) for m in missing)}: a Jena weather CSV needs "
            f"{_TIME!r} and the 14 Keras features. Its header has: {', '.join(header)}."
        )
    table = pd.read_csv(path, encoding="latin-1", usecols=[_TIME, *FEATURES], na_filter=False)
    for col, name in enumerate(FEATURES):
        if table[name].dtype.kind not in "fi":  # pandas kept text: some cell is not a number
            numbers = pd.to_numeric(table[name], errors="coerce")
            row = int(np.flatnonzero(numbers.isna())[0])
            raise data.DataError(
                f"{path}, line {row + 2}: column {name!r} holds {table[name].iloc[row]!r}, "
                "not a number. Fix or remove that line."
            )
    # C order: one time step's 14 features side by side, so that windows copy contiguous rows.
    values = np.ascontiguousarray(table[list(FEATURES)].to_numpy(dtype="float32"))
    if not np.isfinite(values).all():  # "inf" parses as a number
        row, col = np.argwhere(~np.isfinite(values))[0]
        raise data.DataError(
            f"{path}, line {row + 2}: column {FEATURES[col]!r} holds {values[row, col]}, not a finite number. "
            "Fix or remove that line."
        )
    times = pd.to_datetime(table[_TIME], format="%d.%m.%Y %H:%M:%S").to_numpy().astype("datetime64[m]")
    return Weather(path, times, values)


def locate_csv() -> Path:
    """The Jena CSV for the chapters.

    ``$SEQCNN_JENA_CSV`` names a specific file (any CSV that :func:`read_csv`
    accepts); otherwise the Keras file ``jena_climate_2009_2016.csv`` is found
    with :func:`seqcnn.data.locate`.

    Returns
    -------
    pathlib.Path
        The file to read.

    Raises
    ------
    seqcnn.data.DataError
        If ``$SEQCNN_JENA_CSV`` names no file, or no file is found (the
        message says where it looked and how to point at a file).

    Examples
    --------
    >>> import tempfile
    >>> csv = Path(tempfile.mkdtemp()) / "weather.csv"
    >>> _ = csv.write_text("x")
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {JENA_CSV_ENV: str(csv)}):  # restores the environment after
    ...     locate_csv() == csv
    True
    """
    chosen = os.environ.get(JENA_CSV_ENV)
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise data.DataError(f"{JENA_CSV_ENV} is set to {chosen}, which is not a file. Fix or unset it.")
        return path
    try:
        return data.locate(data.JENA)
    except data.DataNotFoundError as err:
        raise data.DataNotFoundError(
            f"{err}\nOr set {JENA_CSV_ENV} to the absolute path of another Jena weather CSV "
            "(for example an mpi_roof_*.csv export of the station)."
        ) from None


def split_bounds(n: int, fractions: tuple[float, ...] = (0.5, 0.25, 0.25)) -> list[tuple[int, int]]:
    """Consecutive ``[start, end)`` row ranges covering ``range(n)`` in the given proportions.

    Parameters
    ----------
    n : int
        Number of rows.
    fractions : tuple of float, default (0.5, 0.25, 0.25)
        Proportions of each part, in time order; they must add up to 1.

    Returns
    -------
    list of (int, int)
        One range per part.

    Examples
    --------
    >>> split_bounds(420_551)
    [(0, 210276), (210276, 315413), (315413, 420551)]
    """
    if not np.isclose(sum(fractions), 1.0) or min(fractions) <= 0:
        raise ValueError(f"fractions must be positive and add up to 1, got {fractions}")
    edges = [0, *(round(n * c) for c in np.cumsum(fractions)[:-1]), n]
    return list(zip(edges[:-1], edges[1:]))


@dataclass(frozen=True)
class Normalizer:
    """Per-feature standardization with statistics of the training rows only.

    Examples
    --------
    >>> values = np.array([[1.0, 10.0], [3.0, 30.0], [100.0, 0.0]])
    >>> norm = Normalizer.fit(values[:2])
    >>> norm(values)[:, 0].tolist()
    [-1.0, 1.0, 98.0]
    >>> float(norm.inverse(1.0, feature=1))
    30.0
    """

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, train_values: np.ndarray) -> Normalizer:
        """Mean and standard deviation of each column of ``train_values``."""
        std = train_values.std(axis=0)
        return cls(train_values.mean(axis=0), np.where(std > 0, std, 1.0))

    def __call__(self, values: np.ndarray) -> np.ndarray:
        """``(values - mean) / std``, as float32."""
        return np.ascontiguousarray((values - self.mean) / self.std, dtype="float32")

    def inverse(self, normalized, feature: int = TEMPERATURE):
        """Back to the units of one feature."""
        return np.asarray(normalized) * self.std[feature] + self.mean[feature]

    def scale(self, normalized_error, feature: int = TEMPERATURE):
        """A normalized error (an MAE, say) in the units of one feature."""
        return np.asarray(normalized_error) * self.std[feature]


def window_rows(start: int, end: int, lookback: int, delay: int) -> np.ndarray:
    """Rows ``r`` for which a window ``[r - lookback, r)`` and a target ``r + delay`` fit in ``[start, end)``.

    These are the rows of the 2020 notes' generator for ``min_index=start``:
    the window ends just before ``r`` and the target is ``delay`` rows after it.

    Examples
    --------
    >>> window_rows(0, 10, lookback=4, delay=2).tolist()
    [4, 5, 6, 7]
    """
    return np.arange(start + lookback, end - delay)


def windows(
    values: np.ndarray,
    rows: np.ndarray,
    lookback: int,
    step: int,
    delay: int,
    target_column: int = TEMPERATURE,
    relative: bool = False,
):
    """Windows and targets for the given rows, as numpy arrays, vectorized.

    Sample ``i`` is ``values[rows[i] - lookback : rows[i] : step]`` and its
    target ``values[rows[i] + delay, target_column]``. With ``relative=True``
    every window has its last step subtracted and the target is the change
    from that step (the model then forecasts the change, not the level).

    Parameters
    ----------
    values : numpy.ndarray
        ``(time, features)`` array (normalized).
    rows : numpy.ndarray
        One row index per sample (see :func:`window_rows`).
    lookback, step, delay : int
        Window length in rows, sampling step, and how far ahead the target is.
    target_column : int, default TEMPERATURE
        Feature to forecast.
    relative : bool, default False
        Forecast the change instead of the level.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Samples ``(len(rows), lookback // step, features)`` (a read-only
        strided view unless ``relative``) and targets ``(len(rows),)``.

    Examples
    --------
    >>> values = np.arange(20.0).reshape(10, 2)  # row r holds [2r, 2r + 1]
    >>> x, y = windows(values, np.array([4, 5]), lookback=4, step=2, delay=1, target_column=1)
    >>> x[0].tolist(), y.tolist()
    ([[0.0, 1.0], [4.0, 5.0]], [11.0, 13.0])
    >>> x, y = windows(values, np.array([4]), lookback=4, step=2, delay=1, target_column=1, relative=True)
    >>> x[0].tolist(), y.tolist()
    ([[-4.0, -4.0], [0.0, 0.0]], [6.0])
    """
    from numpy.lib.stride_tricks import sliding_window_view

    rows = np.asarray(rows)
    length = lookback // step
    # all_windows[s] = values[s : s + lookback : step] for every start s (a view, no copy)
    all_windows = sliding_window_view(values, (lookback, values.shape[1]))[:, 0, ::step, :]
    samples = all_windows[rows - lookback]
    targets = values[rows + delay, target_column]
    assert samples.shape[1] == length
    if relative:
        last = samples[:, -1:, :]
        return samples - last, targets - last[:, 0, target_column]
    return samples, targets


def baseline_mae(values: np.ndarray, rows: np.ndarray, step: int, delay: int, target_column: int = TEMPERATURE) -> float:
    """Mean absolute error of the common-sense forecast: "in ``delay`` rows it will be as now".

    "Now" is the last step of each window, row ``r - step``, as in the 2020
    notes (``samples[:, -1, 1]``).

    Examples
    --------
    >>> values = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> baseline_mae(values, np.array([1, 2]), step=1, delay=1, target_column=0)  # |3-0| and |6-1|
    4.0
    """
    rows = np.asarray(rows)
    return float(np.abs(values[rows + delay, target_column] - values[rows - step, target_column]).mean())


class WindowBatches(keras.utils.PyDataset):
    """Batches of ``(windows, targets)`` cut on the fly, for ``model.fit`` and ``model.evaluate``.

    With ``shuffle=True`` each epoch draws ``steps`` batches of rows uniformly
    at random, with replacement, like the 2020 notes' training generator
    (seeded). With ``shuffle=False`` every row is used once, in order.

    Parameters
    ----------
    values : numpy.ndarray
        The normalized ``(time, features)`` series.
    rows : numpy.ndarray
        Candidate rows (see :func:`window_rows`).
    lookback, step, delay : int
        As in :func:`windows`.
    batch_size : int, default 128
        Samples per batch.
    shuffle : bool, default False
        Draw random rows (training) or walk all rows in order (evaluation).
    steps : int, optional
        Batches per epoch when shuffling (required then).
    seed : int, default 0
        Seed of the row draws.
    relative : bool, default False
        Forecast the change instead of the level (see :func:`windows`).

    Examples
    --------
    >>> values = np.arange(40.0).reshape(20, 2)
    >>> batches = WindowBatches(values, np.arange(4, 18), lookback=4, step=2, delay=2, batch_size=8)
    >>> len(batches), batches[0][0].shape, batches[1][1].shape
    (2, (8, 2, 2), (6,))
    """

    def __init__(self, values, rows, lookback, step, delay, batch_size=128, shuffle=False, steps=None, seed=0,
                 relative=False):
        super().__init__()
        if shuffle and not steps:
            raise ValueError("steps (batches per epoch) is required with shuffle=True")
        self.values, self.rows = values, np.asarray(rows)
        self.lookback, self.step, self.delay, self.relative = lookback, step, delay, relative
        self.batch_size, self.shuffle, self.steps = batch_size, shuffle, steps
        self._rng = np.random.default_rng(seed)
        self._order = self._draw()

    def _draw(self) -> np.ndarray:
        if not self.shuffle:
            return self.rows
        return self._rng.choice(self.rows, size=self.steps * self.batch_size, replace=True)

    def __len__(self) -> int:
        return self.steps if self.shuffle else -(-len(self.rows) // self.batch_size)

    def __getitem__(self, index):
        rows = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        x, y = windows(self.values, rows, self.lookback, self.step, self.delay, relative=self.relative)
        return np.ascontiguousarray(x), y

    def on_epoch_end(self):
        self._order = self._draw()


@dataclass(frozen=True)
class Prepared:
    """A weather record split in time and normalized with its training part's statistics."""

    weather: Weather
    bounds: list[tuple[int, int]]
    normalizer: Normalizer
    values: np.ndarray

    def rows(self, part: int, lookback: int, delay: int) -> np.ndarray:
        """Window rows of part ``part`` (0 train, 1 validation, 2 test); see :func:`window_rows`."""
        return window_rows(*self.bounds[part], lookback, delay)


def prepare(path: str | Path | None = None, fractions: tuple[float, ...] = (0.5, 0.25, 0.25)) -> Prepared:
    """Read a Jena CSV, split it in time, normalize it with the training part only.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The CSV; :func:`locate_csv` by default.
    fractions : tuple of float, default (0.5, 0.25, 0.25)
        Training, validation and test shares, in time order.

    Returns
    -------
    Prepared
        The record, the row ranges of the parts, the normalizer and the
        normalized values.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "tiny.csv"
    >>> rows = [f"01.01.2009 00:{i}0:00," + ",".join([str(i)] * 14) for i in range(4)]
    >>> _ = path.write_text("\\n".join(["Date Time," + ",".join(FEATURES), *rows]))
    >>> prepared = prepare(path)
    >>> prepared.bounds, prepared.values[:, TEMPERATURE].tolist()
    ([(0, 2), (2, 3), (3, 4)], [-1.0, 1.0, 3.0, 5.0])
    """
    weather = read_csv(path if path is not None else locate_csv())
    bounds = split_bounds(len(weather.values), fractions)
    normalizer = Normalizer.fit(weather.values[slice(*bounds[0])])
    return Prepared(weather, bounds, normalizer, normalizer(weather.values))
