"""Each edition shows the outputs of the one execution in its own language.

The executed notebooks hold what the run found once, for every edition (``seqcnn.languages``):

- **figures** in each language, each image output naming its language in its metadata
  (``{"seqcnn": {"language": "zh_CN", ...}}``): an edition keeps its own and drops the others
  (the English one when it has none of its own);
- **verdicts** glued with ``seqcnn.languages.glue_choice``: an English phrase chosen from a fixed
  set that the output's metadata lists. A translated edition pastes the page catalog's translation
  of the phrase; the gettext builder extracts every phrase of the set into the page's catalog,
  so that the translators (and ``booktools/translations.py check``) see all of them;
- **tables** (html tables such as pandas', Markdown tables): a translated edition translates
  their labels with the label catalog ``locales/<language>/outputs.po`` (numbers stay as they are).

All of it happens when Sphinx reads a notebook (``source-read``), before myst-nb parses it.
:func:`output_problems` is the check behind ``booktools/translations.py check``: it fails a page whose
translated edition would show an English label, glued phrase or figure.
"""

from __future__ import annotations

import ast
import copy
import html
import json
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from seqcnn.languages import METADATA_KEY, english_words, labels as read_labels, read_catalog, translate

TABLE_CELL = re.compile(r"(<t[hd]\b[^>]*>)(.*?)(</t[hd]>)", re.DOTALL)


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _language(output: Mapping[str, Any]) -> str | None:
    return (output.get("metadata") or {}).get(METADATA_KEY, {}).get("language")


def _choices(output: Mapping[str, Any]) -> list[str] | None:
    return (output.get("metadata") or {}).get(METADATA_KEY, {}).get("choices")


def translate_html_table(text: str, catalog: Mapping[str, str]) -> str:
    """The labels of an html table (its header and data cells that hold words) translated.

    >>> translate_html_table('<table><tr><th>epochs</th><td>20</td><td>hourly</td></tr></table>',
    ...                      {"epochs": "轮数", "hourly": "每小时"})
    '<table><tr><th>轮数</th><td>20</td><td>每小时</td></tr></table>'
    """
    def cell(match: re.Match[str]) -> str:
        inner = html.unescape(match[2])
        if "<" in inner:
            return match[0]
        found = translate(inner, catalog)
        return match[0] if found is None else match[1] + html.escape(found, quote=False) + match[3]

    return TABLE_CELL.sub(cell, text)


def translate_markdown_table(text: str, catalog: Mapping[str, str]) -> str:
    """The cells of the Markdown tables in ``text`` translated (the separator rows kept).

    >>> translate_markdown_table("| task | seconds |\\n| --- | ---: |\\n| load | 0.3 |",
    ...                          {"task": "任务", "seconds": "秒", "load": "读取"})
    '| 任务 | 秒 |\\n| --- | ---: |\\n| 读取 | 0.3 |'
    """
    lines = []
    for line in text.split("\n"):
        if _is_row(line):
            line = "|" + "|".join(translate(c, catalog) or c for c in _cells(line)) + "|"
        lines.append(line)
    return "\n".join(lines)


def _is_row(line: str) -> bool:
    """A row of a Markdown table (not its separator row)."""
    return line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line)


def _cells(line: str) -> list[str]:
    return line.strip().strip("|").split("|")


def table_labels(mime: str, text: str) -> list[str]:
    """The texts of the cells of an html or Markdown table output, each once.

    >>> table_labels("text/markdown", "| a | b |\\n| --- | --- |\\n| c | a |")
    ['a', 'b', 'c']
    """
    if mime == "text/html":
        cells = [html.unescape(m[2]) for m in TABLE_CELL.finditer(text) if "<" not in m[2]]
    else:
        cells = [cell for line in text.split("\n") if _is_row(line) for cell in _cells(line)]
    return list(dict.fromkeys(cell.strip() for cell in cells))


