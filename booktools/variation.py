"""The variation study: re-run a chapter as other seeds and other machines would, and record its trained numbers.

Training is deterministic on one machine, not across machines. This command
executes a chapter's notebook once per *configuration*, each in a fresh
kernel whose environment carries one perturbation, and collects every
quantity the chapter measured (``q["name"] = ...``, see
:mod:`seqcnn.bands`) into the bands record, ``chapters/bands.json``::

    python -m booktools.variation 03_imdb                      # 5 seeds, then each other setting once
    python -m booktools.variation 04_jena_convnet --seeds 3 --settings default onednn-off threads-1
    python -m booktools.variation 05_conv_gru --setting-seeds 2 --out /tmp/bands.json
    python -m booktools.variation 03_imdb --dry-run            # the plan and its estimated cost only

A configuration is a seed offset (``SEQCNN_SEED_OFFSET``, added to every seed
the chapter passes: 0, 1000, 2000, ...) and a *setting*:

``default``
    the machine as the book runs it (TensorFlow's oneDNN kernels on, which
    :mod:`booktools.kernel_env` asks for on every processor; one thread per core);
``onednn-off``
    ``TF_ENABLE_ONEDNN_OPTS=0``: TensorFlow's Eigen kernels, another order of
    floating-point sums;
``threads-1``
    ``SEQCNN_INTRA_OP_THREADS=1``: one thread inside each operation, another
    split of the sums;
``onednn-off-threads-1``
    both at once: Eigen's kernels on one thread, as on a one-core machine
    whose TensorFlow does not use oneDNN (each kernel library's speed on one
    thread moves timing ratios that neither change alone moves as much);
``load``
    a second process training a small model beside the chapter for the whole
    run: timings and their ratios under concurrent CPU load.

Every seed runs the ``default`` setting; every other setting runs the first
``--setting-seeds`` seeds. The runs go one after another: on a machine of
few cores, parallel runs would slow each other down and perturb the timings
they record (studies of different chapters may still run side by side: each
run records the load average around it, and each study writes only its own
chapter). The committed notebook, when up to date, is the run
``seed +0, default``: the execute command ran exactly that. A run whose cells fail (an assert that does not hold in that
configuration) is kept: the record lists its errors beside its values. The
notebook is executed from the chapter's ``.md`` in memory, in the chapter's
folder; nothing in the repository is written but the record, after every
run. A study cut short goes on where it stopped when run again: the runs
recorded on the same code are kept (``--fresh`` drops them).
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from booktools import kernel_env
from seqcnn import bands, runtime

__all__ = ["SETTINGS", "Configuration", "Run", "before_exercises", "code_hash", "collect", "committed_run", "estimate", "machine", "main", "merge", "plan",
           "recorded_runs", "run_notebook", "study"]

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"

#: Each setting's environment variables (added to the kernel's environment).
SETTINGS: dict[str, dict[str, str]] = {
    "default": {},
    "onednn-off": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    "threads-1": {runtime.THREADS_ENV: "1"},
    "onednn-off-threads-1": {"TF_ENABLE_ONEDNN_OPTS": "0", runtime.THREADS_ENV: "1"},
    "load": {},
}
#: Settings that run a CPU load beside the chapter.
LOADED = {"load"}
#: Seed offsets are multiples of this, far from the seeds chapters pass (42, 1, 2, 1337).
SEED_STRIDE = 1000

#: Run by a load process: train a small convnet on random data until killed.
LOAD_CODE = """
from seqcnn import runtime
runtime.setup(seed=0)
import keras, numpy as np
x = np.random.default_rng(0).normal(size=(2048, 240, 14)).astype("float32")
y = x[:, -1, 1]
model = keras.Sequential([keras.Input((240, 14)), keras.layers.Conv1D(32, 5, activation="relu"),
                          keras.layers.GRU(16), keras.layers.Dense(1)])
model.compile(optimizer="rmsprop", loss="mae")
while True:
    model.fit(x, y, epochs=1, batch_size=128, verbose=0)
