"""Fixes for what an accessibility audit (axe-core) finds in the theme's HTML.

The browser test (``tests_site/test_a11y.py``) runs axe-core on every page and fails on any
violation of impact "serious" or "critical". Those it found come from the theme and from docutils,
not from the chapters, and are fixed here at their source:

- the search button is named "Search" but shows "Search Ctrl+K", and the colour-mode button is
  named "Color mode" but shows an icon titled "Light", "Dark" or "System Settings" (WCAG 2.5.3,
  *label in name*): ``accessible_templates/`` holds the two theme components with names that
  contain what they show;
- docutils writes the list of references as ``role="list"`` holding ``role="doc-biblioentry"``
  items, a role ARIA 1.3 deprecated, so that screen readers see a list without items (axe:
  aria-required-children, critical): each reference is written as a ``listitem``;
- the colours of Keras's model summary (rich's 256-colour palette, as inline styles) are too light
  on the output background: ``_static/reader.css`` darkens them (lightens them in dark mode) to a
  contrast of at least 4.5:1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.writers._html_base import HTMLTranslator
from sphinx.application import Sphinx
from sphinx.config import Config

TEMPLATES = Path(__file__).resolve().parent / "accessible_templates"


def add_templates(app: Sphinx, config: Config) -> None:
    """A ``config-inited`` handler: put the fixed theme components ahead of the theme's own."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES)]


def visit_citation(self: HTMLTranslator, node: nodes.citation) -> None:
    """Open a reference as an item of the references list (docutils: ``doc-biblioentry``)."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the templates and the writer of references."""
    app.connect("config-inited", add_templates)
    app.add_node(
        nodes.citation, override=True, html=(visit_citation, HTMLTranslator.depart_citation)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
