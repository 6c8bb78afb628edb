"""Benchmark: the 2020 notes' Jena CSV loop and window generator against seqcnn.

Run it with::

    python -m seqcnn.benchmark            # the chapters' CSV (see seqcnn.jena.locate_csv)
    python -m seqcnn.benchmark FILE.csv

Both sides work on the same file in the same process. The notes' code is
re-implemented here from its description (a Python loop that splits each
line and calls ``float`` on every cell; a generator that fills each sample
with ``data[range(row - lookback, row, step)]``), so that the comparison and
the tests have one reference.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from seqcnn import jena

__all__ = ["TARGETS", "notes_parse", "notes_generator", "best_time", "run", "meets_targets", "format_table", "main"]

#: Speedups the course asks of seqcnn over the 2020 notes' code.
TARGETS = {"loading": 10.0, "windowing": 20.0}


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


def run(path: str | Path, batches: int = 50, lookback: int = 1440, step: int = 6, delay: int = 144,
        repeat: int = 5) -> dict[str, dict[str, float]]:
    """Time loading ``path`` and cutting ``batches`` batches of 128 windows, both ways.

    Returns
    -------
    dict
        ``{"loading": {...}, "windowing": {...}}``, each with the notes' and
        seqcnn's seconds (or windows per second) and the speedup.
    """
    notes_seconds = best_time(lambda: notes_parse(path), repeat)
    ours_seconds = best_time(lambda: jena.read_csv(path), repeat)
    raw = jena.read_csv(path).values
    values = jena.Normalizer.fit(raw)(raw)
    end = len(values) // 2
    rows = jena.window_rows(0, end, lookback, delay)

    def notes_windows():
        gen = notes_generator(values, lookback, delay, 0, end, shuffle=True, step=step, rng=np.random.default_rng(0))
        for _ in range(batches):
            next(gen)

    def ours_windows():
        data = jena.WindowBatches(values, rows, lookback, step, delay, shuffle=True, steps=batches, seed=0)
        for i in range(batches):
            data[i]

    n = batches * 128
    notes_rate = n / best_time(notes_windows, repeat)
    ours_rate = n / best_time(ours_windows, repeat)
    return {
        "loading": {"notes": notes_seconds, "seqcnn": ours_seconds, "speedup": notes_seconds / ours_seconds},
        "windowing": {"notes": notes_rate, "seqcnn": ours_rate, "speedup": ours_rate / notes_rate},
    }


def meets_targets(results: dict[str, dict[str, float]]) -> dict[str, bool]:
    """Whether each speedup of :func:`run` reaches its :data:`TARGETS` entry.

    Examples
    --------
    >>> meets_targets({"loading": {"speedup": 12.0}, "windowing": {"speedup": 19.9}})
    {'loading': True, 'windowing': False}
    """
    return {task: results[task]["speedup"] >= target for task, target in TARGETS.items()}


def format_table(results: dict[str, dict[str, float]]) -> str:
    """A Markdown table of :func:`run`'s results.

    Examples
    --------
    >>> print(format_table({"loading": {"notes": 2.0, "seqcnn": 0.1, "speedup": 20.0},
    ...                     "windowing": {"notes": 1000.0, "seqcnn": 15000.0, "speedup": 15.0}}))
    | task | 2020 notes | seqcnn | speedup | target |
    | --- | ---: | ---: | ---: | --- |
    | load the CSV (seconds) | 2.000 | 0.100 | 20.0x | 10x: met |
    | cut windows (windows per second) | 1,000 | 15,000 | 15.0x | 20x: NOT met |
    """
    load, win = results["loading"], results["windowing"]
    met = {task: f"{TARGETS[task]:.0f}x: {'met' if ok else 'NOT met'}" for task, ok in meets_targets(results).items()}
    return "\n".join([
        "| task | 2020 notes | seqcnn | speedup | target |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| load the CSV (seconds) | {load['notes']:.3f} | {load['seqcnn']:.3f} | {load['speedup']:.1f}x "
        f"| {met['loading']} |",
        f"| cut windows (windows per second) | {win['notes']:,.0f} | {win['seqcnn']:,.0f} | {win['speedup']:.1f}x "
        f"| {met['windowing']} |",
    ])


def main(argv: list[str] | None = None) -> int:
    """Command line: print the benchmark table for a CSV file."""
    parser = argparse.ArgumentParser(prog="python -m seqcnn.benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, help="a Jena CSV (default: the chapters' file)")
    args = parser.parse_args(argv)
    path = args.csv or jena.locate_csv()
    print(f"{path}: {len(jena.read_csv(path).values):,} rows")
    print(format_table(run(path)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
