"""Which ``seqcnn`` modules a chapter's code depends on, read from the source (for :mod:`booktools.notebooks`).

A chapter's outputs depend on its own code cells and on the package modules
that run when those cells run: the modules the cells import, the modules
*those* import (at the top or inside a function), and so on, plus the
package's ``__init__.py``, which Python runs before any of its modules.
:func:`chapter_modules` finds that set with :mod:`ast`, never from a
hand-kept list, so that editing ``seqcnn/imdb.py`` stales the IMDB chapter
and nothing else.

It is static analysis: an import spelled as a string
(``importlib.import_module("seqcnn.x")``) is not seen. The chapters and the
package import modules with plain ``import``/``from`` statements only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PACKAGE", "cell_python", "imported_names", "module_file", "module_imports", "chapter_modules", "used_names",
           "imported_by_modules"]

#: The package whose modules are tracked.
PACKAGE = "seqcnn"


def cell_python(source: str) -> str:
    """The Python of a notebook code cell, with IPython syntax (``%pip``, ``!ls``) made Python.

    Examples
    --------
    >>> print(cell_python("%pip install x\\nimport os"))
    get_ipython().run_line_magic('pip', 'install x')
    import os
    <BLANKLINE>
    """
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def imported_names(tree: ast.AST, package: str = PACKAGE, module: str | None = None) -> set[str]:
    """Dotted names of everything ``tree`` imports from ``package``, wherever the import stands.

    ``from package import a`` gives ``package.a`` (which may be a module or
    a name defined in ``package/__init__.py``: :func:`module_file` tells);
    relative imports are resolved against ``module``, the dotted name of the
    module that ``tree`` is the source of.

    Examples
    --------
    >>> tree = ast.parse("import os\\nfrom seqcnn import ops, plots\\ndef f():\\n    import seqcnn.data\\n")
    >>> sorted(imported_names(tree))
    ['seqcnn.data', 'seqcnn.ops', 'seqcnn.plots']
    >>> sorted(imported_names(ast.parse("from .ops import conv1d"), module="seqcnn.plots"))
    ['seqcnn.ops.conv1d']
    """
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = (module or package).split(".")[: -node.level] if module else [package]
                base = ".".join([*parent, base] if base else parent)
            names.update(f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names)
    return {name for name in names if name == package or name.startswith(package + ".")}


def module_file(name: str, package_dir: Path) -> Path | None:
    """The source file of the dotted module ``name`` inside ``package_dir``, or ``None``.

    Examples
    --------
    >>> import seqcnn
    >>> folder = Path(seqcnn.__file__).parent
    >>> module_file("seqcnn.ops", folder).name
    'ops.py'
    >>> module_file("seqcnn.ops.conv1d", folder) is None  # a function, not a module
    True
    """
    parts = name.split(".")[1:]
    base = Path(package_dir).joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if parts and candidate.is_file():
            return candidate
    return Path(package_dir) / "__init__.py" if not parts else None


def _modules_of(names: Iterable[str], package_dir: Path) -> set[Path]:
    """The files that importing each dotted name runs: the module itself and every package above it."""
    files: set[Path] = set()
    for name in names:
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            found = module_file(".".join(parts[:end]), package_dir)
            if found is not None:
                files.add(found)
    return files


def _dotted(path: Path, package_dir: Path, package: str) -> str:
    """The dotted name that relative imports in ``path`` resolve against (``pkg.__init__`` for a package)."""
    return ".".join([package, *path.relative_to(package_dir).with_suffix("").parts])


def module_imports(path: Path, package_dir: Path, package: str = PACKAGE) -> set[Path]:
    """The package files that the module at ``path`` imports directly (including inside functions).

    Examples
    --------
    >>> import seqcnn
    >>> folder = Path(seqcnn.__file__).parent
    >>> sorted(p.name for p in module_imports(folder / "plots.py", folder))
    ['__init__.py', 'ops.py']
    """
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as err:
        raise SyntaxError(f"{path}: cannot read its imports ({err.msg}, line {err.lineno}); fix the file.") from None
    return _modules_of(imported_names(tree, package, _dotted(Path(path), Path(package_dir), package)), package_dir)


def chapter_modules(code_cells: Iterable[str], package_dir: Path, package: str = PACKAGE) -> list[Path]:
    """Every package file that running ``code_cells`` runs, directly or through other modules.

    Parameters
    ----------
    code_cells : iterable of str
        The sources of a notebook's code cells (IPython syntax allowed).
    package_dir : pathlib.Path
        The package's folder (the one holding its ``__init__.py``).
    package : str, default ``"seqcnn"``
        The package's import name.

    Returns
    -------
    list of pathlib.Path
        Sorted; empty if the cells import nothing from the package.

    Raises
    ------
    SyntaxError
        If a cell or a module cannot be parsed (the message names it).

    Examples
    --------
    >>> import seqcnn
    >>> folder = Path(seqcnn.__file__).parent
    >>> [p.name for p in chapter_modules(["from seqcnn import plots"], folder)]
    ['__init__.py', 'ops.py', 'plots.py']
    >>> chapter_modules(["print(6 * 7)"], folder)
    []
    """
    package_dir = Path(package_dir)
    names: set[str] = set()
    for number, source in enumerate(code_cells, start=1):
        try:
            tree = ast.parse(cell_python(source))
        except SyntaxError as err:
            raise SyntaxError(f"code cell {number}: {err.msg} (line {err.lineno}); fix the cell.") from None
        names |= imported_names(tree, package)
    todo = _modules_of(names, package_dir)
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        seen.add(path)
        todo |= module_imports(path, package_dir, package) - seen
    return sorted(seen)


def used_names(code_cells: Iterable[str], package: str = PACKAGE) -> dict[str, set[str] | None]:
    """The top-level names that ``code_cells`` use from each package module they import by name.

    A module that the cells bind to a name (``from seqcnn import models``, ``import seqcnn.models as
    m``) and use only through attributes (``models.gru``) uses those attributes; ``from
    seqcnn.models import gru`` uses ``gru``. A module used in any other way (passed around as a
    value, rebound, imported with ``*`` or as ``import seqcnn.models``) maps to ``None``: all of it
    counts.

    Examples
    --------
    >>> used = used_names(["from seqcnn import models, ops", "models.gru(); f(ops)",
    ...                    "from seqcnn.flops import layer_macs"])
    >>> used == {"seqcnn.models": {"gru"}, "seqcnn.ops": None, "seqcnn.flops": {"layer_macs"}}
    True
    """
    trees = [ast.parse(cell_python(source)) for source in code_cells]
    aliases: dict[str, set[str]] = {}
    used: dict[str, set[str] | None] = {}

    def whole(module: str) -> None:
        used[module] = None

    def add(module: str, name: str) -> None:
        if used.get(module, set()) is not None:
            used.setdefault(module, set()).add(name)

    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                for alias in node.names:
                    if node.module == package:
                        aliases.setdefault(alias.asname or alias.name, set()).add(f"{package}.{alias.name}")
                    elif node.module.startswith(package + "."):
                        if alias.name == "*":
                            whole(node.module)
                        else:
                            add(node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(package + "."):
                        if alias.asname:
                            aliases.setdefault(alias.asname, set()).add(alias.name)
                        else:
                            whole(alias.name)
    for tree in trees:
        attribute_values = {id(node.value) for node in ast.walk(tree)
                            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                for module in aliases[node.value.id]:
                    add(module, node.attr)
            elif isinstance(node, ast.Name) and node.id in aliases and id(node) not in attribute_values:
                if isinstance(node.ctx, ast.Load):
                    for module in aliases[node.id]:
                        whole(module)
    for modules in aliases.values():
        for module in modules:
            used.setdefault(module, set())
    return used


def imported_by_modules(files: Iterable[Path], package_dir: Path, package: str = PACKAGE) -> set[Path]:
    """The files among ``files`` that another of them imports (at the top or inside a function).

    Examples
    --------
    >>> import seqcnn
    >>> folder = Path(seqcnn.__file__).parent
    >>> sorted(p.name for p in imported_by_modules([folder / "plots.py", folder / "ops.py"], folder))
    ['ops.py']
    """
    files = [Path(f) for f in files]
    found: set[Path] = set()
    for path in files:
        found |= module_imports(path, package_dir, package) - {path}
    return found & set(files)
