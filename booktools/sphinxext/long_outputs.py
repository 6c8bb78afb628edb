"""Long cell outputs scroll in a box of limited height, with a button that shows them whole.

A training log of three seeds by 20 epochs is 63 lines: printed in full, it pushes the figure it
leads to two screens down. This extension marks every text output of a notebook cell (stream or
``text/plain``, as MyST-NB renders them) that has more than ``long_output_lines`` lines (set in
``_config.yml``, under ``sphinx.config``) with the class ``long-output``. The site's stylesheet
(``_static/reader.css``) shows such an output in a box of about ten lines that scrolls, and
``_static/long-outputs.js`` adds below it a button "Show all N lines" (keyboard and screen reader
friendly: a real ``<button>`` with ``aria-expanded``). Printed, and so in the PDF, every output is
shown in full. Chapters need no tag for this; MyST-NB's own ``scroll-output`` and ``hide-output``
tags still work on top of it.

>>> from docutils import nodes
>>> block = nodes.literal_block("", "\\n".join(f"epoch {i}" for i in range(30)), classes=["output"])
>>> mark_long(block, limit=20)
True
>>> block["classes"]
['output', 'long-output']
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

CLASS = "long-output"
OUTPUT_CLASS = "output"
"""MyST-NB's class on the literal block of a text output (with ``stream`` or ``text_plain``)."""


def line_count(text: str) -> int:
    """The number of lines of an output as the reader sees it (a final newline adds none).

    >>> line_count("a\\nb\\n"), line_count(""), line_count("one line")
    (2, 0, 1)
    """
    return len(text.splitlines())


def mark_long(block: nodes.literal_block, limit: int) -> bool:
    """Add the ``long-output`` class to an output block of more than ``limit`` lines.

    Returns whether the block was marked. Blocks that are not cell outputs (the code of a cell,
    a code listing in the prose) are never marked.
    """
    if OUTPUT_CLASS not in block["classes"] or line_count(block.astext()) <= limit:
        return False
    if CLASS not in block["classes"]:
        block["classes"].append(CLASS)
    return True


def mark_long_outputs(app: Sphinx, doctree: nodes.document) -> None:
    """A ``doctree-read`` handler: mark the long text outputs of a page."""
    limit = app.config.long_output_lines
    for block in doctree.findall(nodes.literal_block):
        mark_long(block, limit)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``long_output_lines`` (a changed value re-reads every page) and the handler."""
    app.add_config_value("long_output_lines", 16, "env", int)
    app.connect("doctree-read", mark_long_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
