"""The ``execution-record`` directive: a table of how each chapter notebook was executed.

``python -m booktools.notebooks`` stores an execution record in each notebook it runs (when it ran,
how long it took, the versions, the CPU count, the data sets it read, the processor, whether
TensorFlow's oneDNN kernels were on); this directive reads those records from the notebooks at build
time (:func:`booktools.provenance.execution_rows`) and renders one row per chapter, so the table can
never disagree with the notebooks the book shows. The column headers are translatable; the values
are not (they are the same in every language edition).

To keep the table narrow enough for an A4 page, the processor is shown in two words ("AMD EPYC",
"Intel Xeon") and oneDNN as "on", "off" or an em dash; the full model name and the
``TF_ENABLE_ONEDNN_OPTS`` setting are in the cell's ``<abbr>`` title (shown on hover). A record
written before these facts existed shows an em dash.

Usage in a MyST page::

    ```{execution-record}
    :notebooks: chapters/*.ipynb
    ```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from booktools import provenance

#: (row key, column header) in table order. New columns go last: tests_site/test_running.py reads the
#: cells by position (the data sets are the ninth).
COLUMNS = [
    ("chapter", "Chapter"),
    ("seconds", "Run time (s)"),
    ("ran", "Executed"),
    ("python", "Python"),
    ("keras", "Keras"),
    ("tensorflow", "TensorFlow"),
    ("numpy", "NumPy"),
    ("cpus", "CPUs"),
    ("data", "Data read (size, sha256 prefix)"),
    ("processor", "Processor"),
    ("onednn", "oneDNN"),
]

#: Row keys whose value, when not empty, is the title (``<abbr title>``) of another column's value.
TITLES = {"processor": "processor_model", "onednn": "onednn_setting"}


class ExecutionRecord(SphinxDirective):
    """Render the execution records of the notebooks matching ``:notebooks:`` as a table."""

    option_spec = {"notebooks": directives.unchanged}

    def _cell(self, content: nodes.Node) -> nodes.entry:
        return nodes.entry("", nodes.paragraph("", "", content))

    def _value(self, row: dict[str, str], key: str) -> nodes.Node:
        text, title = row[key], row.get(TITLES.get(key, ""), "")
        if title and title != text:
            return nodes.abbreviation(text, text, explanation=title)
        return nodes.Text(text)

    def _header(self, text: str) -> nodes.entry:
        paragraph = nodes.paragraph(text, text)
        # A source and line make the header a message of the translation catalogs.
        paragraph.source, paragraph.line = self.get_source_info()
        return nodes.entry("", paragraph)

    def run(self) -> list[nodes.Node]:
        pattern = self.options.get("notebooks", "chapters/*.ipynb")
        srcdir = Path(self.env.srcdir)
        paths = sorted(srcdir.glob(pattern))
        if not paths:
            raise self.error(f"execution-record: no notebook matches {pattern!r} in the book's folder.")
        for path in paths:
            self.env.note_dependency(str(path))
        try:
            rows = provenance.execution_rows(paths)
        except ValueError as err:
            raise self.error(str(err)) from None
        table = nodes.table(classes=["execution-record"])
        group = nodes.tgroup(cols=len(COLUMNS))
        table += group
        group.extend(nodes.colspec(colwidth=1) for _ in COLUMNS)
        group += nodes.thead("", nodes.row("", *(self._header(title) for _, title in COLUMNS)))
        body = nodes.tbody()
        for path, row in zip(paths, rows, strict=True):
            docname = "/" + path.relative_to(srcdir).with_suffix("").as_posix()
            link = addnodes.pending_xref(
                "", nodes.inline(row["title"], row["title"]), refdomain="std", reftype="doc",
                reftarget=docname, refexplicit=False, refwarn=True,
            )
            cells = [self._cell(link)]
            cells += [self._cell(self._value(row, key)) for key, _ in COLUMNS[1:]]
            body += nodes.row("", *cells)
        group += body
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("execution-record", ExecutionRecord)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
