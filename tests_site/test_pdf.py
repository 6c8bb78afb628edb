"""The PDF of the book (python -m booktools.pdf), one per edition, checked against the built site.

Run after `jupyter-book build .` and `python -m booktools.pdf --all`, with the rest of the site
test: pytest tests_site -o addopts="". For each edition's PDF (``book_pdf`` of ``_config.yml``, in
that edition's folder of the site): enough pages; bookmarks for every part and, in the order of
the toc, every page of the book under its title as the site shows it; "page / pages" in the
footers; links inside the book (the contents to each chapter, links from one chapter to another);
every figure; math typeset (no TeX source left); every number the chapters glue into their text
and every table heading of the site; and a download menu on the site that serves the PDF.

Tables that fit the paper: the page that the PDF is printed from (the ``singlehtml`` build that
``booktools.pdf`` leaves in ``_build/pdf/<language>/singlehtml``) is laid out as Chromium prints it
(:func:`booktools.pdf.lay_out_for_print`: print media, at the width of A4 inside the PDF's margins)
and every table must lie inside that width, uncut by a scrolling box, with no cell's content running
out of its cell and a visible space between the texts of neighbouring cells; and in the PDF's text,
the numbers of neighbouring cells stay apart ("13,793 31.9 20", not "13,79331.9 20").
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import Destination
from test_a11y import edition_prefixes
from test_site import NOTEBOOKS, PAGES, load

from booktools.chromium import offline_route, serve
from booktools.pdf import (
    READY_JS,
    lay_out_for_print,
    printable_width_px,
    root_page,
    sphinx_config,
)
from booktools.pdf import edition as pdf_edition

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from conftest import Tab

REPO = Path(__file__).resolve().parents[1]
EDITIONS = edition_prefixes()
MIN_PAGES_PER_CHAPTER = 5


def book_pdf_name(repo: Path = REPO) -> str:
    """``book_pdf`` of ``_config.yml``: the PDF's file name in each edition's site."""
    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    name = ((config.get("sphinx") or {}).get("config") or {}).get("book_pdf")
    assert name, "_config.yml has no sphinx.config.book_pdf: the site links to no PDF"
    return str(name)


def _squash(text: str) -> str:
    """Text with its runs of whitespace made one space (PDF text breaks lines anywhere)."""
    return re.sub(r"\s+", " ", text).strip()


SIMPLIFIED_RADICALS = str.maketrans(dict(zip(
    "\u2eb0\u2ec5\u2ec8\u2ec9\u2ecb\u2ed0\u2ed3\u2ed4\u2ed9\u2eda\u2edb\u2edc\u2ee0\u2ee2\u2ee5\u2ee6"
    "\u2ee7\u2eea\u2eec\u2eee\u2ef0\u2ef3",
    "纟见讠贝车钅长门韦页风飞饣马鱼鸟卤黾齐齿龙龟",
)))
"""The Chinese characters that the CJK font's glyphs are named by in the PDF's text as "C-simplified
radicals" (U+2E80 block, which NFKC leaves alone: ⻓ for 长, ⻅ for 见), as the characters."""


def _as_in_pdf_text(text: str) -> str:
    """:func:`_squash` in Unicode's compatibility form NFKC, for searching the PDF's text, which holds the
    font's ligatures ("diﬀers" for "differs") and radicals for some Chinese characters ("⻓" for "长");
    both sides of a search go through it."""
    return _squash(unicodedata.normalize("NFKC", text).translate(SIMPLIFIED_RADICALS))


def _squeeze(text: str) -> str:
    """Text without any whitespace, for comparing titles that a PDF may break differently."""
    return re.sub(r"\s+", "", text)


