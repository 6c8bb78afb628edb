"""Accessibility of the built site: axe-core on every page, the keyboard on every kind of control.

Run after `jupyter-book build .`, with the rest of the site test: pytest tests_site -o addopts="".

- **axe-core** (the npm package ``axe-core@4``; ``.ci/run`` installs it into ``.cache/axe``,
  ``SEQCNN_AXE`` names another ``axe.min.js``) audits every page of the toc and the search page, of
  every edition, in the light colour mode (and the dark one for the first edition; the others
  share its theme and colours): no violation of impact "serious" or
  "critical" (WCAG 2 A and AA, and axe's best practices). Each page's results, every impact
  included, are written to ``_build/a11y/<page>.json`` (beside the screenshots) for the record.
- **The keyboard** reaches each kind of control with Tab and opens it with Enter or Space: the
  launch menu, the search, a long output's "Show all lines" button, an exercise's solution; each
  shows a visible focus (an outline or a shadow) while it has the keyboard's focus.
- **Images**: every image of a chapter has a text alternative that describes it (not empty, not a
  file name, not matplotlib's "<Figure size ...>").
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from test_site import NOTEBOOKS, PAGES, load

if TYPE_CHECKING:
    from conftest import Tab

REPO = Path(__file__).resolve().parents[1]
AXE = Path(
    os.environ.get("SEQCNN_AXE", REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
)
FAILING_IMPACTS = {"serious", "critical"}
COLOR_SCHEMES = ("light", "dark")


def edition_prefixes(repo: Path = REPO) -> list[str]:
    """The folder of each edition in the site: "" for the first, "zh_CN/" for another one."""
    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    editions = list(((config.get("sphinx") or {}).get("config") or {}).get("editions") or [""])
    return [""] + [f"{language}/" for language in editions[1:]]


AUDITED = [prefix + page for prefix in edition_prefixes() for page in [*PAGES, "search"]]
# The other editions have the same theme, outputs and colours: their dark mode adds time, not checks.
DARK_AUDITED = [*PAGES, "search"]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script; fails (does not skip) when it is not installed."""
    if not AXE.is_file():
        pytest.fail(
            f"No axe-core at {AXE}: npm install --prefix .cache/axe axe-core@4 "
            "(or point SEQCNN_AXE at axe.min.js)."
        )
    return AXE


@pytest.fixture(scope="session")
def a11y_dir(screenshot_dir: Path) -> Path:
    """Where each page's axe results go: ``a11y/`` beside the screenshots."""
    folder = screenshot_dir.parent / "a11y"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_axe(tab: Tab) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now: rule, impact, help and the elements."""
    return tab.page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                          summary: n.failureSummary})),
            }));
        }"""
    )


# The theme fades colours over 0.2 s when the mode changes: axe would see them half-way.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


def set_color_scheme(tab: Tab, scheme: str) -> None:
    """Switch the page to the light or dark mode the way a reader's system setting would."""
    tab.page.add_style_tag(content=NO_TRANSITIONS)
    tab.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    tab.page.wait_for_function("s => document.documentElement.dataset.theme === s", arg=scheme)


@pytest.mark.parametrize("page", AUDITED)
def test_axe_finds_no_serious_violation(
    open_tab: Callable[..., Tab], page: str, axe_script: Path, a11y_dir: Path
) -> None:
    """axe-core, light and dark mode: no violation of impact serious or critical."""
    tab = load(open_tab, f"{page}.html")
    tab.page.wait_for_load_state("networkidle")
    tab.page.add_script_tag(path=str(axe_script))
    results = {}
    for scheme in COLOR_SCHEMES if page in DARK_AUDITED else COLOR_SCHEMES[:1]:
        set_color_scheme(tab, scheme)
        results[scheme] = run_axe(tab)
    (a11y_dir / f"{page.replace('/', '-')}.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    failing = [
        f"{scheme}: {v['id']} ({v['impact']}, {v['help']}) at "
        + "; ".join(f"{n['target']}: {n['summary']}" for n in v["nodes"][:3])
        for scheme, violations in results.items()
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]
    assert not failing, f"{page}.html:\n  " + "\n  ".join(failing)


FOCUS_STYLE_JS = """el => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {outline, shadow: style.boxShadow !== 'none', focused: document.activeElement === el,
            visible: el.matches(':focus-visible')};
}"""


def tab_to(tab: Tab, selector: str, start: str | None = None, limit: int = 400) -> None:
    """Press Tab (from the top, or from the element ``start``) until ``selector`` has the focus.

    Fails unless it gets there within ``limit`` presses, and unless the focused control shows a
    visible focus (``:focus-visible`` with an outline or a box shadow).
    """
    if start is not None:
        tab.page.locator(start).first.focus()
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            break
    else:
        pytest.fail(f"{selector} not reached with {limit} presses of Tab (from {start or 'the top'})")
    style = tab.page.evaluate_handle("document.activeElement").evaluate(FOCUS_STYLE_JS)
    assert style["visible"] and (style["outline"] or style["shadow"]), (
        f"{selector} has the keyboard's focus but shows no focus: {style}"
    )


