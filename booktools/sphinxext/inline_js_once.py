"""Write each <script> of a page once.

Sphinx 7.4 (which Jupyter Book 1 requires) writes an inline script that an extension registers once
the builder has started twice: sphinx-thebe's `const THEBE_JS_URL = ...` then fails in the browser
with "Identifier 'THEBE_JS_URL' has already been declared". Sphinx 8 fixed it; this drops the copy.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _script_key(script: Any) -> tuple[str, int, tuple[tuple[str, str], ...]]:
    """What makes two scripts the same: file (None and "" alike), priority and attributes."""
    attributes = getattr(script, "attributes", {})
    return (
        str(getattr(script, "filename", script) or ""),
        getattr(script, "priority", 500),
        tuple(sorted((str(k), str(v)) for k, v in attributes.items())),
    )


def drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """An html-page-context handler: keep the first of each script in the page's script list."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, int, tuple[tuple[str, str], ...]]] = set()
    kept = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handler after the other extensions have added their scripts."""
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