def _in_pdf_text(text: str, pdf_text: str) -> bool:
    """Whether ``text`` is in the PDF's text (both squeezed). A sentence glued into the text may
    cross a page break, where the PDF's text puts the page's footer, or a code cell that the page
    prints beside it, between its two parts: then both parts, of 8 characters at least, are there.

    >>> _in_pdf_text("训练集覆盖了整整一年，所以每个季节都在其中", "训练集覆盖了整整一def()51/92年，所以每个季节都在其中")
    True
    >>> _in_pdf_text("训练集覆盖了整整一年，所以每个季节都在其中", "训练集覆盖了整整两年，所以每个季节都在其中")
    False
    """
    if text in pdf_text:
        return True
    return len(text) >= 16 and any(
        text[:cut] in pdf_text and text[cut:] in pdf_text for cut in range(8, len(text) - 7)
    )


class Book:
    """One edition's PDF, read once: its pages' text, bookmarks and links."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reader = PdfReader(path)
        self.pages = [page.extract_text() or "" for page in self.reader.pages]
        self.text = _as_in_pdf_text(" ".join(self.pages))

    def bookmarks(self) -> list[tuple[int, str, int]]:
        """Every bookmark, depth first: (level from 0, title, page number from 1)."""
        found: list[tuple[int, str, int]] = []

        def walk(items: list[Any], level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    page = self.reader.get_destination_page_number(item) + 1
                    found.append((level, str(item.title), page))

        walk(self.reader.outline, 0)
        return found

    def links(self) -> list[tuple[int, int]]:
        """The links inside the PDF: (page of the link, page it leads to), pages from 1."""
        named: dict[str, Destination] = self.reader.named_destinations
        found = []
        for number, page in enumerate(self.reader.pages, start=1):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                destination = annotation.get("/Dest")
                if annotation.get("/Subtype") != "/Link" or destination is None:
                    continue
                if isinstance(destination, str) and destination in named:
                    target = self.reader.get_destination_page_number(named[destination]) + 1
                    found.append((number, target))
        return found


@cache
def _book(path: Path) -> Book:
    return Book(path)


@pytest.fixture(params=EDITIONS, ids=lambda prefix: prefix.rstrip("/") or "root")
def edition(request: pytest.FixtureRequest, site_dir: Path) -> tuple[Path, Book]:
    """An edition's site folder and its PDF; fails (does not skip) when the PDF is missing."""
    site = site_dir / request.param
    pdf = site / book_pdf_name()
    if not pdf.is_file():
        pytest.fail(f"No PDF at {pdf}: run python -m booktools.pdf --all after the book build.")
    return site, _book(pdf)


def page_title(site: Path, page: str) -> str:
    """The h1 of a page of the site, as it reads."""
    text = (site / f"{page}.html").read_text(encoding="utf-8")
    text = text[text.find("<article"):]
    match = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", text, re.S)
    assert match, f"no title (h1) in {site / page}.html"
    return _squash(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))))


def test_pdf_has_pages_and_numbers_them(edition: tuple[Path, Book]) -> None:
    """Enough pages for the chapters, and "page / pages" in the footer of every page."""
    _, book = edition
    count = len(book.pages)
    assert count >= MIN_PAGES_PER_CHAPTER * len(NOTEBOOKS), f"{book.path}: only {count} pages"
    unnumbered = [n for n, text in enumerate(book.pages, start=1) if f"{n} / {count}" not in text]
    assert not unnumbered, f"{book.path}: pages without 'page / {count}' in the footer: {unnumbered}"