"""


@dataclass(frozen=True)
class Configuration:
    """One run of a chapter: a seed offset and a setting (see the module docstring).

    Examples
    --------
    >>> c = Configuration(1000, "onednn-off")
    >>> c.label, sorted(c.environment({}).items())
    ('seed +1000, onednn-off', [('SEQCNN_SEED_OFFSET', '1000'), ('TF_ENABLE_ONEDNN_OPTS', '0')])
    >>> sorted(Configuration(0, "default").environment({}).items())
    [('SEQCNN_SEED_OFFSET', '0'), ('TF_ENABLE_ONEDNN_OPTS', '1')]
    """

    seed_offset: int
    setting: str

    def __post_init__(self):
        if self.setting not in SETTINGS:
            raise ValueError(f"unknown setting {self.setting!r}: choose from {', '.join(SETTINGS)}")

    @property
    def label(self) -> str:
        """``'seed +1000, onednn-off'``."""
        return f"seed +{self.seed_offset}, {self.setting}"

    @property
    def loaded(self) -> bool:
        """Whether a load process runs beside the chapter."""
        return self.setting in LOADED

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The kernel's environment: ``base`` (``os.environ``) with this configuration's variables."""
        env = dict(os.environ if base is None else base)
        for name in (runtime.SEED_OFFSET_ENV, runtime.THREADS_ENV, "TF_ENABLE_ONEDNN_OPTS"):
            env.pop(name, None)
        env = kernel_env.kernel_environment(env)
        env[runtime.SEED_OFFSET_ENV] = str(self.seed_offset)
        env.update(SETTINGS[self.setting])
        return env


@dataclass
class Run:
    """What one configuration's run gave: the chapter's quantities, its errors and its wall time."""

    configuration: Configuration
    quantities: dict[str, float]
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: The 1-minute load average at the start and the end of the run (other work on the machine).
    load: tuple[float, float] | None = None
    #: Where the run comes from, when not from this command.
    note: str = ""
    #: The processor it ran on (``machine()["cpu"]``): a record gathered over sessions may span machines.
    cpu: str = ""


def plan(seeds: int = 5, settings: Sequence[str] = tuple(SETTINGS), setting_seeds: int = 1) -> list[Configuration]:
    """The configurations of a study: ``seeds`` seeds on ``default``, the first ``setting_seeds`` on each other setting.

    Examples
    --------
    >>> [c.label for c in plan(seeds=3, settings=["default", "threads-1"], setting_seeds=2)]
    ['seed +0, default', 'seed +1000, default', 'seed +2000, default', 'seed +0, threads-1', 'seed +1000, threads-1']
    """
    if seeds < 1 or setting_seeds < 1:
        raise ValueError(f"--seeds ({seeds}) and --setting-seeds ({setting_seeds}) must be at least 1")
    unknown = [s for s in settings if s not in SETTINGS]
    if unknown:
        raise ValueError(f"unknown setting(s) {', '.join(unknown)}: choose from {', '.join(SETTINGS)}")
    offsets = [i * SEED_STRIDE for i in range(seeds)]
    configurations = [Configuration(o, "default") for o in offsets] if "default" in settings else []
    for setting in dict.fromkeys(s for s in settings if s != "default"):
        configurations += [Configuration(o, setting) for o in offsets[:setting_seeds]]
    return configurations


