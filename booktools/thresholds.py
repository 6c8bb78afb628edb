"""Check a chapter's hidden asserts and quoted trained numbers against the bands the variation study measured.

A chapter names its trained quantities in a :class:`seqcnn.bands.Quantities`
called ``q``. This module reads the chapter's MyST source (nothing is run)
and finds:

- **thresholds**: comparisons of ``q["name"]`` with a number inside an
  ``assert`` (``assert q["fast_test"] >= 0.85``, ``assert 0 < q["gain"]``);
  each must lie outside the quantity's recorded band by at least
  :data:`MARGIN_FRACTION` of the band's width;
- **loose asserts**: an ordering comparison (``<``, ``<=``, ``>``, ``>=``)
  in an assert that does not compare a ``q["name"]`` with a number: in a
  trained chapter, a threshold that no band stands behind;
- **quoted trained numbers**: ``q.glue("name", value)`` glues a number for the
  text; its band must be recorded, and the text must quote the band as well,
  with the role ``{band}`name``` (:mod:`booktools.sphinxext.bands`);
- **unpaired machine-dependent glues**: a ``glue("name", ...)`` in a cell
  tagged ``nbval-ignore-output`` whose name the text quotes, neither from
  ``q.glue`` nor declared by ``q.unbanded("name", ..., reason=...)``.

Why half the band's width: the band of ``n`` runs is the range of a sample.
For normally spread values, 15 runs (5 seeds, 3 settings) span about 3.5
standard deviations, so a threshold half a width beyond the band's edge is
about 3.5 standard deviations from the mean: roughly one failing run in
5,000, where a threshold at the band's edge fails about one run in 16.
"""

from __future__ import annotations

import ast
import fnmatch
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

from seqcnn import bands

__all__ = ["MARGIN_FRACTION", "MIN_SEEDS", "REQUIRED_SETTINGS", "Chapter", "Threshold", "check", "committed_values", "read", "string_pattern",
           "threshold_problem"]

#: A threshold must lie beyond its band's edge by this fraction of the band's width.
MARGIN_FRACTION = 0.5
#: The object the chapters name their quantities with.
QUANTITIES = "q"
#: Seeds a band needs behind a threshold, and behind a number quoted in the text (issue 17).
MIN_SEEDS = {"threshold": 5, "quoted": 3}
#: Settings a band needs behind a threshold (see booktools.variation.SETTINGS): the default,
#: TF_ENABLE_ONEDNN_OPTS=0, one thread, and both at once (a timing ratio that neither moves alone
#: can move there: chapter 5's speed-up).
REQUIRED_SETTINGS = ("default", "onednn-off", "threads-1", "onednn-off-threads-1")

_ORDERING = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_OPS = {**_ORDERING, ast.Eq: "==", ast.NotEq: "!="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_GLUE_ROLE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`:]+)(?::[^`]*)?`")
_BAND_ROLE = re.compile(r"\{band\}`(?:([^`/:]+)/)?([^`/:]+)(?::[^`]*)?`")


@dataclass(frozen=True)
class Threshold:
    """``q[name] op limit`` in a hidden assert (the quantity always on the left)."""

    name: str
    op: str
    limit: float
    line: int
    source: str


@dataclass
class Chapter:
    """What :func:`read` found in a chapter's source."""

    name: str
    thresholds: list[Threshold]
    loose: list[tuple[int, str]]
    measured: set[str]
    quoted_q: set[str]
    ignored_glues: set[str]
    unbanded: list[str]
    prose: set[str]
    #: Quantities of this chapter whose band the text quotes (``{band}`name```).
    banded: set[str] = field(default_factory=set)


def _cells(md_path: Path) -> list[tuple[str, set[str], str, int]]:
    """(kind, tags, source, first line in the file) of each cell of a MyST notebook."""
    import jupytext

    text = Path(md_path).read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="md:myst")
    lines = text.splitlines()
    cells, cursor = [], 0
    for cell in nb.cells:
        first = cell.source.splitlines()[0] if cell.source.strip() else ""
        line = next((i + 1 for i in range(cursor, len(lines)) if first and lines[i] == first), cursor + 1)
        cursor = max(cursor, line)
        cells.append((cell.cell_type, set(cell.metadata.get("tags", [])), cell.source, line))
    return cells


def _parse(source: str) -> ast.Module:
    """The cell's code, each IPython magic line (``%pip``, ``!ls``) read as ``pass``."""
    lines = source.splitlines()
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            lines[i] = line[: len(line) - len(stripped)] + "pass"
    return ast.parse("\n".join(lines))


def _quantity(node: ast.AST) -> str | None:
    """``name`` if ``node`` is ``q["name"]``."""
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == QUANTITIES
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
        return node.slice.value
    return None


def _number(node: ast.AST) -> float | None:
    """The value of a numeric literal (``0.86``, ``-1``, ``1_000``), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def string_pattern(node: ast.AST, field: str = "*") -> str | None:
    """A string literal's text, or an f-string's with ``field`` for each replacement field; None for other code.

    Examples
    --------
    >>> string_pattern(ast.parse('f"book_{n}"', mode="eval").body), string_pattern(ast.parse("3", mode="eval").body)
    ('book_*', None)
    >>> string_pattern(ast.parse('f"{x} of the steps"', mode="eval").body, field="{}")
    '{} of the steps'
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else field for part in node.values)
    return None


def read(md_path: str | Path) -> Chapter:
    """Find the thresholds, loose asserts, measured and quoted quantities and glues of a chapter.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "07_demo.md"
    >>> _ = path.write_text('''
    ... ```{code-cell} ipython3
    ... q["acc"] = 0.86
    ... assert q["acc"] >= 0.8 and 0.5 < q["acc"]
    ... assert model.count_params() == 12
    ... ```
    ... It reaches {glue:text}`acc` ({band}`acc:.2f` over the study's runs).
    ... ''')
    >>> chapter = read(path)
    >>> [(t.name, t.op, t.limit) for t in chapter.thresholds]
    [('acc', '>=', 0.8), ('acc', '>', 0.5)]
    >>> chapter.loose, chapter.prose, chapter.banded, chapter.measured
    ([], {'acc'}, {'acc'}, {'acc'})
    """
    md_path = Path(md_path)
    chapter = Chapter(md_path.stem, [], [], set(), set(), set(), [], set())
    for kind, tags, source, first_line in _cells(md_path):
        if kind == "markdown":
            chapter.prose.update(_GLUE_ROLE.findall(source))
            chapter.banded.update(name for other, name in _BAND_ROLE.findall(source)
                                  if other in ("", chapter.name))
            continue
        if kind != "code":
            continue
        tree = _parse(source)
        lines = source.splitlines()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert):
                _read_assert(node, lines, first_line, chapter)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                        if _quantity(element) is not None:
                            chapter.measured.add(_quantity(element))
            elif isinstance(node, ast.Call):
                _read_call(node, tags, chapter)
    return chapter


