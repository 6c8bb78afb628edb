"""Keep the book's translations in step with its English text.

The translated editions (``editions`` in ``_config.yml``; ``booktools/sphinxext/editions.py`` builds them) take
their text from gettext catalogs, one per document of the book:
``locales/<language>/LC_MESSAGES/<document>.po`` (``chapters/01_conv1d.po`` for
``chapters/01_conv1d.ipynb``). A message is a paragraph, heading, list item, caption, figure alt
text or table cell of the English sources; code and outputs are never messages.

Usage, from the repository (after any change of English text)::

    python -m booktools.translations update    # extract the messages, merge them into every catalog, report
    python -m booktools.translations report    # messages per document: translated, fuzzy, untranslated
    python -m booktools.translations check     # fail unless every message is translated and consistent

``update`` runs Sphinx's gettext builder (``jupyter-book build . --builder custom
--custom-builder gettext``, in a temporary folder) and merges the new messages into the catalogs:
a changed English message keeps its old translation marked *fuzzy*, for a translator to revise
(then remove the ``#, fuzzy`` line). ``check`` (what ``tests/test_translations.py`` asserts) extracts
into a temporary folder and fails when a message is missing, untranslated or fuzzy, or when a
translation drops or changes a role (``{glue:text}`key```, ``{doc}`target```, ``{cite:t}`key```),
an inline literal, a link target, a substitution or a ``$math$`` span of its English message.
"""

from __future__ import annotations

import argparse
import functools
import gettext
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
LOCALES = "locales"
THEME_CATALOGS = ("sphinx", "booktheme")
"""Catalogs that are not pages: words of Sphinx and of the theme that their own catalogs lack.
Written by hand; ``update`` only adds the words of the html templates (which the gettext builder
extracts into ``sphinx.pot``) that neither Sphinx nor the theme translates."""

ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:+.-]*)\}(?P<ticks>`+)(?P<content>.+?)(?P=ticks)")
"""A MyST role: {name}`content` (also with ``double`` backticks)."""
EXPLICIT_TARGET = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
"""The content of a reference role with its own title: ``title <target>``."""
LITERAL = re.compile(r"(?P<ticks>`+)(?P<content>.+?)(?P=ticks)")
LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)|<(?P<auto>(?:https?|mailto):[^>\s]+)>")
MATH = re.compile(r"\$\$(?P<block>.+?)\$\$|\$(?P<inline>[^$]+?)\$", re.DOTALL)
SUBSTITUTION = re.compile(r"\{\{\s*(?P<name>[^{}\s]+)\s*\}\}")


def markup(text: str) -> dict[str, set[str]]:
    """What a translation must keep from a message: its roles, literals, links, math, substitutions.

    A reference role with its own title (``{doc}`Chapter 3 <chapters/03_imdb>```) keeps only its
    target: the title is text, and is translated.

    >>> sorted(markup("See {doc}`3 <chapters/03_imdb>`: {glue:text}`n` steps of `x`, $k$.")["roles"])
    ['{doc}chapters/03_imdb', '{glue:text}n']
    >>> markup("$k = 1$ and `a`")["math"], markup("$k = 1$ and `a`")["literals"]
    ({'k = 1'}, {'a'})
    """
    found: dict[str, set[str]] = {
        "roles": set(), "literals": set(), "links": set(), "math": set(), "substitutions": set()
    }

    def role(match: re.Match[str]) -> str:
        content = match["content"]
        explicit = EXPLICIT_TARGET.match(content)
        found["roles"].add(f"{{{match['name']}}}{explicit['target'] if explicit else content}")
        return " "

    def literal(match: re.Match[str]) -> str:
        found["literals"].add(match["content"])
        return " "

    rest = LITERAL.sub(literal, ROLE.sub(role, text))
    found["links"] = {m["target"] or m["auto"] for m in LINK.finditer(rest)}
    found["math"] = {" ".join((m["block"] or m["inline"]).split()) for m in MATH.finditer(rest)}
    found["substitutions"] = {m["name"] for m in SUBSTITUTION.finditer(rest)}
    return found


def markup_problems(msgid: str, msgstr: str) -> list[str]:
    """How a translation's markup differs from its English message's (empty when it does not).

    >>> markup_problems("{glue:text}`n` steps", "{glue:text}`n` 步")
    []
    >>> markup_problems("{glue:text}`n` steps", "15 步")
    ['drops roles: {glue:text}n']
    """
    problems = []
    english, translated = markup(msgid), markup(msgstr)
    for kind in english:
        dropped = sorted(english[kind] - translated[kind])
        added = sorted(translated[kind] - english[kind])
        if dropped:
            problems.append(f"drops {kind}: {', '.join(dropped)}")
        if added:
            problems.append(f"adds {kind} the English does not have: {', '.join(added)}")
    return problems


