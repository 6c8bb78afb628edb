"""The Chinese edition of the site (_build/html/zh_CN/) in headless Chromium, against the English one.

Run after `jupyter-book build .` (which builds both editions), with the rest of the site test:
pytest tests_site -o addopts="". Every page of the toc, in Chinese: loads without console errors,
shows Chinese text drawn with a real CJK font (not empty boxes), has the theme's own words in
Chinese, links to the same page in English and back, and shows the same glued numbers as its
English page; the Chinese search finds the first chapter by a Chinese word. Full-page screenshots
land in _build/screenshots/zh_CN/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_site import NOTEBOOKS, PAGES, load, screenshot, screenshot_name

from seqcnn.languages import english_words

if TYPE_CHECKING:
    from conftest import Tab

REPO = Path(__file__).resolve().parents[1]
LANGUAGE = "zh_CN"
HREFLANG = "zh-CN"
SEARCH_TERM = "卷积"  # "convolution"
CJK = re.compile(r"[\u4e00-\u9fff]")


def zh(page: str) -> str:
    """The path of a page of the Chinese edition."""
    return f"{LANGUAGE}/{page}.html"


# Draws each character with the page's own font on a canvas: a missing font draws every character
# as the same empty box, a real one draws different characters differently.
DISTINCT_GLYPHS_JS = """(chars) => {
    const font = getComputedStyle(document.querySelector('article h1')).font;
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext('2d');
    const drawings = new Set();
    let inked = 0;
    for (const ch of chars) {
        ctx.clearRect(0, 0, 64, 64);
        ctx.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
        ctx.fillStyle = '#000';
        ctx.fillText(ch, 4, 48);
        const pixels = ctx.getImageData(0, 0, 64, 64).data;
        let key = '', ink = 0;
        for (let i = 3; i < pixels.length; i += 4) { key += pixels[i] > 127 ? '1' : '0'; ink += pixels[i] > 127; }
        if (ink > 0) inked += 1;
        drawings.add(key);
    }
    return {distinct: drawings.size, inked: inked, font: font};
}"""


@pytest.mark.parametrize("page", PAGES)
def test_zh_page_loads_in_chinese(
    open_tab: Callable[[], Tab], page: str, screenshot_dir: Path
) -> None:
    """HTTP 200, no console errors, lang zh-CN, a Chinese title drawn with a CJK font; screenshot."""
    tab = load(open_tab, zh(page))
    tab.page.wait_for_load_state("networkidle")
    folder = screenshot_dir / LANGUAGE
    folder.mkdir(parents=True, exist_ok=True)
    screenshot(tab, folder / screenshot_name(page))
    problems = tab.problems()
    assert not problems, f"{zh(page)}:\n  " + "\n  ".join(problems)
    assert tab.page.get_attribute("html", "lang") == HREFLANG
    title = tab.page.locator("article h1").first.inner_text()
    chars = list(dict.fromkeys(CJK.findall(title)))[:8]
    assert chars, f"{zh(page)}: the title {title!r} is not in Chinese (untranslated?)"
    glyphs = tab.page.evaluate(DISTINCT_GLYPHS_JS, chars)
    assert glyphs["inked"] == len(chars) and glyphs["distinct"] == len(chars), (
        f"{zh(page)}: the characters of {''.join(chars)!r} are not drawn as distinct glyphs "
        f"with {glyphs['font']!r} (no CJK font? Debian: apt-get install fonts-noto-cjk): {glyphs}"
    )


def test_zh_theme_words_are_chinese(open_tab: Callable[[], Tab]) -> None:
    """The theme's own words: "previous"/"next", the search field."""
    tab = load(open_tab, zh(NOTEBOOKS[0]))
    subtitles = tab.page.locator(".prev-next-area .prev-next-subtitle").all_inner_texts()
    assert subtitles == ["上一页", "下一页"], subtitles
    placeholder = tab.page.get_attribute(".bd-search input[name=q]", "placeholder") or ""
    assert CJK.search(placeholder), f"search field placeholder {placeholder!r}"
    pdf = tab.page.locator("a.btn-download-book-pdf-button")
    title = pdf.get_attribute("data-bs-original-title") or pdf.get_attribute("title") or ""
    words = f"{pdf.text_content()} {title}".strip()
    assert CJK.search(words) and not english_words(words.replace(".pdf", "")), (
        f"the download menu's PDF entry is not Chinese: {words!r}"
    )
    labels = tab.page.eval_on_selector_all(
        "button.primary-toggle, button.secondary-toggle, nav.bd-links.bd-docs-nav",
        "nodes => nodes.map(n => n.getAttribute('data-bs-original-title') || n.getAttribute('title')"
        " || n.getAttribute('aria-label'))",
    )
    assert len(labels) >= 3 and all(CJK.search(label or "") for label in labels), (
        f"the sidebar buttons' titles and the navigation's aria-label are not Chinese: {labels}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_language_switch_round_trip(open_tab: Callable[[], Tab], page: str) -> None:
    """The header switch of each English page leads to the same Chinese page, and back."""
    tab = load(open_tab, f"{page}.html")
    to_zh = tab.page.locator(f"a.edition-switch[hreflang='{HREFLANG}']")
    assert to_zh.count() == 1 and to_zh.is_visible(), f"{page}.html: no visible switch to Chinese"
    href = to_zh.get_attribute("href") or ""
    assert not re.match(r"^(/|[a-z]+:)", href), (
        f"{page}.html: the switch's link {href!r} is not relative (the site may live in a sub-path)"
    )
    to_zh.click()
    tab.page.wait_for_url(tab.url(zh(page)))
    to_en = tab.page.locator("a.edition-switch[hreflang='en']")
    assert to_en.count() == 1 and to_en.is_visible(), f"{zh(page)}: no visible switch to English"
    to_en.click()
    tab.page.wait_for_url(tab.url(f"{page}.html"))
    assert not tab.problems(), "\n".join(tab.problems())


def _glues_numbers(page: str) -> bool:
    """Whether the page's source pastes glued values into its text."""
    source = REPO / f"{page}.ipynb"
    return source.is_file() and "{glue:" in source.read_text(encoding="utf-8")


#: Typographic quotes, which Sphinx writes for English text and not for Chinese (smartquotes).
PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _glued(tab: Tab) -> list[str]:
    """The glued values of a page, with typographic quotes made plain (the value is the same)."""
    return [text.translate(PLAIN_QUOTES) for text in tab.page.locator("article .pasted-text").all_inner_texts()]


WORDED = re.compile(r"[A-Za-z\u4e00-\u9fff]")


@pytest.mark.parametrize("page", PAGES)
def test_glued_values_are_the_same_in_both_editions(open_tab: Callable[[], Tab], page: str) -> None:
    """The numbers glued from the run: the same values on the English and the Chinese page; the
    verdicts (seqcnn.languages.glue_choice) as many, and worded in Chinese on the Chinese page."""
    english = _glued(load(open_tab, f"{page}.html"))
    chinese = _glued(load(open_tab, zh(page)))
    numbers = lambda values: sorted({v for v in values if not WORDED.search(v)})  # noqa: E731
    assert numbers(chinese) == numbers(english), (
        f"{page}: glued numbers differ\n  English: {numbers(english)}\n  中文: {numbers(chinese)}"
    )
    assert len(chinese) == len(english), f"{page}: {len(english)} glued values in English, {len(chinese)} in 中文"
    in_english = [value for value in chinese if english_words(value)]
    assert not in_english, f"{zh(page)}: glued values in English: {in_english}"
    if _glues_numbers(page):
        assert english, f"{page}.html shows no glued value"


# Each figure of a chapter: its natural size, and its pixels as the page shows them.
FIGURES_JS = """async (selector) => {
    const images = [...document.querySelectorAll(selector)];
    return await Promise.all(images.map(async img => {
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let hash = 0;
        for (const b of bytes) hash = (hash * 31 + b) >>> 0;
        return {src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight,
                bytes: bytes.length, hash: hash};
    }));
}"""
FIGURE_IMAGES = "article.bd-article .cell_output img"


@pytest.mark.parametrize("page", NOTEBOOKS)
def test_figures_are_drawn_in_each_language(
    open_tab: Callable[[], Tab], page: str, screenshot_dir: Path
) -> None:
    """Each figure of the Chinese page is its own drawing (different pixels where the labels are
    Chinese) of the English page's figure, at the same size; both are screenshotted."""
    figures = {}
    for language, path in [("en", f"{page}.html"), (LANGUAGE, zh(page))]:
        tab = load(open_tab, path)
        figures[language] = tab.page.evaluate(FIGURES_JS, FIGURE_IMAGES)
        folder = screenshot_dir / "figures" / language
        folder.mkdir(parents=True, exist_ok=True)
        for number, image in enumerate(tab.page.locator(FIGURE_IMAGES).all(), start=1):
            image.scroll_into_view_if_needed()
            image.screenshot(path=str(folder / f"{screenshot_name(page)[:-4]}-{number}.png"))
    english, chinese = figures["en"], figures[LANGUAGE]
    assert english, f"{page}.html: no figure"
    assert len(chinese) == len(english), f"{page}: {len(english)} figures in English, {len(chinese)} in 中文"
    for en, cn in zip(english, chinese):
        assert (cn["width"], cn["height"]) == (en["width"], en["height"]), (page, en, cn)
        assert (cn["bytes"], cn["hash"]) != (en["bytes"], en["hash"]), (
            f"{zh(page)}: the figure {cn['src']} is the English one (not drawn in Chinese)"
        )


REACH_PAGE = "chapters/06_tcn"
REACH_FIGURE = "figure#fig-tcn-reach"


def test_the_receptive_field_figure_is_drawn_and_described_in_each_edition(
    open_tab: Callable[[], Tab], screenshot_dir: Path
) -> None:
    """Chapter 6's receptive-field figure: in each edition one loaded image, drawn in that edition's
    language, with a numbered caption and an alt text in that language that speak of dilation."""
    seen = {}
    for language, path, word in [("en", f"{REACH_PAGE}.html", "dilation"), (LANGUAGE, zh(REACH_PAGE), "扩张")]:
        tab = load(open_tab, path)
        figure = tab.page.locator(REACH_FIGURE)
        assert figure.count() == 1, f"{path}: no {REACH_FIGURE}"
        image = figure.locator("img")
        info = image.evaluate(
            "img => ({complete: img.complete, width: img.naturalWidth, alt: img.getAttribute('alt') || '',"
            " src: img.getAttribute('src')})"
        )
        assert info["complete"] and info["width"] > 0, f"{path}: the receptive-field figure did not load: {info}"
        caption = figure.locator("figcaption").inner_text()
        assert figure.locator("figcaption .caption-number").count() == 1, f"{path}: the figure is not numbered"
        for what, text in (("caption", caption), ("alt text", info["alt"])):
            assert word in text, f"{path}: the figure's {what} does not speak of dilation: {text!r}"
            if language == LANGUAGE:
                assert CJK.search(text) and not english_words(text), f"{path}: the {what} is not in Chinese: {text!r}"
        assert len(info["alt"]) >= (120 if language == "en" else 40), f"{path}: a short alt text: {info['alt']!r}"
        folder = screenshot_dir / "figures" / language
        folder.mkdir(parents=True, exist_ok=True)
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(folder / "receptive-field.png"))
        seen[language] = info["src"]
    assert seen["en"] != seen[LANGUAGE], "the Chinese edition shows the English drawing of the receptive field"


def test_zh_search_finds_the_first_chapter(
    open_tab: Callable[[], Tab], screenshot_dir: Path
) -> None:
    """The Chinese search splits Chinese text into words: 卷积 finds the chapter on 1D convolution."""
    tab = load(open_tab, f"{LANGUAGE}/search.html?q={quote(SEARCH_TERM)}")
    summary = tab.page.locator("#search-results p.search-summary")
    try:
        summary.wait_for(state="visible")
    except PlaywrightTimeoutError:
        pytest.fail(f"search for {SEARCH_TERM} did not finish: {tab.problems()}")
    hrefs = tab.page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    folder = screenshot_dir / LANGUAGE
    folder.mkdir(parents=True, exist_ok=True)
    screenshot(tab, folder / "search.png")
    found = {href.split(".html")[0] for href in hrefs}
    assert NOTEBOOKS[0] in found, f"search for {SEARCH_TERM} found {sorted(found)}"
    assert not tab.problems(), "\n".join(tab.problems())