def _is_table(mime: str, text: str) -> bool:
    return (mime == "text/html" and "<table" in text) or (
        mime == "text/markdown" and re.search(r"^\|.*\|\s*$", text, re.MULTILINE) is not None
    )


def _translate_table(mime: str, text: str, catalog: Mapping[str, str]) -> str:
    return translate_html_table(text, catalog) if mime == "text/html" else translate_markdown_table(text, catalog)


def rewrite_notebook(
    notebook: dict[str, Any],
    language: str,
    root: str,
    labels: Mapping[str, str] | None = None,
    messages: Mapping[str, str] | None = None,
    extract: bool = False,
) -> dict[str, Any]:
    """The notebook as edition ``language`` shows it (a copy; see the module's docstring).

    ``labels`` is the label catalog and ``messages`` the page's catalog of the language;
    ``extract`` (the gettext builder) adds a last Markdown cell holding every phrase of every
    glued choice, one paragraph each, for the page's catalog.

    >>> figure = lambda lang: {"output_type": "display_data", "data": {"image/png": lang},
    ...                        "metadata": {"seqcnn": {"language": lang}}}
    >>> verdict = {"output_type": "display_data", "data": {"text/plain": "'beats'"},
    ...            "metadata": {"scrapbook": {"name": "v"}, "seqcnn": {"choices": ["beats", "loses"]}}}
    >>> nb = {"cells": [{"cell_type": "code", "outputs": [figure("en"), figure("zh_CN"), verdict]}]}
    >>> zh = rewrite_notebook(nb, "zh_CN", "en", messages={"beats": "胜过"})
    >>> [o["data"].get("image/png") or o["data"]["text/plain"] for o in zh["cells"][0]["outputs"]]
    ['zh_CN', "'胜过'"]
    >>> en = rewrite_notebook(nb, "en", "en", extract=True)
    >>> [o["data"].get("image/png") for o in en["cells"][0]["outputs"]][:1], en["cells"][-1]["source"]
    (['en'], 'beats\\n\\nloses')
    """
    notebook = copy.deepcopy(notebook)
    phrases: list[str] = []
    for cell in notebook.get("cells", []):
        outputs = cell.get("outputs")
        if cell.get("cell_type") != "code" or not outputs:
            continue
        languages = {_language(output) for output in outputs}
        keep = language if language in languages else root
        cell["outputs"] = [o for o in outputs if _language(o) in (None, keep)]
        for output in cell["outputs"]:
            data = output.get("data") or {}
            choices = _choices(output)
            if choices:
                phrases.extend(p for p in choices if p not in phrases)
                if language != root and messages:
                    for mime, value in list(data.items()):
                        if mime.endswith("text/plain"):
                            phrase = ast.literal_eval(_text(value))
                            data[mime] = repr(messages.get(phrase, phrase))
            if language != root and labels:
                for mime in ("text/html", "text/markdown"):
                    if mime in data and _is_table(mime, _text(data[mime])):
                        data[mime] = _translate_table(mime, _text(data[mime]), labels)
    if extract and phrases:
        notebook["cells"].append(
            {"cell_type": "markdown", "id": "seqcnn-glued-choices", "metadata": {}, "source": "\n\n".join(phrases)}
        )
    return notebook


#: A glued value shown by the page: ``{glue}`name```, ``{glue:text}`name```... or a ``{glue:figure}`` directive.
GLUE_REFERENCE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]+)`|^[`:]{3,}\{glue(?::[a-z]+)?\}[ \t]+(\S+)", re.M)


def glued_names_shown(notebook: dict[str, Any]) -> set[str]:
    """The glue names that the notebook's Markdown cells show (a ``path::name`` counts as ``name``).

    >>> glued_names_shown({"cells": [{"cell_type": "markdown", "source": "It {glue:text}`verdict` the "
    ...                               "baseline by {glue}`other.ipynb::margin` °C."}]}) == {"verdict", "margin"}
    True
    """
    found = set()
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", ""))
            for inline, directive in GLUE_REFERENCE.findall(source):
                found.add((inline or directive).split("::")[-1].strip())
    return found


