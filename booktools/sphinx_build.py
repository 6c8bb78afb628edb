"""One call of Jupyter Book's Sphinx build, as ``jupyter-book build`` makes it, for another edition or builder.

``jupyter-book build .`` builds the book's first edition as html. Two tools need the same build
with something changed: the translated editions (:mod:`booktools.sphinxext.editions`: another
``language``, in a subprocess) and the PDF (:mod:`booktools.pdf`: the ``singlehtml`` builder).
Both call :func:`build`, so the book is built the same way everywhere: the book's ``_config.yml``
and ``_toc.yml``, the committed notebooks (nothing executed), the edition's own settings on top.

As a command (what the editions extension runs for each other edition)::

    python -m booktools.sphinx_build --source . --language zh_CN --build-dir _build/zh_CN/html \\
        --overrides '{"html_title": "..."}' -W --keep-going -n
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["confoverrides", "build", "readable_by_everyone", "main"]


def confoverrides(
    source: Path, *, language: str | None = None, overrides: dict[str, Any] | None = None,
    toc: str | Path | None = None, nitpicky: bool = False,
) -> dict[str, Any]:
    """The Sphinx settings that turn the book's own build into this one.

    Parameters
    ----------
    source : pathlib.Path
        The book (the folder of ``_config.yml``).
    language : str, optional
        The edition's language (``None``: the book's own, the root edition).
    overrides : dict, optional
        That edition's settings (``editions.<language>.config`` of ``_config.yml``).
    toc : path, optional
        The table of contents (default: the book's ``_toc.yml``).
    nitpicky : bool, default False
        Warn about every reference that does not resolve (``-n``).

    Examples
    --------
    >>> confoverrides(Path("/book"), language="zh_CN", overrides={"author": "X"}, nitpicky=True)
    {'external_toc_path': '/book/_toc.yml', 'latex_individualpages': False, 'author': 'X', 'language': 'zh_CN', 'nitpicky': True}
    >>> confoverrides(Path("/book"), overrides={"language": "ignored for the root"})["language"]
    'ignored for the root'
    """
    settings: dict[str, Any] = {
        "external_toc_path": Path(toc).as_posix() if toc else (Path(source) / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        **(overrides or {}),
    }
    if language is not None:
        settings["language"] = language
    if nitpicky:
        settings["nitpicky"] = True
    return settings


def build(
    source: Path, outdir: Path, *, builder: str = "html", language: str | None = None,
    overrides: dict[str, Any] | None = None, toc: str | Path | None = None,
    warningiserror: bool = True, keep_going: bool = True, nitpicky: bool = True,
) -> int:
    """Build the book at ``source`` with ``builder`` into ``outdir``; returns the exit status (0: success).

    The arguments are those of :func:`confoverrides`, plus the builder (``html``, ``singlehtml``)
    and Sphinx's ``-W`` and ``--keep-going``.
    """
    from jupyter_book.sphinx import build_sphinx

    source = Path(source)
    result = build_sphinx(
        source,
        Path(outdir),
        noconfig=True,
        path_config=str(source / "_config.yml"),
        confoverrides=confoverrides(source, language=language, overrides=overrides, toc=toc, nitpicky=nitpicky),
        builder=builder,
        warningiserror=warningiserror,
        keep_going=keep_going,
    )
    return result if isinstance(result, int) else 1


def readable_by_everyone(folder: Path) -> int:
    """Let everyone read every file (and enter every folder) under ``folder``; returns how many changed.

    A site is served by a web server that often runs as another user: a file written private
    (a temporary file moved into place is 0600) would be "403 Forbidden". Nothing is made
    writable or executable that was not.

    Examples
    --------
    >>> import os, tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> (site / "sub").mkdir(mode=0o700)
    >>> _ = (site / "sub" / "book.pdf").write_bytes(b"%PDF")
    >>> os.chmod(site / "sub" / "book.pdf", 0o600)
    >>> readable_by_everyone(site)  # the site (mkdtemp makes it 0700), sub/ and book.pdf
    3
    >>> oct((site / "sub").stat().st_mode & 0o777), oct((site / "sub" / "book.pdf").stat().st_mode & 0o777)
    ('0o755', '0o644')
    >>> readable_by_everyone(site)
    0
    """
    import os
    import stat

    changed = 0
    for path in [Path(folder), *Path(folder).rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        wanted = mode | (0o555 if stat.S_ISDIR(mode) else 0o444)
        if wanted != mode:
            os.chmod(path, stat.S_IMODE(wanted))
            changed += 1
    return changed


def main(argv: list[str] | None = None) -> int:
    """The command line: one edition's build (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m booktools.sphinx_build",
                                     description="Build one edition of the book, as jupyter-book build does.")
    parser.add_argument("--source", type=Path, required=True, help="the book (folder of _config.yml)")
    parser.add_argument("--build-dir", type=Path, required=True, help="the output folder")
    parser.add_argument("--builder", default="html")
    parser.add_argument("--language", help="the edition (default: the book's own)")
    parser.add_argument("--toc", help="the table of contents (default: SOURCE/_toc.yml)")
    parser.add_argument("--overrides", default="{}", help="the edition's Sphinx settings, as JSON")
    parser.add_argument("-W", dest="warningiserror", action="store_true")
    parser.add_argument("--keep-going", action="store_true")
    parser.add_argument("-n", dest="nitpicky", action="store_true")
    args = parser.parse_args(argv)
    return build(
        args.source.resolve(), args.build_dir.resolve(), builder=args.builder, language=args.language,
        overrides=json.loads(args.overrides), toc=args.toc, warningiserror=args.warningiserror,
        keep_going=args.keep_going, nitpicky=args.nitpicky,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