def collect(nb) -> tuple[dict[str, float], list[str]]:
    """The quantities a notebook's outputs glued (``q_*``, see :mod:`seqcnn.bands`) and its cells' errors.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("q['acc'] = 0.86")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", metadata={"scrapbook": {
    ...     "name": "q_acc", "mime_prefix": "application/papermill.record/"}},
    ...     data={"application/papermill.record/text/plain": "0.86"}),
    ...     nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[])]
    >>> collect(nbformat.v4.new_notebook(cells=[cell]))
    ({'acc': 0.86}, ["cell 1: AssertionError (q['acc'] = 0.86)"])
    """
    quantities, errors = {}, []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap and scrap.get("name", "").startswith(bands.GLUE_PREFIX):
                text = output["data"].get(scrap.get("mime_prefix", "") + "text/plain")
                quantities[scrap["name"][len(bands.GLUE_PREFIX):]] = float(ast.literal_eval(text))
            elif output.get("output_type") == "error":
                lines = [line for line in cell.source.splitlines() if line.strip()]
                failing = next((line.strip() for line in lines if line.lstrip().startswith("assert")), lines[0])
                evalue = f": {output['evalue'][:200]}" if output.get("evalue") else ""
                errors.append(f"cell {index + 1}: {output['ename']}{evalue} ({failing[:120]})")
    return quantities, errors


def _start_load() -> subprocess.Popen:
    env = {**kernel_env.kernel_environment(), "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-c", LOAD_CODE], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def run_notebook(md_path: Path, configuration: Configuration, timeout: int = 3600) -> Run:
    """Execute the chapter ``md_path`` in a fresh kernel with ``configuration``'s environment; collect its quantities.

    The notebook is built from the ``.md`` in memory and runs in the
    chapter's folder; cells keep running after an error, which is recorded.
    A run stopped by a cell over ``timeout`` seconds or a dead kernel keeps
    what it measured before, with the reason among its errors.
    """
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(md_path)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    env = configuration.environment()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    load_before = os.getloadavg()[0]
    load = _start_load() if configuration.loaded else None
    start = time.perf_counter()
    stopped = []
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(Path(md_path).parent.resolve())}})
        client.execute(env=env)
    except Exception as error:  # a cell over the timeout, a dead kernel: keep what the run measured so far
        stopped.append(f"run stopped: {type(error).__name__}: {str(error).strip().splitlines()[0][:200]}")
    finally:
        seconds = time.perf_counter() - start
        load_after = os.getloadavg()[0]
        if load is not None:
            load.kill()
            load.wait()
    quantities, errors = collect(nb)
    return Run(configuration, quantities, errors + stopped, round(seconds, 1),
               load=(round(load_before, 2), round(load_after, 2)), cpu=str(machine()["cpu"]))


def machine() -> dict[str, object]:
    """What the study ran on: CPU model and count, Python and the packages that compute the numbers."""
    from importlib import metadata

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    # TensorFlow is installed as tensorflow, tensorflow-cpu or tensorflow-intel, among others.
    for package, distributions in (("tensorflow", ("tensorflow", "tensorflow-cpu", "tensorflow-intel",
                                                   "tensorflow-macos")), ("keras", ("keras",)), ("numpy", ("numpy",))):
        versions[package] = None
        for distribution in distributions:
            try:
                versions[package] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return {"cpu": cpu, "cpus": os.cpu_count(), "system": platform.platform(), "python": platform.python_version(),
            **versions}


def merge(record: dict, chapter: str, runs: Sequence[Run], about: dict[str, object]) -> dict:
    """``record`` with ``chapter``'s entry replaced by what ``runs`` measured (other chapters kept).

    Examples
    --------
    >>> runs = [Run(Configuration(0, "default"), {"acc": 0.86}, [], 10.0),
    ...         Run(Configuration(1000, "default"), {"acc": 0.85}, ["cell 9: AssertionError"], 11.0)]
    >>> entry = merge({"format": 1, "chapters": {}}, "03_imdb", runs, {"date": "today"})["chapters"]["03_imdb"]
    >>> entry["quantities"]["acc"]["min"], entry["quantities"]["acc"]["max"], entry["seconds"]
    (0.85, 0.86, 21.0)
    """
    quantities: dict[str, dict] = {}
    for run in runs:
        for name, value in run.quantities.items():
            quantities.setdefault(name, {"values": []})["values"].append(
                {"value": value, "seed_offset": run.configuration.seed_offset, "setting": run.configuration.setting})
    for entry in quantities.values():
        values = [v["value"] for v in entry["values"]]
        entry["min"], entry["max"] = min(values), max(values)
    chapters = dict(record.get("chapters", {}))
    chapters[chapter] = {
        **about,
        "seconds": round(sum(run.seconds for run in runs), 1),
        "runs": [{"seed_offset": r.configuration.seed_offset, "setting": r.configuration.setting,
                  "environment": SETTINGS[r.configuration.setting], "seconds": r.seconds, "errors": r.errors,
                  **({"load_average": list(r.load)} if r.load else {}), **({"note": r.note} if r.note else {}),
                  **({"cpu": r.cpu} if r.cpu else {})}
                 for r in runs],
        "quantities": dict(sorted(quantities.items())),
    }
    return {"format": bands.FORMAT, "chapters": dict(sorted(chapters.items()))}


