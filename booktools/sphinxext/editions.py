"""The book in several languages: one site, one execution, an edition per language.

The first edition of ``editions`` (in ``_config.yml``, under ``sphinx.config``) is the one that
``jupyter-book build .`` builds, at the root of the site. When that html build has finished, this
extension builds each other edition from the same sources and the same executed notebooks, with
``language`` set to its key (Sphinx then applies the translations of ``locales/<language>/``), and
copies it into a sub-folder of the site named after the language::

    editions:
      en: {label: English}
      zh_CN:
        label: 中文
        config: {html_title: ..., author: ...}   # Sphinx settings of that edition only

Each other edition is built in a subprocess by Jupyter Book's own Sphinx call
(``python -m booktools.sphinx_build``, :func:`booktools.sphinx_build.build`: ``_config.yml`` and
``_toc.yml`` as for the first one), in ``_build/<language>/`` (so that its environment, doctrees
and notebook outputs stay apart), with the first build's ``-W``, ``--keep-going`` and ``-n``; if it
fails, the whole build fails. Every page of every edition gets a switch in its header to the same
page in the other editions (``templates/edition-switch.html``), with relative links, so the site
works wherever it is served from.

In a translated edition, this extension also translates the part captions of ``_toc.yml`` (which
Sphinx's own translation step runs too early to see) and completes the theme's translations with
the edition's ``booktheme.po`` (``sphinx.po`` Sphinx finds by itself).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError, ExtensionError
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import CatalogInfo, docname_to_domain

LOGGER = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
SWITCH_TEMPLATE = "edition-switch.html"
THEME_HEADER_END = ["article-header-buttons.html"]
"""sphinx-book-theme's ``article_header_end``: the switch goes before these buttons."""
THEME_CATALOGS = ("booktheme",)
"""The theme's own message catalogs, which an edition may complete with ``<domain>.po`` files of
its ``locale_dirs`` (Sphinx itself does that for ``sphinx.po``, pydata-sphinx-theme's catalog)."""
BOOKTOOLS_PARENT = Path(__file__).resolve().parents[2]
"""The folder that holds ``booktools``: the subprocess of each edition must import it too."""
_STARTED = time.monotonic()
"""When this build (one process, one edition) started, for the build times in the log."""


def root_language(editions: dict[str, dict[str, Any]]) -> str:
    """The language of the edition at the root of the site: the first of ``editions``."""
    return next(iter(editions))


def hreflang(language: str) -> str:
    """The language as HTML writes it: ``zh_CN`` -> ``zh-CN``."""
    return language.replace("_", "-")


def edition_folder(language: str, root: str) -> str:
    """Where an edition lives in the site, relative to its root: "" or "zh_CN/"."""
    return "" if language == root else f"{language}/"


def switch_href(pagename: str, suffix: str, current: str, target: str, root: str) -> str:
    """The relative link from a page of edition ``current`` to the same page in ``target``.

    >>> switch_href("chapters/01_conv1d", ".html", "en", "zh_CN", "en")
    '../zh_CN/chapters/01_conv1d.html'
    >>> switch_href("chapters/01_conv1d", ".html", "zh_CN", "en", "en")
    '../../chapters/01_conv1d.html'
    >>> switch_href("intro", ".html", "en", "zh_CN", "en")
    'zh_CN/intro.html'
    """
    up = pagename.count("/") + (0 if current == root else 1)
    return "../" * up + edition_folder(target, root) + pagename + suffix


def check_editions(app: Sphinx, config: Config) -> None:
    """Validate ``editions`` and put the switch into the theme's article header."""
    editions = config.editions
    if not editions:
        return
    if not isinstance(editions, dict) or not all(
        isinstance(edition, dict) and edition.get("label") for edition in editions.values()
    ):
        raise ConfigError(
            "_config.yml: sphinx.config.editions must map each language to a dict with a "
            f"`label` (the switch's text), e.g. {{en: {{label: English}}}}; got {editions!r}"
        )
    if config.language not in editions:
        raise ConfigError(
            f"_config.yml: the build's language {config.language!r} is not one of the editions "
            f"{list(editions)}: add it to sphinx.config.editions."
        )
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    options = config.html_theme_options
    header_end = list(options.get("article_header_end", THEME_HEADER_END))
    if SWITCH_TEMPLATE not in header_end:
        options["article_header_end"] = [SWITCH_TEMPLATE, *header_end]


def add_theme_translations(app: Sphinx, config: Config) -> None:
    """Complete the theme's translations with the edition's ``locales/<language>/.../booktheme.po``."""
    if not config.editions or config.language == root_language(config.editions):
        return
    for folder in config.locale_dirs:
        base = Path(app.srcdir, folder)
        for domain in THEME_CATALOGS:
            catalog = CatalogInfo(str(base / config.language / "LC_MESSAGES"), domain, "utf-8")
            if Path(catalog.po_path).is_file():
                if catalog.is_outdated():
                    catalog.write_mo(config.language)
                app.add_message_catalog(domain, str(base))


