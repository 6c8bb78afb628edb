"""The chapters' exercises: numbered per chapter, and a teacher's build without the solutions.

The chapters write their exercises and solutions as ``sphinx-exercise``'s gated blocks
(``exercise-start``/``exercise-end``, ``solution-start``/``solution-end``), so that a solution can
hold code cells that the book executes. This extension adds three things to ``sphinx-exercise`` 1.2:

- **Numbers per chapter.** Sphinx numbers enumerable nodes across the whole book unless its
  toctrees are numbered, which Jupyter Book 1 restarts at each part. Here each exercise is
  numbered ``chapter.n``: the chapter's place among the ``chapters/`` documents of the table of
  contents, and its own place in the chapter ("Exercise 3.2"; "练习 3.2" in the Chinese edition).
- **A teacher's build.** With the environment variable ``SEQCNN_TEACHER=1`` (:data:`TEACHER_ENV`),
  the build sets ``hide_solutions`` (every solution is left out of the pages and of the PDF) and
  does not publish the notebooks' sources (``html_copy_source``) or the Binder and Colab buttons,
  which would open the notebooks with their solutions. The learners' cells and their checks stay.
- **Hidden gated solutions.** ``sphinx-exercise`` 1.2.1 with ``hide_solutions`` drops only the
  ``solution-start`` node of a gated solution: the solution's text and cells stay, and the
  unmatched ``solution-end`` stops the build. Here ``solution-start`` leaves a marker, and a
  transform removes everything from it to its ``solution-end``.
"""

from __future__ import annotations

import os
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node

TEACHER_ENV = "SEQCNN_TEACHER"
"""Set to 1 to build the book without the solutions (the site and, with ``booktools.pdf``, the PDF)."""
CHAPTERS = "chapters/"
"""The documents whose exercises are numbered by chapter."""


def teacher_build() -> bool:
    """Whether this build is the teacher's (``SEQCNN_TEACHER`` set to 1, yes or true).

    >>> import os; os.environ.pop("SEQCNN_TEACHER", None) and None; teacher_build()
    False
    """
    return os.environ.get(TEACHER_ENV, "").strip().lower() in {"1", "yes", "true"}


class hidden_solution(nodes.Element):
    """Where a gated solution began, in a build that hides the solutions."""


class HidingSolutionStart(SolutionStartDirective):
    """``solution-start`` that leaves a marker when the solutions are hidden."""

    def run(self) -> list[nodes.Node]:
        result = super().run()  # registers the gated block, which sphinx-exercise checks for its end
        if self.env.app.config.hide_solutions:
            return [hidden_solution()]
        return result


class DropHiddenSolutions(SphinxTransform):
    """Remove each hidden gated solution: its marker, its text and cells, its ``solution-end``."""

    default_priority = 5  # before sphinx-exercise merges the gated blocks (10)

    def apply(self, **kwargs: Any) -> None:
        for marker in list(self.document.findall(hidden_solution)):
            parent = marker.parent
            start = parent.index(marker)
            end = next((i for i in range(start, len(parent.children))
                        if isinstance(parent[i], solution_end_node)), None)
            if end is None:
                continue  # sphinx-exercise reports the missing solution-end
            for child in parent.children[start:end + 1]:
                parent.remove(child)


def chapter_numbers(order: list[str]) -> dict[str, int]:
    """Each chapter's number: its place among the ``chapters/`` documents of the table of contents.

    >>> chapter_numbers(["intro", "chapters/01_conv1d", "chapters/02_pooling", "running"])
    {'chapters/01_conv1d': 1, 'chapters/02_pooling': 2}
    """
    chapters = [doc for doc in order if doc.startswith(CHAPTERS)]
    return {doc: i for i, doc in enumerate(chapters, 1)}


def renumber(fignumbers: dict[str, dict[str, dict[str, tuple[int, ...]]]],
             chapters: dict[str, int], figtype: str = "exercise") -> list[str]:
    """Number the ``figtype`` nodes of each chapter ``(chapter, 1)``, ``(chapter, 2)``... in their order.

    ``fignumbers`` is Sphinx's ``env.toc_fignumbers`` (document -> type -> id -> number), changed
    in place; returns the documents whose numbers changed.

    >>> numbers = {"chapters/02_pooling": {"exercise": {"a": (7,), "b": (8,)}, "figure": {"f": (3,)}}}
    >>> renumber(numbers, {"chapters/02_pooling": 2})
    ['chapters/02_pooling']
    >>> numbers["chapters/02_pooling"]
    {'exercise': {'a': (2, 1), 'b': (2, 2)}, 'figure': {'f': (3,)}}
    """
    changed = []
    for docname, chapter in chapters.items():
        found = fignumbers.get(docname, {}).get(figtype)
        if not found:
            continue
        ordered = sorted(found, key=found.__getitem__)
        numbered = {node_id: (chapter, i) for i, node_id in enumerate(ordered, 1)}
        if numbered != found:
            fignumbers[docname][figtype] = numbered
            changed.append(docname)
    return changed


def _toc_order(env: Any) -> list[str]:
    """The documents of the table of contents, in reading order."""
    order: list[str] = []

    def walk(docname: str) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(env.config.root_doc)
    return order


def _number_by_chapter(app: Any, env: Any) -> list[str]:
    return renumber(env.toc_fignumbers, chapter_numbers(_toc_order(env)))


def _teacher_config(app: Any, config: Any) -> None:
    if not teacher_build():
        return
    config.hide_solutions = True
    config.html_copy_source = False
    options = dict(config.html_theme_options or {})
    options["launch_buttons"] = {}
    config.html_theme_options = options


def _drop_source_download(app: Any, pagename: str, templatename: str, context: dict[str, Any],
                          doctree: Any) -> None:
    """In the teacher's build, the download menu without the notebook's source (it is not published)."""
    if not teacher_build():
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"] = [entry for entry in button["buttons"] if "_sources" not in str(entry.get("url", ""))]


def setup(app: Any) -> dict[str, Any]:
    app.setup_extension("sphinx_exercise")
    app.add_directive("solution-start", HidingSolutionStart, override=True)
    app.add_node(hidden_solution)
    app.add_transform(DropHiddenSolutions)
    app.connect("config-inited", _teacher_config, priority=400)
    # After Sphinx's toctree collector has numbered the figures (priority 500).
    app.connect("env-get-updated", _number_by_chapter, priority=900)
    # After sphinx-book-theme has filled the page's buttons (priority 501).
    app.connect("html-page-context", _drop_source_download, priority=503)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
