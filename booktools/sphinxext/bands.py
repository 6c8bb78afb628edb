"""The measured bands in the book: the ``{band}`` role and the ``bands-table`` directive.

The variation study (``python -m booktools.variation``) records in
``chapters/bands.json`` every value each trained quantity took over seeds
and settings (:mod:`seqcnn.bands`). The text quotes a trained number from
its run (``{glue:text}``) and its measured range with this role::

    0.8608 in this run ({band}`fast_test:.4f` over the study's runs)

A target is ``NAME`` (a quantity of the page's own chapter) or
``CHAPTER/NAME``, with an optional format after a colon (``.4f`` by
default). It renders the range as numbers only (``0.8551–0.8688``), the same
in every edition. The directive renders one table of chosen quantities,
one per line of its content (``CHAPTER NAME FORMAT: what it is``)::

    ```{bands-table}
    03_imdb fast_test .4f: test accuracy, learning rate 1e-3
    05_conv_gru combo_val .2f: Conv1D + GRU, best validation MAE (°C)
    ```

with the chapter, the description (a message of the translation
catalogs, like the headers), the value of the committed notebook ("this
run"), the range, and how many seeds and settings it covers. A target the
record does not hold is a build warning (an error with ``-W``): a quoted
number never goes without its band.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from seqcnn import bands

logger = logging.getLogger(__name__)

#: The record, relative to the book's folder.
RECORD = Path("chapters") / bands.RECORD_NAME
#: Column headers of the table, in order.
COLUMNS = ["Chapter", "Quantity", "This run", "Measured range", "Seeds", "Settings"]


def parse_target(target: str, docname: str) -> tuple[str, str, str]:
    """``(chapter, name, format)`` of a role target; the chapter defaults to the page's own.

    Examples
    --------
    >>> parse_target("fast_test", "chapters/03_imdb")
    ('03_imdb', 'fast_test', '.4f')
    >>> parse_target("05_conv_gru/combo_val:.2f", "running")
    ('05_conv_gru', 'combo_val', '.2f')
    """
    target, _, fmt = target.strip().partition(":")
    chapter, _, name = target.rpartition("/")
    return chapter or Path(docname).name, name, fmt or ".4f"


def span(found: bands.Band, fmt: str = ".4f") -> str:
    """The range as numbers only, ``'0.8551–0.8688'`` (one number when both ends print alike).

    Examples
    --------
    >>> span(bands.Band("acc", (0.8608, 0.8551, 0.8688), (0, 1000, 0), ("default",) * 3), ".3f")
    '0.855–0.869'
    """
    low, high = format(found.min, fmt), format(found.max, fmt)
    return low if low == high else f"{low}–{high}"


def _record(srcdir: str | Path) -> dict:
    return bands.load(Path(srcdir) / RECORD)


def committed_value(srcdir: str | Path, chapter: str, name: str) -> float | None:
    """The value the committed notebook of ``chapter`` measured as ``name`` (its glued ``q_NAME``), or None."""
    from booktools.thresholds import committed_values

    return committed_values(Path(srcdir) / "chapters" / f"{chapter}.ipynb").get(name)


class BandRole(SphinxRole):
    """``{band}`NAME:FMT``` or ``{band}`CHAPTER/NAME:FMT```: the quantity's measured range."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        chapter, name, fmt = parse_target(self.text, self.env.docname)
        self.env.note_dependency(str(Path(self.env.srcdir) / RECORD))
        found = bands.band(chapter, name, _record(self.env.srcdir))
        if found is None:
            logger.warning(f"band: {RECORD} has no band for {chapter}/{name}: run the variation study "
                           f"(python -m booktools.variation {chapter}) or fix the name", location=self.get_location())
            return [nodes.inline(self.rawtext, "?", classes=["band", "missing"])], []
        return [nodes.inline(self.rawtext, span(found, fmt), classes=["band"])], []


class BandsTable(SphinxDirective):
    """One row per content line ``CHAPTER NAME FORMAT: description`` (see the module docstring)."""

    has_content = True

    def _paragraph(self, text: str, translatable: bool = False) -> nodes.paragraph:
        paragraph = nodes.paragraph(text, text)
        if translatable:
            # A source and line make it a message of the translation catalogs.
            paragraph.source, paragraph.line = self.get_source_info()
        return paragraph

    def run(self) -> list[nodes.Node]:
        srcdir = Path(self.env.srcdir)
        self.env.note_dependency(str(srcdir / RECORD))
        record = _record(srcdir)
        body = nodes.tbody()
        previous = None
        for line in self.content:
            if not line.strip():
                continue
            spec, _, description = line.partition(":")
            fields = spec.split()
            if len(fields) != 3 or not description.strip():
                raise self.error(f"bands-table: {line!r} is not 'CHAPTER NAME FORMAT: description'")
            chapter, name, fmt = fields
            found = bands.band(chapter, name, record)
            if found is None:
                raise self.error(f"bands-table: {RECORD} has no band for {chapter}/{name}: run "
                                 f"python -m booktools.variation {chapter}, or fix the name")
            self.env.note_dependency(str(srcdir / "chapters" / f"{chapter}.ipynb"))
            value = committed_value(srcdir, chapter, name)
            if chapter != previous:
                link = addnodes.pending_xref("", nodes.inline(chapter, chapter), refdomain="std", reftype="doc",
                                             reftarget=f"/chapters/{chapter}", refexplicit=False, refwarn=True)
                first = nodes.entry("", nodes.paragraph("", "", link))
            else:
                first = nodes.entry("")
            previous = chapter
            cells = [first, nodes.entry("", self._paragraph(description.strip(), translatable=True))]
            for text in ("—" if value is None else format(value, fmt), span(found, fmt), str(found.seeds),
                         str(found.settings)):
                cells.append(nodes.entry("", self._paragraph(text)))
            body += nodes.row("", *cells)
        table = nodes.table(classes=["bands-table"])
        group = nodes.tgroup(cols=len(COLUMNS))
        table += group
        group.extend(nodes.colspec(colwidth=1) for _ in COLUMNS)
        group += nodes.thead("", nodes.row("", *(nodes.entry("", self._paragraph(c, translatable=True))
                                                  for c in COLUMNS)))
        group += body
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_role("band", BandRole())
    app.add_directive("bands-table", BandsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