def test_pdf_bookmarks_follow_the_toc(edition: tuple[Path, Book]) -> None:
    """A bookmark per page of the book, with its title, in toc order, on increasing pages."""
    site, book = edition
    bookmarks = book.bookmarks()
    assert bookmarks, f"{book.path} has no bookmarks"
    by_title = {}
    for level, title, page in bookmarks:
        by_title.setdefault(_squeeze(title), (level, page))
    chapters = PAGES[1:]
    missing = [p for p in chapters if _squeeze(page_title(site, p)) not in by_title]
    assert not missing, f"{book.path}: no bookmark for {missing}; bookmarks: {bookmarks}"
    pages = [by_title[_squeeze(page_title(site, p))][1] for p in chapters]
    assert pages == sorted(pages), f"{book.path}: chapters out of toc order: {pages}"
    # Chromium drops the space where a heading wraps; booktools.pdf puts it back.
    titles = {page_title(site, p) for p in chapters}
    squeezed = {_squeeze(t) for t in titles}
    lost = [t for _, t, _ in bookmarks if _squeeze(t) in squeezed and t not in titles]
    assert not lost, f"{book.path}: bookmark titles that lost a space: {lost}"
    doubled = [t for _, t, _ in bookmarks if re.fullmatch(r"(.+?)\s*\1", t)]
    assert not doubled, f"{book.path}: bookmark titles written twice: {doubled}"


def test_pdf_links_lead_inside_the_book(edition: tuple[Path, Book]) -> None:
    """The contents link to every chapter's first page; some chapter links to another one."""
    site, book = edition
    links = book.links()
    starts = {p: page for _, t, page in book.bookmarks() for p in PAGES[1:]
              if _squeeze(t) == _squeeze(page_title(site, p))}
    first_chapter = min(starts.values())
    from_contents = {target for source, target in links if source < first_chapter}
    missing = [p for p, page in starts.items() if page not in from_contents]
    assert not missing, f"{book.path}: the contents do not link to {missing}"
    bounds = sorted(starts.values())

    def chapter_of(page: int) -> int:
        return max((b for b in bounds if b <= page), default=0)

    across = [(s, t) for s, t in links if s >= first_chapter and chapter_of(s) != chapter_of(t)]
    assert across, f"{book.path}: no link from a chapter to another part of the book"


def test_pdf_holds_the_figures_math_numbers_and_tables(edition: tuple[Path, Book]) -> None:
    """Every figure of the site, no TeX source, every glued number and table heading."""
    site, book = edition
    images = set()
    for page in book.reader.pages:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        for ref in (objects.get_object().values() if objects is not None else []):
            if ref.get_object().get("/Subtype") == "/Image":
                images.add(ref.idnum)
    figures = sum(
        len(re.findall(r"<img [^>]*src=\"\.\./_images/", (site / f"{p}.html").read_text("utf-8")))
        for p in NOTEBOOKS
    )
    assert len(images) >= figures, f"{book.path}: {len(images)} images for {figures} figures"
    tex = [m for m in ("\\(", "\\[", "\\frac", "\\lfloor", "$$") if m in book.text]
    assert not tex, f"{book.path}: math left as TeX source ({tex}): was MathJax served?"
    missing = []
    pdf_text = _squeeze(book.text)  # Chinese lines break without a space; the PDF's text adds one
    for page in NOTEBOOKS:
        source = (site / f"{page}.html").read_text(encoding="utf-8")
        expected = re.findall(r'<span class="pasted-text">([^<]*)</span>', source)
        expected += re.findall(r"<th[^>]*>([^<]*)</th>", source)
        missing += [(page, text) for text in map(lambda t: _as_in_pdf_text(html.unescape(t)), expected)
                    if text and not _in_pdf_text(_squeeze(text), pdf_text)]
    assert not missing, f"{book.path}: glued numbers or table headings not in the PDF: {missing}"


def test_download_menu_serves_the_pdf(open_tab: Callable[..., Tab]) -> None:
    """Each chapter's download menu has the book's PDF, and the site serves it."""
    tab = load(open_tab, f"{NOTEBOOKS[0]}.html")
    link = tab.page.locator(".dropdown-download-buttons a.btn-download-book-pdf-button")
    assert link.count() == 1, "no 'Book .pdf' in the download menu (booktools/sphinxext/book_pdf.py)"
    tab.page.click(".dropdown-download-buttons button.dropdown-toggle")
    link.wait_for(state="visible")
    href = link.evaluate("a => a.href")
    assert href.endswith("/" + book_pdf_name()), href
    response = tab.page.request.get(href)
    assert response.status == 200 and response.body()[:5] == b"%PDF-", (
        f"{href}: HTTP {response.status}, not a PDF (run python -m booktools.pdf --all)"
    )


