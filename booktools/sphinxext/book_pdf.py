"""The PDF of the whole book: its link on every page, and the layout of the page it is printed from.

``python -m booktools.pdf`` (:mod:`booktools.pdf`) builds the book once more with Sphinx's ``singlehtml`` builder (the whole
book as one page) and prints that page to PDF with Chromium. This extension does the two parts of
that which happen inside Sphinx:

- **the link**: every page's download menu (the theme's download button) gets an entry for the
  PDF, ``book_pdf`` (in ``_config.yml``, under ``sphinx.config``: a file name relative to the root
  of the site, where :mod:`booktools.pdf` writes it); an empty ``book_pdf`` adds no entry;
- **the layout**: in a ``singlehtml`` build, Sphinx puts each chapter where the root page's table
  of contents is, so the chapters would sit inside the landing page's section "What it covers"
  and the landing page's last sections would come after the references. Here the chapters are
  moved out of the landing page to the top level of the book, grouped under a heading for each
  part of ``_toc.yml`` (a caption of the root's toctree), each in a block of the class
  ``pdf-chapter`` that starts a new printed page (``_static/reader.css``). The headings then nest
  as in the table of contents (part, chapter, section), and so do the PDF's bookmarks.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
CHAPTER_CLASS = "pdf-chapter"
PART_CLASS = "pdf-part"


def add_download_entry(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """An ``html-page-context`` handler: the PDF in the download menu of the page, if it has one.

    Runs after sphinx-book-theme has filled ``header_buttons`` (priority 501).
    """
    pdf = app.config.book_pdf
    if not pdf:
        return
    # The theme's words, so that a translated edition shows them in its language (booktheme.po).
    _ = get_translation("booktheme")
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](pdf, 1),
                    "text": _("Book .pdf"),
                    "tooltip": _("The whole book as one PDF"),
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


def _reparent(node: nodes.Element) -> nodes.Element:
    """Point the children of a node back at it (Sphinx's inlining of toctrees leaves them not)."""
    children = list(node.children)
    node.children = []
    node.extend(children)
    return node


def _only_title(section: nodes.section) -> bool:
    """Whether a section shows nothing but its title (targets and empty nodes aside)."""
    return all(
        isinstance(child, (nodes.title, nodes.target))
        or not (child.astext().strip() or any(child.findall(nodes.image)))
        for child in section.children
    )


def chapters_to_top_level(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A ``doctree-resolved`` handler: in a ``singlehtml`` build, move the chapters out of the root page.

    The whole book arrives here as the root page's doctree, each chapter an
    ``addnodes.start_of_file`` inside a ``toctree-wrapper`` (whose ``caption`` is the part) where
    the root's toctree was. Each goes to the end of the document, in order, inside a new section
    per part; sections of the root page left empty (their only content was the table of
    contents) are dropped.
    """
    if app.builder.name != "singlehtml" or docname != app.config.root_doc:
        return
    chapters: list[tuple[str, addnodes.start_of_file]] = []
    for wrapper in list(doctree.findall(nodes.compound)):
        if "toctree-wrapper" not in wrapper["classes"]:
            continue
        if any(isinstance(a, addnodes.start_of_file) for a in _ancestors(wrapper)):
            continue  # a chapter's own sub-pages stay in their chapter
        for child in list(wrapper.children):
            if isinstance(child, addnodes.start_of_file):
                wrapper.remove(child)
                chapters.append((str(wrapper.get("caption") or ""), _reparent(child)))
        if not wrapper.children:
            wrapper.parent.remove(wrapper)
    for section in list(doctree.findall(nodes.section)):
        if _only_title(section) and section.parent is not None:
            section.parent.remove(section)
    part: nodes.Element = doctree
    part_caption = ""
    for caption, chapter in chapters:
        # A block around the chapter, so that the page break comes before the chapter's anchor
        # (#document-<docname>, the target of the contents' links) and not after it.
        chapter = nodes.container("", chapter, classes=[CHAPTER_CLASS])
        if caption != part_caption:
            part, part_caption = doctree, caption
            if caption:
                part = nodes.section("", nodes.title(caption, caption), ids=[f"part-{nodes.make_id(caption)}"])
                part["classes"].append(PART_CLASS)
                doctree.append(part)
        part.append(chapter)
    LOGGER.info(f"book_pdf: {len(chapters)} chapters moved to the top level of the single page")


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    """The parents of a node, nearest first."""
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``book_pdf`` and the two handlers."""
    app.add_config_value("book_pdf", "", "html", str)
    app.connect("html-page-context", add_download_entry, priority=502)
    app.connect("doctree-resolved", chapters_to_top_level)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
