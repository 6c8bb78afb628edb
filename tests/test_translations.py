"""The translated editions keep up with the English text (bookbooktools/translations.py; CONTRIBUTING.md, Translations).

For every page of `_toc.yml` and every translated language of `_config.yml` (`editions`), the
messages of the current English sources (extracted by Sphinx's gettext builder, as
`python -m booktools.translations update` does) must all be in the page's catalog, translated, not
fuzzy, and keep their English message's roles, glue names, literals, links and math. One test per
page and language, so that the report names the pages that fell behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from booktools import translations



PAGES = translations.toc_pages()
LANGUAGES = translations.languages()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The .pot file of each page, extracted from the current English sources."""
    return translations.templates(translations.extract(tmp_path_factory.mktemp("gettext")))


def test_there_is_a_translated_edition() -> None:
    assert LANGUAGES == ["zh_CN"], f"_config.yml editions: {LANGUAGES}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_page_is_translated(extracted: dict[str, Path], language: str, page: str) -> None:
    """Every message of the page: in the catalog, translated, not fuzzy, same markup."""
    assert page in extracted, f"{page}: no messages extracted (is it in _toc.yml and built?)"
    report = translations.document_report(page, language, extracted[page])
    if not report.ok:
        pytest.fail(
            f"{language} {page}: {report.translated} of {report.messages} messages translated\n  "
            + "\n  ".join(report.problems(limit=3)),
            pytrace=False,
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", translations.THEME_CATALOGS)
def test_theme_words_are_translated(extracted: dict[str, Path], language: str, domain: str) -> None:
    """The words of the theme (and of its templates here) that its own translation lacks."""
    report = translations.document_report(domain, language, extracted.get(domain))
    assert report.catalog_exists and report.messages, f"{domain}.po: no catalog or no message"
    assert report.ok, "\n".join(report.problems())


# The checks themselves, on small catalogs written here: they must be able to fail.

POT = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: ../../chapters/x.ipynb:1
msgid "All {glue:text}`n` settings agree, see {doc}`3 <chapters/03_imdb>` and `ops.conv1d`."
msgstr ""

#: ../../chapters/x.ipynb:2
msgid "The span is $k = d\\\\,(k - 1) + 1$ steps, as in [Keras](https://keras.io/api/)."
msgstr ""

#: ../../chapters/x.ipynb:3
msgid "Summary"
msgstr ""

#: ../../chapters/x.ipynb:4
msgid "Exercises"
msgstr ""

#: ../../chapters/x.ipynb:5
msgid "New text."
msgstr ""
"""

GOOD = {
    "All {glue:text}`n` settings agree, see {doc}`3 <chapters/03_imdb>` and `ops.conv1d`.":
        "全部 {glue:text}`n` 种设置一致，见 {doc}`第 3 章 <chapters/03_imdb>` 和 `ops.conv1d`。",
    "The span is $k = d\\,(k - 1) + 1$ steps, as in [Keras](https://keras.io/api/).":
        "跨度为 $k = d\\,(k - 1) + 1$ 步，与 [Keras 文档](https://keras.io/api/)一致。",
    "Summary": "小结",
    "Exercises": "练习",
    "New text.": "新的文字。",
}


def _po(entries: dict[str, tuple[str, bool]]) -> str:
    """A catalog: msgid -> (msgstr, fuzzy)."""
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, (msgstr, fuzzy) in entries.items():
        lines += (["#, fuzzy"] if fuzzy else []) + [f"msgid {quote(msgid)}", f"msgstr {quote(msgstr)}", ""]
    return "\n".join(lines)


def _report(tmp_path: Path, entries: dict[str, tuple[str, bool]]):
    pot = tmp_path / "pot" / "chapters" / "x.pot"
    pot.parent.mkdir(parents=True)
    pot.write_text(POT, encoding="utf-8")
    po = translations.catalog_path("chapters/x", "zh_CN", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_text(_po(entries), encoding="utf-8")
    return translations.document_report("chapters/x", "zh_CN", pot, tmp_path)


def test_a_complete_consistent_catalog_passes(tmp_path: Path) -> None:
    report = _report(tmp_path, {msgid: (msgstr, False) for msgid, msgstr in GOOD.items()})
    assert report.ok, report.problems()
    assert (report.messages, report.translated) == (5, 5)


def test_untranslated_fuzzy_missing_and_broken_markup_fail(tmp_path: Path) -> None:
    first, second, summary, exercises, new = GOOD
    entries = {
        # glue name changed, doc target changed, literal dropped
        first: ("全部 {glue:text}`m` 种设置一致，见 {doc}`第 3 章 <chapters/04_jena>`。", False),
        # math changed, link target changed
        second: ("跨度为 $k = d(k - 1)$ 步，与 [Keras](https://keras.io/)一致。", False),
        summary: ("小结", True),  # fuzzy
        exercises: ("", False),  # untranslated
        # "New text." is missing from the catalog
    }
    report = _report(tmp_path, entries)
    assert not report.ok
    assert report.missing == [new]
    assert report.untranslated == [exercises]
    assert report.fuzzy == [summary]
    problems = "\n".join(report.inconsistent)
    for expected in [
        "drops roles: {doc}chapters/03_imdb, {glue:text}n",
        "adds roles the English does not have: {doc}chapters/04_jena, {glue:text}m",
        "drops literals: ops.conv1d",
        "drops math: k = d\\,(k - 1) + 1",
        "drops links: https://keras.io/api/",
    ]:
        assert expected in problems, problems
    lines = "\n".join(report.problems())
    assert "1 untranslated" in lines and "1 fuzzy" in lines and "1 missing" in lines, lines


def test_a_page_without_a_catalog_fails(tmp_path: Path) -> None:
    pot = tmp_path / "x.pot"
    pot.write_text(POT, encoding="utf-8")
    report = translations.document_report("x", "zh_CN", pot, tmp_path)
    assert not report.ok
    assert report.problems()[0].startswith("no catalog")


def test_merge_keeps_translations_and_marks_changed_english_fuzzy(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: A book\n", encoding="utf-8")
    pot_dir = tmp_path / "_build" / "gettext"
    (pot_dir / "chapters").mkdir(parents=True)
    (pot_dir / "chapters" / "x.pot").write_text(
        POT.replace("Summary", "Summary of the chapter"), encoding="utf-8"
    )
    po = translations.catalog_path("chapters/x", "zh_CN", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_text(_po({"Summary of this chapter": ("本章小结", False), "Exercises": ("练习", False)}),
                  encoding="utf-8")
    done = translations.merge(pot_dir, "zh_CN", tmp_path)
    assert done == ["updated locales/zh_CN/LC_MESSAGES/chapters/x.po"]
    report = translations.document_report("chapters/x", "zh_CN", pot_dir / "chapters" / "x.pot", tmp_path)
    assert report.fuzzy == ["Summary of the chapter"]  # the old translation, to be revised
    assert report.translated == 1 and len(report.untranslated) == 3 and not report.missing
    text = po.read_text(encoding="utf-8")
    assert "#: chapters/x.ipynb\n" in text  # the source, relative to the repository, no line
    assert 'msgstr "本章小结"' in text


def test_markup_keeps_titles_translatable() -> None:
    """A reference's own title is text: only its target must stay."""
    assert translations.markup_problems(
        "{doc}`Chapter 3 <chapters/03_imdb>`", "{doc}`第 3 章 <chapters/03_imdb>`"
    ) == []
    assert translations.markup_problems("`a` and `a`", "`a`") == []


def test_update_adds_only_the_template_words_the_theme_does_not_translate(tmp_path: Path) -> None:
    """sphinx.pot holds the words of the html templates; Sphinx's catalog already has "Search"."""
    (tmp_path / "_config.yml").write_text("title: A book\n", encoding="utf-8")
    pot_dir = tmp_path / "_build" / "gettext"
    pot_dir.mkdir(parents=True)
    (pot_dir / "sphinx.pot").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Search"\nmsgstr ""\n\nmsgid "Switch the edition"\nmsgstr ""\n',
        encoding="utf-8",
    )
    po = translations.catalog_path("sphinx", "zh_CN", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_text(_po({"Link to this heading": ("链接到此标题", False)}), encoding="utf-8")
    translations.merge(pot_dir, "zh_CN", tmp_path)
    report = translations.document_report("sphinx", "zh_CN", pot_dir / "sphinx.pot", tmp_path)
    assert report.untranslated == ["Switch the edition"]  # added, to translate
    assert report.translated == 1 and report.messages == 2  # the hand-written word is kept


# What the translated page shows of the run (booktools/sphinxext/edition_outputs.py): glued values, table labels,
# figures. A notebook and catalogs written here: the check must fail on each English output.

def _notebook(*, zh_figure: dict | None) -> dict:
    def figure(language: str, **extra) -> dict:
        return {"output_type": "display_data", "data": {"image/png": "", "text/plain": "<Figure>"},
                "metadata": {"seqcnn": {"language": language, **extra}}}

    outputs = [
        {"output_type": "display_data", "data": {"text/plain": "'2.71'"}, "metadata": {"scrapbook": {"name": "mae"}}},
        {"output_type": "display_data", "data": {"text/plain": "'worse than'"},
         "metadata": {"scrapbook": {"name": "verdict"}, "seqcnn": {"choices": ["better than", "worse than"]}}},
        {"output_type": "execute_result", "data": {"text/html": "<table><tr><th>epochs</th><td>20</td></tr></table>"}},
        figure("en"),
    ] + ([figure("zh_CN", **zh_figure)] if zh_figure is not None else [])
    return {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs}]}