def _write(record: dict, path: Path) -> None:
    """Write the record atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def estimate(md_path: Path, configurations: Sequence[Configuration]) -> float | None:
    """Seconds the study should take: the committed notebook's execution time, once per configuration.

    None if the chapter has no executed notebook with an execution record (``metadata.seqcnn.execution``).
    """
    ipynb = Path(md_path).with_suffix(".ipynb")
    try:
        seconds = json.loads(ipynb.read_text(encoding="utf-8"))["metadata"]["seqcnn"]["execution"]["seconds"]
    except (OSError, KeyError, ValueError):
        return None
    return float(seconds) * len(configurations)


def _without_asserts(source: str) -> str:
    """``source`` with its ``assert`` statements left out (the source itself if it does not parse).

    Examples
    --------
    >>> print(_without_asserts("q['a'] = 1\\nassert q['a'] > 0.5, q  # the claim"))
    q['a'] = 1
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and any(isinstance(s, ast.Assert) for s in block):
                kept = [s for s in block if not isinstance(s, ast.Assert)]
                setattr(node, name, kept or [ast.Pass()])
    return ast.unparse(tree)


EXERCISES_HEADING = re.compile(r"^##[ \t]+Exercises[ \t]*$", re.MULTILINE)
"""The heading of a chapter's closing exercises (the chapters are written in English)."""


def before_exercises(nb):
    """The notebook's cells before its "## Exercises" heading (all of them when it has none).

    The exercises close a chapter: their cells run after every cell that computes a banded number,
    so they cannot change one (``tests/test_variation.py`` checks that none is glued there).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("fit()"),
    ...     nbformat.v4.new_markdown_cell("## Exercises"), nbformat.v4.new_code_cell("check(...)")])
    >>> [cell.source for cell in before_exercises(nb).cells]
    ['fit()']
    """
    cells = list(nb.cells)
    cut = next((i for i, cell in enumerate(cells)
                if cell.cell_type == "markdown" and EXERCISES_HEADING.search(cell.source)), len(cells))
    kept = copy.copy(nb)
    kept.cells = cells[:cut]
    return kept


def code_hash(md_path: Path) -> str:
    """The digest of everything that determines the chapter's numbers: its code cells and the modules they import.

    Assert statements are left out: they check the numbers and do not make
    them, so moving a threshold to the recorded band keeps the record current.
    The exercises are left out too (:func:`before_exercises`), with the
    modules that only they import (the checks of ``seqcnn.exercises``): they
    run after the chapter's trainings, so a new exercise or a mended check
    keeps the record current. (The execution record, which decides whether
    the committed outputs are current, counts every cell.)
    """
    import jupytext

    from booktools.notebooks import source_hash

    nb = before_exercises(jupytext.read(md_path))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = _without_asserts(cell.source)
    return source_hash(nb)


def committed_run(md_path: Path) -> Run | None:
    """The committed notebook's own execution as the run ``seed +0, default``, if it is current.

    The book's execute command ran the chapter on this machine with no
    perturbation: its glued quantities are that configuration's values, so
    the study need not train it again. None if the ``.ipynb`` is missing or
    not up to date with the chapter and the package
    (:func:`booktools.notebooks.status`).
    """
    import nbformat

    from booktools import notebooks

    if notebooks.status(Path(md_path))[0] not in ("up to date", "prose"):
        return None
    nb = nbformat.read(Path(md_path).with_suffix(".ipynb"), as_version=4)
    execution = nb.metadata["seqcnn"]["execution"]
    quantities, errors = collect(nb)
    return Run(Configuration(0, "default"), quantities, errors, float(execution["seconds"]),
               note="the committed notebook's execution (python -m booktools.notebooks)",
               cpu=execution.get("processor") or "")


