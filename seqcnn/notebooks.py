"""Sync, execute and check the chapter notebooks.

Every chapter is a MyST Markdown notebook ``chapters/NN_name.md`` (the file
people edit) paired with ``chapters/NN_name.ipynb`` (the executed copy that
nbval validates and Jupyter Book renders). One command rebuilds every
``.ipynb`` from its ``.md`` and executes it::

    python -m seqcnn.notebooks            # every chapter
    python -m seqcnn.notebooks chapters/01_conv1d.md

Every chapter of a book (a folder with ``_config.yml`` above ``chapters/``)
starts with a hidden cell that installs ``seqcnn`` when the notebook runs on
Colab, from the repository and branch that ``_config.yml`` names; the command
writes that cell into the ``.md`` (:func:`colab_cell`).

The executed notebook records, in its metadata, a hash of the code that
produced its outputs: its own code cells and every source file of the
``seqcnn`` package. :func:`check` recomputes that hash, so outputs that the
current code did not produce are refused (``python -m seqcnn.notebooks
--check``, and the test suite).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

__all__ = ["EXECUTE_COMMAND", "PACKAGE_DIR", "COLAB_TAG", "colab_cell", "sync_colab_cell", "source_hash", "execute",
           "check", "main"]

#: The command that syncs and executes every chapter (quoted in error messages).
EXECUTE_COMMAND = "python -m seqcnn.notebooks"
#: The folder of the seqcnn sources whose content is part of every notebook's hash.
PACKAGE_DIR = Path(__file__).resolve().parent
_HASH_VERSION = "seqcnn-notebook-hash-v1"
#: Tag of the hidden first code cell that installs seqcnn on Colab.
COLAB_TAG = "colab-install"
_COLAB_BLOCK = re.compile(r"```\{code-cell\} ipython3\n:tags: \[remove-cell, " + COLAB_TAG + r"\]\n.*?\n```\n\n?", re.S)


def colab_cell(config_path: Path) -> str:
    """The hidden install cell of every chapter, as MyST Markdown.

    On Colab it installs ``seqcnn`` (with the ``colab`` extra) from the
    repository and branch of the book's ``_config.yml``; anywhere else it does
    nothing.

    Parameters
    ----------
    config_path : pathlib.Path
        The book's ``_config.yml``, with ``repository: {url, branch}``.

    Returns
    -------
    str
        A ``code-cell`` block tagged ``remove-cell`` and :data:`COLAB_TAG`.

    Examples
    --------
    >>> import tempfile
    >>> config = Path(tempfile.mkdtemp()) / "_config.yml"
    >>> _ = config.write_text("repository:\\n  url: https://example.org/me/book\\n  branch: dev\\n")
    >>> print(colab_cell(config))
    ```{code-cell} ipython3
    :tags: [remove-cell, colab-install]
    <BLANKLINE>
    # On Colab only: install this course's library from its repository (this cell is hidden in the book).
    import sys
    <BLANKLINE>
    if "google.colab" in sys.modules:
        %pip install --quiet "seqcnn[colab] @ git+https://example.org/me/book@dev"
    ```
    <BLANKLINE>
    """
    import yaml

    repository = (yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}).get("repository") or {}
    if not repository.get("url"):
        raise ValueError(f"{config_path} has no repository.url: add the repository the book is published from.")
    source = f"git+{repository['url']}@{repository.get('branch', 'main')}"
    return (
        f"```{{code-cell}} ipython3\n:tags: [remove-cell, {COLAB_TAG}]\n\n"
        "# On Colab only: install this course's library from its repository (this cell is hidden in the book).\n"
        "import sys\n\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "seqcnn[colab] @ {source}"\n'
        "```\n"
    )


def _book_config(md_path: Path) -> Path | None:
    """The ``_config.yml`` of the book whose ``chapters/`` folder holds ``md_path``, if any."""
    config = Path(md_path).resolve().parent.parent / "_config.yml"
    return config if config.is_file() else None


def _with_colab_cell(text: str, cell: str) -> str:
    found = _COLAB_BLOCK.search(text)
    if found:
        return text[: found.start()] + cell + "\n" + text[found.end() :]
    first = text.find("```{code-cell}")
    return text if first < 0 else text[:first] + cell + "\n" + text[first:]


def sync_colab_cell(md_path: Path, config_path: Path) -> bool:
    """Write (or update) the :func:`colab_cell` before the first code cell of ``md_path``.

    Returns
    -------
    bool
        Whether the file changed.
    """
    md_path = Path(md_path)
    text = _text(md_path)
    new = _with_colab_cell(text, colab_cell(config_path))
    if new != text:
        md_path.write_text(new, encoding="utf-8")
    return new != text


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def source_hash(nb: nbformat.NotebookNode, package_dir: Path = PACKAGE_DIR) -> str:
    """Hash of everything that determines a notebook's outputs.

    That is the source of each code cell, in order, and the content of every
    ``*.py`` file under ``package_dir`` (line endings normalised, so a
    Windows checkout gives the same hash).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook (read from the ``.md`` or the ``.ipynb``).
    package_dir : pathlib.Path, optional
        The package whose sources count; ``seqcnn`` itself by default.

    Returns
    -------
    str
        A sha256 hex digest.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    >>> len(source_hash(nb))
    64
    >>> source_hash(nb) == source_hash(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 2")]))
    False
    """
    digest = hashlib.sha256(_HASH_VERSION.encode())
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(b"\0cell\0" + cell.source.encode())
    for path in sorted(package_dir.rglob("*.py")):
        name = path.relative_to(package_dir).as_posix()
        digest.update(b"\0file\0" + name.encode() + b"\0" + _text(path).encode())
    return digest.hexdigest()


def _stable_cell_ids(nb: nbformat.NotebookNode) -> None:
    """Give cells ids derived from their content, so re-executing does not rewrite every id."""
    seen: dict[str, int] = {}
    for cell in nb.cells:
        base = hashlib.sha1(cell.source.encode()).hexdigest()[:8]
        seen[base] = seen.get(base, 0) + 1
        cell.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _paired(md_path: Path) -> Path:
    return md_path.with_suffix(".ipynb")


def execute(md_path: Path, timeout: int = 1200) -> float:
    """Rebuild ``md_path``'s paired ``.ipynb`` from it, execute it and save it.

    In a book (``_config.yml`` above the chapter's folder), the ``.md``
    first gets its Colab install cell (:func:`sync_colab_cell`). The kernel
    runs in the chapter's folder with the current Python. The
    notebook is written only if every cell ran without error (cells tagged
    ``raises-exception`` may raise), with the hash of :func:`source_hash` in
    ``metadata.seqcnn.source_hash``.

    Parameters
    ----------
    md_path : pathlib.Path
        The MyST Markdown chapter.
    timeout : int, default 1200
        Seconds one cell may run.

    Returns
    -------
    float
        Seconds the execution took.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "demo.md").write_text("```{code-cell} ipython3\\nprint(6 * 7)\\n```\\n")
    >>> seconds = execute(folder / "demo.md")
    >>> nbformat.read(folder / "demo.ipynb", 4).cells[0].outputs[0].text
    '42\\n'
    """
    md_path = Path(md_path)
    config = _book_config(md_path)
    if config is not None:
        sync_colab_cell(md_path, config)
    nb = jupytext.read(md_path)
    nb.metadata.pop("jupytext", None)
    _stable_cell_ids(nb)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    # Hash the code before running it: a file edited during the run must not be credited.
    code_hash = source_hash(nb)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(md_path.parent.resolve())}},
    )
    client.execute()
    seconds = time.perf_counter() - start
    nb.metadata["seqcnn"] = {"source_hash": code_hash}
    target = _paired(md_path)
    tmp = target.with_name(target.name + ".tmp")
    nbformat.write(nb, tmp)
    tmp.replace(target)
    return seconds


def _cell_view(cell: nbformat.NotebookNode) -> tuple:
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "jupyter")}
    return cell.cell_type, cell.source.strip(), metadata


def check(md_path: Path) -> list[str]:
    """Problems that make ``md_path``'s paired notebook unfit to publish.

    Parameters
    ----------
    md_path : pathlib.Path
        The MyST Markdown chapter.

    Returns
    -------
    list of str
        Empty if the ``.ipynb`` exists, has the same cells as the ``.md``, was
        executed, and its outputs were produced by the current code (the hash
        of :func:`source_hash` matches). Otherwise one message per problem,
        each naming the file and the command to run.

    Examples
    --------
    >>> check(Path("no_such_chapter.md"))[0].startswith("no_such_chapter.ipynb is missing")
    True
    """
    md_path = Path(md_path)
    nb_path = _paired(md_path)
    fix = f"run `{EXECUTE_COMMAND} {md_path.as_posix()}` and commit both files"
    if not nb_path.exists():
        return [f"{nb_path.as_posix()} is missing: {fix}."]
    text_nb = jupytext.read(md_path)
    nb = nbformat.read(nb_path, as_version=4)
    problems = []
    config = _book_config(md_path)
    if config is not None and _with_colab_cell(_text(md_path), colab_cell(config)) != _text(md_path):
        problems.append(
            f"{md_path.as_posix()} lacks the hidden Colab install cell for the repository that {config.name} names "
            f"(or names another one): {fix}."
        )
    if [_cell_view(c) for c in text_nb.cells] != [_cell_view(c) for c in nb.cells]:
        problems.append(f"{nb_path.as_posix()} and {md_path.as_posix()} have different cells: {fix}.")
    code = [c for c in nb.cells if c.cell_type == "code"]
    if any(c.get("execution_count") is None for c in code):
        problems.append(f"{nb_path.as_posix()} has code cells that were not executed: {fix}.")
    recorded = nb.metadata.get("seqcnn", {}).get("source_hash")
    if recorded != source_hash(text_nb):
        problems.append(
            f"{nb_path.as_posix()} holds outputs that the current code did not produce "
            f"(the chapter's code or the seqcnn package changed since it was executed): {fix}."
        )
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: execute (default) or ``--check`` the given chapters.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status: 0 on success, 1 if ``--check`` found problems.

    Examples
    --------
    >>> main(["--check", "no_such_chapter.md"])
    no_such_chapter.ipynb is missing: run `python -m seqcnn.notebooks no_such_chapter.md` and commit both files.
    1
    """
    parser = argparse.ArgumentParser(prog=EXECUTE_COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path, help="MyST .md chapters (default: chapters/*.md)")
    parser.add_argument("--check", action="store_true", help="only check that the .ipynb files are up to date")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds one cell may run")
    args = parser.parse_args(argv)
    chapters = args.chapters or sorted(Path("chapters").glob("*.md"))
    if not chapters:
        parser.error("no chapters given and none found in ./chapters")
    if args.check:
        problems = [p for md in chapters for p in check(md)]
        print("\n".join(problems) or f"{len(chapters)} notebook(s) up to date.")
        return 1 if problems else 0
    for md in chapters:
        seconds = execute(md, timeout=args.timeout)
        print(f"{md.as_posix()}: executed in {seconds:.1f} s -> {_paired(md).as_posix()}", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