@dataclass
class DocumentReport:
    """The state of one document's catalog against the messages of its English text."""

    document: str
    messages: int = 0
    translated: int = 0
    fuzzy: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Messages of the English text that the catalog does not have (run `update`)."""
    inconsistent: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    """What the translated page would show of the run in English (booktools/sphinxext/edition_outputs.py)."""
    catalog_exists: bool = True

    @property
    def ok(self) -> bool:
        """Complete, nothing fuzzy, every translation keeps its message's markup."""
        return (self.catalog_exists or not self.messages) and not (
            self.fuzzy or self.untranslated or self.missing or self.inconsistent or self.outputs
        )

    def problems(self, limit: int = 5) -> list[str]:
        """One line per kind of problem, quoting the first few messages."""
        lines = []
        if not self.catalog_exists:
            lines.append("no catalog: run `python -m booktools.translations update`")
        for name, items in [
            ("missing from the catalog (run `python -m booktools.translations update`)", self.missing),
            ("untranslated", self.untranslated),
            ("fuzzy (English changed: revise, then remove the fuzzy flag)", self.fuzzy),
            ("markup differs from the English", self.inconsistent),
            ("outputs in English (figures, glued values, table labels)", self.outputs),
        ]:
            if items:
                quoted = "; ".join(_short(item) for item in items[:limit])
                more = f" (and {len(items) - limit} more)" if len(items) > limit else ""
                lines.append(f"{len(items)} {name}: {quoted}{more}")
        return lines


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def languages(repo: Path = REPO) -> list[str]:
    """The translated languages: every edition of ``_config.yml`` but the first (the English)."""
    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    editions = (config.get("sphinx") or {}).get("config", {}).get("editions") or {}
    return list(editions)[1:]


def catalog_path(document: str, language: str, repo: Path = REPO) -> Path:
    """The .po file of a document (``chapters/01_conv1d``) in a language."""
    return repo / LOCALES / language / "LC_MESSAGES" / f"{document}.po"


def templates(pot_dir: Path) -> dict[str, Path]:
    """The .pot files of an extraction, by document name."""
    return {p.relative_to(pot_dir).with_suffix("").as_posix(): p for p in sorted(pot_dir.rglob("*.pot"))}