def recorded_runs(entry: dict) -> list[Run]:
    """The runs of a chapter's record entry, each with its quantities (the inverse of :func:`merge`).

    Examples
    --------
    >>> runs = [Run(Configuration(0, "default"), {"acc": 0.86}, [], 10.0)]
    >>> recorded_runs(merge({"chapters": {}}, "03_imdb", runs, {})["chapters"]["03_imdb"]) == runs
    True
    """
    runs = []
    for run in entry.get("runs", []):
        configuration = Configuration(run["seed_offset"], run["setting"])
        quantities = {name: value["value"] for name, quantity in entry.get("quantities", {}).items()
                      for value in quantity["values"]
                      if (value["seed_offset"], value["setting"]) == (configuration.seed_offset, configuration.setting)}
        load = tuple(run["load_average"]) if run.get("load_average") else None
        runs.append(Run(configuration, quantities, list(run["errors"]), run["seconds"], load, run.get("note", ""),
                        run.get("cpu", "")))
    return runs


def study(md_path: Path, configurations: Sequence[Configuration], out: Path, timeout: int = 3600,
          runner: Callable[[Path, Configuration, int], Run] | None = None, log=print, fresh: bool = False,
          use_committed: bool = True, complete: bool = False) -> dict:
    """Run every configuration, one after another, and write the record to ``out`` (kept up to date after each run).

    Unless ``fresh``, the runs that ``out`` already holds for this chapter,
    measured on the same code (:func:`code_hash`) and not stopped midway,
    are kept and their configurations skipped: a study cut short (a
    session's end) goes on where it stopped, and ``--seeds 3`` today plus
    ``--seeds 5`` tomorrow make 5 seeds. When the committed notebook is up
    to date (:func:`committed_run`), it is the run ``seed +0, default``
    (``use_committed=False`` trains that one too). With ``complete``, a
    recorded run that lacks a quantity the others measured (a failing assert
    stopped its cell early) runs again: after moving the asserts to the end
    of their cells, which leaves the record current.

    Studies of different chapters may run at the same time (each run's
    record notes the load average around it): each rewrites only its own
    chapter's entry of ``out``.
    """
    runner = runner or run_notebook
    chapter = Path(md_path).stem
    digest = code_hash(Path(md_path))
    about = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
             "source_hash": digest}
    record = bands.load(out)
    previous = record["chapters"].get(chapter, {})
    runs: list[Run] = []
    if not fresh and previous.get("source_hash") == digest:
        runs = [r for r in recorded_runs(previous) if not any(e.startswith("run stopped") for e in r.errors)]
        if complete:
            measured = set().union(*(r.quantities for r in runs)) if runs else set()
            incomplete = [r for r in runs if measured - set(r.quantities)]
            for r in incomplete:
                log(f"{chapter}: {r.configuration.label} lacks {', '.join(sorted(measured - set(r.quantities)))}: "
                    "running it again", flush=True)
            runs = [r for r in runs if r not in incomplete]
        about["date"] = previous.get("date", about["date"])
    committed = committed_run(Path(md_path)) if use_committed else None
    if committed is not None and committed.configuration in configurations:
        # The committed notebook is that run, whenever it was executed (its timings change with each execution).
        runs = [r for r in runs if r.configuration != committed.configuration] + [committed]
        log(f"{chapter}: {committed.configuration.label} is the committed notebook's execution", flush=True)
        _update(out, chapter, runs, about)
    done = {r.configuration for r in runs}
    todo = [c for c in configurations if c not in done]
    if done:
        log(f"{chapter}: keeping {len(runs)} recorded run(s) of the same code; {len(todo)} to run", flush=True)
    for i, configuration in enumerate(todo, 1):
        log(f"[{i}/{len(todo)}] {chapter}: {configuration.label} ...", flush=True)
        run = runner(Path(md_path), configuration, timeout)
        runs.append(run)
        status = "ok" if not run.errors else f"{len(run.errors)} failing cell(s): " + "; ".join(run.errors)
        log(f"    {run.seconds:.0f} s, {len(run.quantities)} quantities, {status}", flush=True)
        # Written after every run: an interrupted study keeps what it measured.
        _update(out, chapter, runs, about)
    return merge(bands.load(out), chapter, runs, about)