def _outputs_report(tmp_path: Path, notebook: dict, messages: dict[str, str], labels: dict[str, str]):
    import json

    (tmp_path / "chapters").mkdir(exist_ok=True)
    (tmp_path / "chapters" / "x.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    pot = tmp_path / "x.pot"
    pot.write_text('msgid ""\nmsgstr ""\n\n' + "".join(f'msgid "{m}"\nmsgstr ""\n\n' for m in messages),
                   encoding="utf-8")
    po = translations.catalog_path("chapters/x", "zh_CN", tmp_path)
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(_po({m: (s, False) for m, s in messages.items()}), encoding="utf-8")
    (tmp_path / "locales" / "zh_CN" / "outputs.po").write_text(
        _po({m: (s, False) for m, s in labels.items()}), encoding="utf-8"
    )
    return translations.document_report("chapters/x", "zh_CN", pot, tmp_path)


def test_english_outputs_of_the_run_fail(tmp_path: Path) -> None:
    notebook = _notebook(zh_figure={"labels": {"epoch": "轮"}, "untranslated": ["loss"], "problems": [],
                                    "texts": ["轮", "loss", "seed 42"]})
    notebook["cells"][0]["outputs"].append(
        {"output_type": "display_data", "data": {"text/plain": "'does not beat'"},
         "metadata": {"scrapbook": {"name": "phrase"}}}
    )
    # The page shows the phrase (a glued value that no text shows is not checked: see the next test).
    notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "它{glue:text}`phrase`基准方法。"})
    report = _outputs_report(tmp_path, notebook, {"better than": "优于", "worse than": ""}, {"epochs": "epochs"})
    assert not report.ok
    problems = "\n".join(report.outputs)
    for expected in [
        "glued choice 'verdict': 'worse than' has no zh_CN translation",
        "glued value 'phrase' is English ('does not beat')",
        "table label 'epochs' is not translated",
        "figure label 'loss' is not translated",
        "a figure in zh_CN shows English: 'seed 42'",
        "a figure in zh_CN was drawn with an older label catalog ('epoch')",
    ]:
        assert expected in problems, problems
    assert "glued value 'mae'" not in problems  # a number
    assert "outputs in English" in "\n".join(report.problems())