def output_problems(
    notebook: dict[str, Any], language: str, root: str, labels: Mapping[str, str], messages: Mapping[str, str],
    keep: Collection[str] = (),
) -> list[str]:
    """What edition ``language`` of a notebook would show in English; empty when nothing.

    Checked: every figure has a variant in ``language``, drawn with the current label catalog,
    without untranslated labels or drawing problems; every glued text that the page shows is a
    number or a choice whose phrases the page's catalog translates (a glued value the page does not
    show, such as a number kept for the variation study, is not checked); every table label is
    translated. A text counts as English when :func:`english_words` finds a word in it that is not
    in ``keep`` (names that stay as they are, from the glossary: :func:`kept_words`).

    >>> nb = {"cells": [{"cell_type": "markdown", "source": "它{glue:text}`verdict`基准方法。"},
    ...     {"cell_type": "code", "outputs": [
    ...     {"output_type": "display_data", "data": {"text/plain": "'beats the baseline'"},
    ...      "metadata": {"scrapbook": {"name": "verdict"}}},
    ...     {"output_type": "display_data", "data": {"text/plain": "'no band measured yet'"},
    ...      "metadata": {"scrapbook": {"name": "not_shown"}}},
    ...     {"output_type": "execute_result", "data": {"text/html": "<table><th>epochs</th><th>PyTorch</th></table>"}},
    ...     {"output_type": "display_data", "data": {"image/png": ""}, "metadata": {}}]}]}
    >>> for problem in output_problems(nb, "zh_CN", "en", {}, {}, keep={"PyTorch"}): print(problem)
    a figure has no language: show it with seqcnn.languages.show
    glued value 'verdict' is English ('beats the baseline'): glue a number, or a choice (seqcnn.languages.glue_choice)
    table label 'epochs' is not translated: add it to locales/zh_CN/outputs.po
    """
    problems: list[str] = []
    shown = glued_names_shown(notebook)

    def english(text: str) -> bool:
        return any(word not in keep for word in english_words(text))

    for cell in notebook.get("cells", []):
        outputs = cell.get("outputs") or []
        images = [o for o in outputs if "image/png" in (o.get("data") or {})]
        for output in images:
            meta = (output.get("metadata") or {}).get(METADATA_KEY, {})
            if "language" not in meta:
                problems.append("a figure has no language: show it with seqcnn.languages.show")
        if any(_language(o) == root for o in images) and not any(_language(o) == language for o in images):
            problems.append(
                f"a figure has no {language} variant (the chapter ran without locales/{language}/outputs.po "
                "or the CJK font, mplfonts): re-execute it"
            )
        for output in images:
            meta = (output.get("metadata") or {}).get(METADATA_KEY, {})
            if meta.get("language") != language:
                continue
            for text in meta.get("untranslated", []):
                problems.append(
                    f"figure label {text!r} is not translated: add it to locales/{language}/outputs.po, then "
                    "execute the chapter again (python -m booktools.notebooks --all chapters/NN_name.md)"
                )
            for problem in meta.get("problems", []):
                problems.append(f"a figure in {language} was drawn with a problem: {problem}")
            for text in meta.get("texts", []):
                if english(text) and text not in meta.get("untranslated", []):
                    problems.append(f"a figure in {language} shows English: {text!r}")
            stale = [en for en, zh in meta.get("labels", {}).items() if translate(en, labels) != zh]
            if stale:
                problems.append(
                    f"a figure in {language} was drawn with an older label catalog ({stale[0]!r}): re-execute it"
                )
        # Text in each language (a check's feedback, seqcnn.exercises.show): each edition shows its own.
        texts = [o for o in outputs if _language(o) and "image/png" not in (o.get("data") or {})]
        if any(_language(o) == root for o in texts) and not any(_language(o) == language for o in texts):
            problems.append(
                f"a check's feedback has no {language} variant: add its message to locales/{language}/outputs.po, "
                "then execute the chapter again (python -m booktools.notebooks chapters/NN_name.md)"
            )
        for output in texts:
            text = _text((output.get("data") or {}).get("text/plain", ""))
            if _language(output) == language and english(text):
                problems.append(f"a check's feedback in {language} shows English: {text!r}")
        for output in outputs:
            data = output.get("data") or {}
            name = ((output.get("metadata") or {}).get("scrapbook") or {}).get("name")
            choices = _choices(output)
            if name and choices:
                for phrase in choices:
                    if english(messages.get(phrase, phrase)):
                        problems.append(f"glued choice {name!r}: {phrase!r} has no {language} translation")
            elif name and name in shown:
                plain = next((v for k, v in data.items() if k.endswith("text/plain")), None)
                try:
                    value = ast.literal_eval(_text(plain)) if plain is not None else None
                except (ValueError, SyntaxError):
                    value = _text(plain)
                if isinstance(value, str) and english(value):
                    problems.append(
                        f"glued value {name!r} is English ({value!r}): glue a number, or a choice "
                        "(seqcnn.languages.glue_choice)"
                    )
            for mime in ("text/html", "text/markdown"):
                text = _text(data.get(mime, ""))
                if mime in data and _is_table(mime, text):
                    for label in table_labels(mime, text):
                        if english(translate(label, labels) or label):
                            problems.append(
                                f"table label {label!r} is not translated: add it to locales/{language}/outputs.po"
                            )
    return list(dict.fromkeys(problems))


