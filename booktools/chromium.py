"""Headless Chromium on the built site, without the network: what the browser test and the PDF share.

Both ``tests_site/`` (the browser test of the site) and :mod:`booktools.pdf` (the PDF of the
book) open pages of a built site in Debian's ``chromium``, driven by Playwright (a browser that
Playwright downloads at run time would fail offline). The site is served over
``http://127.0.0.1`` (not ``file://``, so that search works) by Python's ``http.server``; every
request to another host is answered here with an empty body, except MathJax's CDN when a local copy
of MathJax 3 is given (the npm package ``mathjax@3``, which ``.ci/run`` installs), so that math is
typeset rather than left as TeX source.

Environment variables:

- ``SEQCNN_CHROMIUM``: the Chromium binary (default ``chromium`` on the PATH);
- ``SEQCNN_MATHJAX``: the local copy of MathJax (the folder holding ``es5/``).

>>> "--disable-background-networking" in CHROMIUM_ARGS
True
>>> local_mathjax("https://example.org/x.js", folder=None) is None
True
"""

from __future__ import annotations

import functools
import mimetypes
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Request, Route

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
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"


def chromium_executable() -> Path | None:
    """The Chromium binary: ``$SEQCNN_CHROMIUM``, else ``chromium`` on the PATH; None if absent."""
    executable = os.environ.get("SEQCNN_CHROMIUM") or shutil.which("chromium")
    return Path(executable) if executable and Path(executable).is_file() else None


def mathjax_folder() -> Path | None:
    """The local copy of MathJax that ``$SEQCNN_MATHJAX`` names, if it holds ``es5/``."""
    folder = os.environ.get("SEQCNN_MATHJAX")
    return Path(folder).resolve() if folder and (Path(folder) / "es5").is_dir() else None


def local_mathjax(url: str, folder: Path | None | str = "env") -> Path | None:
    """The file of the local MathJax that stands for a MathJax CDN URL, if there is one.

    ``folder`` is the local copy (default: ``$SEQCNN_MATHJAX``); None means no local copy.
    """
    root = mathjax_folder() if folder == "env" else folder
    if root is None or not url.startswith(MATHJAX_CDN):
        return None
    root = Path(root).resolve()
    path = (root / urlsplit(url).path.removeprefix(urlsplit(MATHJAX_CDN).path)).resolve()
    return path if path.is_file() and path.is_relative_to(root) else None


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:  # `format`: the stdlib's name
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on a free port of 127.0.0.1; yields its base URL (ending in '/')."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def offline_route(
    base_url: str, external: list[str], mathjax: Path | None | str = "env"
) -> Callable[[Route, Request], None]:
    """A Playwright route handler: the site as served, MathJax from disk, nothing else.

    Requests to other hosts are answered with an empty body of the right content type and their
    URLs appended to ``external``.
    """
    local = urlsplit(base_url).netloc

    def route(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local:
            route.continue_()
            return
        copy = local_mathjax(request.url, mathjax)
        if copy is not None:
            route.fulfill(path=str(copy))
            return
        external.append(request.url)
        content_type = mimetypes.guess_type(urlsplit(request.url).path)[0] or "text/plain"
        route.fulfill(status=200, body="", content_type=content_type)

    return route
