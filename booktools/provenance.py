"""What a chapter ran with: the data files it read, the versions, the machine.

:mod:`seqcnn.data` (and the Jena loader, for a file named by
``$SEQCNN_JENA_CSV``) :func:`record` every data set a chapter finds, under a
name that does not depend on the machine (``aclImdb``,
``jena/jena_climate_2009_2010.csv``), never its absolute path. When
``python -m seqcnn.notebooks`` has executed a chapter it asks the chapter's
kernel for :func:`report` and stores it in the notebook's metadata; the
book's "Running the chapters" page shows those records with
:func:`execution_rows`.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import sys
from pathlib import Path

__all__ = ["PACKAGES", "record", "recorded", "forget", "describe", "report", "execution_rows"]

#: The packages whose versions an execution record names (import name: distribution names to try).
PACKAGES: dict[str, tuple[str, ...]] = {
    "keras": ("keras",),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-macos"),
    "numpy": ("numpy",),
}

_recorded: dict[str, Path] = {}


def record(path: str | Path, name: str) -> None:
    """Note that the data set ``name`` was read from ``path`` in this process.

    Parameters
    ----------
    path : str or pathlib.Path
        The file or folder as found on this machine.
    name : str
        How to call it in what readers see: a path relative to the data
        folder (``aclImdb``), never an absolute one.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("hello")
    >>> record(folder / "notes.txt", "notes.txt")
    >>> [item["name"] for item in recorded()]
    ['notes.txt']
    >>> forget()
    """
    if Path(name).is_absolute():
        raise ValueError(f"record({name!r}): give a name relative to the data folder, not a machine path.")
    _recorded[name] = Path(path)


def forget() -> None:
    """Forget what :func:`record` noted (for tests)."""
    _recorded.clear()


def describe(path: str | Path, name: str) -> dict[str, object]:
    """Name, size in bytes and sha256 prefix of a data file or folder.

    A folder's size is the total of its files, and its digest covers each
    file's relative path and content, in sorted order.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "abc.txt").write_text("abc")
    >>> describe(folder / "abc.txt", "abc.txt")
    {'name': 'abc.txt', 'bytes': 3, 'sha256': 'ba7816bf8f01'}
    >>> describe(folder, "folder")["bytes"]
    3
    """
    path = Path(path)
    digest = hashlib.sha256()
    size = 0
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            content = file.read_bytes()
            digest.update(file.relative_to(path).as_posix().encode() + b"\0" + hashlib.sha256(content).digest())
            size += len(content)
    else:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    return {"name": name, "bytes": size, "sha256": digest.hexdigest()[:12]}


def recorded() -> list[dict[str, object]]:
    """:func:`describe` of every data set recorded in this process, by name."""
    return [describe(path, name) for name, path in sorted(_recorded.items())]


def _version(module: str) -> str | None:
    loaded = sys.modules.get(module)
    if loaded is not None and getattr(loaded, "__version__", None):
        return str(loaded.__version__)
    for distribution in PACKAGES.get(module, (module,)):
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def report() -> dict[str, object]:
    """The versions, the CPU count and the data sets of this process.

    Examples
    --------
    >>> facts = report()
    >>> sorted(facts)
    ['cpus', 'data', 'packages', 'python']
    >>> facts["python"] == platform.python_version()
    True
    """
    return {
        "python": platform.python_version(),
        "packages": {module: _version(module) for module in PACKAGES},
        "cpus": os.cpu_count(),
        "data": recorded(),
    }


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def execution_rows(notebooks: list[str | Path]) -> list[dict[str, str]]:
    """One row per executed notebook, from the record in its metadata.

    Parameters
    ----------
    notebooks : list of path
        ``.ipynb`` files executed by ``python -m seqcnn.notebooks``.

    Returns
    -------
    list of dict
        Keys ``chapter`` (the notebook's file stem), ``title`` (its first
        heading), ``ran`` (UTC date and time), ``seconds``, ``python``,
        ``keras``, ``tensorflow``, ``numpy``, ``cpus`` and ``data`` (each data
        set as ``name (size, sha256 prefix)``, or an em dash), all as text.

    Raises
    ------
    ValueError
        If a notebook has no execution record (the message names it and the
        command that writes one).

    Examples
    --------
    >>> import tempfile, nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Demo")])
    >>> nb.metadata["seqcnn"] = {"execution": {"started": "2026-11-29T17:00:00+00:00", "seconds": 5.04,
    ...     "python": "3.11.7", "packages": {"keras": "3.12.0", "tensorflow": None, "numpy": "2.1.3"},
    ...     "cpus": 2, "data": [{"name": "aclImdb", "bytes": 66000000, "sha256": "0123456789ab"}]}}
    >>> path = Path(tempfile.mkdtemp()) / "01_demo.ipynb"
    >>> nbformat.write(nb, path)
    >>> row = execution_rows([path])[0]
    >>> row["title"], row["ran"], row["seconds"], row["tensorflow"], row["data"]
    ('Demo', '2026-11-29 17:00 UTC', '5.0', '—', 'aclImdb (66.0 MB, sha256 0123456789ab)')
    """
    import nbformat

    rows = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        facts = nb.metadata.get("seqcnn", {}).get("execution")
        if not facts:
            raise ValueError(
                f"{Path(path).name} has no execution record: run `python -m seqcnn.notebooks "
                f"{Path(path).with_suffix('.md').name}` (from its folder's parent, chapters/NAME.md) and commit it."
            )
        title = next(
            (line[2:].strip() for cell in nb.cells if cell.cell_type == "markdown"
             for line in cell.source.splitlines() if line.startswith("# ")),
            Path(path).stem,
        )
        packages = facts.get("packages", {})
        data_sets = [f"{d['name']} ({_size(d['bytes'])}, sha256 {d['sha256']})" for d in facts.get("data", [])]
        rows.append({
            "chapter": Path(path).stem,
            "title": title,
            "ran": facts["started"][:16].replace("T", " ") + " UTC",
            "seconds": f"{facts['seconds']:.1f}",
            "python": facts["python"],
            **{name: packages.get(name) or "—" for name in PACKAGES},
            "cpus": str(facts["cpus"]),
            "data": "; ".join(data_sets) or "—",
        })
    return rows