def add_switch_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the page template the links to this page in the other editions."""
    editions = app.config.editions
    if not editions:
        return
    root, current = root_language(editions), app.config.language
    suffix = app.builder.get_target_uri(pagename)[len(pagename):] or ".html"
    links = [
        {
            "label": edition["label"],
            "hreflang": hreflang(language),
            "href": switch_href(pagename, suffix, current, language, root),
        }
        for language, edition in editions.items()
        if language != current
    ]
    context["edition_links"] = links
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{link["hreflang"]}" href="{link["href"]}" />'
        for link in links
    )


def _parents(node):
    while node.parent is not None:
        node = node.parent
        yield node


class KeepOutputsUntranslated(SphinxTransform):
    """Notebook outputs are not messages: mark the text of every cell output untranslatable."""

    default_priority = 10  # before Sphinx's Locale (20), which the gettext builder shares

    def apply(self, **kwargs: Any) -> None:
        from docutils import nodes
        for output in self.document.findall(nodes.container):
            if "cell_output" in output["classes"]:
                for node in output.findall(nodes.TextElement):
                    if not isinstance(node, (nodes.caption, nodes.legend)) and not any(
                        isinstance(parent, nodes.legend) for parent in _parents(node)
                    ):
                        node["translatable"] = False


class TranslateTocCaptions(SphinxTransform):
    """Translate the captions of the toc's parts ("Foundations"), in a translated edition.

    sphinx-external-toc adds the toctrees of ``_toc.yml`` to the root document (its transform has
    priority 100) after Sphinx has translated the document (``Locale``, priority 20), so their
    captions would stay English, although the gettext builder extracts them into the root
    document's catalog. This applies that catalog to them.
    """

    default_priority = 110

    def apply(self, **kwargs: Any) -> None:
        editions = self.config.editions
        if not editions or self.config.language == root_language(editions):
            return
        toctrees = [node for node in self.document.findall(addnodes.toctree) if node.get("caption")]
        if not toctrees:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        folders = [str(Path(self.env.srcdir, folder)) for folder in self.config.locale_dirs]
        catalog, found = init_locale(folders, self.config.language, domain)
        if not found:
            return
        for node in toctrees:
            caption = catalog.gettext(node["caption"])
            if caption:
                node["caption"] = node["rawcaption"] = caption


def _env_with(folder: Path) -> dict[str, str]:
    """This process's environment, with ``folder`` first on the subprocess's ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), env.get("PYTHONPATH")) if p)
    return env


def build_other_editions(app: Sphinx, exception: Exception | None) -> None:
    """After the root edition's html build, build every other edition into its sub-folder."""
    editions = app.config.editions
    if exception is not None or app.builder.name != "html" or not editions:
        return
    root = root_language(editions)
    if app.config.language != root:
        return
    LOGGER.info(f"edition {root}: built in {time.monotonic() - _STARTED:.1f} s")
    build_root = Path(app.outdir).parent
    for language, edition in editions.items():
        if language == root:
            continue
        started = time.monotonic()
        command = [
            sys.executable,
            "-m", "booktools.sphinx_build",
            "--source", str(app.srcdir),
            "--toc", str(app.config.external_toc_path),
            "--language", language,
            "--overrides", json.dumps(edition.get("config") or {}),
            "--build-dir", str(build_root / language / "html"),
        ]
        if app.warningiserror or app.keep_going:
            command.append("-W")
        if app.keep_going:
            command.append("--keep-going")
        if app.config.nitpicky:
            command.append("-n")
        LOGGER.info(f"edition {language}: building ({' '.join(command[1:])})")
        if subprocess.run(command, check=False, env=_env_with(BOOKTOOLS_PARENT)).returncode != 0:
            raise ExtensionError(
                f"The {language} edition failed to build (its messages are above). Its "
                f"translations are in locales/{language}/; see CONTRIBUTING.md, Translations."
            )
        site = Path(app.outdir) / language
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(build_root / language / "html", site)
        LOGGER.info(
            f"edition {language}: built in {time.monotonic() - started:.1f} s, copied to {site}"
        )


def share_site(app: Sphinx, exception: Exception | None) -> None:
    """After the html build (and the other editions), let everyone read the whole site."""
    if exception is None and app.builder.format == "html":
        from booktools.sphinx_build import readable_by_everyone

        readable_by_everyone(Path(app.outdir))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``editions``, the header switch and the build of the other editions."""
    app.add_config_value("editions", {}, "html", dict)
    app.connect("config-inited", check_editions)
    app.connect("config-inited", add_theme_translations)
    app.add_css_file("edition-switch.css")
    app.add_transform(KeepOutputsUntranslated)
    app.add_transform(TranslateTocCaptions)
    app.connect("html-page-context", add_switch_links)
    app.connect("build-finished", build_other_editions)
    app.connect("build-finished", share_site, priority=900)  # after the other editions are copied in
    return {"parallel_read_safe": True, "parallel_write_safe": True}

