"""The "Running the chapters" page and what the built site shows of the machine that built it.

Run after `jupyter-book build .`:  pytest tests_site -o addopts=""
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

if TYPE_CHECKING:
    from conftest import Tab

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "chapters").glob("*.ipynb"))

#: Absolute paths of a machine (the repository's own folder and the home folder are added below).
MACHINE_PATH = re.compile(r"(?<![\w.])(/work/|/home/|/tmp/|/root/|/Users/|/var/folders/|[A-Za-z]:\\Users\\)")


def test_running_page_shows_each_chapters_record(open_tab: Callable[[], Tab]) -> None:
    tab = open_tab()
    tab.page.goto(tab.url("running.html"))
    rows = tab.page.locator("table.execution-record tbody tr")
    assert rows.count() == len(CHAPTERS)
    headers = tab.page.locator("table.execution-record thead th").all_inner_texts()
    assert headers[:2] == ["Chapter", "Run time (s)"]
    for row, path in zip(rows.all(), CHAPTERS, strict=True):
        facts = nbformat.read(path, as_version=4).metadata["seqcnn"]["execution"]
        cells = row.locator("td").all_inner_texts()
        assert cells[1] == f"{facts['seconds']:.1f}"
        assert cells[3] == facts["python"] and cells[4] == facts["packages"]["keras"]
        for data_set in facts["data"]:
            assert f"{data_set['name']} (" in cells[8] and data_set["sha256"] in cells[8]
        # The chapter's title links to the chapter.
        link = row.locator("td a")
        assert link.get_attribute("href").endswith(f"chapters/{path.stem}.html")
    assert not tab.problems(), tab.problems()


def test_no_page_of_the_site_shows_a_machine_path(site_dir: Path) -> None:
    own = {f"{REPO}/", f"{Path.home()}/"}
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) >= len(CHAPTERS)
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        hits = set(MACHINE_PATH.findall(text)) | {path for path in own if path in text}
        found += [f"{page.relative_to(site_dir)}: {hit}" for hit in sorted(hits)]
    assert not found, "pages show paths of the machine that built or executed the book:\n" + "\n".join(found)