# The space that must separate the texts of two neighbouring cells, in ems of the cell's type: less,
# and they read (and copy out of the PDF) as one ("13,79331.9").
MIN_CELL_GAP_EM = 0.5
# A cell's text that is a number or a version (13,793, 31.9, -0.5%, 2.20.0): a run of them in a row
# must come out of the PDF's text as separate words.
NUMBER = r"[-+\u2212]?\d[\d,]*(?:\.\d+)*%?"

# Every table of the page as laid out: where it lies against the printable width, what cuts or
# overflows it, how close neighbouring cells' texts come, and its rows' runs of numbers.
TABLES_JS = """([minGapEm, number]) => {
    const width = document.documentElement.clientWidth;
    const isNumber = new RegExp('^' + number + '$');
    const clean = text => text.replace(/\\s+/g, ' ').trim();
    const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
        .filter(h => h.getClientRects().length > 0);
    const title = h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());
                         return clean(c.textContent); };
    const before = node => headings.filter(h => h.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING);
    const textBox = cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
        return rects.length ? {left: Math.min(...rects.map(r => r.left)), right: Math.max(...rects.map(r => r.right))} : null;
    };
    const round = x => Math.round(x * 10) / 10;
    return Array.from(document.querySelectorAll('table')).filter(t => t.getClientRects().length > 0).map(table => {
        const box = table.getBoundingClientRect();
        const above = before(table);
        const chapter = table.closest('div.pdf-chapter');
        const page = chapter ? title(chapter.querySelector('h1, h2, h3, h4, h5, h6'))
                             : 'the front matter';
        const section = above.length ? title(above[above.length - 1]) : '';
        const caption = table.caption ? clean(table.caption.textContent)
            : 'the table of ' + clean((table.rows[0] || table).textContent).slice(0, 60);
        const problems = [];
        if (box.right > width + 0.5 || box.left < -0.5) {
            problems.push(`is ${round(box.width)} px wide, running ${round(box.right - width)} px past the ` +
                          `right edge of the printable width (${width} px)`);
        }
        for (let up = table.parentElement; up; up = up.parentElement) {
            const style = getComputedStyle(up);
            const edge = up.getBoundingClientRect().right;
            if (style.overflowX !== 'visible' && box.right > edge + 0.5) {
                problems.push(`is cut ${round(box.right - edge)} px short by its box ` +
                              `<${up.tagName.toLowerCase()} class="${up.className}"> (overflow-x: ${style.overflowX})`);
            }
        }
        if (table.scrollWidth > table.clientWidth + 1) {
            problems.push(`holds content ${table.scrollWidth - table.clientWidth} px wider than itself`);
        }
        const runs = [];
        for (const row of table.rows) {
            const cells = Array.from(row.cells);
            let run = [];
            for (const cell of [...cells, null]) {
                const text = cell ? clean(cell.textContent) : '';
                if (cell && isNumber.test(text)) { run.push(text); continue; }
                if (run.length > 1) runs.push(run.join(' '));
                run = [];
            }
            for (const cell of cells) {
                if (cell.scrollWidth > cell.clientWidth + 1) {
                    problems.push(`has a cell whose content runs ${cell.scrollWidth - cell.clientWidth} px out ` +
                                  `of it: "${clean(cell.textContent).slice(0, 40)}"`);
                }
            }
            for (let i = 0; i + 1 < cells.length; i++) {
                const left = textBox(cells[i]), right = textBox(cells[i + 1]);
                if (!left || !right) continue;
                const size = Math.min(parseFloat(getComputedStyle(cells[i]).fontSize),
                                      parseFloat(getComputedStyle(cells[i + 1]).fontSize));
                const gap = right.left - left.right;
                if (gap < minGapEm * size) {
                    problems.push(`has neighbouring cells whose texts are ${round(gap)} px apart (less than ` +
                                  `${minGapEm} em): "${clean(cells[i].textContent).slice(0, 30)}" | ` +
                                  `"${clean(cells[i + 1].textContent).slice(0, 30)}"`);
                }
            }
        }
        return {page, section, caption, width: round(box.width), problems, runs};
    });
}"""