def test_an_english_glued_value_that_no_text_shows_is_not_checked(tmp_path: Path) -> None:
    notebook = _notebook(zh_figure={"labels": {"epoch": "轮次"}, "untranslated": [], "problems": [], "texts": ["轮次"]})
    notebook["cells"][0]["outputs"].append(
        {"output_type": "display_data", "data": {"text/plain": "'no band measured yet'"},
         "metadata": {"scrapbook": {"name": "kept_for_the_study"}}}
    )
    report = _outputs_report(tmp_path, notebook, {"better than": "优于", "worse than": "不如"},
                             {"epochs": "轮数", "epoch": "轮次"})
    assert report.ok, report.problems()


def test_a_figure_without_its_chinese_variant_fails(tmp_path: Path) -> None:
    labels = {"epochs": "轮数", "epoch": "轮次"}
    messages = {"better than": "优于", "worse than": "不如"}
    report = _outputs_report(tmp_path, _notebook(zh_figure=None), messages, labels)
    assert report.outputs == [
        "a figure has no zh_CN variant (the chapter ran without locales/zh_CN/outputs.po or the CJK font, "
        "mplfonts): re-execute it"
    ]


def test_chinese_outputs_pass(tmp_path: Path) -> None:
    labels = {"epochs": "轮数", "epoch": "轮次"}
    messages = {"better than": "优于", "worse than": "不如"}
    zh = {"labels": {"epoch": "轮次"}, "untranslated": [], "problems": [], "texts": ["轮次", "Conv1D + GRU", "MAE（°C）"]}
    report = _outputs_report(tmp_path, _notebook(zh_figure=zh), messages, labels)
    assert report.ok, report.problems()