def extract(output: Path, repo: Path = REPO) -> Path:
    """Run Sphinx's gettext builder on the book; returns the folder of the .pot files.

    ``output`` is a folder for the build (it gets a ``_build``; the gettext builder cannot share
    the html build's environment in ``_build/.doctrees``).
    """
    command = [
        sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(repo), "-q",
        "--builder", "custom", "--custom-builder", "gettext", "--path-output", str(output),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    pot_dir = output / "_build" / "gettext"
    if result.returncode != 0 or not any(pot_dir.rglob("*.pot")):
        raise RuntimeError(
            f"Extracting the messages failed ({' '.join(command)}):\n{result.stdout}\n{result.stderr}"
        )
    return pot_dir


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


AUTOMATIC_FLAGS = {"python-format", "python-brace-format"}
"""Flags Babel guesses from braces in the English text; they mean nothing for this book."""


def _write(catalog: Catalog, path: Path, project: str, language: str) -> None:
    """Write a catalog without line numbers (they change whenever a cell moves)."""
    catalog.project = project
    catalog.fuzzy = False
    catalog.header_comment = (
        f"# {_language_name(catalog)} translation of one document of \"{project}\".\n"
        "# Update after any change of English text: python -m booktools.translations update\n"
        f"# Glossary: {LOCALES}/{language}/glossary.csv. See CONTRIBUTING.md, Translations."
    )
    catalog.last_translator = "The seqcnn course authors"
    catalog.language_team = f"{language} <{LOCALES}/{language}/glossary.csv>"
    for message in catalog:
        if message.id:
            message.flags -= AUTOMATIC_FLAGS
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as file:
        write_po(file, catalog, width=0, include_lineno=False, ignore_obsolete=False)
    temporary.replace(path)


def _language_name(catalog: Catalog) -> str:
    """The catalog's language in English ("Chinese (Simplified, China)"), or its code."""
    return catalog.locale.english_name if catalog.locale else str(catalog.locale_identifier)


def _locations_from_repo(template: Catalog, pot_dir: Path, repo: Path) -> None:
    """Name each message's source file relative to the repository (Sphinx: to its build folder)."""
    for message in template:
        message.locations = [
            ((pot_dir / file).resolve().relative_to(repo.resolve()).as_posix(), None)
            for file, _ in message.locations
        ]


def merge(pot_dir: Path, language: str, repo: Path = REPO) -> list[str]:
    """Merge an extraction into the catalogs of ``language``; returns what it did, one line each."""
    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    project = str(config.get("title", "book"))
    done = []
    found = templates(pot_dir)
    for document, pot in found.items():
        template = _read(pot)
        _locations_from_repo(template, pot_dir, repo)
        path = catalog_path(document, language, repo)
        if document in THEME_CATALOGS:
            done.append(_add_theme_words(template, path, language, repo))
            continue
        if path.exists():
            catalog = _read(path, language)
            unchanged = [m.id for m in catalog if m.id] == [m.id for m in template if m.id]
            created = catalog.creation_date
            obsolete = {m.id: m for m in catalog.obsolete.values() if m.string}
            catalog.update(template, update_header_comment=False)
            _revive(catalog, obsolete)
            if unchanged:  # no new date, no diff, when the English did not change
                catalog.creation_date = created
            done.append(f"updated {path.relative_to(repo)}")
        else:
            catalog = Catalog(locale=language)
            catalog.update(template)
            done.append(f"created {path.relative_to(repo)}")
        _write(catalog, path, project, language)
    base = repo / LOCALES / language / "LC_MESSAGES"
    for path in sorted(base.rglob("*.po")):
        document = path.relative_to(base).with_suffix("").as_posix()
        if document not in found and document not in THEME_CATALOGS:
            done.append(f"{path.relative_to(repo)}: no such document any more (delete it)")
    return done


def _revive(catalog: Catalog, obsolete: dict) -> None:
    """Give a message that came back (a verdict's choice that a run did not glue for a while, a
    sentence restored) the translation it had when it went obsolete."""
    for message in catalog:
        old = obsolete.get(message.id)
        if message.id and not message.string and old is not None:
            message.string = old.string
            message.flags = set(old.flags)
            catalog.obsolete.pop(message.id, None)


@functools.lru_cache
def _installed_translations(language: str) -> tuple[gettext.NullTranslations, ...]:
    """The "sphinx" catalogs of Sphinx and of pydata-sphinx-theme for ``language``."""
    import pydata_sphinx_theme
    import sphinx

    folders = [Path(sphinx.__file__).parent / "locale", Path(pydata_sphinx_theme.__file__).parent / "locale"]
    return tuple(
        gettext.translation("sphinx", localedir=folder, languages=[language], fallback=True)
        for folder in folders
    )


def translated_by_theme(msgid: str, language: str) -> bool:
    """Whether Sphinx's or the theme's own catalog translates a word of the html templates."""
    return any(t.gettext(msgid) != msgid for t in _installed_translations(language))


def _wanted(document: str, language: str, pot: Path | None, catalog: Catalog) -> list[str]:
    """The messages a catalog must translate: those extracted (a theme catalog: not translated
    by the theme already, and its own), or else the catalog's own."""
    own = [m.id for m in catalog if m.id]
    if pot is None:
        return own
    extracted = [m.id for m in _read(pot) if m.id]
    if document not in THEME_CATALOGS:
        return extracted
    missing = [msgid for msgid in extracted if not translated_by_theme(msgid, language)]
    return list(dict.fromkeys(missing + own))


def _add_theme_words(template: Catalog, path: Path, language: str, repo: Path) -> str:
    """Add the template words that the theme does not translate to a hand-written catalog."""
    catalog = _read(path, language) if path.exists() else Catalog(locale=language)
    new = [m for m in template if m.id and m.id not in catalog and not translated_by_theme(m.id, language)]
    if not new:
        return f"{path.relative_to(repo)}: no new words of the theme's templates"
    for message in new:
        catalog.add(message.id, locations=message.locations)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=0, include_lineno=False)
    return f"{path.relative_to(repo)}: {len(new)} new words of the theme's templates to translate"