def _read_assert(node: ast.Assert, lines: list[str], first_line: int, chapter: Chapter) -> None:
    text = lines[node.lineno - 1].strip()
    line = first_line + node.lineno - 1  # first_line: the file's line of the cell's first line of code
    for compare in (n for n in ast.walk(node.test) if isinstance(n, ast.Compare)):
        sides = [compare.left, *compare.comparators]
        for left, op, right in zip(sides, compare.ops, sides[1:]):
            symbol = _OPS.get(type(op))
            name_left, name_right = _quantity(left), _quantity(right)
            if symbol is not None and (name_left or name_right):
                name, other = (name_left, right) if name_left else (name_right, left)
                limit = _number(other)
                if limit is not None:
                    chapter.thresholds.append(Threshold(name, symbol if name_left else _FLIP[symbol], limit, line,
                                                        text))
                    continue
            if isinstance(op, tuple(_ORDERING)):
                chapter.loose.append((line, text))


def _read_call(node: ast.Call, tags: set[str], chapter: Chapter) -> None:
    func = node.func
    first = string_pattern(node.args[0]) if node.args else None
    if isinstance(func, ast.Name) and func.id == "glue" and first is not None and "nbval-ignore-output" in tags:
        chapter.ignored_glues.add(first)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == QUANTITIES:
        if func.attr == "glue" and first is not None:
            chapter.quoted_q.add(first)
            chapter.measured.add(first)
        elif func.attr == "unbanded":
            chapter.unbanded.extend(p for p in (string_pattern(a) for a in node.args) if p is not None)


def threshold_problem(band: bands.Band, op: str, limit: float, margin_fraction: float = MARGIN_FRACTION) -> str | None:
    """Why ``value op limit`` is not safe across ``band`` (None if it is).

    The threshold must hold for every recorded value, with ``margin_fraction``
    of the band's width to spare beyond the band's edge.

    Examples
    --------
    >>> b = bands.Band("acc", (0.855, 0.8608, 0.868), (0, 1000, 2000), ("default",) * 3)
    >>> threshold_problem(b, ">=", 0.86) is not None  # inside the band: a knife edge
    True
    >>> threshold_problem(b, ">=", 0.848) is None  # below it by more than half its width
    True
    >>> threshold_problem(b, ">=", 0.852)  # below it, but too close
    'the recorded band is 0.855–0.868 (3 runs); >= 0.852 must clear its edge by at least 0.0065 (0.5 × its width)'
    """
    low, high = band.min, band.max
    need = margin_fraction * band.width
    if op in _COMPARE:
        holds = all(_COMPARE[op](v, limit) for v in band.values)
        edge = low if op in (">", ">=") else high
        gap = edge - limit if op in (">", ">=") else limit - edge
        ok = holds and (gap > need if op in ("<", ">") else gap >= need)
    elif op == "==":
        ok = low == high == limit
    elif op == "!=":
        ok = not (low - need <= limit <= high + need)
    else:
        raise ValueError(f"unknown comparison {op!r}")
    if ok:
        return None
    return (f"the recorded band is {low:.4g}–{high:.4g} ({len(band.values)} runs); {op} {limit:.4g} must clear its "
            f"edge by at least {need:.4g} ({margin_fraction} × its width)")


