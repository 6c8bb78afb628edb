"""Benchmark: seqcnn's Jena loader and window cutter against the 2020 notes, pandas and Keras.

Run it with::

    python -m seqcnn.benchmark            # the chapters' CSV (see seqcnn.jena.locate_csv)
    python -m seqcnn.benchmark FILE.csv

Every method works on the same file, or on the same windows, in the same
process, and each is timed best of several runs taking turns (:func:`best_times`).

- **Loading** the CSV: the notes' Python loop (:func:`notes_parse`), what a
  reader would write with pandas (:func:`pandas_parse`) and
  :func:`seqcnn.jena.read_csv`.
- **Windowing**: the same consecutive windows (same rows, lookback, step and
  batch size) cut by the notes' generator (:func:`notes_generator`), by
  ``keras.utils.timeseries_dataset_from_array`` iterated to numpy batches
  (:func:`keras_dataset`) and by :class:`seqcnn.jena.WindowBatches`.
- **Memory-copy limit**: bytes of windows per second that
  :class:`seqcnn.jena.WindowCutter` produces on random training batches,
  against a plain ``numpy`` copy of the same bytes (:func:`copy_rate`).

The notes' code is re-implemented here from its description (a Python loop
that splits each line and calls ``float`` on every cell; a generator that
fills each sample with ``data[range(row - lookback, row, step)]``), so that
the comparison and the tests have one reference.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seqcnn import jena  # sets TensorFlow's log level before Keras loads it

import keras  # after seqcnn.jena, which quiets TensorFlow (keep this order)

__all__ = [
    "TARGETS",
    "METHODS",
    "LABELS",
    "notes_parse",
    "pandas_parse",
    "notes_generator",
    "keras_dataset",
    "best_time",
    "best_times",
    "copy_rate",
    "Results",
    "run",
    "meets_targets",
    "format_table",
    "format_copy",
    "main",
]

#: Speedups the course asks of seqcnn over the 2020 notes' code.
TARGETS = {"loading": 10.0, "windowing": 20.0}
#: The methods timed for each task; seqcnn is compared with the others.
METHODS = {"loading": ("notes", "pandas", "seqcnn"), "windowing": ("notes", "keras", "seqcnn")}
#: How tables and figures name the methods.
LABELS = {"notes": "2020 notes", "pandas": "pandas", "keras": "Keras", "seqcnn": "seqcnn"}


def notes_parse(path: str | Path) -> np.ndarray:
    """The 2020 notes' parsing loop: every column after the first, as floats.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("Date Time,a,b\\r\\n01.01.2009 00:10:00,1.5,2\\r\\n")
    >>> notes_parse(path).tolist()
    [[1.5, 2.0]]
    """
    with open(path, encoding="latin-1") as file:
        text = file.read()
    lines = [line for line in text.split("\n") if line]  # the notes' file had no trailing empty line
    header = lines[0].split(",")
    lines = lines[1:]
    float_data = np.zeros((len(lines), len(header) - 1))
    for i, line in enumerate(lines):
        float_data[i, :] = [float(x) for x in line.split(",")[1:]]
    return float_data


def pandas_parse(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """What a reader would write with pandas: timestamps and the 14 :data:`~seqcnn.jena.FEATURES` as float32.

    ``pd.read_csv`` of the whole file (Latin-1, which the ``mpi_roof`` files'
    header needs and which reads the Keras file's ASCII unchanged), then
    ``pd.to_datetime`` of the ``Date Time`` column with its format, and the
    feature columns by name.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> header = "Date Time," + ",".join(jena.FEATURES)
    >>> _ = path.write_text(header + "\\n01.01.2009 00:10:00," + ",".join(map(str, range(14))) + "\\n")
    >>> times, values = pandas_parse(path)
    >>> str(times[0].astype("datetime64[s]")), values.dtype, values[:, jena.TEMPERATURE].tolist()
    ('2009-01-01T00:10:00', dtype('float32'), [1.0])
    """
    import pandas as pd

    table = pd.read_csv(path, encoding="latin-1")
    times = pd.to_datetime(table["Date Time"], format="%d.%m.%Y %H:%M:%S")
    return times.to_numpy(), table[list(jena.FEATURES)].to_numpy(np.float32)


def notes_generator(
    data: np.ndarray,
    lookback: int,
    delay: int,
    min_index: int,
    max_index: int | None,
    shuffle: bool = False,
    batch_size: int = 128,
    step: int = 6,
    rng: np.random.Generator | None = None,
    target_column: int = 1,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The 2020 notes' window generator, yielding ``(rows, samples, targets)``.

    Sequential mode walks the rows from ``min_index + lookback`` in batches
    and starts over when the next batch would reach ``max_index``; shuffle
    mode draws ``batch_size`` rows uniformly from ``[min_index + lookback,
    max_index)``. Sample ``j`` is ``data[range(row - lookback, row, step)]``,
    filled one at a time; its target is ``data[row + delay][target_column]``
    (column 1, the temperature, in the notes).

    Examples
    --------
    >>> data = np.arange(20.0).reshape(10, 2)
    >>> rows, samples, targets = next(notes_generator(data, 4, 1, 0, 9, batch_size=2, step=2))
    >>> rows.tolist(), samples[0].tolist(), targets.tolist()
    ([4, 5], [[0.0, 1.0], [4.0, 5.0]], [11.0, 13.0])
    """
    if max_index is None:
        max_index = len(data) - delay - 1
    rng = rng or np.random.default_rng()
    i = min_index + lookback
    while True:
        if shuffle:
            rows = rng.integers(min_index + lookback, max_index, size=batch_size)
        else:
            if i + batch_size >= max_index:
                i = min_index + lookback
            rows = np.arange(i, min(i + batch_size, max_index))
            i += len(rows)
        samples = np.zeros((len(rows), lookback // step, data.shape[-1]))
        targets = np.zeros((len(rows),))
        for j, row in enumerate(rows):
            samples[j] = data[range(row - lookback, row, step)]
            targets[j] = data[row + delay][target_column]
        yield rows, samples, targets


def keras_dataset(
    values: np.ndarray,
    rows: np.ndarray,
    lookback: int,
    step: int,
    delay: int,
    batch_size: int = 128,
    target_column: int = jena.TEMPERATURE,
):
    """The windows of :func:`seqcnn.jena.windows` for consecutive ``rows``, cut by Keras.

    ``keras.utils.timeseries_dataset_from_array`` walks every window start
    of its array in order and pairs the window starting at its index ``i``
    with ``targets[i]``. So the series is sliced to start at the first
    window, ``rows[0] - lookback``, and to end with the last one, and the
    targets to start at ``rows[0] + delay``: batch ``b`` then holds the same
    windows and targets as :class:`seqcnn.jena.WindowBatches` with
    ``shuffle=False``.

    Parameters
    ----------
    values : numpy.ndarray
        ``(time, features)`` array.
    rows : numpy.ndarray
        Consecutive rows, one per window (see :func:`seqcnn.jena.window_rows`).
    lookback, step, delay : int
        As in :func:`seqcnn.jena.windows`.
    batch_size : int, default 128
        Windows per batch.
    target_column : int, default TEMPERATURE
        Feature to forecast.

    Returns
    -------
    tf.data.Dataset
        Batches of ``(windows, targets)``; ``.as_numpy_iterator()`` gives
        them as numpy arrays.

    Raises
    ------
    ValueError
        If ``rows`` are not consecutive.

    Examples
    --------
    >>> values = np.arange(20.0, dtype="float32").reshape(10, 2)  # row r holds [2r, 2r + 1]
    >>> x, y = next(keras_dataset(values, np.array([4, 5]), lookback=4, step=2, delay=1, target_column=1)
    ...             .as_numpy_iterator())
    >>> x[0].tolist(), y.tolist()
    ([[0.0, 1.0], [4.0, 5.0]], [11.0, 13.0])
    """
    rows = np.asarray(rows)
    if len(rows) == 0 or not np.array_equal(rows, np.arange(rows[0], rows[0] + len(rows))):
        raise ValueError("keras_dataset needs consecutive rows: timeseries_dataset_from_array cuts every "
                         "window between its first and last one, in order")
    first, last = rows[0], rows[-1]
    return keras.utils.timeseries_dataset_from_array(
        values[first - lookback : last - step + 1],  # the first window's rows to the last window's last row
        values[first + delay : last + delay + 1, target_column],
        sequence_length=lookback // step,
        sampling_rate=step,
        batch_size=batch_size,
        shuffle=False,
    )


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall-clock seconds of ``repeat`` calls of ``fn``.

    Examples
    --------
    >>> best_time(lambda: sum(range(10)), repeat=2) >= 0
    True
    """
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_times(fns: dict[str, Callable[[], object]], repeat: int = 3) -> dict[str, float]:
    """Best wall-clock seconds of each function, calling them in turn ``repeat`` times.

    Taking turns spreads whatever else the machine is doing over all the
    functions alike, instead of slowing down whichever one it meets.

    Examples
    --------
    >>> calls = []
    >>> times = best_times({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeat=2)
    >>> calls, sorted(times)
    (['a', 'b', 'a', 'b'], ['a', 'b'])
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            times[name].append(best_time(fn, 1))
    return {name: min(seconds) for name, seconds in times.items()}


def copy_rate(shape: tuple[int, ...], count: int, repeat: int = 5) -> float:
    """Bytes per second of a plain numpy copy: ``count`` times ``np.copyto`` of a float32 array of ``shape``.

    This is the memory-copy limit of the machine for arrays of that size:
    no way of producing those bytes can be faster than copying them.

    Examples
    --------
    >>> copy_rate((128, 10), count=3, repeat=2) > 0
    True
    """
    source = np.ones(shape, dtype="float32")
    target = np.empty_like(source)

    def copy():
        for _ in range(count):
            np.copyto(target, source)

    return count * source.nbytes / best_time(copy, repeat)


@dataclass(frozen=True)
class Results:
    """What :func:`run` measured.

    Attributes
    ----------
    path : pathlib.Path
        The CSV file.
    file_bytes : int
        Its size.
    windows : int
        Windows cut by each windowing method (``batches * batch_size``).
    window_bytes : int
        Bytes of one float32 window.
    seconds : dict
        ``seconds[task][method]``: best wall-clock seconds, for each task and
        method of :data:`METHODS`.
    copy : dict
        Bytes per second of windows from the cutter on random training
        batches (``"cutter"``) and of a plain numpy copy of as many bytes in
        batch-sized arrays (``"numpy"``).
    load_average : float
        The machine's one-minute load average after the measurement (other
        work on the machine slows every method down).

    Examples
    --------
    >>> results = Results(Path("w.csv"), 10**6, 100, 1000, {"loading": {"notes": 2.0, "seqcnn": 0.5},
    ...                   "windowing": {"keras": 1.0, "seqcnn": 0.01}}, {"cutter": 8e9, "numpy": 1e10}, 1.0)
    >>> results.speedup("loading", "notes"), results.throughput("windowing", "keras"), results.copy_fraction
    (4.0, 100.0, 0.8)
    """

    path: Path
    file_bytes: int
    windows: int
    window_bytes: int
    seconds: dict[str, dict[str, float]]
    copy: dict[str, float]
    load_average: float

    def speedup(self, task: str, peer: str) -> float:
        """How many times faster seqcnn did ``task`` than ``peer``."""
        return self.seconds[task][peer] / self.seconds[task]["seqcnn"]

    def throughput(self, task: str, method: str) -> float:
        """Bytes of CSV per second (loading) or windows per second (windowing)."""
        return (self.file_bytes if task == "loading" else self.windows) / self.seconds[task][method]

    @property
    def copy_fraction(self) -> float:
        """The cutter's bytes per second as a fraction of a plain numpy copy's."""
        return self.copy["cutter"] / self.copy["numpy"]


def run(path: str | Path, batches: int = 50, batch_size: int = 128, lookback: int = 1440, step: int = 6,
        delay: int = 144, repeat: int = 5) -> Results:
    """Time loading ``path`` and cutting ``batches`` batches of windows, every method of :data:`METHODS`.

    Loading reads the whole file. Windowing cuts, from the normalized
    series that :func:`seqcnn.jena.read_csv` returns, the windows of the
    first ``batches * batch_size`` rows of the training half (see
    :func:`seqcnn.jena.window_rows`), in order, in batches of
    ``batch_size``: the notes' generator in sequential mode,
    :func:`keras_dataset` iterated to numpy batches, and
    :class:`seqcnn.jena.WindowBatches` (each built anew in every run, as a
    training loop would). Every timing is the best of ``repeat`` runs, the
    methods of a task taking turns (:func:`best_times`).

    The memory-copy comparison times :class:`seqcnn.jena.WindowCutter` alone
    on ``batches`` random batches of training windows (as training draws
    them; consecutive windows overlap and would come from the cache) against
    :func:`copy_rate` of batch-sized arrays.

    Raises
    ------
    ValueError
        If the training half has fewer than ``batches * batch_size`` window rows.
    """
    path = Path(path)
    seconds = {"loading": best_times({
        "notes": lambda: notes_parse(path),
        "pandas": lambda: pandas_parse(path),
        "seqcnn": lambda: jena.read_csv(path),
    }, repeat)}
    raw = jena.read_csv(path).values
    values = jena.Normalizer.fit(raw)(raw)
    end = len(values) // 2
    train_rows = jena.window_rows(0, end, lookback, delay)
    count = batches * batch_size
    if len(train_rows) < count:
        raise ValueError(f"{path}: the training half has {len(train_rows):,} window rows, fewer than the "
                         f"{batches} batches of {batch_size} to cut; ask for fewer batches or use a longer file")
    rows = train_rows[:count]

    def by_notes():
        gen = notes_generator(values, lookback, delay, 0, end, batch_size=batch_size, step=step)
        for _ in range(batches):
            next(gen)

    def by_keras():
        for _ in keras_dataset(values, rows, lookback, step, delay, batch_size).as_numpy_iterator():
            pass

    def by_seqcnn():
        data = jena.WindowBatches(values, rows, lookback, step, delay, batch_size=batch_size)
        for i in range(len(data)):
            data[i]

    seconds["windowing"] = best_times({"notes": by_notes, "keras": by_keras, "seqcnn": by_seqcnn}, repeat)

    cutter = jena.WindowCutter(values, lookback, step)
    starts = np.random.default_rng(0).choice(train_rows, size=(batches, batch_size)) - lookback
    window_shape = (lookback // step, values.shape[1])
    window_bytes = int(np.prod(window_shape)) * values.itemsize

    def cut():
        for batch in starts:
            cutter(batch)

    copy = {"cutter": count * window_bytes / best_time(cut, repeat),
            "numpy": copy_rate((batch_size, *window_shape), batches, repeat)}  # right after: the same conditions
    return Results(path, path.stat().st_size, count, window_bytes, seconds, copy, os.getloadavg()[0])


def meets_targets(results: Results) -> dict[str, bool]:
    """Whether seqcnn's speedup over the notes reaches its :data:`TARGETS` entry, for each task.

    Examples
    --------
    >>> results = Results(Path("w.csv"), 1, 1, 1, {"loading": {"notes": 12.0, "seqcnn": 1.0},
    ...                   "windowing": {"notes": 19.9, "seqcnn": 1.0}}, {}, 0.0)
    >>> meets_targets(results)
    {'loading': True, 'windowing': False}
    """
    return {task: results.speedup(task, "notes") >= target for task, target in TARGETS.items()}


def format_table(results: Results) -> str:
    """A Markdown table of :func:`run`'s timings: seconds, throughput and seqcnn's speedup over each peer.

    Examples
    --------
    >>> results = Results(Path("w.csv"), 10**7, 6400, 13440,
    ...                   {"loading": {"notes": 0.6, "pandas": 0.5, "seqcnn": 0.1},
    ...                    "windowing": {"notes": 0.3, "keras": 0.8, "seqcnn": 0.01}}, {}, 0.0)
    >>> print(format_table(results))
    | task | method | seconds (best) | throughput | seqcnn is faster by | course target |
    | --- | --- | ---: | ---: | ---: | --- |
    | load the CSV (10.0 MB) | 2020 notes | 0.600 | 17 MB/s | 6.0x | 10x: NOT met |
    | load the CSV (10.0 MB) | pandas | 0.500 | 20 MB/s | 5.0x |  |
    | load the CSV (10.0 MB) | seqcnn | 0.100 | 100 MB/s |  |  |
    | cut 6,400 windows | 2020 notes | 0.300 | 21,333 windows/s | 30.0x | 20x: met |
    | cut 6,400 windows | Keras | 0.800 | 8,000 windows/s | 80.0x |  |
    | cut 6,400 windows | seqcnn | 0.010 | 640,000 windows/s |  |  |
    """
    met = meets_targets(results)
    tasks = {"loading": f"load the CSV ({results.file_bytes / 1e6:.1f} MB)",
             "windowing": f"cut {results.windows:,} windows"}
    lines = ["| task | method | seconds (best) | throughput | seqcnn is faster by | course target |",
             "| --- | --- | ---: | ---: | ---: | --- |"]
    for task, name in tasks.items():
        for method in METHODS[task]:
            rate = results.throughput(task, method)
            rate_text = f"{rate / 1e6:,.0f} MB/s" if task == "loading" else f"{rate:,.0f} windows/s"
            speedup = "" if method == "seqcnn" else f"{results.speedup(task, method):.1f}x"
            target = f"{TARGETS[task]:.0f}x: {'met' if met[task] else 'NOT met'}" if method == "notes" else ""
            lines.append(f"| {name} | {LABELS[method]} | {results.seconds[task][method]:.3f} | {rate_text} "
                         f"| {speedup} | {target} |")
    return "\n".join(lines)


def format_copy(results: Results) -> str:
    """Two lines comparing the window cutter with a plain numpy copy of the same bytes.

    Examples
    --------
    >>> results = Results(Path("w.csv"), 1, 6400, 13440, {}, {"cutter": 9e9, "numpy": 1.2e10}, 0.0)
    >>> print(format_copy(results))
    window cutter: 9.0 GB/s of windows (random training batches); numpy copy of the same bytes: 12.0 GB/s;
    the cutter runs at 75% of the memory-copy rate.
    """
    return (f"window cutter: {results.copy['cutter'] / 1e9:.1f} GB/s of windows (random training batches); "
            f"numpy copy of the same bytes: {results.copy['numpy'] / 1e9:.1f} GB/s;\n"
            f"the cutter runs at {results.copy_fraction:.0%} of the memory-copy rate.")


def main(argv: list[str] | None = None) -> int:
    """Command line: print the benchmark table for a CSV file."""
    parser = argparse.ArgumentParser(prog="python -m seqcnn.benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, help="a Jena CSV (default: the chapters' file)")
    parser.add_argument("--batches", type=int, default=50, help="batches of 128 windows to cut (default: 50)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each timing, the best counts (default: 5)")
    args = parser.parse_args(argv)
    path = args.csv or jena.locate_csv()
    results = run(path, batches=args.batches, repeat=args.repeat)
    print(f"{path}: {results.file_bytes / 1e6:.1f} MB, {len(jena.read_csv(path).values):,} rows; "
          f"{os.cpu_count()} CPUs, load average {results.load_average:.1f} after the run")
    print(format_table(results))
    print(format_copy(results))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