def document_report(document: str, language: str, pot: Path | None, repo: Path = REPO) -> DocumentReport:
    """Check one document's catalog; against its extracted messages when ``pot`` is given."""
    report = DocumentReport(document)
    path = catalog_path(document, language, repo)
    catalog = _read(path, language) if path.exists() else Catalog(locale=language)
    report.catalog_exists = path.exists()
    wanted = _wanted(document, language, pot, catalog)
    report.messages = len(wanted)
    for msgid in wanted:
        message = catalog.get(msgid)
        if message is None:
            report.missing.append(msgid)
        elif not message.string:
            report.untranslated.append(msgid)
        elif message.fuzzy:
            report.fuzzy.append(msgid)
        else:
            report.translated += 1
            report.inconsistent.extend(
                f"{problem} in {_short(msgid, 60)}" for problem in markup_problems(msgid, message.string)
            )
    notebook = repo / f"{document}.ipynb"
    if notebook.is_file():
        outputs = _edition_outputs()
        report.outputs = outputs.output_problems(
            json.loads(notebook.read_text(encoding="utf-8")), language, ROOT_LANGUAGE,
            *outputs.page_catalogs(repo, [LOCALES], language, document),
            keep=outputs.kept_words(repo, [LOCALES], language),
        )
    return report


ROOT_LANGUAGE = "en"


@functools.lru_cache
def _edition_outputs():
    """booktools/sphinxext/edition_outputs.py: what a translated edition shows of the run."""
    from booktools.sphinxext import edition_outputs

    return edition_outputs


def reports(language: str, pot_dir: Path | None, repo: Path = REPO) -> list[DocumentReport]:
    """A report per document: those of the extraction, or else those with a catalog."""
    found = templates(pot_dir) if pot_dir is not None else {}
    themes = [
        document_report(domain, language, found.get(domain), repo)
        for domain in THEME_CATALOGS
        if domain in found or catalog_path(domain, language, repo).is_file()
    ]
    if pot_dir is not None:
        pages = [(doc, pot) for doc, pot in found.items() if doc not in THEME_CATALOGS]
        return [document_report(doc, language, pot, repo) for doc, pot in pages] + themes
    base = repo / LOCALES / language / "LC_MESSAGES"
    catalogs = {p.relative_to(base).with_suffix("").as_posix() for p in base.rglob("*.po")}
    pages = toc_pages(repo) + sorted(catalogs - set(toc_pages(repo)) - set(THEME_CATALOGS))
    return [document_report(doc, language, None, repo) for doc in pages] + themes


def toc_pages(repo: Path = REPO) -> list[str]:
    """The pages of ``_toc.yml``, in reading order ("intro", "chapters/01_conv1d", ...)."""
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk([toc])
    return [re.sub(r"\.(md|ipynb)$", "", page) for page in pages]


def format_table(language: str, items: Iterable[DocumentReport]) -> Iterator[str]:
    """The report as a table, one line per document, then a total line."""
    yield f"{language}: {'document':28} {'messages':>8} {'translated':>10} {'fuzzy':>5} {'untranslated':>12} {'missing':>7}  markup"
    total = DocumentReport("total")
    without_catalog = 0
    for r in items:
        without_catalog += not r.catalog_exists
        yield (
            f"{language}: {r.document:28} {r.messages:8} {r.translated:10} {len(r.fuzzy):5} "
            f"{len(r.untranslated):12} {len(r.missing):7}  "
            + ("no catalog (run update)" if not r.catalog_exists
               else "ok" if not r.inconsistent else f"{len(r.inconsistent)} problems")
        )
        total.messages += r.messages
        total.translated += r.translated
        for name in ("fuzzy", "untranslated", "missing", "inconsistent"):
            getattr(total, name).extend(getattr(r, name))
    yield (
        f"{language}: {'total':28} {total.messages:8} {total.translated:10} {len(total.fuzzy):5} "
        f"{len(total.untranslated):12} {len(total.missing):7}  "
        + ("ok" if not total.inconsistent else f"{len(total.inconsistent)} problems")
        + (f", {without_catalog} pages without a catalog" if without_catalog else "")
    )


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "report", "check"])
    parser.add_argument("--language", action="append", help="default: every translated edition")
    args = parser.parse_args(argv)
    wanted = args.language or languages()
    if not wanted:
        print("_config.yml names no translated edition (sphinx.config.editions)", file=sys.stderr)
        return 1
    status = 0
    with tempfile.TemporaryDirectory(prefix="translations-") as temporary:
        pot_dir = None
        if args.command == "update":
            pot_dir = extract(Path(temporary))
            for language in wanted:
                print("\n".join(merge(pot_dir, language)))
        elif args.command == "check":
            pot_dir = extract(Path(temporary))
        for language in wanted:
            items = reports(language, pot_dir)
            print("\n".join(format_table(language, items)))
            for item in items:
                for line in item.problems():
                    print(f"{language} {item.document}: {line}")
            if args.command == "check" and not all(item.ok for item in items):
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