def check(md_path: str | Path, record: dict | str | Path | None = None, margin_fraction: float = MARGIN_FRACTION,
          ) -> list[str]:
    """Every problem of a trained chapter's asserts and quoted numbers against the bands record.

    Returns
    -------
    list of str
        One line per problem, naming the chapter, the line and what to do; empty when all is well.
    """
    record = record if isinstance(record, dict) else bands.load(record)
    chapter = read(md_path)
    where = Path(md_path).name
    problems = []
    run_study = f"run `python -m booktools.variation {chapter.name}`"
    for t in chapter.thresholds:
        band = bands.band(chapter.name, t.name, record)
        if band is None:
            problems.append(f"{where}:{t.line}: `{t.source}`: q[{t.name!r}] has no recorded band: {run_study}")
            continue
        missing = [s for s in REQUIRED_SETTINGS if s not in band.settings_of]
        if band.seeds < MIN_SEEDS["threshold"] or missing:
            need = f"{MIN_SEEDS['threshold']} seeds and the settings {', '.join(REQUIRED_SETTINGS)}"
            problems.append(f"{where}:{t.line}: `{t.source}`: the band of q[{t.name!r}] comes from {band.seeds} seed(s) "
                            f"and lacks the setting(s) {', '.join(missing) or 'none'}; a threshold needs {need}: "
                            f"{run_study} --settings {' '.join(REQUIRED_SETTINGS)}")
        problem = threshold_problem(band, t.op, t.limit, margin_fraction)
        if problem:
            problems.append(f"{where}:{t.line}: `{t.source}`: {problem}: move the threshold out of the band or "
                            "assert a claim that holds across it")
    for line, text in chapter.loose:
        problems.append(f"{where}:{line}: `{text}` compares a trained number with no band behind it: measure it "
                        f"as {QUANTITIES}[\"name\"] = ... and assert {QUANTITIES}[\"name\"] <op> <number>")
    for name in sorted(chapter.quoted_q & chapter.prose):
        band = bands.band(chapter.name, name, record)
        if band is None:
            problems.append(f"{where}: the text quotes `{name}`, which has no recorded band: {run_study}")
        elif band.seeds < MIN_SEEDS["quoted"]:
            problems.append(f"{where}: the band of `{name}` comes from {band.seeds} seed(s), the text needs "
                            f"{MIN_SEEDS['quoted']}: {run_study}")
        if name not in chapter.banded:
            problems.append(f"{where}: the text quotes `{name}` but not its band: add {{band}}`{name}` beside it")
    unpaired = set()
    for pattern in chapter.ignored_glues:
        quoted = sorted(n for n in chapter.prose if fnmatch.fnmatchcase(n, pattern))
        declared = any(fnmatch.fnmatchcase(pattern, u) for u in chapter.unbanded)
        if quoted and pattern not in chapter.quoted_q and not declared:
            unpaired.add(quoted[0])
    for name in sorted(unpaired):
        problems.append(f"{where}: the text quotes `{name}`, glued in an nbval-ignore-output cell (it changes from "
                        f"run to run) with no band: glue it with {QUANTITIES}.glue(...) or declare it with "
                        f"{QUANTITIES}.unbanded(..., reason=...)")
    # Not the code's hash: moving a threshold out of its band edits the code, not the trained numbers. What
    # must agree is the numbers: the committed notebook's values lie inside the recorded bands (below).
    recorded = set(record["chapters"].get(chapter.name, {}).get("quantities", {}))
    for name in sorted(recorded - chapter.measured):
        problems.append(f"{where}: the record holds `{name}`, which the chapter no longer measures: {run_study}")
    for name, value in sorted(committed_values(Path(md_path).with_suffix(".ipynb")).items()):
        band = bands.band(chapter.name, name, record)
        if band is not None and not band.min <= value <= band.max:
            problems.append(f"{where}: the committed notebook's {name} = {value:.6g} lies outside its recorded band "
                            f"{band.min:.6g}–{band.max:.6g}: the record and the notebook come from different code "
                            f"or machines: {run_study} after executing the chapter")
    return problems


def committed_values(ipynb_path: str | Path) -> dict[str, float]:
    """The quantities an executed notebook glued (``q_*`` outputs); empty if there is no such notebook.

    Examples
    --------
    >>> committed_values("no/such.ipynb")
    {}
    """
    import nbformat

    from booktools.variation import collect

    try:
        nb = nbformat.read(str(ipynb_path), as_version=4)
    except OSError:
        return {}
    return collect(nb)[0]
