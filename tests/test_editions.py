"""The Sphinx extensions of the language editions (booktools/sphinxext/editions.py, translated_glue.py).

The built site is tested in tests_site/test_zh.py; these are the pieces that decide links,
settings and glue keys, checked without a build.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.errors import ConfigError

from booktools.sphinxext import editions, translated_glue

EDITIONS = {"en": {"label": "English"}, "zh_CN": {"label": "中文", "config": {}}}


@pytest.mark.parametrize(
    ("page", "current", "target", "expected"),
    [
        ("intro", "en", "zh_CN", "zh_CN/intro.html"),
        ("intro", "zh_CN", "en", "../intro.html"),
        ("chapters/01_conv1d", "en", "zh_CN", "../zh_CN/chapters/01_conv1d.html"),
        ("chapters/01_conv1d", "zh_CN", "en", "../../chapters/01_conv1d.html"),
        ("search", "zh_CN", "en", "../search.html"),
    ],
)
def test_switch_links_are_relative_and_lead_to_the_same_page(
    page: str, current: str, target: str, expected: str
) -> None:
    assert editions.switch_href(page, ".html", current, target, "en") == expected


def _config(editions_setting: object, language: str = "en") -> SimpleNamespace:
    return SimpleNamespace(
        editions=editions_setting, language=language, templates_path=[],
        html_static_path=[], html_theme_options={},
    )


def test_the_switch_goes_into_the_article_header() -> None:
    config = _config(EDITIONS)
    editions.check_editions(None, config)
    assert config.html_theme_options["article_header_end"] == [
        "edition-switch.html", "article-header-buttons.html"
    ]
    assert (Path(config.templates_path[0]) / "edition-switch.html").is_file()
    assert (Path(config.html_static_path[0]) / "edition-switch.css").is_file()


@pytest.mark.parametrize(
    ("setting", "language", "message"),
    [
        ({"en": {}}, "en", "label"),
        (["en", "zh_CN"], "en", "label"),
        (EDITIONS, "fr", "'fr' is not one of the editions"),
    ],
)
def test_bad_editions_settings_are_refused(setting: object, language: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        editions.check_editions(None, _config(setting, language))


def _role(text: str, document: dict) -> SimpleNamespace:
    env = SimpleNamespace(docname="chapters/01_conv1d",
                          doc2path=lambda name: f"/book/{name}.ipynb")
    return SimpleNamespace(text=text, document=_Document(document, env))


class _Document(dict):
    """Stands for a docutils document: `in` looks at its attributes, settings.env is the env."""

    def __init__(self, attributes: dict, env: SimpleNamespace) -> None:
        super().__init__(attributes)
        self.settings = SimpleNamespace(env=env)


def test_glue_in_a_translated_message_reads_the_notebook_being_translated() -> None:
    role = _role("n_settings", {})
    translated_glue._from_this_notebook(role, format_spec=":s")
    assert role.text == "01_conv1d.ipynb::n_settings:s"
    role = _role("ratio:.2f", {})
    translated_glue._from_this_notebook(role, format_spec=":s")
    assert role.text == "01_conv1d.ipynb::ratio:.2f"


def test_glue_outside_translations_is_left_alone() -> None:
    role = _role("n_settings", {"nb_renderer": object()})  # the notebook itself, being read
    translated_glue._from_this_notebook(role, format_spec=":s")
    assert role.text == "n_settings"
    role = _role("other.ipynb::key", {})
    translated_glue._from_this_notebook(role)
    assert role.text == "other.ipynb::key"


def test_translated_messages_are_recognised() -> None:
    translated = SimpleNamespace(current_source="/book/x.ipynb:12:<translated>")
    assert translated_glue.is_translated_message(translated)
    assert not translated_glue.is_translated_message(SimpleNamespace(current_source="/book/x.ipynb"))