_PRINTED: dict[str, list[dict[str, Any]]] = {}


def printed_tables(browser: Browser, site_dir: Path, prefix: str) -> list[dict[str, Any]]:
    """The tables of an edition's single page as it prints (:data:`TABLES_JS`), measured once.

    The page is the ``singlehtml`` build that ``python -m booktools.pdf`` printed, in the default
    folder beside the site (``_build/pdf/<language>/singlehtml``), opened offline with MathJax.
    """
    if prefix not in _PRINTED:
        language = prefix.rstrip("/") or pdf_edition(sphinx_config(REPO), None)[0]
        folder = site_dir.parent / "pdf" / language / "singlehtml"
        if not (folder / "index.html").is_file():
            pytest.fail(f"No single page at {folder}: run python -m booktools.pdf --all after the book build.")
        external: list[str] = []
        with serve(folder) as base:
            context = browser.new_context()
            try:
                context.route("**/*", offline_route(base, external))
                page = context.new_page()
                page.set_default_timeout(120_000)
                page.goto(base + root_page(folder).name, wait_until="load")
                page.evaluate(READY_JS)
                lay_out_for_print(page)
                _PRINTED[prefix] = page.evaluate(TABLES_JS, [MIN_CELL_GAP_EM, NUMBER])
            finally:
                context.close()
    return _PRINTED[prefix]


@pytest.mark.parametrize("prefix", EDITIONS, ids=lambda prefix: prefix.rstrip("/") or "root")
def test_pdf_tables_fit_the_paper(browser: Browser, site_dir: Path, prefix: str) -> None:
    """Every table of the printed page within A4's printable width, uncut, its cells apart."""
    tables = printed_tables(browser, site_dir, prefix)
    assert tables, f"{prefix or 'root'}: no table in the printed page"
    bad = [t for t in tables if t["problems"]]
    wide = [t for t in bad if any("printable width" in p or "is cut" in p for p in t["problems"])]
    lines = [f"page {t['page']!r}, section {t['section']!r}, {t['caption']!r} ({t['width']} px): {problem}"
             for t in bad for problem in t["problems"]]
    assert not bad, (
        f"edition {prefix or 'root'}: {len(bad)} of {len(tables)} tables do not fit the paper "
        f"({len(wide)} wider than the page), printed at {printable_width_px()} px (A4 less the PDF's margins):\n  "
        + "\n  ".join(lines)
    )


def test_pdf_table_numbers_stay_apart(browser: Browser, site_dir: Path, edition: tuple[Path, Book]) -> None:
    """The numbers of neighbouring cells come out of the PDF's text as separate words."""
    site, book = edition
    prefix = site.relative_to(site_dir).as_posix().strip(".")
    prefix = f"{prefix}/" if prefix else ""
    runs = [(t["page"], t["caption"], run) for t in printed_tables(browser, site_dir, prefix) for run in t["runs"]]
    assert runs, f"{book.path}: no row of a table with two numbers side by side"
    joined = [(page, caption, run) for page, caption, run in runs if _as_in_pdf_text(run) not in book.text]
    assert not joined, f"{book.path}: numbers of neighbouring cells run together in the PDF's text:\n  " + (
        "\n  ".join(f"page {page!r}, {caption!r}: {run!r}" for page, caption, run in joined))
