"""The Jena weather record: read the CSV, split in time, normalize, cut windows.

The Keras file ``jena_climate_2009_2016.csv`` and the station's newer
``mpi_roof_*.csv`` files share their first 15 columns: a timestamp and 14
measurements. :func:`read_csv` reads either by column name and keeps the 14
Keras features, in the Keras order.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from seqcnn import data
from seqcnn.runtime import quiet_environment

quiet_environment()  # TensorFlow's log settings must be in place before Keras loads it.

import keras  # noqa: E402

from seqcnn import training  # noqa: E402

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
    "WindowCutter",
    "windows",
    "baseline_mae",
    "WindowBatches",
    "Prepared",
    "Splits",
    "fit_forecaster",
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
_TIME_FORMAT = "%d.%m.%Y %H:%M:%S"


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
    path = Path(path)
    with open(path, encoding="latin-1", newline="") as file:
        header = _split_header(file.readline())
    missing = [name for name in (_TIME, *FEATURES) if name not in header]
    if missing:
        raise data.DataError(
            f"{path} lacks the column(s) {', '.join(repr(m) for m in missing)}: a Jena weather CSV needs "
            f"{_TIME!r} and the 14 Keras features. Its header has: {', '.join(header)}."
        )
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
    return Weather(path, times, values)


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


class WindowCutter:
    """Cut windows ``values[s : s + lookback : step]`` of one series, fast.

    A window keeps one row in ``step``, so its rows all share the same phase
    ``s % step``. The cutter stores the series once per phase, each phase
    contiguous (``values[p::step]``), so that every window is one contiguous
    block of memory: cutting a batch is then a single fancy-indexing copy of
    whole blocks, instead of gathering ``lookback // step`` separate rows per
    window.

    Parameters
    ----------
    values : numpy.ndarray
        ``(time, features)`` array.
    lookback, step : int
        Window length in rows and sampling step.

    Examples
    --------
    >>> values = np.arange(20.0).reshape(10, 2)  # row r holds [2r, 2r + 1]
    >>> cut = WindowCutter(values, lookback=4, step=2)
    >>> cut(np.array([0, 3])).tolist()  # rows 0, 2 and rows 3, 5
    [[[0.0, 1.0], [4.0, 5.0]], [[6.0, 7.0], [10.0, 11.0]]]
    >>> cut(np.array([6, 8]))  # rows 6, 8 fit; rows 8, 10 do not
    Traceback (most recent call last):
    ...
    IndexError: windows of 4 rows starting at [8] do not fit in 10 rows
    """

    def __init__(self, values: np.ndarray, lookback: int, step: int):
        from numpy.lib.stride_tricks import sliding_window_view

        if lookback % step:
            raise ValueError(f"lookback ({lookback}) must be a multiple of step ({step})")
        self.lookback, self.step, self.length = lookback, step, lookback // step
        self.n_rows, features = values.shape
        per_phase = -(-self.n_rows // step)  # rows of the longest phase; the others get one padding row
        padded = np.zeros((per_phase * step, features), dtype=values.dtype)
        padded[: self.n_rows] = values
        # phases[p, i] = values[i * step + p]: each phase contiguous
        phases = np.ascontiguousarray(padded.reshape(per_phase, step, features).swapaxes(0, 1))
        # blocks[p, i] = phases[p, i : i + length], flattened: the window starting at row i * step + p
        flat = phases.reshape(step, per_phase * features)
        self._blocks = sliding_window_view(flat, self.length * features, axis=1)[:, ::features]
        self._shape = (self.length, features)

    def __call__(self, starts: np.ndarray) -> np.ndarray:
        """The windows starting at rows ``starts``, as a new ``(len(starts), lookback // step, features)`` array."""
        starts = np.asarray(starts)
        outside = (starts < 0) | (starts + self.lookback - self.step >= self.n_rows)  # never read the padding
        if outside.any():
            bad = starts[outside]
            raise IndexError(f"windows of {self.lookback} rows starting at {bad.tolist()[:5]} do not fit in "
                             f"{self.n_rows} rows")
        index, phase = np.divmod(starts, self.step)
        return self._blocks[phase, index].reshape(len(starts), *self._shape)


def windows(
    values: np.ndarray,
    rows: np.ndarray,
    lookback: int,
    step: int,
    delay: int,
    target_column: int = TEMPERATURE,
    relative: bool = False,
    cutter: WindowCutter | None = None,
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
    cutter : WindowCutter, optional
        A :class:`WindowCutter` of ``values`` for this ``lookback`` and
        ``step``, to reuse across calls (one is made otherwise).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Samples ``(len(rows), lookback // step, features)`` and targets
        ``(len(rows),)``.

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
    rows = np.asarray(rows)
    cutter = cutter or WindowCutter(values, lookback, step)
    samples = cutter(rows - lookback)
    targets = values[rows + delay, target_column]
    if relative:
        last = samples[:, -1:, :].copy()
        samples -= last
        return samples, targets - last[:, 0, target_column]
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
        self.seed = seed
        self.restart()
        self._cutter = WindowCutter(values, lookback, step)

    def restart(self) -> None:
        """Draw again from the seed: the next epoch sees the same batches as the first one did."""
        self._rng = np.random.default_rng(self.seed)
        self._order = self._draw()

    def _draw(self) -> np.ndarray:
        if not self.shuffle:
            return self.rows
        return self._rng.choice(self.rows, size=self.steps * self.batch_size, replace=True)

    def __len__(self) -> int:
        return self.steps if self.shuffle else -(-len(self.rows) // self.batch_size)

    def __getitem__(self, index):
        rows = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        return windows(self.values, rows, self.lookback, self.step, self.delay, relative=self.relative,
                       cutter=self._cutter)

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

    def batches(self, lookback: int, step: int, delay: int = 144, batch_size: int = 128, steps: int = 500,
                seed: int = 0, relative: bool = False, align_to: int | None = None) -> Splits:
        """Training, validation and test batches of windows, for one window setting.

        Training draws ``steps`` random batches per epoch (seeded); validation
        and test walk all their rows once, in order. The arguments are those of
        :class:`WindowBatches`, and ``align_to`` (at least ``lookback``) takes
        the rows of windows that long instead: windows of different lengths
        then forecast exactly the same targets, so their errors compare.

        Examples
        --------
        >>> values = np.zeros((100, len(FEATURES)), dtype="float32")
        >>> prepared = Prepared(None, split_bounds(100), None, values)
        >>> splits = prepared.batches(lookback=12, step=3, delay=2, batch_size=4, steps=5)
        >>> len(splits.train), len(splits.validation), splits.test.rows.tolist()
        (5, 3, [87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97])
        >>> prepared.batches(lookback=6, step=3, delay=2, align_to=12).test.rows.tolist()[:3]
        [87, 88, 89]
        """
        if align_to is not None and align_to < lookback:
            raise ValueError(f"align_to ({align_to}) must be at least lookback ({lookback})")
        rows = [self.rows(part, align_to or lookback, delay) for part in range(3)]
        common = dict(lookback=lookback, step=step, delay=delay, batch_size=batch_size, relative=relative)
        return Splits(
            WindowBatches(self.values, rows[0], shuffle=True, steps=steps, seed=seed, **common),
            WindowBatches(self.values, rows[1], **common),
            WindowBatches(self.values, rows[2], **common),
        )


class Splits(NamedTuple):
    """The batches of one window setting, for each part of the record."""

    train: WindowBatches
    validation: WindowBatches
    test: WindowBatches


def fit_forecaster(build: Callable[..., keras.Model], splits: Splits, epochs: int, seed: int = 42,
                   verbose_log: bool = True) -> tuple[keras.Model, training.Run]:
    """Build a fresh forecaster from ``seed`` and train it as the 2020 notes do: RMSprop, MAE loss.

    Parameters
    ----------
    build : callable
        A model builder taking ``features=`` (e.g. :func:`seqcnn.models.jena_convnet`).
    splits : Splits
        Training and validation batches (see :meth:`Prepared.batches`).
    epochs : int
        Epochs of ``len(splits.train)`` batches each.
    seed : int, default 42
        Seed of the weights' initialization and of the dropout.
    verbose_log : bool, default True
        Print one line per epoch.

    Returns
    -------
    (keras.Model, seqcnn.training.Run)
        The trained model (weights of the last epoch) and its per-epoch
        metrics and seconds.

    Examples
    --------
    >>> values = np.random.default_rng(0).normal(size=(200, len(FEATURES))).astype("float32")
    >>> splits = Prepared(None, split_bounds(200), None, values).batches(12, 3, delay=2, steps=2, batch_size=8)
    >>> def tiny(features):
    ...     return keras.Sequential([keras.Input((None, features)), keras.layers.GlobalAveragePooling1D(),
    ...                              keras.layers.Dense(1)])
    >>> model, run = fit_forecaster(tiny, splits, epochs=2, verbose_log=False)
    >>> sorted(run.history), len(run.epoch_seconds)
    (['loss', 'val_loss'], 2)
    """
    keras.utils.set_random_seed(seed)
    splits.train.restart()  # the same batches whichever model was trained on these splits before
    model = build(features=splits.train.values.shape[1])
    model.compile(optimizer=keras.optimizers.RMSprop(), loss="mae")
    run = training.fit(model, splits.train, validation_data=splits.validation, epochs=epochs, verbose_log=verbose_log)
    return model, run


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
