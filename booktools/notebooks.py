"""Sync, execute and check the chapter notebooks.

Every chapter is a MyST Markdown notebook ``chapters/NN_name.md`` (the file
people edit) paired with ``chapters/NN_name.ipynb`` (the executed copy that
nbval validates and Jupyter Book renders). One command brings every
``.ipynb`` up to date with its ``.md``, like ``make``::

    python -m booktools.notebooks            # the chapters that need it
    python -m booktools.notebooks chapters/01_conv1d.md
    python -m booktools.notebooks --all      # execute every chapter
    python -m booktools.notebooks --check    # is every .ipynb up to date?

A chapter is executed when its code changed or a ``seqcnn`` module its code
depends on changed (:func:`code_record`, which finds the modules with
:mod:`booktools.dependencies`); a module counts by its code, read with :mod:`ast`
without its docstrings and comments (:func:`module_digest`), so a documentation edit to
``seqcnn`` re-executes nothing; when only its prose changed (Markdown cells,
cell tags), the ``.ipynb`` is rewritten from the ``.md`` keeping every output,
without a kernel (:func:`sync`).

Every chapter of a book (a folder with ``_config.yml`` above ``chapters/``)
starts with a hidden cell that installs ``seqcnn`` when the notebook runs on
Colab, from the repository and branch that ``_config.yml`` names; the command
writes that cell into the ``.md`` (:func:`colab_cell`).

The executed notebook records, in ``metadata.seqcnn``, the hashes of the
code that produced its outputs and an execution record: when it ran, how
long it took, the versions, the CPU count and the data sets it read
(:mod:`booktools.provenance`). :func:`check` recomputes the hashes, so outputs
that the current code did not produce are refused (``--check``, and the test
suite), with what changed.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from booktools import dependencies, kernel_env, provenance

__all__ = ["EXECUTE_COMMAND", "PACKAGE_DIR", "COLAB_TAG", "colab_cell", "sync_colab_cell", "module_digest", "code_record",
           "source_hash", "execute", "sync", "status", "check", "main"]

#: The command that syncs and executes every chapter (quoted in error messages).
EXECUTE_COMMAND = "python -m booktools.notebooks"
#: The package whose modules a chapter's code depends on (part of its hash when it imports them):
#: the book's own ``seqcnn/``, beside this package.
PACKAGE_DIR = Path(__file__).resolve().parents[1] / "seqcnn"
#: v3: modules hashed by their code (:func:`module_digest`), no longer by their text. v4: a module the
#: cells use only by name counts by the definitions those names reach (:func:`definitions_digest`).
_HASH_VERSION = "seqcnn-notebook-hash-v4"
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


def _without_docstrings(tree: ast.AST) -> ast.AST:
    """``tree`` with the docstring of its module, classes and functions removed (in place)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
    return tree


def _code_tree(path: Path) -> ast.Module:
    """The syntax tree of the module at ``path`` without its docstrings (a SyntaxError names the file)."""
    try:
        tree = ast.parse(_text(Path(path)), filename=str(path))
    except SyntaxError as err:
        raise SyntaxError(f"{path}: {err.msg} (line {err.lineno}); fix the file.") from None
    return _without_docstrings(tree)


def module_digest(path: Path) -> str:
    """sha256 of a module's code: its syntax tree without docstrings, comments and layout.

    What a module does, not how it is documented: editing a docstring, a
    comment or blank lines leaves the digest as it was (and the chapters
    that import the module current); any change to the code changes it.
    A module whose behaviour reads its own docstring (``__doc__``) is the
    exception this accepts.

    Raises
    ------
    SyntaxError
        If the module does not parse (the message names it).

    Examples
    --------
    >>> import tempfile
    >>> module = Path(tempfile.mkdtemp()) / "mod.py"
    >>> _ = module.write_text("'Doc.'\\n\\ndef f():\\n    'Doc.'\\n    return 1  # one\\n")
    >>> before = module_digest(module)
    >>> _ = module.write_text("'Better doc.'\\n\\n\\ndef f():\\n    'Other doc.'\\n    return 1\\n")
    >>> module_digest(module) == before
    True
    >>> _ = module.write_text("'Doc.'\\n\\ndef f():\\n    return 2\\n")
    >>> module_digest(module) == before
    False
    """
    return hashlib.sha256(ast.dump(_code_tree(path)).encode()).hexdigest()


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_all(node: ast.AST) -> bool:
    return isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets)