def test_merge_revives_the_translation_of_a_message_that_comes_back(tmp_path: Path) -> None:
    """A glued choice that the last extraction lacked (a chapter not executed yet) went obsolete;
    when it is extracted again, it gets its translation back."""
    (tmp_path / "_config.yml").write_text("title: A book\n", encoding="utf-8")
    pot_dir = tmp_path / "_build" / "gettext"
    (pot_dir / "chapters").mkdir(parents=True)
    po = translations.catalog_path("chapters/x", "zh_CN", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_text(_po({"Summary": ("小结", False), "beats": ("胜过", False)}), encoding="utf-8")
    pot = pot_dir / "chapters" / "x.pot"
    pot.write_text('msgid ""\nmsgstr ""\n\nmsgid "Summary"\nmsgstr ""\n', encoding="utf-8")
    translations.merge(pot_dir, "zh_CN", tmp_path)
    assert '#~ msgid "beats"' in po.read_text(encoding="utf-8")
    pot.write_text('msgid ""\nmsgstr ""\n\nmsgid "Summary"\nmsgstr ""\n\nmsgid "beats"\nmsgstr ""\n', encoding="utf-8")
    translations.merge(pot_dir, "zh_CN", tmp_path)
    report = translations.document_report("chapters/x", "zh_CN", pot, tmp_path)
    assert report.ok and report.translated == 2, report.problems()
    assert "#~" not in po.read_text(encoding="utf-8")


def test_names_kept_as_they_are_come_from_the_glossary(tmp_path):
    from booktools.sphinxext import edition_outputs

    folder = tmp_path / "locales" / "zh_CN"
    folder.mkdir(parents=True)
    (folder / "glossary.csv").write_text("term,中文,note\nPyTorch,PyTorch,name\nbackend,后端,\nGRU,GRU,\n",
                                         encoding="utf-8")
    kept = edition_outputs.kept_words(tmp_path, ["locales"], "zh_CN")
    assert kept == {"PyTorch", "GRU"}  # a term translated by itself; "backend" is translated
    assert "PyTorch" in edition_outputs.kept_words(translations.REPO, ["locales"], "zh_CN")  # the book's glossary
