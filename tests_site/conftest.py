"""Fixtures for the browser test of the built site: an HTTP server and headless Chromium.

The site is served over http://127.0.0.1 (not file://, so that search works) by Python's
http.server, and opened with the Debian `chromium` binary driven by Playwright. Nothing leaves
the machine: every request to another host is answered here with an empty body and recorded,
except MathJax's CDN when a local copy of MathJax 3 is given (``.ci/run`` installs one from the npm
registry), so that the screenshots show typeset math rather than TeX source.

Environment variables:

- ``SEQCNN_SITE``: the built site (default ``_build/html`` in the repository);
- ``SEQCNN_SCREENSHOTS``: where the PNG screenshots go (default ``screenshots/`` beside the site,
  so ``_build/screenshots``);
- ``SEQCNN_CHROMIUM``: the Chromium binary (default ``chromium`` on the PATH);
- ``SEQCNN_MATHJAX``: a local copy of the npm package ``mathjax@3`` (the folder holding ``es5/``),
  served in place of ``https://cdn.jsdelivr.net/npm/mathjax@3/`` (optional).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Error,
        Page,
        Response,
        sync_playwright,
    )
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "The site test needs the playwright package: pip install -r requirements.txt"
    ) from error

REPO = Path(__file__).resolve().parents[1]

# The offline Chromium (its flags, the local server, MathJax from disk) is shared with
# booktools.pdf, which prints the book to PDF.
from booktools.chromium import (  # noqa: E402 - after the playwright check
    CHROMIUM_ARGS,
    chromium_executable,
    offline_route,
    serve,
)

VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built HTML site; fails (does not skip) when the book has not been built."""
    site = Path(os.environ.get("SEQCNN_SITE", REPO / "_build" / "html")).resolve()
    if not (site / "index.html").is_file():
        pytest.fail(
            f"No built site at {site} (no index.html): run jupyter-book build . first "
            "(or point SEQCNN_SITE at the site's html folder)."
        )
    return site


@pytest.fixture(scope="session")
def screenshot_dir(site_dir: Path) -> Path:
    """The folder for the PNG screenshots, created if needed."""
    folder = Path(os.environ.get("SEQCNN_SCREENSHOTS", site_dir.parent / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Serve the site on a free port of 127.0.0.1; yields its base URL (ending in '/')."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, the system binary; fails (does not skip) when it is not installed."""
    executable = chromium_executable()
    if executable is None:
        pytest.fail(
            "Chromium is not installed: apt-get install chromium "
            "(or point SEQCNN_CHROMIUM at a Chromium binary). Never `playwright install`."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Tab:
    """A browser page on the site, with what went wrong while it ran."""

    page: Page
    base_url: str
    errors: list[str] = field(default_factory=list)
    """Console messages of type "error" and uncaught exceptions."""
    bad_responses: list[str] = field(default_factory=list)
    """Responses of the local server with an HTTP status of 400 or more."""
    external: list[str] = field(default_factory=list)
    """Requests to other hosts, answered here with an empty body."""

    def url(self, path: str) -> str:
        """The absolute URL of a path inside the site."""
        return self.base_url + path.lstrip("/")

    def problems(self) -> list[str]:
        """Everything that should not have happened, one line each."""
        return [f"console: {e}" for e in self.errors] + [
            f"HTTP: {r}" for r in self.bad_responses
        ]


@pytest.fixture
def open_tab(browser: Browser, site_url: str) -> Iterator[Callable[..., Tab]]:
    """A factory of fresh browser tabs (each in its own context), closed after the test.

    Keyword arguments are options of the browser context (e.g. a phone's ``viewport`` and
    ``is_mobile``); the default is a desktop window of ``VIEWPORT``.
    """
    contexts = []

    def make(**options: Any) -> Tab:
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        tab = Tab(page=page, base_url=site_url)

        def response(resp: Response) -> None:
            if resp.status >= 400:
                tab.bad_responses.append(f"{resp.status} {resp.url}")

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                tab.errors.append(f"{message.text} (at {message.location.get('url', '?')})")

        def page_error(error: Error) -> None:
            tab.errors.append(f"uncaught {error}")

        context.route("**/*", offline_route(site_url, tab.external))
        page.on("response", response)
        page.on("console", console)
        page.on("pageerror", page_error)
        return tab

    yield make
    for context in contexts:
        context.close()
