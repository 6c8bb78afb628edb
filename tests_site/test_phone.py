"""The built site on a phone: every page of every edition at 390 x 844, in headless Chromium.

Run after `jupyter-book build .`, with the rest of the site test: pytest tests_site -o addopts="".
On each page: the page itself never scrolls sideways; whatever is wider than the screen (code, wide
outputs, tables, formulas) scrolls inside its own box instead of being cut off; the navigation
opens from the menu button and lists the chapters. Full-page screenshots land in
_build/screenshots/phone/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_a11y import AUDITED
from test_site import load, screenshot, screenshot_name

if TYPE_CHECKING:
    from conftest import Tab

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}

# The elements of the article that stick out of the screen without a box of their own to scroll
# in (an ancestor inside the article whose content scrolls sideways).
CUT_OFF_JS = """() => {
    const article = document.querySelector('article.bd-article');
    if (!article) return [];
    const width = document.documentElement.clientWidth;
    const scrolls = el => {
        for (let e = el.parentElement; e && e !== article; e = e.parentElement) {
            const overflow = getComputedStyle(e).overflowX;
            if ((overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth) {
                return true;
            }
        }
        return false;
    };
    const cut = [];
    for (const el of article.querySelectorAll('*')) {
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.right <= width + 1 || scrolls(el)) continue;
        if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1
            && !scrolls(el.parentElement) && el.parentElement !== article) continue;
        cut.push(`${el.tagName.toLowerCase()}.${el.className} (right edge ${Math.round(rect.right)} px)`);
    }
    return cut;
}"""


@pytest.fixture(scope="session")
def phone_dir(screenshot_dir: Path) -> Path:
    """The folder for the phone screenshots, created if needed."""
    folder = screenshot_dir / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("page", AUDITED)
def test_page_fits_a_phone(open_tab: Callable[..., Tab], page: str, phone_dir: Path) -> None:
    """No sideways scroll of the page, nothing cut off, the navigation opens; a screenshot."""
    tab = load(lambda: open_tab(**PHONE), f"{page}.html")
    tab.page.wait_for_load_state("networkidle")
    screenshot(tab, phone_dir / screenshot_name(page))
    tab.page.set_viewport_size(PHONE["viewport"])
    widths = tab.page.evaluate(
        "[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    assert max(widths[:2]) <= widths[2], (
        f"{page}.html scrolls sideways on a phone: page {widths[0]} px wide, body {widths[1]} px, "
        f"screen {widths[2]} px"
    )
    cut = tab.page.evaluate(CUT_OFF_JS)
    assert not cut, f"{page}.html: cut off at the right edge of a phone: {cut[:5]}"

    toggle = tab.page.locator("button.primary-toggle >> visible=true").first
    assert toggle.is_visible(), f"{page}.html: no menu button on a phone"
    toggle.click()
    dialog = tab.page.locator("#pst-primary-sidebar-modal[open]")
    dialog.wait_for(state="visible")
    chapters = dialog.locator("nav.bd-docs-nav a.reference.internal")
    assert chapters.count() >= 2 and chapters.first.is_visible(), (
        f"{page}.html: the navigation opened on a phone without its chapters"
    )
    tab.page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
