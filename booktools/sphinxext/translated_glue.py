"""Glued values in translated text: ``{glue:text}`key``` inside a message of a translation catalog.

Sphinx translates a document after reading it: each translated message (a paragraph, a heading) is
parsed again on its own, in a fresh document. For a notebook, myst-nb keeps the glued values only
while it reads the notebook, so in that fresh document ``{glue:text}`n_settings``` finds no value
("No key 'n_settings' found in glue data for this document"). myst-nb also writes each notebook's
glued values to ``jupyter_execute/<document>.glue.json`` and can paste from there: that is what
``{glue:text}`notebook.ipynb::key``` does, at the end of the build. This extension makes the glue
roles of a translated message take that route to the notebook being translated, so that the
translation keeps the English message's role and key unchanged and shows the very same value.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from docutils import nodes
from myst_nb.ext.glue.roles import PasteRoleAny, PasteTextRole
from sphinx.application import Sphinx

TRANSLATED_SOURCE_SUFFIX = "<translated>"
"""How Sphinx ends the source name of a translated message it parses (sphinx.transforms.i18n)."""


def is_translated_message(document: nodes.document) -> bool:
    """Whether ``document`` is a translated message that Sphinx is parsing on its own."""
    return str(document.current_source or "").endswith(TRANSLATED_SOURCE_SUFFIX)


def _from_this_notebook(role: PasteRoleAny | PasteTextRole, format_spec: str = "") -> None:
    """In a translated message without a document path, paste from the notebook being read.

    ``format_spec`` is added when the role's text has none (``{glue:text}`` reads the last
    ``:`` as the start of one, so ``notebook.ipynb::key`` needs ``:s``).
    """
    if "::" in role.text or "nb_renderer" in role.document:
        return
    env = role.document.settings.env
    text = role.text if ":" in role.text else role.text + format_spec
    role.text = f"{PurePosixPath(env.doc2path(env.docname)).name}::{text}"


class TranslatedPasteTextRole(PasteTextRole):
    """``{glue:text}`` that also works inside a translated message."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if is_translated_message(self.document):
            _from_this_notebook(self, format_spec=":s")
        return super().run()


class TranslatedPasteRoleAny(PasteRoleAny):
    """``{glue}`` (and ``{glue:}``, ``{glue:any}``) that also works inside a translated message."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if is_translated_message(self.document):
            _from_this_notebook(self)
        return super().run()


def setup(app: Sphinx) -> dict[str, Any]:
    """Replace myst-nb's glue roles by the ones above (same behaviour outside translations)."""
    app.setup_extension("myst_nb")
    app.add_role("glue", TranslatedPasteRoleAny(), override=True)
    for name in ("", "any"):
        app.add_role_to_domain("glue", name, TranslatedPasteRoleAny(), override=True)
    app.add_role_to_domain("glue", "text", TranslatedPasteTextRole(), override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
