"""Print the whole book to one PDF, from the book itself and without the network.

Usage, from the repository, after ``jupyter-book build .``::

    python -m booktools.pdf                       # the book's PDF into _build/html/
    python -m booktools.pdf --language zh_CN      # another edition: into _build/html/zh_CN/
    python -m booktools.pdf --all                 # every edition of _config.yml

It takes three steps:

1. **One page.** Jupyter Book's Sphinx call (:func:`booktools.sphinx_build.build`, as for the
   translated editions) builds the book with the ``singlehtml`` builder (the
   same ``_config.yml`` and ``_toc.yml``, ``-W -n --keep-going``, the committed notebooks, nothing
   executed) into ``_build/pdf/<language>/singlehtml/``. ``booktools/sphinxext/book_pdf.py`` lays that page out as
   a book: a heading per part of the table of contents, each chapter from a new page.
2. **A browser.** That page is served on 127.0.0.1 and opened in Debian's headless Chromium
   (:mod:`booktools.chromium`: nothing leaves the machine), with MathJax from a local copy of
   the npm package ``mathjax@3`` (``--mathjax`` or ``$SEQCNN_MATHJAX``; without it the math would
   print as TeX source, so the tool stops). It waits until every image is loaded and the math is
   typeset.
3. **Print.** Chromium prints the page with the print rules of ``_static/reader.css`` (every output
   whole, long lines wrapped, every table within the page's width: :func:`lay_out_for_print`): A4,
   the book's title and "page / pages" in each footer, a tagged PDF whose bookmarks are the headings
   (part, chapter, section) and whose links inside the book (the contents, cross-references,
   citations) stay links.

The PDF is written, atomically and readable by everyone (mode 0644, as the rest of the site, so that
a web server running as another user can serve it), to ``<site>/<book_pdf>``: ``book_pdf`` is set in ``_config.yml``
(under ``sphinx.config``) and is the file that every page's download menu links to. The site is
``_build/html`` for the book's first edition, ``_build/html/<language>`` for another one (the
``editions`` of ``_config.yml``; that edition's own settings apply, as in its html build).

Why Chromium and not LaTeX: the site test already installs Chromium, the PDF looks like the site
(the html outputs, such as the pandas tables and the coloured words of the IMDB chapter, print as
they are; LaTeX prints them as ``<pandas.io.formats.style.Styler at 0x...>``), and it needs no TeX
installation (texlive-latex-extra and texlive-xetex: about 400 MB, plus texlive-fonts-extra,
1.4 GB, for the ``bbm`` package that Jupyter Book's LaTeX class requires). Jupyter Book's own
``pdfhtml`` builder downloads a browser at run time and cannot work offline.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from booktools import sphinx_build
from booktools.chromium import CHROMIUM_ARGS, chromium_executable, offline_route, serve

REPO = Path(__file__).resolve().parents[1]
PAPER = "A4"
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
# The paper's width in millimetres (Chromium's paper formats), and CSS's 96 pixels to the inch.
PAPER_WIDTH_MM = {"A4": 210.0, "A3": 297.0, "A5": 148.0, "Letter": 215.9, "Legal": 215.9}
PX_PER_MM = 96 / 25.4
TIMEOUT_MS = 180_000
# Chromium fills the classes title, pageNumber and totalPages of these templates.
HEADER = "<span></span>"
FOOTER = (
    '<div style="width: 100%; margin: 0 16mm; display: flex; justify-content: space-between;'
    ' font-size: 8px; color: #555; font-family: sans-serif;">'
    '<span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)
# Resolves when every image is loaded (an image that fails counts as loaded: the count below tells)
# and MathJax has typeset the page; returns what the page holds.
READY_JS = """async () => {
    for (const img of document.images) { img.loading = 'eager'; }
    await Promise.all(Array.from(document.images).map(img => img.complete ? null :
        new Promise(done => { img.onload = done; img.onerror = done; })));
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        await MathJax.startup.promise;
    }
    await document.fonts.ready;
    return {
        images: document.images.length,
        broken: Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src),
        math: document.querySelectorAll('.math').length,
        typeset: document.querySelectorAll('mjx-container').length,
    };
}"""


# Run with print media: the list of contents keeps its part captions out of the PDF's bookmarks (the
# theme marks them role="heading"), and the headings that print, in order, are returned as
# [level, text]: Chromium's bookmarks lose the space where a heading wraps ("with1D"), and these
# texts put it back.
PREPARE_JS = """() => {
    for (const caption of document.querySelectorAll('#jb-print-toc [role="heading"]')) {
        caption.removeAttribute('role');
        caption.removeAttribute('aria-level');
    }
    return Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
        .filter(h => h.getClientRects().length > 0)
        .map(h => {
            const copy = h.cloneNode(true);
            copy.querySelectorAll('.headerlink').forEach(a => a.remove());
            return [Number(h.tagName[1]), copy.textContent.replace(/\\s+/g, ' ').trim()];
        });
}"""


# Run with print media at the printable width: the tables made to fit the paper (the print rules of
# _static/reader.css do most of it). Marks the numeric columns (every filled data cell a number):
# class pdf-numeric, right-aligned, each number whole, set apart. Lets the long words of the other
# cells (paths, dotted names: 17 characters or more) break after a dot, slash, underscore or hyphen
# (<wbr>). Then a table still wider than the text's column, in turn: may use the whole printable
# width (pdf-wide: into the margin that the theme leaves on the left of the text); is printed in
# smaller type, down to MIN_TABLE_SCALE of the print rules' size; has the words of its text cells
# broken anywhere (pdf-break-anywhere; a number, or a cell of one short word, stays whole). Returns
# what it did to which table: [[where, scale, wide, anywhere, fits], ...], for tables it changed.
MIN_TABLE_SCALE = 0.8
FIT_TABLES_JS = r"""(minScale) => {
    const number = /^[-+\u2212]?(\d{1,3}(,\d{3})+|\d+|\d*\.\d+|\d{1,3}(,\d{3})+\.\d+|\d+\.\d+)([eE][-+]?\d+)?\s?[%\u00d7x]?$/;
    const clean = text => text.replace(/\s+/g, ' ').trim();
    const page = document.documentElement.clientWidth;
    const columnsOf = table => {  // each cell's column, counting the spans of the rows above
        const taken = [], columns = new Map();
        Array.from(table.rows).forEach((row, r) => {
            let c = 0;
            for (const cell of row.cells) {
                while (taken[r] && taken[r][c]) c++;
                columns.set(cell, c);
                for (let dr = 0; dr < Math.max(cell.rowSpan, 1); dr++) {
                    for (let dc = 0; dc < Math.max(cell.colSpan, 1); dc++) {
                        (taken[r + dr] = taken[r + dr] || [])[c + dc] = true;
                    }
                }
                c += Math.max(cell.colSpan, 1);
            }
        });
        return columns;
    };
    const breakLongWords = cell => {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        const found = [];
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (/\S{17,}/.test(node.data) && !node.parentElement.closest('mjx-container')) found.push(node);
        }
        for (const node of found) {
            const fragment = document.createDocumentFragment();
            for (const piece of node.data.split(/(\S{17,})/)) {
                piece.split(/(?<=[._\/\\-])(?=[^\s._\/\\-])/).forEach((part, i) => {
                    if (i) fragment.append(document.createElement('wbr'));
                    fragment.append(part);
                });
            }
            node.replaceWith(fragment);
        }
    };
    const column = table => {  // the text's column: the content box of the table's container
        const box = table.parentElement.getBoundingClientRect(), style = getComputedStyle(table.parentElement);
        return {left: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
                right: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth)};
    };
    const fits = (table, right) => {
        const box = table.getBoundingClientRect();
        return box.left >= -0.5 && box.right <= Math.min(right, page) + 0.5 &&
            table.scrollWidth <= table.clientWidth + 1 &&
            Array.from(table.querySelectorAll('th, td')).every(c => c.scrollWidth <= c.clientWidth + 1);
    };
    const report = [];
    for (const table of document.querySelectorAll('table')) {
        if (!table.getClientRects().length) continue;
        const columns = columnsOf(table);
        const numeric = new Map();  // column -> every filled data cell so far a number
        for (const row of table.rows) {
            if (row.parentElement.tagName === 'THEAD') continue;
            for (const cell of row.cells) {
                const text = clean(cell.textContent);
                if (cell.tagName !== 'TD' || cell.colSpan > 1 || !text) continue;
                const c = columns.get(cell);
                numeric.set(c, numeric.get(c) !== false && number.test(text));
            }
        }
        for (const [cell, c] of columns) {
            if (cell.colSpan === 1 && numeric.get(c)) {
                cell.classList.add('pdf-numeric');
            } else {
                breakLongWords(cell);
                if (/^\S{1,12}$/.test(clean(cell.textContent))) cell.classList.add('pdf-word');
            }
        }
        const text = column(table);
        if (fits(table, text.right)) continue;
        // The whole printable width: first into the right margin of the column, then the left one.
        table.classList.add('pdf-wide');
        table.style.maxWidth = `${page - text.left}px`;
        if (!fits(table, page)) {
            table.style.maxWidth = `${page}px`;
            table.style.marginLeft = `${-text.left}px`;
        }
        let scale = 1;
        const size = parseFloat(getComputedStyle(table).fontSize);
        while (!fits(table, page) && scale > minScale + 1e-9) {
            scale = Math.max(minScale, scale - 0.05);
            table.style.fontSize = `${size * scale}px`;
        }
        const anywhere = !fits(table, page);
        if (anywhere) table.classList.add('pdf-break-anywhere');
        const heading = (table.closest('section') || document.body).querySelector('h1, h2, h3, h4, h5, h6');
        report.push([clean(heading ? heading.textContent : '').replace(/#$/, '') + ': ' +
                     clean((table.rows[0] || table).textContent).slice(0, 50), scale, true, anywhere,
                     fits(table, page)]);
    }
    return report;
}"""


class PdfError(RuntimeError):
    """The PDF cannot be made; the message says why and what to do."""


def sphinx_config(book: Path) -> dict[str, Any]:
    """The ``sphinx.config`` section of the book's ``_config.yml`` (empty if it has none)."""
    path = book / "_config.yml"
    if not path.is_file():
        raise PdfError(f"No _config.yml in {book}: give --book the folder of the Jupyter Book.")
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict((config.get("sphinx") or {}).get("config") or {})


