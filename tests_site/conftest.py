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

import functools
import mimetypes
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Error,
        Page,
        Request,
        Response,
        Route,
        sync_playwright,
    )
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "The site test needs the playwright package: pip install -r requirements.txt"
    ) from error

REPO = Path(__file__).resolve().parents[1]

# Debian's flags for a headless Chromium in a container, plus those that keep it off the network.
# Playwright itself passes a fresh, empty --user-data-dir (it refuses one given here).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-quic",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1280, "height": 900}
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"


def local_mathjax(url: str) -> Path | None:
    """The file of ``$SEQCNN_MATHJAX`` that stands for a MathJax CDN URL, if there is one."""
    folder = os.environ.get("SEQCNN_MATHJAX")
    if not folder or not url.startswith(MATHJAX_CDN):
        return None
    root = Path(folder).resolve()
    path = (root / urlsplit(url).path.removeprefix(urlsplit(MATHJAX_CDN).path)).resolve()
    return path if path.is_file() and path.is_relative_to(root) else None
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


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Serve the site on a free port of 127.0.0.1; yields its base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, the system binary; fails (does not skip) when it is not installed."""
    executable = os.environ.get("SEQCNN_CHROMIUM") or shutil.which("chromium")
    if not executable or not Path(executable).is_file():
        pytest.fail(
            "Chromium is not installed: apt-get install chromium "
            "(or point SEQCNN_CHROMIUM at a Chromium binary). Never `playwright install`."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
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
def open_tab(browser: Browser, site_url: str) -> Iterator[Callable[[], Tab]]:
    """A factory of fresh browser tabs (each in its own context), closed after the test."""
    contexts = []

    def make() -> Tab:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        tab = Tab(page=page, base_url=site_url)
        local = urlsplit(site_url).netloc

        def route(route: Route, request: Request) -> None:
            if urlsplit(request.url).netloc == local:
                route.continue_()
                return
            mathjax = local_mathjax(request.url)
            if mathjax is not None:
                route.fulfill(path=str(mathjax))
                return
            tab.external.append(request.url)
            content_type = mimetypes.guess_type(urlsplit(request.url).path)[0] or "text/plain"
            route.fulfill(status=200, body="", content_type=content_type)

        def response(resp: Response) -> None:
            if resp.status >= 400:
                tab.bad_responses.append(f"{resp.status} {resp.url}")

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                tab.errors.append(f"{message.text} (at {message.location.get('url', '?')})")

        def page_error(error: Error) -> None:
            tab.errors.append(f"uncaught {error}")

        context.route("**/*", route)
        page.on("response", response)
        page.on("console", console)
        page.on("pageerror", page_error)
        return tab

    yield make
    for context in contexts:
        context.close()
