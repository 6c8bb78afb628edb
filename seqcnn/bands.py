"""Measured bands of the chapters' trained numbers: what other seeds and other machines give.

Training is deterministic on one machine, but another CPU sums in another
order, another thread count splits the work differently, and another seed
starts elsewhere: a trained number moves. The book's variation study
(``python -m booktools.variation CHAPTER``) re-runs a chapter under such
perturbations and writes every value of every measured quantity into
``chapters/bands.json``. This module is the chapters' side of it:

- a chapter names each trained number it asserts or quotes in a
  :class:`Quantities` (``q["fast_test"] = accuracy``, or ``q.glue(...)`` for
  a number quoted in the text), which glues it for the study to collect;
- its hidden asserts compare ``q["name"]`` with a threshold, which a test
  checks against the recorded band;
- the text quotes the band next to the number (``q.glue`` glues
  ``NAME_band``, e.g. "0.855–0.868 over 5 seeds and 3 settings").

The record (JSON)::

    {"format": 1,
     "chapters": {"03_imdb": {
         "date": "...", "machine": {"cpu": "...", "cpus": 2, "python": "...", "tensorflow": "...", ...},
         "runs": [{"seed_offset": 0, "setting": "default", "seconds": 731.2, "errors": []}, ...],
         "quantities": {"fast_test": {"values": [{"value": 0.8608, "seed_offset": 0, "setting": "default"}, ...],
                                      "min": 0.855, "max": 0.868}}}}}
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BANDS_ENV", "FORMAT", "GLUE_PREFIX", "NO_BAND", "RECORD_NAME", "Band", "Quantities", "band", "load",
           "locate", "record_with", "recorded_run"]

#: File name of the record, in the chapters' folder.
RECORD_NAME = "bands.json"
#: Environment variable: another record to read (a path).
BANDS_ENV = "SEQCNN_BANDS"
#: Version of the record's layout.
FORMAT = 1
#: Prefix of the glue names under which a :class:`Quantities` glues its values (not shown in the book).
GLUE_PREFIX = "q_"
#: What :meth:`Quantities.band_text` gives for a quantity the record does not hold yet.
NO_BAND = "no band measured yet"


@dataclass(frozen=True)
class Band:
    """Every recorded value of one quantity, with the seed offset and the setting of its run.

    Examples
    --------
    >>> b = Band("acc", (0.86, 0.855, 0.868), (0, 1000, 0), ("default", "default", "oneDNN off"))
    >>> b.min, b.max, b.seeds, b.settings
    (0.855, 0.868, 2, 2)
    >>> b.text(".3f")
    '0.855–0.868 over 2 seeds and 2 settings'
    """

    name: str
    values: tuple[float, ...]
    seed_offsets: tuple[int, ...]
    settings_of: tuple[str, ...]

    @property
    def min(self) -> float:
        """The smallest recorded value."""
        return min(self.values)

    @property
    def max(self) -> float:
        """The largest recorded value."""
        return max(self.values)

    @property
    def width(self) -> float:
        """``max - min``."""
        return self.max - self.min

    @property
    def seeds(self) -> int:
        """How many different seeds (offsets) the values come from."""
        return len(set(self.seed_offsets))

    @property
    def settings(self) -> int:
        """How many different settings (floating-point path, threads, load) the values come from."""
        return len(set(self.settings_of))

    def text(self, fmt: str = ".4f") -> str:
        """The band as the text quotes it: ``'0.855–0.868 over 5 seeds and 3 settings'``."""
        low, high = format(self.min, fmt), format(self.max, fmt)
        span = low if low == high else f"{low}–{high}"
        seeds = f"{self.seeds} seed{'s' if self.seeds != 1 else ''}"
        settings = f"{self.settings} setting{'s' if self.settings != 1 else ''}"
        return f"{span} over {seeds} and {settings}"


def locate(path: str | Path | None = None) -> Path:
    """The record to read: ``path``, else ``$SEQCNN_BANDS``, else ``bands.json`` in the current folder
    (a chapter's kernel runs in ``chapters/``), else the repository's ``chapters/bands.json``.

    Examples
    --------
    >>> locate("elsewhere/bands.json").as_posix()
    'elsewhere/bands.json'
    """
    if path is not None:
        return Path(path)
    if os.environ.get(BANDS_ENV):
        return Path(os.environ[BANDS_ENV])
    here = Path(RECORD_NAME)
    if here.is_file():
        return here
    return Path(__file__).resolve().parent.parent / "chapters" / RECORD_NAME


def load(path: str | Path | None = None) -> dict:
    """Read and check the record (see the module docstring); an absent file is an empty record.

    Raises
    ------
    ValueError
        The file is not a record of this format, naming the file and what is wrong.

    Examples
    --------
    >>> load("no/such/bands.json")
    {'format': 1, 'chapters': {}}
    """
    path = locate(path)
    if not path.is_file():
        return {"format": FORMAT, "chapters": {}}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error}): restore it from git or run the variation study "
                         "again (python -m booktools.variation CHAPTER)") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT or not isinstance(record.get("chapters"), dict):
        raise ValueError(f"{path} is not a bands record of format {FORMAT} (a dict with 'format' and 'chapters'): "
                         "restore it from git or run the variation study again")
    for chapter, entry in record["chapters"].items():
        for name, quantity in entry.get("quantities", {}).items():
            values = quantity.get("values") if isinstance(quantity, dict) else None
            if not values or not all(isinstance(v, dict) and isinstance(v.get("value"), (int, float))
                                     and not math.isnan(v["value"]) for v in values):
                raise ValueError(f"{path}: quantity {chapter}/{name} has no list of numeric values: restore the "
                                 "file from git or run the variation study again")
    return record


def band(chapter: str, name: str, record: dict | str | Path | None = None) -> Band | None:
    """The recorded band of quantity ``name`` of ``chapter``, or None if the record has none.

    Parameters
    ----------
    chapter : str
        The chapter's file name without suffix, e.g. ``"03_imdb"``.
    name : str
        The quantity's name in the chapter.
    record : dict or path, optional
        A loaded record, or the file to :func:`load` (see :func:`locate`).

    Examples
    --------
    >>> record = {"format": 1, "chapters": {"03_imdb": {"quantities": {"fast_test": {"values": [
    ...     {"value": 0.86, "seed_offset": 0, "setting": "default"},
    ...     {"value": 0.85, "seed_offset": 1000, "setting": "default"}]}}}}}
    >>> band("03_imdb", "fast_test", record).text(".2f")
    '0.85–0.86 over 2 seeds and 1 setting'
    >>> band("03_imdb", "other", record) is None
    True
    """
    if not isinstance(record, dict):
        record = load(record)
    quantity = record["chapters"].get(chapter, {}).get("quantities", {}).get(name)
    if quantity is None:
        return None
    values = quantity["values"]
    return Band(name, tuple(float(v["value"]) for v in values), tuple(int(v.get("seed_offset", 0)) for v in values),
                tuple(str(v.get("setting", "default")) for v in values))


class Quantities:
    """A chapter's trained quantities, by name: glued for the variation study, checked against their bands.

    Parameters
    ----------
    chapter : str
        The chapter's file name without suffix, e.g. ``"03_imdb"``.
    record : dict or path, optional
        The bands record (see :func:`load`); the chapters' ``bands.json`` by default.

    Examples
    --------
    >>> q = Quantities("03_imdb", record={"format": 1, "chapters": {}})
    >>> q["fast_test"] = 0.8608  # glues q_fast_test (not displayed) for the study
    >>> q["fast_test"] >= 0.85
    True
    >>> q.band_text("fast_test")
    'no band measured yet'
    """

    def __init__(self, chapter: str, record: dict | str | Path | None = None):
        self.chapter = chapter
        self.record = record if isinstance(record, dict) else load(record)
        self._values: dict[str, float] = {}

    def __setitem__(self, name: str, value) -> None:
        from myst_nb import glue

        value = float(value)
        if name in self._values:
            # Measured once already (an assert cell, then the cell that quotes it): one glue per name.
            if self._values[name] != value:
                raise ValueError(f"{self.chapter}: q[{name!r}] was measured twice with different values "
                                 f"({self._values[name]!r}, then {value!r}); give the second one another name")
            return
        self._values[name] = value
        glue(GLUE_PREFIX + name, value, display=False)

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def band(self, name: str) -> Band | None:
        """The recorded band of ``name`` (None if the record has none)."""
        return band(self.chapter, name, self.record)

    def band_text(self, name: str, fmt: str = ".4f") -> str:
        """The band of ``name`` as the text quotes it, or :data:`NO_BAND` (which a test refuses)."""
        found = self.band(name)
        return found.text(fmt) if found is not None else NO_BAND

    def glue(self, name: str, value, fmt: str = ".4f") -> None:
        """Measure ``value`` as ``name``, glue it formatted as ``name`` and its band as ``name + "_band"``.

        Examples
        --------
        >>> q = Quantities("03_imdb", record={"format": 1, "chapters": {}})
        >>> q.glue("fast_test", 0.86081)  # outside a notebook, glue shows what it glues
        '0.8608'
        'no band measured yet'
        >>> q["fast_test"]
        0.86081
        """
        from myst_nb import glue

        self[name] = value
        glue(name, format(float(value), fmt))
        glue(name + "_band", self.band_text(name, fmt))

    def unbanded(self, *names: str, reason: str) -> None:
        """Declare machine-dependent glues that quote no trained quantity (timings, properties of the data).

        Only read by the book's test of the chapters (names may use ``*`` for any text); ``reason`` says why.
        """
        if not reason.strip():
            raise ValueError("say why these glues need no band (reason=...)")



def record_with(chapter: str, record: dict | str | Path | None = None, url: str | None = None) -> dict:
    """The record, checked to hold ``chapter``: read from disk (:func:`load`), else from ``url``.

    A chapter that compares its models with another chapter's reads that chapter's numbers from the
    record instead of training its models again. Outside the repository (a notebook opened on
    Colab, say) there is no record on disk: ``url`` names the book's own, read into memory (nothing
    is written to disk).

    Raises
    ------
    ValueError
        Neither holds ``chapter``: names where it looked and what to do.

    Examples
    --------
    >>> record = {"format": 1, "chapters": {"05_conv_gru": {"quantities": {}}}}
    >>> record_with("05_conv_gru", record) is record
    True
    >>> record_with("06_tcn", record)
    Traceback (most recent call last):
    ValueError: the record holds no study of 06_tcn: execute that chapter and run its study (python -m booktools.variation 06_tcn), or read the book's chapters/bands.json
    """
    source = "the record" if isinstance(record, dict) else str(locate(record))
    if not isinstance(record, dict):
        record = load(record)
    if chapter not in record["chapters"] and url is not None:
        import urllib.request

        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                record, source = json.loads(response.read().decode("utf-8")), f"{source} (nor {url})"
        except (OSError, ValueError) as error:
            raise ValueError(f"{source} holds no study of {chapter}, and {url} could not be read ({error}): "
                             "check the connection, or run the notebook inside the book's repository") from None
    if chapter not in record.get("chapters", {}):
        raise ValueError(f"{source} holds no study of {chapter}: execute that chapter and run its study "
                         f"(python -m booktools.variation {chapter}), or read the book's chapters/bands.json")
    return record


def recorded_run(chapter: str, record: dict | str | Path | None = None, seed_offset: int = 0,
                 setting: str = "default") -> dict[str, float]:
    """Every quantity that one recorded run of ``chapter`` measured: by default the committed notebook's execution.

    Parameters
    ----------
    chapter : str
        The chapter's file name without suffix, e.g. ``"05_conv_gru"``.
    record : dict or path, optional
        A loaded record (see :func:`record_with`), or the file to :func:`load`.
    seed_offset, setting
        Which run: seed offset 0 on the default setting is the committed notebook's execution.

    Raises
    ------
    ValueError
        The record holds no such run, naming what to do.

    Examples
    --------
    >>> record = {"format": 1, "chapters": {"05_conv_gru": {"quantities": {"gru_val": {"values": [
    ...     {"value": 2.67, "seed_offset": 0, "setting": "default"},
    ...     {"value": 2.71, "seed_offset": 1000, "setting": "default"}]}}}}}
    >>> recorded_run("05_conv_gru", record)
    {'gru_val': 2.67}
    >>> recorded_run("05_conv_gru", record, seed_offset=1000)
    {'gru_val': 2.71}
    """
    record = record_with(chapter, record)
    quantities = record["chapters"][chapter].get("quantities", {})
    run = {name: float(v["value"]) for name, quantity in quantities.items() for v in quantity["values"]
           if int(v.get("seed_offset", 0)) == seed_offset and v.get("setting", "default") == setting}
    if not run:
        raise ValueError(f"the record holds no run of {chapter} with seed offset {seed_offset} on the {setting!r} "
                         f"setting: run its study (python -m booktools.variation {chapter})")
    return run
