"""The Jena weather record: find the CSV, split in time, normalize, cut windows.

Reading and cleaning the CSV is :mod:`seqcnn.jena_csv`; its :func:`read_csv`,
:class:`Weather`, :class:`LoadReport`, :data:`FEATURES` and :data:`TEMPERATURE`
are also available here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from seqcnn import data
from seqcnn.jena_csv import FEATURES, TEMPERATURE, LoadReport, Weather, read_csv
from seqcnn.runtime import quiet_environment, seeded, set_seed

quiet_environment()  # TensorFlow's log settings must be in place before Keras loads it.

import keras  # noqa: E402

from seqcnn import training  # noqa: E402

__all__ = [
    "FEATURES",
    "TEMPERATURE",
    "JENA_CSV_ENV",
    "JENA_FULL_ENV",
    "Weather",
    "LoadReport",
    "read_csv",
    "locate_csv",
    "split_bounds",
    "rows_needed",
    "Normalizer",
    "window_rows",
    "WindowCutter",
    "windows",
    "baseline_mae",
    "WindowBatches",
    "Prepared",
    "Splits",
    "PATIENCE",
    "fit_forecaster",
    "prepare",
]

#: Environment variable naming a specific CSV file for the Jena chapters.
JENA_CSV_ENV = "SEQCNN_JENA_CSV"
#: Environment variable: ``1`` makes the chapters read all eight years of the Keras file, not the book's two.
JENA_FULL_ENV = "SEQCNN_JENA_FULL"


def locate_csv(full: bool | None = None) -> Path:
    """The Jena CSV for the chapters: by default the book's own data, the first two years of the Keras file.

    ``$SEQCNN_JENA_CSV`` names a specific file (any CSV that :func:`read_csv`
    accepts), read whole. Otherwise the chapters read the first two years
    (2009 and 2010) of the Keras file ``jena_climate_2009_2016.csv``, byte for
    byte the rows the book was executed on (:data:`seqcnn.data.JENA_BOOK`,
    found or cut from the Keras file and checked by its sha256, see
    :func:`seqcnn.data.locate_excerpt`), so that a reader's numbers fall in
    the book's bands. ``full=True``, or ``$SEQCNN_JENA_FULL=1``, reads all
    eight years instead.

    Parameters
    ----------
    full : bool, optional
        Read the whole Keras file; ``None`` means "if ``$SEQCNN_JENA_FULL`` is ``1``".

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
        data.note_read(path, path.name)
        return path
    if full is None:
        full = os.environ.get(JENA_FULL_ENV, "").strip() == "1"
    try:
        return data.locate(data.JENA) if full else data.locate_excerpt(data.JENA_BOOK)
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


