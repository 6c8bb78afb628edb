"""The built book in a real browser: every page of the table of contents, in headless Chromium.

Run after `jupyter-book build .`:  pytest tests_site -o addopts=""
(the empty addopts drops pyproject's nbval and coverage options, which are for the notebooks).
Every page is loaded from a local HTTP server and must have no console errors, intact figures, the
right launch buttons and a "next" link to the next page of the toc; search must find the chapters.
Full-page screenshots land in _build/screenshots/ (see conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

if TYPE_CHECKING:
    from conftest import Tab

REPO = Path(__file__).resolve().parents[1]

SEARCH_TERM = "convolution"


def _toc_files(entries: list[dict[str, Any]]) -> Iterator[str]:
    """The `file:` entries of a toc list, depth first (parts, chapters, sections)."""
    for entry in entries:
        if "file" in entry:
            yield str(entry["file"])
        for key in ("parts", "chapters", "sections"):
            yield from _toc_files(entry.get(key, []))


def toc_pages(repo: Path = REPO) -> list[str]:
    """Every page of `_toc.yml` in reading order, as docnames ("intro", "chapters/01_conv1d")."""
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"], *_toc_files([toc])]
    return [re.sub(r"\.(md|ipynb)$", "", page) for page in pages]


def launch_urls(notebook: str, repo: Path = REPO) -> dict[str, str]:
    """The Binder and Colab links of a notebook page ({"Binder": url, "Colab": url}).

    Built from `_config.yml` (repository url, branch and path_to_book; launch_buttons) the way
    the sphinx-book-theme does, so that a change of repository or branch needs no change here.
    """
    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    repository, buttons = config["repository"], config.get("launch_buttons") or {}
    owner, name = repository["url"].removesuffix(".git").rstrip("/").split("/")[-2:]
    branch = repository.get("branch", "main")
    book = str(repository.get("path_to_book") or "").strip("/")
    path = f"{book}/{notebook}" if book else notebook
    interface = {"classic": "tree", "jupyterlab": "lab/tree"}[
        buttons.get("notebook_interface", "classic")
    ]
    assert buttons.get("binderhub_url") and buttons.get("colab_url"), (
        "_config.yml launch_buttons must name binderhub_url and colab_url"
    )
    binder = buttons["binderhub_url"].rstrip("/")
    colab = buttons["colab_url"].rstrip("/")
    return {
        "Binder": f"{binder}/v2/gh/{owner}/{name}/{branch}?urlpath={interface}/{path}",
        "Colab": f"{colab}/github/{owner}/{name}/blob/{branch}/{path}",
    }


PAGES = toc_pages()
# The chapters: notebook pages, which carry launch buttons and figures.
NOTEBOOKS = [
    page for page in PAGES
    if page.startswith("chapters/") or (REPO / f"{page}.ipynb").is_file()
]


def screenshot_name(page: str) -> str:
    """The PNG file name for a page: chapters/01_conv1d -> chapters-01_conv1d.png."""
    return page.replace("/", "-") + ".png"


def screenshot(tab: Tab, path: Path) -> None:
    """Save a full-page PNG as a window as tall as the page would show it (sidebars whole)."""
    height = tab.page.evaluate("document.documentElement.scrollHeight")
    tab.page.set_viewport_size({"width": tab.page.viewport_size["width"], "height": height})
    tab.page.screenshot(path=path, full_page=True)


def load(open_tab: Callable[[], Tab], path: str) -> Tab:
    """Open a path of the site (page.html or page.html?query) in a fresh tab, asserting HTTP 200."""
    tab = open_tab()
    response = tab.page.goto(tab.url(path), wait_until="load")
    status = response.status if response else None
    assert status == 200, f"{path}: HTTP {status} (is the page in the built site?)"
    return tab


def test_every_file_of_the_site_is_readable_by_everyone() -> None:
    """A web server running as another user must be able to serve every file (the PDFs included)."""
    site = REPO / "_build" / "html"
    assert (site / "index.html").is_file(), "no site: run jupyter-book build . first"
    private = [p.relative_to(site).as_posix() for p in [site, *site.rglob("*")] if not p.is_symlink()
               and (p.stat().st_mode & (0o005 if p.is_dir() else 0o004)) != (0o005 if p.is_dir() else 0o004)]
    assert not private, f"not readable by everyone: {private[:20]}"
    pdfs = sorted(site.rglob("*.pdf"))
    assert pdfs, "no PDF in the site: run python -m booktools.pdf --all"


def test_every_chapter_notebook_is_in_the_toc() -> None:
    """A chapter notebook left out of `_toc.yml` would silently be missing from the book."""
    notebooks = sorted(p.relative_to(REPO).with_suffix("").as_posix()
                       for p in (REPO / "chapters").glob("*.ipynb"))
    assert notebooks, "no chapters/*.ipynb found"
    missing = [nb for nb in notebooks if nb not in PAGES]
    assert not missing, f"not in _toc.yml, so not in the book: {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly(open_tab: Callable[[], Tab], page: str, screenshot_dir: Path) -> None:
    """HTTP 200, no console errors or failed local requests; saves a full-page screenshot."""
    tab = load(open_tab, f"{page}.html")
    tab.page.wait_for_load_state("networkidle")
    screenshot(tab, screenshot_dir / screenshot_name(page))
    problems = tab.problems()
    assert not problems, f"{page}.html:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_figures_render(open_tab: Callable[[], Tab], page: str) -> None:
    """Every image of the article is loaded and non-empty; each chapter has at least one figure."""
    tab = load(open_tab, f"{page}.html")
    images: list[dict[str, Any]] = tab.page.eval_on_selector_all(
        "article.bd-article img",
        """imgs => imgs.map(img => ({
            src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth,
            figure: img.closest('figure, .cell_output, .output') !== null}))""",
    )
    broken = [img["src"] for img in images if not (img["complete"] and img["width"] > 0)]
    assert not broken, f"{page}.html: images that did not load: {broken}"
    if page in NOTEBOOKS:
        assert any(img["figure"] for img in images), f"{page}.html: a chapter without a figure"


@pytest.mark.parametrize("page", NOTEBOOKS)
def test_launch_buttons(open_tab: Callable[[], Tab], page: str) -> None:
    """The launch dropdown opens this chapter's notebook on Binder and on Colab."""
    notebook = f"{page}.ipynb"
    assert (REPO / notebook).is_file(), f"{notebook} is not in the repository: nothing to launch"
    tab = load(open_tab, f"{page}.html")
    links = tab.page.eval_on_selector_all(
        ".dropdown-launch-buttons a.dropdown-item",
        "links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])",
    )
    assert dict(links) == launch_urls(notebook), f"{page}.html: launch links {links}"