def _update(out: Path, chapter: str, runs: Sequence[Run], about: dict[str, object]) -> None:
    """Replace ``chapter``'s entry of the record ``out`` as it is on disk now (studies of other chapters may
    run at the same time, each writing its own chapter), under a lock."""
    import fcntl

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.with_name(out.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _write(merge(bands.load(out), chapter, runs, about), out)


def _chapter_path(name: str) -> Path:
    """``03_imdb``, ``03_imdb.md`` or a path to a chapter's ``.md``."""
    path = Path(name)
    candidates = [path, path.with_suffix(".md"), CHAPTERS / path.name, (CHAPTERS / path.name).with_suffix(".md")]
    for candidate in candidates:
        if candidate.suffix == ".md" and candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no chapter {name!r}: give a chapter's name (e.g. 03_imdb) or the path of its .md file")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    summary, details = __doc__.split("\n\n", 1)
    parser = argparse.ArgumentParser(prog="python -m booktools.variation", description=summary, epilog=details,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("chapter", help="chapter name (03_imdb) or path of its .md")
    parser.add_argument("--seeds", type=int, default=5, help="seeds on the default setting (default 5)")
    parser.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS),
                        help="settings to run (default: all)")
    parser.add_argument("--setting-seeds", type=int, default=1,
                        help="seeds on each setting other than default (default 1)")
    parser.add_argument("--out", type=Path, default=CHAPTERS / bands.RECORD_NAME,
                        help="the record to update (default chapters/bands.json)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds one cell may run (default 3600)")
    parser.add_argument("--fresh", action="store_true",
                        help="drop the chapter's recorded runs instead of keeping those of the same code")
    parser.add_argument("--no-committed", action="store_true",
                        help="train seed +0, default too, instead of taking the committed notebook's execution")
    parser.add_argument("--complete", action="store_true",
                        help="run again each recorded run that lacks a quantity the others measured")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and its estimated cost, run nothing")
    args = parser.parse_args(argv)
    try:
        md_path = _chapter_path(args.chapter)
        configurations = plan(args.seeds, args.settings, args.setting_seeds)
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))
    seconds = estimate(md_path, configurations)
    if seconds is None:
        cost = "cost unknown (the chapter has no executed notebook with an execution record)"
    else:
        cost = f"about {seconds / 3600:.1f} h" if seconds >= 3600 else f"about {seconds / 60:.0f} min"
    pace = " at the committed notebook's pace" if seconds is not None else ""
    print(f"{md_path.stem}: {len(configurations)} runs, {cost}{pace}")
    for configuration in configurations:
        print(f"  {configuration.label}")
    if args.dry_run:
        return 0
    start = time.perf_counter()
    record = study(md_path, configurations, args.out, args.timeout, fresh=args.fresh,
                   use_committed=not args.no_committed, complete=args.complete)
    entry = record["chapters"][md_path.stem]
    failing = [r for r in entry["runs"] if r["errors"]]
    print(f"{len(entry['quantities'])} quantities from {len(entry['runs'])} runs in "
          f"{time.perf_counter() - start:.0f} s, written to {args.out}; runs with failing cells: {len(failing)}")
    for name, quantity in entry["quantities"].items():
        print(f"  {name:30} {quantity['min']:.6g} – {quantity['max']:.6g}  ({len(quantity['values'])} values)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