def _chapter_with(open_tab: Callable[..., Tab], selector: str) -> Tab:
    """The first chapter page that has an element matching ``selector``."""
    for page in NOTEBOOKS:
        tab = load(open_tab, f"{page}.html")
        tab.page.wait_for_load_state("networkidle")
        if tab.page.locator(selector).count():
            return tab
    pytest.fail(f"no chapter has {selector}")


def test_keyboard_opens_the_launch_menu(open_tab: Callable[..., Tab]) -> None:
    """Tab to the rocket, Enter: the Binder and Colab links show."""
    tab = load(open_tab, f"{NOTEBOOKS[0]}.html")
    tab_to(tab, ".dropdown-launch-buttons button.dropdown-toggle")
    tab.page.keyboard.press("Enter")
    tab.page.locator(".dropdown-launch-buttons a.dropdown-item", has_text="Colab").wait_for(
        state="visible"
    )


def test_keyboard_opens_the_search(open_tab: Callable[..., Tab]) -> None:
    """Tab to the search button, Enter: the search dialog opens with the focus in its field."""
    tab = load(open_tab, f"{NOTEBOOKS[0]}.html")
    tab_to(tab, "button.search-button__button")
    tab.page.keyboard.press("Enter")
    tab.page.locator("#pst-search-dialog[open]").wait_for(state="visible")
    assert tab.page.evaluate(
        "document.activeElement?.closest('#pst-search-dialog') !== null"
    ), "the search dialog opened without the focus in it"


def test_keyboard_shows_a_long_output_whole(open_tab: Callable[..., Tab]) -> None:
    """Tab to a long output's "Show all lines" button, Space: the whole output shows."""
    tab = _chapter_with(open_tab, ".long-output-toggle")
    box = tab.page.locator("div.long-output").first
    assert box.evaluate("b => b.querySelector('pre').scrollHeight > b.querySelector('pre').clientHeight"), (
        "a long output that does not scroll: is its box limited in height (_static/reader.css)?"
    )
    box_id = box.get_attribute("id")
    start = f"xpath=(//div[@id='{box_id}']/preceding::a[contains(@class, 'headerlink')])[last()]"
    tab_to(tab, f".long-output-toggle[aria-controls='{box_id}']", start=start)
    tab.page.keyboard.press("Space")
    assert tab.page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    assert box.evaluate(
        "b => b.classList.contains('expanded') && "
        "b.querySelector('pre').scrollHeight <= b.querySelector('pre').clientHeight + 1"
    ), "the output still scrolls after Show all lines"


def test_keyboard_opens_a_solution(open_tab: Callable[..., Tab]) -> None:
    """Tab to an exercise's solution button, Enter: the solution shows."""
    tab = _chapter_with(open_tab, ".toggle-hidden button.toggle-button")
    solution = tab.page.locator(".admonition.toggle-hidden").first
    solution_id = solution.get_attribute("id")
    # An id may hold a "/" (sphinx-exercise names an unlabelled solution after its page): select it as an attribute.
    body = tab.page.locator(f"[id='{solution_id}'] > :not(.admonition-title)").first
    assert not body.is_visible(), "the solution shows before it is opened"
    start = f"xpath=(//div[@id='{solution_id}']/preceding::a[contains(@class, 'headerlink')])[last()]"
    tab_to(tab, f"[id='{solution_id}'] button.toggle-button", start=start)
    tab.page.keyboard.press("Enter")
    body.wait_for(state="visible")


# matplotlib's own text for a figure, a bare file name, or a word that says nothing.
MEANINGLESS_ALT = re.compile(r"^(<Figure size.*|[\w./-]+\.(png|jpe?g|svg|gif)|image|figure|png|)$", re.I)


@pytest.mark.parametrize("page", NOTEBOOKS)
def test_figures_have_meaningful_alt_text(open_tab: Callable[..., Tab], page: str) -> None:
    """Every image of a chapter's text has an alt text of a few words that is not a placeholder."""
    tab = load(open_tab, f"{page}.html")
    alts: list[str | None] = tab.page.eval_on_selector_all(
        "article.bd-article img", "imgs => imgs.map(img => img.getAttribute('alt'))"
    )
    assert alts, f"{page}.html has no image"
    bad = [alt for alt in alts if alt is None or MEANINGLESS_ALT.match(alt.strip())
           or len(alt.split()) < 4]
    assert not bad, f"{page}.html: images without a text alternative that describes them: {bad}"