def test_launch_dropdown_opens(
    open_tab: Callable[[], Tab], screenshot_dir: Path
) -> None:
    """Clicking the rocket shows the launch links (screenshot with the dropdown open)."""
    assert NOTEBOOKS, "no notebook pages in _toc.yml"
    page = NOTEBOOKS[0]
    tab = load(open_tab, f"{page}.html")
    colab = tab.page.locator(".dropdown-launch-buttons a.dropdown-item", has_text="Colab")
    assert not colab.is_visible(), "the launch dropdown is open before a click"
    tab.page.click(".dropdown-launch-buttons button.dropdown-toggle")
    colab.wait_for(state="visible")
    tab.page.screenshot(path=screenshot_dir / screenshot_name(f"{page}-launch"))
    assert colab.get_attribute("href") == launch_urls(f"{page}.ipynb")["Colab"]


@pytest.mark.parametrize("index", range(len(PAGES)), ids=PAGES)
def test_next_link(open_tab: Callable[[], Tab], index: int) -> None:
    """Each page's "next" link leads to the next page of the toc; the last page has none."""
    page = PAGES[index]
    tab = load(open_tab, f"{page}.html")
    link = tab.page.locator(".prev-next-area a.right-next")
    if index == len(PAGES) - 1:
        assert link.count() == 0, f"{page}.html, the last page, has a next link"
        return
    expected = tab.url(f"{PAGES[index + 1]}.html")
    target = urljoin(tab.page.url, link.get_attribute("href") or "")
    assert target == expected, f"{page}.html: next link goes to {target}, the toc says {expected}"
    title = link.locator(".prev-next-title").inner_text().strip()
    link.click()
    tab.page.wait_for_url(expected)
    assert tab.page.title().startswith(title), (
        f"{page}.html: next link says {title!r}, leads to {tab.page.title()!r}"
    )
    assert tab.page.locator("article h1").first.inner_text().startswith(title)


def test_front_door_leads_to_root(open_tab: Callable[[], Tab]) -> None:
    """The site's address (index.html) redirects to the toc's root page."""
    tab = open_tab()
    tab.page.goto(tab.url(""))
    tab.page.wait_for_url(tab.url(f"{PAGES[0]}.html"))


def test_search_finds_chapters(open_tab: Callable[[], Tab], screenshot_dir: Path) -> None:
    """search.html lists chapter pages for a word the chapters use."""
    tab = load(open_tab, f"search.html?q={SEARCH_TERM}")
    summary = tab.page.locator("#search-results p.search-summary")  # written when search ends
    try:
        summary.wait_for(state="visible")
    except PlaywrightTimeoutError:
        pytest.fail(f"search.html?q={SEARCH_TERM} did not finish: {tab.problems()}")
    hrefs = tab.page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    screenshot(tab, screenshot_dir / "search.png")
    chapters = {href.split(".html")[0] for href in hrefs} & set(NOTEBOOKS)
    assert chapters, f"search for {SEARCH_TERM!r} found no chapter: {summary.inner_text()} {hrefs}"
    assert not tab.problems(), "\n".join(tab.problems())