def kept_words(srcdir: Path, locale_dirs: list[str], language: str) -> frozenset[str]:
    """Names that stay as they are in ``language``: the glossary's terms translated by themselves.

    A row ``PyTorch,PyTorch,...`` of ``locales/<language>/glossary.csv`` says that the edition
    writes the name as it is, so it does not count as English where the run shows it.
    """
    import csv

    kept: set[str] = set()
    for folder in locale_dirs:
        path = Path(srcdir, folder, language, "glossary.csv")
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as file:
                for row in csv.reader(file):
                    if len(row) >= 2 and row[0].strip() and row[0].strip() == row[1].strip():
                        kept.update(row[0].split())
    return frozenset(kept)


def page_catalogs(srcdir: Path, locale_dirs: list[str], language: str, docname: str) -> tuple[dict, dict]:
    """The label catalog and the page's catalog of ``language`` (empty when missing)."""
    found_labels: dict[str, str] = {}
    messages: dict[str, str] = {}
    for folder in locale_dirs:
        base = Path(srcdir, folder)
        found_labels.update(read_labels(language, base) or {})
        po = base / language / "LC_MESSAGES" / f"{docname}.po"
        if po.is_file():
            messages.update(read_catalog(po))
    return found_labels, messages


def _read_notebook(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``: give myst-nb the notebook as this edition shows it."""
    editions = app.config.editions or {}
    if not editions or not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    root, language = next(iter(editions)), app.config.language
    extract = app.builder.name == "gettext"
    if language == root:
        labels, messages = {}, {}
    else:
        labels, messages = page_catalogs(Path(app.srcdir), list(app.config.locale_dirs), language, docname)
    notebook = json.loads(source[0])
    source[0] = json.dumps(rewrite_notebook(notebook, language, root, labels, messages, extract=extract))


TEMPLATES = Path(__file__).resolve().parent / "edition_templates"
"""Theme components whose words (a title, an aria-label) the theme does not translate, made
translatable: ``booktools/translations.py update`` adds them to ``sphinx.po``."""


def _add_templates(app: Any, config: Any) -> None:
    if str(TEMPLATES) not in config.templates_path:  # first: sphinx-book-theme adds its components too
        config.templates_path = [str(TEMPLATES), *config.templates_path]


def setup(app: Any) -> dict[str, Any]:
    """Connect the notebook rewriting to ``source-read``; the translatable theme components."""
    app.connect("source-read", _read_notebook)
    app.connect("config-inited", _add_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