def edition(config: dict[str, Any], language: str | None) -> tuple[str, bool, dict[str, Any]]:
    """The language, whether it is the root edition, and the Sphinx settings of that edition.

    Without ``editions`` in the config, the book has one edition, at the root of the site.

    >>> edition({}, None)
    ('en', True, {})
    >>> editions = {"editions": {"en": {}, "zh_CN": {"config": {"author": "X"}}}}
    >>> edition(editions, "zh_CN")
    ('zh_CN', False, {'author': 'X'})
    """
    editions = config.get("editions") or {}
    root = next(iter(editions), config.get("language") or "en")
    language = language or root
    if editions and language not in editions:
        raise PdfError(
            f"No edition {language!r} in _config.yml (editions: {', '.join(editions)})."
        )
    overrides = dict((editions.get(language) or {}).get("config") or {})
    return language, language == root, overrides


def build_single_page(
    book: Path, language: str, is_root: bool, overrides: dict[str, Any], work: Path
) -> Path:
    """Build the book as one html page into ``work/singlehtml``; returns that folder."""
    out = work / "singlehtml"
    result = sphinx_build.build(book, out, builder="singlehtml", language=None if is_root else language,
                                overrides=overrides, warningiserror=True, keep_going=True, nitpicky=True)
    if result != 0 or not (out / "index.html").is_file():
        raise PdfError(
            f"The single-page build of the book failed (its messages are above); the PDF is "
            f"printed from it. It is the html build with builder singlehtml, into {out}."
        )
    return out