def rows_needed(span: int, fractions: tuple[float, ...] = (0.5, 0.25, 0.25)) -> int:
    """The fewest rows for which every part of :func:`split_bounds` holds a window and its target.

    A part holds one if it is longer than ``span``, the window's length plus
    the delay of its target.

    Examples
    --------
    >>> rows_needed(1440 + 144)  # 10-day windows, 24 hours ahead: about 44 days
    6340
    >>> [end - start for start, end in split_bounds(6340)]
    [3170, 1585, 1585]
    """
    n = max(len(fractions), int((span + 1) / min(fractions)) - len(fractions))
    while any(end - start <= span for start, end in split_bounds(n, fractions)):
        n += 1
    return n


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
        Seed of the row draws (plus ``SEQCNN_SEED_OFFSET``, see :mod:`seqcnn.runtime`).
    relative : bool, default False
        Forecast the change instead of the level (see :func:`windows`).
    workers : int, default 2
        Threads that prepare batches ahead of the model (Keras' ``PyDataset``
        workers); the batches are the same with any number.

    Examples
    --------
    >>> values = np.arange(40.0).reshape(20, 2)
    >>> batches = WindowBatches(values, np.arange(4, 18), lookback=4, step=2, delay=2, batch_size=8)
    >>> len(batches), batches[0][0].shape, batches[1][1].shape
    (2, (8, 2, 2), (6,))
    """

    def __init__(self, values, rows, lookback, step, delay, batch_size=128, shuffle=False, steps=None, seed=0,
                 relative=False, workers=2):
        # Threads that cut the next batches while the model trains on this one. The batches and their
        # order are the same with any number (each is a function of its index; an epoch's rows are
        # drawn before it starts), so the numbers are too; two overlap the cutting with the training.
        super().__init__(workers=workers, use_multiprocessing=False)
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
        self._rng = np.random.default_rng(seeded(self.seed))
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
        if not all(len(part) for part in rows):
            found = len(self.values)
            fractions = tuple((end - start) / found for start, end in self.bounds)
            needed = rows_needed((align_to or lookback) + delay, fractions)
            where = self.weather.path if self.weather is not None else "The series"
            raise data.DataError(
                f"{where} has too few rows for this split and window: {found:,} rows found, {needed:,} needed "
                f"for every part to hold a window of {align_to or lookback} rows and a target {delay} rows after "
                "it. Use a longer file, or shorter windows."
            )
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


#: Epochs without a better validation MAE after which :func:`fit_forecaster` stops. In the book's 20-epoch
#: runs every Jena model reached its best validation MAE within 3 epochs of its previous best (chapter 4).
PATIENCE = 3


def fit_forecaster(build: Callable[..., keras.Model], splits: Splits, epochs: int, seed: int = 42,
                   patience: int | None = PATIENCE, verbose_log: bool = True) -> tuple[keras.Model, training.Run]:
    """Build a fresh forecaster from ``seed``, train it as the 2020 notes do (RMSprop, MAE loss), keep its best epoch.

    Training stops once the validation MAE has not improved for ``patience``
    epochs, after ``epochs`` at the latest, and the model keeps the weights
    of its best validation epoch (:func:`seqcnn.training.best_checkpoint`,
    Keras' ``EarlyStopping(restore_best_weights=True)``): the model to test
    is the one validation chose, not the last epoch's.

    Parameters
    ----------
    build : callable
        A model builder taking ``features=`` (e.g. :func:`seqcnn.models.jena_convnet`).
    splits : Splits
        Training and validation batches (see :meth:`Prepared.batches`).
    epochs : int
        The most epochs to train, of ``len(splits.train)`` batches each.
    seed : int, default 42
        Seed of the weights' initialization and of the dropout (plus
        ``SEQCNN_SEED_OFFSET``, see :func:`seqcnn.runtime.set_seed`).
    patience : int or None, default PATIENCE
        Epochs without a better validation MAE before training stops;
        ``None`` trains all ``epochs`` (still keeping the best epoch's weights).
    verbose_log : bool, default True
        Print one line per epoch, and where training stopped and which epoch it kept.

    Returns
    -------
    (keras.Model, seqcnn.training.Run)
        The trained model, with the weights of its best validation epoch
        (``run.best_epoch("val_loss")``), and its per-epoch metrics and seconds.

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
    set_seed(seed)
    splits.train.restart()  # the same batches whichever model was trained on these splits before
    model = build(features=splits.train.values.shape[1])
    model.compile(optimizer=keras.optimizers.RMSprop(), loss="mae")
    best = training.best_checkpoint(patience, epochs)
    run = training.fit(model, splits.train, validation_data=splits.validation, epochs=epochs, callbacks=[best],
                       verbose_log=verbose_log)
    return model, run


def prepare(path: str | Path | None = None, fractions: tuple[float, ...] = (0.5, 0.25, 0.25),
            full: bool | None = None) -> Prepared:
    """Read a Jena CSV, split it in time, normalize it with the training part only.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The CSV; :func:`locate_csv` by default (the book's two years of the Keras file).
    fractions : tuple of float, default (0.5, 0.25, 0.25)
        Training, validation and test shares, in time order.
    full : bool, optional
        Without ``path``: read all eight years of the Keras file (see :func:`locate_csv`).

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
    weather = read_csv(path if path is not None else locate_csv(full))
    bounds = split_bounds(len(weather.values), fractions)
    if min(end - start for start, end in bounds) < 1:
        raise data.DataError(f"{weather.path} has too few rows to split: {len(weather.values)} rows found, "
                             f"{rows_needed(0, fractions)} needed. Use a longer file.")
    normalizer = Normalizer.fit(weather.values[slice(*bounds[0])])
    return Prepared(weather, bounds, normalizer, normalizer(weather.values))