def _names_in(nodes: list[ast.AST]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def definitions_digest(path: Path, names: set[str]) -> str:
    """sha256 of the part of a module's code that running ``names`` of it can run.

    That part is every top-level statement that is not a definition (imports, constants: they run
    on import), except ``__all__``, and the functions and classes that ``names`` and those
    statements refer to, with the ones they refer to in turn. A new function that none of them
    calls, or a change to one, leaves the digest as it was. Docstrings, comments and layout do not
    count (:func:`module_digest`). A name reached only through ``globals()`` or ``getattr`` on the
    module is not seen: the package does neither.

    Examples
    --------
    >>> import tempfile
    >>> module = Path(tempfile.mkdtemp()) / "mod.py"
    >>> _ = module.write_text("K = 2\\n\\ndef f():\\n    return g() * K\\n\\ndef g():\\n    return 1\\n")
    >>> before = definitions_digest(module, {"f"})
    >>> _ = module.write_text(module.read_text() + "\\ndef h():\\n    return 3\\n")
    >>> definitions_digest(module, {"f"}) == before
    True
    >>> _ = module.write_text(module.read_text().replace("return 1", "return 5"))
    >>> definitions_digest(module, {"f"}) == before  # g, which f calls, changed
    False
    """
    tree = _code_tree(path)
    statements = [node for node in tree.body if not isinstance(node, _DEFINITIONS) and not _is_all(node)]
    definitions: dict[str, list[ast.AST]] = {}
    for node in tree.body:
        if isinstance(node, _DEFINITIONS):
            definitions.setdefault(node.name, []).append(node)
    reached: set[str] = set()
    todo = [name for name in set(names) | _names_in(statements) if name in definitions]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(n for n in _names_in(definitions[name]) if n in definitions and n not in reached)
    kept = [node for node in tree.body
            if node in statements or (isinstance(node, _DEFINITIONS) and node.name in reached)]
    return hashlib.sha256(ast.dump(ast.Module(body=kept, type_ignores=[])).encode()).hexdigest()


def _code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def code_record(nb: nbformat.NotebookNode, package_dir: Path = PACKAGE_DIR) -> dict[str, object]:
    """What determines a notebook's outputs, hashed: its code cells and the package modules they run.

    The modules are those :func:`booktools.dependencies.chapter_modules`
    finds: the ones the code cells import, the ones those import, and so on;
    each counts by its code (:func:`module_digest`: docstrings and comments
    do not count). A module that only the cells import, and only by name
    (``models.gru``, :func:`booktools.dependencies.used_names`), counts by
    the code those names can run (:func:`definitions_digest`): a new model
    in ``seqcnn/models.py`` leaves the chapters that do not use it current. Markdown cells and cell tags are not part of it (prose
    edits need a sync, not a re-execution).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook (read from the ``.md`` or the ``.ipynb``).
    package_dir : pathlib.Path, optional
        The package whose sources count; ``seqcnn`` itself by default.

    Returns
    -------
    dict
        ``hash`` (the version of this way of hashing), ``code`` (sha256 of the code cells), ``modules`` (each module's path
        relative to the package's parent, e.g. ``seqcnn/ops.py``, with its
        :func:`module_digest`) and ``source_hash`` (sha256 of both).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from seqcnn import ops")])
    >>> sorted(code_record(nb)["modules"])
    ['seqcnn/__init__.py', 'seqcnn/ops.py']
    """
    package_dir = Path(package_dir)
    code = hashlib.sha256(_HASH_VERSION.encode())
    for source in _code_sources(nb):
        code.update(b"\0cell\0" + source.encode())
    files = dependencies.chapter_modules(_code_sources(nb), package_dir)
    used = {dependencies.module_file(name, package_dir): names
            for name, names in dependencies.used_names(_code_sources(nb)).items()}
    through_modules = dependencies.imported_by_modules(files, package_dir)

    def digest(path: Path) -> str:
        names = used.get(path)
        if names is None or path in through_modules or path.name == "__init__.py":
            return module_digest(path)
        return definitions_digest(path, names)

    modules = {path.relative_to(package_dir.parent).as_posix(): digest(path) for path in files}
    total = hashlib.sha256(code.hexdigest().encode())
    for name, digest in sorted(modules.items()):
        total.update(f"\0{name}\0{digest}".encode())
    return {"source_hash": total.hexdigest(), "hash": _HASH_VERSION, "code": code.hexdigest(), "modules": modules}


def source_hash(nb: nbformat.NotebookNode, package_dir: Path = PACKAGE_DIR) -> str:
    """The ``source_hash`` of :func:`code_record`: one digest of everything that determines the outputs.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    >>> len(source_hash(nb))
    64
    >>> source_hash(nb) == source_hash(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 2")]))
    False
    """
    return code_record(nb, package_dir)["source_hash"]


def _stable_cell_ids(nb: nbformat.NotebookNode) -> None:
    """Give cells ids derived from their content, so re-executing does not rewrite every id."""
    seen: dict[str, int] = {}
    for cell in nb.cells:
        base = hashlib.sha1(cell.source.encode()).hexdigest()[:8]
        seen[base] = seen.get(base, 0) + 1
        cell.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _paired(md_path: Path) -> Path:
    return md_path.with_suffix(".ipynb")


def _prepare(md_path: Path) -> None:
    """In a book, write the chapter's Colab cell (:func:`sync_colab_cell`): once per chapter and command."""
    config = _book_config(md_path)
    if config is not None:
        sync_colab_cell(md_path, config)


def _from_markdown(md_path: Path) -> nbformat.NotebookNode:
    """The notebook of ``md_path``, without outputs."""
    nb = jupytext.read(md_path)
    nb.metadata.pop("jupytext", None)
    _stable_cell_ids(nb)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nb


def _write(nb: nbformat.NotebookNode, target: Path) -> None:
    """Write ``nb`` to ``target`` atomically (a reader never sees half a notebook)."""
    tmp = target.with_name(target.name + ".tmp")
    nbformat.write(nb, tmp)
    tmp.replace(target)


def _merged_streams(outputs: list) -> list:
    """Consecutive prints to one stream as one output, however the kernel happened to flush them.

    Examples
    --------
    >>> out = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in ("a\\n", "b\\n")]
    >>> [o.text for o in _merged_streams(out)]
    ['a\\nb\\n']
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    return merged




def execute(md_path: Path, timeout: int = 1200) -> float:
    """Rebuild ``md_path``'s paired ``.ipynb`` from it, execute it and save it.

    In a book (``_config.yml`` above the chapter's folder), the ``.md``
    first gets its Colab install cell (:func:`sync_colab_cell`). The kernel
    runs in the chapter's folder with the current Python, in the environment
    of :func:`booktools.kernel_env.kernel_environment` (oneDNN on). The notebook is
    written only if every cell ran without error (cells tagged
    ``raises-exception`` may raise), with :func:`code_record` and the
    execution record (:func:`booktools.provenance.kernel_facts`, run as the
    kernel's last cell and not kept, :func:`booktools.provenance.complete` d, plus when it ran and
    for how long) in ``metadata.seqcnn``.

    Parameters
    ----------
    md_path : pathlib.Path
        The MyST Markdown chapter.
    timeout : int, default 1200
        Seconds one cell may run.

    Returns
    -------
    float
        Seconds the chapter's cells took (kernel start included).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "demo.md").write_text("```{code-cell} ipython3\\nprint(6 * 7)\\n```\\n")
    >>> seconds = execute(folder / "demo.md")
    >>> nb = nbformat.read(folder / "demo.ipynb", 4)
    >>> nb.cells[0].outputs[0].text
    '42\\n'
    >>> sorted(nb.metadata.seqcnn.execution)
    ['cpus', 'data', 'onednn', 'packages', 'processor', 'python', 'seconds', 'started']
    """
    md_path = Path(md_path)
    _prepare(md_path)
    return _execute(md_path, timeout)


def _execute(md_path: Path, timeout: int = 1200) -> float:
    """:func:`execute`, the Colab cell already written."""
    nb = _from_markdown(md_path)
    # Hash the code before running it: a file edited during the run must not be credited.
    record = code_record(nb)
    started = datetime.now(timezone.utc)
    nb.cells.append(nbformat.v4.new_code_cell(provenance.kernel_probe()))
    marks: dict[int, float] = {}
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(md_path.parent.resolve())}},
        on_cell_start=lambda cell, cell_index: marks.setdefault(cell_index, time.perf_counter()),
    )
    client.execute(env=kernel_env.kernel_environment())
    probe = nb.cells.pop()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _merged_streams(cell.outputs)
    seconds = marks[len(nb.cells)] - start
    facts = provenance.complete(json.loads("".join(o.get("text", "") for o in probe.outputs
                                                   if o.get("name") == "stdout")))
    nb.metadata["seqcnn"] = {
        **record,
        "execution": {"started": started.isoformat(timespec="seconds"), "seconds": round(seconds, 1), **facts},
    }
    _write(nb, _paired(md_path))
    return seconds


def sync(md_path: Path) -> None:
    """Rewrite ``md_path``'s ``.ipynb`` from the ``.md`` keeping every output, without a kernel.

    For prose edits: Markdown cells and cell tags may have changed, the code
    may not (:func:`status` must say ``"prose"``); each code cell keeps the
    outputs and execution count it has in the ``.ipynb``, and the notebook
    keeps its execution record.

    Raises
    ------
    ValueError
        If the code changed since the notebook was executed (the message
        says to execute it).
    """
    md_path = Path(md_path)
    _prepare(md_path)
    _sync(md_path)


def _sync(md_path: Path) -> None:
    """:func:`sync`, the Colab cell already written."""
    state, reasons = status(md_path)
    if state != "prose":
        raise ValueError(f"{md_path.as_posix()} cannot be synced without a kernel: {'; '.join(reasons) or state}.")
    old = nbformat.read(_paired(md_path), as_version=4)
    nb = _from_markdown(md_path)
    for new_cell, old_cell in zip((c for c in nb.cells if c.cell_type == "code"),
                                  (c for c in old.cells if c.cell_type == "code"), strict=True):
        new_cell.outputs = old_cell.outputs
        new_cell.execution_count = old_cell.execution_count
    nb.metadata["language_info"] = old.metadata.get("language_info", {})
    nb.metadata["seqcnn"] = old.metadata["seqcnn"]
    _write(nb, _paired(md_path))


def _cell_view(cell: nbformat.NotebookNode) -> tuple:
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "jupyter")}
    return cell.cell_type, cell.source.strip(), metadata


def _what_changed(recorded: dict, current: dict) -> list[str]:
    """In words, how the ``current`` :func:`code_record` differs from the ``recorded`` one."""
    if "code" not in recorded:
        return ["it has no record of its code, or one written by an older version of this command"]
    if recorded.get("hash", "an older one") != current["hash"]:
        return [f"its record was hashed the old way ({recorded.get('hash', 'an older one')}; now {current['hash']}, "
                "which hashes each module's code without its docstrings and comments): execute it once"]
    changes = []
    if recorded["code"] != current["code"]:
        changes.append("its code cells changed")
    old, new = recorded.get("modules", {}), current["modules"]
    changes += [f"{name} changed" for name in sorted(set(old) & set(new)) if old[name] != new[name]]
    changes += [f"it now depends on {name}" for name in sorted(set(new) - set(old))]
    changes += [f"it no longer depends on {name}" for name in sorted(set(old) - set(new))]
    return changes


def status(md_path: Path, package_dir: Path = PACKAGE_DIR) -> tuple[str, list[str]]:
    """How ``md_path``'s ``.ipynb`` stands against the ``.md`` and the package.

    Parameters
    ----------
    md_path : pathlib.Path
        The MyST Markdown chapter.
    package_dir : pathlib.Path, optional
        The package whose modules count; ``seqcnn`` itself by default.

    Returns
    -------
    state : str
        ``"up to date"``; ``"prose"`` when only Markdown cells or tags differ
        (:func:`sync` fixes it without a kernel); ``"stale"`` when the code
        or a module it depends on changed, or the notebook is missing,
        unexecuted or has no record (:func:`execute` fixes it).
    reasons : list of str
        What differs, in words (empty when up to date).

    Examples
    --------
    >>> status(Path("no_such_chapter.md"))
    ('stale', ['no_such_chapter.ipynb is missing'])
    """
    md_path = Path(md_path)
    nb_path = _paired(md_path)
    if not nb_path.exists():
        return "stale", [f"{nb_path.as_posix()} is missing"]
    text_nb = jupytext.read(md_path)
    nb = nbformat.read(nb_path, as_version=4)
    recorded = nb.metadata.get("seqcnn", {})
    current = code_record(text_nb, package_dir)
    if recorded.get("source_hash") != current["source_hash"]:
        return "stale", _what_changed(recorded, current)
    if any(c.get("execution_count") is None for c in nb.cells if c.cell_type == "code"):
        return "stale", [f"{nb_path.as_posix()} has code cells that were not executed"]
    if "execution" not in recorded:
        return "stale", [f"{nb_path.as_posix()} has no execution record"]
    if [_cell_view(c) for c in text_nb.cells] != [_cell_view(c) for c in nb.cells]:
        return "prose", ["its Markdown cells or cell tags changed"]
    return "up to date", []


def check(md_path: Path, package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Problems that make ``md_path``'s paired notebook unfit to publish.

    Parameters
    ----------
    md_path, package_dir
        As for :func:`status`.

    Returns
    -------
    list of str
        Empty if the ``.ipynb`` exists, has the same cells as the ``.md``, was
        executed, and its outputs were produced by the current code (its own
        code cells and the modules they depend on, :func:`code_record`).
        Otherwise one message per problem, each naming the file, what
        changed and the command to run.

    Examples
    --------
    >>> check(Path("no_such_chapter.md"))[0].startswith("no_such_chapter.ipynb is missing")
    True
    """
    md_path = Path(md_path)
    fix = f"run `{EXECUTE_COMMAND} {md_path.as_posix()}` and commit both files"
    problems = []
    config = _book_config(md_path)
    if config is not None and _with_colab_cell(_text(md_path), colab_cell(config)) != _text(md_path):
        problems.append(
            f"{md_path.as_posix()} lacks the hidden Colab install cell for the repository that {config.name} names "
            f"(or names another one): {fix}."
        )
    state, reasons = status(md_path, package_dir)
    nb_path = _paired(md_path).as_posix()
    if state == "stale" and not _paired(md_path).exists():
        problems.append(f"{reasons[0]}: {fix}.")
    elif state == "stale":
        problems.append(
            f"{nb_path} holds outputs that the current code did not produce ({'; '.join(reasons)}): "
            f"{fix} (it re-executes the chapter)."
        )
    elif state == "prose":
        problems.append(
            f"{nb_path} and {md_path.as_posix()} have different cells ({reasons[0]}; the code is the same): "
            f"{fix} (it copies the prose over, without re-executing)."
        )
    return problems


def recorded_seconds(nb_path: Path) -> float:
    """How long a notebook's last execution took, from its execution record (0 if it has none).

    Examples
    --------
    >>> recorded_seconds(Path("no_such_notebook.ipynb"))
    0.0
    """
    try:
        return float(json.loads(Path(nb_path).read_text())["metadata"]["seqcnn"]["execution"]["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def _execute_all(stale: list[tuple[Path, list[str]]], timeout: int, jobs: int) -> None:
    """Execute the stale chapters, ``jobs`` at a time, the longest (by their last record) first.

    Each chapter runs in its own kernel, so running two at once changes none of their numbers (each
    kernel uses TensorFlow's usual thread count); it only keeps both cores busy when one chapter's
    model cannot (a recurrent layer reads its steps one after another).
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    order = sorted(stale, key=lambda item: -recorded_seconds(_paired(item[0])))
    for md, reasons in order:
        print(f"{md.as_posix()}: executing ({'; '.join(reasons)}) ...", flush=True)
    if jobs <= 1 or len(order) <= 1:
        for md, _ in order:
            seconds = _execute(md, timeout=timeout)
            print(f"{md.as_posix()}: executed in {seconds:.1f} s -> {_paired(md).as_posix()}", flush=True)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        running = {pool.submit(_execute, md, timeout): md for md, _ in order}
        for done in as_completed(running):
            md = running[done]
            print(f"{md.as_posix()}: executed in {done.result():.1f} s -> {_paired(md).as_posix()}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: bring the chapters up to date (default), or ``--check`` them.

    Like ``make``: a chapter whose code, or a ``seqcnn`` module its code
    depends on, changed is executed; one whose prose (Markdown cells, tags)
    changed is synced without a kernel; the others are left alone.
    ``--all`` executes every chapter given.

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
    no_such_chapter.ipynb is missing: run `python -m booktools.notebooks no_such_chapter.md` and commit both files.
    1
    """
    parser = argparse.ArgumentParser(prog=EXECUTE_COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path, help="MyST .md chapters (default: chapters/*.md)")
    parser.add_argument("--check", action="store_true", help="only check that the .ipynb files are up to date")
    parser.add_argument("--all", action="store_true", help="execute every chapter given, even up-to-date ones")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds one cell may run")
    parser.add_argument("--jobs", type=int, default=2,
                        help="chapters executed at the same time, the longest first (default 2; 1 = one by one)")
    args = parser.parse_args(argv)
    chapters = args.chapters or sorted(Path("chapters").glob("*.md"))
    if not chapters:
        parser.error("no chapters given and none found in ./chapters")
    if args.check:
        problems = [p for md in chapters for p in check(md)]
        print("\n".join(problems) or f"{len(chapters)} notebook(s) up to date.")
        return 1 if problems else 0
    stale = []
    for md in chapters:
        _prepare(md)
        state, reasons = ("stale", ["--all"]) if args.all else status(md)
        if state == "stale":
            stale.append((md, reasons))
        elif state == "prose":
            start = time.perf_counter()
            _sync(md)
            print(f"{md.as_posix()}: prose synced in {time.perf_counter() - start:.1f} s, outputs kept "
                  f"-> {_paired(md).as_posix()}")
        else:
            print(f"{md.as_posix()}: up to date")
    _execute_all(stale, timeout=args.timeout, jobs=args.jobs)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