def root_page(folder: Path) -> Path:
    """The page of a singlehtml build that holds the book (index.html may only redirect to it)."""
    pages = [p for p in folder.glob("*.html") if p.name not in {"index.html", "search.html",
                                                                 "genindex.html"}]
    if len(pages) != 1:
        raise PdfError(f"Expected one page of the book in {folder}, found {pages}.")
    return pages[0]


def print_pdf(folder: Path, title: str, target: Path, mathjax: Path) -> dict[str, Any]:
    """Open the single page in headless Chromium and print it to ``target``; returns page facts."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    if executable is None:
        raise PdfError(
            "Chromium is not installed: apt-get install chromium (or point SEQCNN_CHROMIUM at "
            "a Chromium binary). Never `playwright install`."
        )
    page_name = root_page(folder).name
    external: list[str] = []
    with serve(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route("**/*", offline_route(base, external, mathjax))
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(base + page_name, wait_until="load")
            facts: dict[str, Any] = page.evaluate(READY_JS)
            if facts["broken"]:
                raise PdfError(f"Images that did not load in {folder}: {facts['broken']}")
            if facts["math"] and not facts["typeset"]:
                raise PdfError(
                    f"MathJax did not typeset the {facts['math']} formulas of the page (is "
                    f"{mathjax} a copy of the npm package mathjax@3?). Errors: {errors}"
                )
            page.evaluate("title => { document.title = title; }", title)
            facts["headings"] = lay_out_for_print(page)
            page.pdf(
                path=str(target),
                format=PAPER,
                margin=MARGINS,
                print_background=True,
                display_header_footer=True,
                header_template=HEADER,
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
        finally:
            browser.close()
    facts["external"] = external
    return facts


def printable_width_px(paper: str = PAPER, margins: dict[str, str] = MARGINS) -> int:
    """The width of the printed page inside its margins, in CSS pixels (rounded down).

    Chromium lays a page out at this width when it prints it, so a page shown at this width with
    print media looks as it prints (:func:`lay_out_for_print`).

    >>> printable_width_px()  # A4, 210 mm, less 2 x 16 mm: 178 mm at 96 pixels to the inch
    672
    >>> printable_width_px("Letter", {"left": "1in", "right": "1in"})
    624
    """
    def millimetres(length: str) -> float:
        match = re.fullmatch(r"\s*([\d.]+)\s*(mm|cm|in|px)\s*", length)
        if not match:
            raise ValueError(f"a margin in mm, cm, in or px, not {length!r}")
        value, unit = float(match.group(1)), match.group(2)
        return value * {"mm": 1.0, "cm": 10.0, "in": 25.4, "px": 1 / PX_PER_MM}[unit]

    width = PAPER_WIDTH_MM[paper] - millimetres(margins.get("left", "0mm")) - millimetres(
        margins.get("right", "0mm"))
    return int(width * PX_PER_MM + 1e-6)


def lay_out_for_print(page: Any) -> list[list[Any]]:
    """Lay an open page of the book out as Chromium prints it; returns the headings that print.

    The page gets the printable width (:func:`printable_width_px`; what the page's scripts
    measure is then what prints) and print media (the print rules of ``_static/reader.css``);
    its tables are made to fit the paper (``FIT_TABLES_JS``: numeric columns marked, long words
    given places to break, a table still too wide printed in smaller type, which is said on
    stdout); the list of contents is made ready for the bookmarks (``PREPARE_JS``). :func:`print_pdf`
    prints what this leaves, and ``tests_site/test_pdf.py`` measures it.
    """
    size = page.viewport_size or {"height": 900}
    page.set_viewport_size({"width": printable_width_px(), "height": size["height"]})
    page.emulate_media(media="print")
    for where, scale, wide, anywhere, fits in page.evaluate(FIT_TABLES_JS, MIN_TABLE_SCALE):
        done = ["printed across the whole printable width"] * wide + [
            f"in {scale:.0%} of the tables' type"] * (scale < 1) + ["with its words broken anywhere"] * anywhere
        print(f"booktools.pdf: the table of {where!r} is {', '.join(done)}"
              + ("" if fits else ", and is still wider than the page"))
    return page.evaluate(PREPARE_JS)


def build_pdf(
    book: Path = REPO,
    language: str | None = None,
    site: Path | None = None,
    work: Path | None = None,
    mathjax: Path | None = None,
) -> Path:
    """Build the PDF of one edition of the book into its site; returns the PDF's path."""
    started = time.monotonic()
    book = book.resolve()
    config = sphinx_config(book)
    name = config.get("book_pdf")
    if not name:
        raise PdfError(
            f"No book_pdf in {book / '_config.yml'} (sphinx.config): name the PDF there, "
            "e.g. book_pdf: book.pdf; the download menu links to it."
        )
    language, is_root, overrides = edition(config, language)
    site = (site or book / "_build" / "html" / ("" if is_root else language)).resolve()
    if not (site / "index.html").is_file():
        raise PdfError(
            f"No built site at {site} (no index.html): run jupyter-book build . first; the PDF "
            "is written into the site, beside the pages that link to it."
        )
    mathjax = mathjax or (Path(os.environ["SEQCNN_MATHJAX"]) if os.environ.get("SEQCNN_MATHJAX")
                          else None)
    if mathjax is None or not (mathjax / "es5" / "tex-mml-chtml.js").is_file():
        raise PdfError(
            f"No local MathJax ({mathjax or 'give --mathjax or SEQCNN_MATHJAX'}): without it the "
            "math prints as TeX source. Install it with npm install --prefix .cache/mathjax "
            "mathjax@3 and pass .cache/mathjax/node_modules/mathjax."
        )
    work = (work or book / "_build" / "pdf" / language).resolve()
    single = build_single_page(book, language, is_root, overrides, work)
    built = time.monotonic()
    title = str(overrides.get("html_title") or config.get("html_title") or _book_title(book))
    target = site / name
    with tempfile.NamedTemporaryFile(dir=site, prefix=f".{name}.", suffix=".tmp",
                                     delete=False) as part:
        partial = Path(part.name)
    try:
        facts = print_pdf(single, title, partial, mathjax)
        fixed = fix_outline_titles(partial, [text for _, text in facts["headings"]])
        publish(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    pages, outline = _pdf_summary(target)
    print(
        f"booktools.pdf: {target} ({language}): {pages} pages, {target.stat().st_size / 1e6:.1f} MB, "
        f"{outline} bookmarks ({fixed} titles mended), {facts['images']} images, {facts['typeset']} formulas; "
        f"single page built in {built - started:.1f} s, printed in "
        f"{time.monotonic() - built:.1f} s"
    )
    if facts["external"]:
        print(f"booktools.pdf: requests to other hosts, answered empty: {sorted(set(facts['external']))}")
    return target


def publish(partial: Path, target: Path) -> None:
    """Move a finished file into the site, readable by everyone (0644), atomically.

    A temporary file is private (0600); a web server running as another user could not serve it.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with tempfile.NamedTemporaryFile(dir=folder, delete=False) as part:
    ...     _ = part.write(b"%PDF")
    >>> publish(Path(part.name), folder / "book.pdf")
    >>> oct((folder / "book.pdf").stat().st_mode & 0o777), Path(part.name).exists()
    ('0o644', False)
    """
    os.chmod(partial, 0o644)
    os.replace(partial, target)


def mend_title(title: str, heading: str | None, headings: dict[str, str]) -> str:
    """A bookmark's title as its heading reads.

    ``heading`` is the heading at the same place in the document (None when the bookmarks and the
    headings do not pair up one to one); else the heading whose text differs from the title only
    in whitespace, if there is one.

    >>> mend_title("Exercises Exercises", "Exercises", {})
    'Exercises'
    >>> mend_title("Sequence processing with1D convnets", None, {"Sequenceprocessingwith1Dconvnets":
    ...     "Sequence processing with 1D convnets"})
    'Sequence processing with 1D convnets'
    >>> mend_title("Summary", None, {})
    'Summary'
    """
    if heading is not None:
        return heading
    return headings.get(re.sub(r"\s+", "", title), title)


def fix_outline_titles(path: Path, headings: list[str]) -> int:
    """Give each bookmark of a PDF the text of its heading; returns how many titles changed.

    Chromium's bookmarks follow the headings in order, but their titles lose the space where a
    heading wraps ("with1D") and repeat a heading that a page break cuts through ("Exercises
    Exercises"). When there are as many bookmarks as headings, each takes its heading's text.
    """
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    # Chromium's trailer undercounts its objects; pypdf says so on every run, harmlessly.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=str(path))
    items = []
    outlines = writer.root_object.get("/Outlines")
    stack = [outlines.get_object().get("/First")] if outlines is not None else []
    while stack:  # depth first, in document order
        item = stack.pop()
        if item is not None:
            node = item.get_object()
            items.append(node)
            stack.extend([node.get("/Next"), node.get("/First")])
    paired: list[str | None] = list(headings) if len(headings) == len(items) else [None] * len(items)
    by_key = {re.sub(r"\s+", "", text): text for text in reversed(headings)}
    changed = 0
    for node, heading in zip(items, paired):
        title = str(node.get("/Title", ""))
        mended = mend_title(title, heading, by_key)
        if mended != title:
            node[NameObject("/Title")] = TextStringObject(mended)
            changed += 1
    if changed:
        buffer = io.BytesIO()
        writer.write(buffer)
        path.write_bytes(buffer.getvalue())
    return changed


def _book_title(book: Path) -> str:
    """The ``title`` of the book's ``_config.yml``."""
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    return str(config.get("title") or "")


def _pdf_summary(path: Path) -> tuple[int, int]:
    """The number of pages and of bookmarks (at every level) of a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(path)

    def count(items: list[Any]) -> int:
        return sum(count(item) if isinstance(item, list) else 1 for item in items)

    return len(reader.pages), count(reader.outline)


def main(argv: list[str] | None = None) -> int:
    """The command line: see the module's docstring."""
    parser = argparse.ArgumentParser(prog="python -m booktools.pdf",
                                     description="Print the whole book to one PDF (offline).")
    parser.add_argument("--book", type=Path, default=REPO, help="the Jupyter Book (default: .)")
    parser.add_argument("--language", help="the edition (default: the first of editions)")
    parser.add_argument("--all", action="store_true", help="every edition, each into its site")
    parser.add_argument("--site", type=Path, help="the built site of that edition, where the "
                        "PDF goes (default: _build/html, or _build/html/<language>)")
    parser.add_argument("--work", type=Path, help="the single-page build (default: "
                        "_build/pdf/<language>)")
    parser.add_argument("--mathjax", type=Path, help="the npm package mathjax@3 (the folder "
                        "holding es5/; default: $SEQCNN_MATHJAX)")
    args = parser.parse_args(argv)
    if args.all and (args.language or args.site or args.work):
        parser.error("--all builds every edition where it belongs: no --language, --site, --work")
    try:
        languages = (
            list(sphinx_config(args.book.resolve()).get("editions") or [None])
            if args.all else [args.language]
        )
        for language in languages:
            build_pdf(args.book, language, args.site, args.work, args.mathjax)
    except PdfError as error:
        print(f"booktools.pdf: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
