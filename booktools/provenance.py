"""What a chapter ran with: the data files it read, the versions, the machine, TensorFlow's kernels.

``seqcnn`` remembers every data set a chapter finds (:func:`seqcnn.data.note_read`, called by
:func:`seqcnn.data.locate` and the Jena loader), under a name that does not depend on the machine
(``aclImdb``, ``jena/jena_climate_2009_2010.csv``). When ``python -m booktools.notebooks`` has
executed a chapter, it runs :func:`kernel_facts` in the chapter's kernel (as source: the kernel
need not import ``booktools``), completes them with :func:`complete` (the size and digest of each
data set) and stores the result in the notebook's metadata; the book's "Running the chapters" page
shows those records with :func:`execution_rows`.

The kernel also says what ran the chapter's numbers: the processor's model name (``/proc/cpuinfo``,
else :func:`platform.processor`), and, if the chapter imported TensorFlow, whether TensorFlow's
oneDNN kernels were on in that kernel (asked of TensorFlow itself once the chapter has run) and the
``TF_ENABLE_ONEDNN_OPTS`` it saw. Records written before these facts existed lack them;
:func:`execution_rows` shows an em dash.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from pathlib import Path

__all__ = ["PACKAGES", "kernel_facts", "kernel_probe", "complete", "describe", "report", "short_processor",
           "onednn_state", "execution_rows"]

#: The packages whose versions an execution record names (import name: distribution names to try).
PACKAGES: dict[str, tuple[str, ...]] = {
    "keras": ("keras",),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-macos"),
    "numpy": ("numpy",),
}


def kernel_facts(packages: dict[str, tuple[str, ...]]) -> dict[str, object]:
    """The Python and package versions, the CPUs, TensorFlow's kernels and the data sets read, of this process.

    Self-contained (it imports what it needs), because :func:`kernel_probe` sends its source to a
    chapter's kernel. A package's version is that of the loaded module if there is one, else
    that of its installed distribution (the first of its names that is installed), else ``None``.
    The data sets are :func:`seqcnn.data.data_sets_read`, as ``[name, path]`` pairs, if
    ``seqcnn.data`` was imported (nothing was read otherwise).

    ``processor`` is the model name of the first CPU in ``/proc/cpuinfo`` (``"AMD EPYC 7763 64-Core
    Processor"``), else :func:`platform.processor`, else :func:`platform.machine` (``"arm"``,
    ``"x86_64"``), whitespace collapsed, at most 80 characters, or ``None``. ``onednn`` is ``None``
    if TensorFlow was not imported (the chapter does not use it; it is not imported here), else
    ``{"on": ..., "TF_ENABLE_ONEDNN_OPTS": ...}``: whether TensorFlow runs its oneDNN kernels in
    this process (``tensorflow.python.util._pywrap_util_port.IsMklEnabled()``, which TensorFlow
    decides once, from the processor and ``TF_ENABLE_ONEDNN_OPTS``; ``None`` if this TensorFlow
    cannot say) and the variable's value here (``None`` if unset).

    Examples
    --------
    >>> facts = kernel_facts(PACKAGES)
    >>> sorted(facts)
    ['cpus', 'onednn', 'packages', 'processor', 'python', 'read']
    >>> import platform
    >>> facts["python"] == platform.python_version()
    True
    >>> isinstance(facts["processor"], str) and 0 < len(facts["processor"]) <= 80
    True
    >>> import sys
    >>> facts["onednn"] is None or "tensorflow" in sys.modules  # None: TensorFlow not imported
    True
    """
    import importlib.metadata
    import os
    import platform
    import sys

    def version(module: str, distributions: tuple[str, ...]) -> str | None:
        loaded = sys.modules.get(module)
        if loaded is not None and getattr(loaded, "__version__", None):
            return str(loaded.__version__)
        for distribution in distributions:
            try:
                return importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                continue
        return None

    def processor() -> str | None:
        name = ""
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
                for line in cpuinfo:
                    if line.startswith("model name") and ":" in line:
                        name = line.split(":", 1)[1]
                        break
        except OSError:
            pass
        name = " ".join((name or platform.processor() or platform.machine()).split())
        return name[:80] or None

    def onednn() -> dict[str, object] | None:
        if sys.modules.get("tensorflow") is None:
            return None  # the chapter does not use TensorFlow: do not import it now
        try:
            from tensorflow.python.util import _pywrap_util_port
            on = bool(_pywrap_util_port.IsMklEnabled())
        except (ImportError, AttributeError):
            on = None
        return {"on": on, "TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS")}

    data = sys.modules.get("seqcnn.data")
    read = data.data_sets_read() if data is not None else {}
    return {
        "python": platform.python_version(),
        "packages": {module: version(module, tuple(names)) for module, names in packages.items()},
        "cpus": os.cpu_count(),
        "processor": processor(),
        "onednn": onednn(),
        "read": [[name, str(path)] for name, path in read.items()],
    }


def kernel_probe() -> str:
    """Python code that prints :func:`kernel_facts` as JSON: the last cell a chapter's kernel runs.

    Examples
    --------
    >>> import contextlib, io, json
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     exec(kernel_probe(), {})
    >>> sorted(json.loads(out.getvalue()))
    ['cpus', 'onednn', 'packages', 'processor', 'python', 'read']
    """
    return (f"{inspect.getsource(kernel_facts)}\n"
            f"import json as _json\nprint(_json.dumps(kernel_facts({PACKAGES!r})))\ndel kernel_facts, _json\n")


def complete(facts: dict[str, object]) -> dict[str, object]:
    """:func:`kernel_facts` as an execution record stores them: each data set :func:`describe` d.

    The machine's paths do not stay in the record, only the names.
    """
    facts = dict(facts)
    read = facts.pop("read", [])
    facts["data"] = [describe(path, name) for name, path in read]
    return facts


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


def report() -> dict[str, object]:
    """The execution facts of this process (:func:`kernel_facts`, :func:`complete` d).

    Examples
    --------
    >>> from seqcnn import data
    >>> import tempfile
    >>> notes = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = notes.write_text("hello")
    >>> data.note_read(notes, "notes.txt")
    >>> facts = report()
    >>> sorted(facts)
    ['cpus', 'data', 'onednn', 'packages', 'processor', 'python']
    >>> facts["data"]
    [{'name': 'notes.txt', 'bytes': 5, 'sha256': '2cf24dba5fb0'}]
    >>> data.forget_data_sets_read()
    """
    return complete(kernel_facts(PACKAGES))


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


#: Vendors a processor's short name starts from ("13th Gen Intel(R) Core(TM) i7" is an "Intel Core").
_VENDORS = ("AMD", "Intel", "Apple", "ARM", "Ampere", "Qualcomm")


def short_processor(name: str | None) -> str:
    """A processor's model name in two words, for a narrow table: vendor and family.

    Trademark signs, the clock (``@ 2.80GHz``), ``CPU``, ``Processor`` and a core count
    (``64-Core``) go; the name starts at its vendor if it names one.

    Parameters
    ----------
    name : str or None
        A model name as :func:`kernel_facts` records it (``None``: not recorded).

    Returns
    -------
    str
        At most two words, or an em dash for no name.

    Examples
    --------
    >>> short_processor("AMD EPYC 7763 64-Core Processor")
    'AMD EPYC'
    >>> short_processor("Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz")
    'Intel Xeon'
    >>> short_processor("13th Gen Intel(R) Core(TM) i7-13700K")
    'Intel Core'
    >>> short_processor("Apple M2 Pro"), short_processor("x86_64"), short_processor(None)
    ('Apple M2', 'x86_64', '—')
    """
    if not name:
        return "—"
    text = re.sub(r"\((?:R|TM)\)|[®™]", " ", name, flags=re.IGNORECASE)
    text = text.split("@", 1)[0]
    words = [w for w in text.split()
             if w.upper() not in ("CPU", "PROCESSOR") and not re.fullmatch(r"\d+-core", w, re.IGNORECASE)]
    vendor = next((i for i, w in enumerate(words) if w in _VENDORS), 0)
    return " ".join(words[vendor:vendor + 2]) or " ".join(name.split()[:2])


def onednn_state(facts: dict[str, object]) -> tuple[str, str]:
    """Whether a record's chapter ran TensorFlow's oneDNN kernels: ``on``, ``off`` or an em dash.

    Parameters
    ----------
    facts : dict
        An execution record (``metadata.seqcnn.execution``).

    Returns
    -------
    state : str
        ``"on"`` or ``"off"``; an em dash if the chapter did not import TensorFlow, if its
        TensorFlow could not say, or if the record is older than this fact.
    setting : str
        ``"TF_ENABLE_ONEDNN_OPTS=<value>"`` if the chapter used TensorFlow with the variable set,
        else ``""``.

    Examples
    --------
    >>> onednn_state({"onednn": {"on": True, "TF_ENABLE_ONEDNN_OPTS": "1"}})
    ('on', 'TF_ENABLE_ONEDNN_OPTS=1')
    >>> onednn_state({"onednn": {"on": False, "TF_ENABLE_ONEDNN_OPTS": None}})
    ('off', '')
    >>> onednn_state({"onednn": None}), onednn_state({})  # TensorFlow not used; an older record
    (('—', ''), ('—', ''))
    """
    onednn = facts.get("onednn")
    if not isinstance(onednn, dict):
        return "—", ""
    on = onednn.get("on")
    state = "—" if on is None else ("on" if on else "off")
    value = onednn.get("TF_ENABLE_ONEDNN_OPTS")
    return state, ("" if value is None else f"TF_ENABLE_ONEDNN_OPTS={value}")


def execution_rows(notebooks: list[str | Path]) -> list[dict[str, str]]:
    """One row per executed notebook, from the record in its metadata.

    Parameters
    ----------
    notebooks : list of path
        ``.ipynb`` files executed by ``python -m booktools.notebooks``.

    Returns
    -------
    list of dict
        Keys ``chapter`` (the notebook's file stem), ``title`` (its first
        heading), ``ran`` (UTC date and time), ``seconds``, ``python``,
        ``keras``, ``tensorflow``, ``numpy``, ``cpus``, ``data`` (each data
        set as ``name (size, sha256 prefix)``, or an em dash), ``processor``
        (:func:`short_processor`), ``processor_model`` (the full model name, or
        ``""``), ``onednn`` and ``onednn_setting`` (:func:`onednn_state`), all
        as text. A fact that the record lacks (it was written before the
        fact was recorded) is an em dash.

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
    ...     "cpus": 2, "data": [{"name": "aclImdb", "bytes": 66000000, "sha256": "0123456789ab"}],
    ...     "processor": "AMD EPYC 7763 64-Core Processor",
    ...     "onednn": {"on": True, "TF_ENABLE_ONEDNN_OPTS": "1"}}}
    >>> path = Path(tempfile.mkdtemp()) / "01_demo.ipynb"
    >>> nbformat.write(nb, path)
    >>> row = execution_rows([path])[0]
    >>> row["title"], row["ran"], row["seconds"], row["tensorflow"], row["data"]
    ('Demo', '2026-11-29 17:00 UTC', '5.0', '—', 'aclImdb (66.0 MB, sha256 0123456789ab)')
    >>> row["processor"], row["processor_model"], row["onednn"], row["onednn_setting"]
    ('AMD EPYC', 'AMD EPYC 7763 64-Core Processor', 'on', 'TF_ENABLE_ONEDNN_OPTS=1')
    """
    import nbformat

    rows = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        facts = nb.metadata.get("seqcnn", {}).get("execution")
        if not facts:
            raise ValueError(
                f"{Path(path).name} has no execution record: run `python -m booktools.notebooks "
                f"{Path(path).with_suffix('.md').name}` (from its folder's parent, chapters/NAME.md) and commit it."
            )
        title = next(
            (line[2:].strip() for cell in nb.cells if cell.cell_type == "markdown"
             for line in cell.source.splitlines() if line.startswith("# ")),
            Path(path).stem,
        )
        packages = facts.get("packages", {})
        data_sets = [f"{d['name']} ({_size(d['bytes'])}, sha256 {d['sha256']})" for d in facts.get("data", [])]
        onednn, onednn_setting = onednn_state(facts)
        rows.append({
            "chapter": Path(path).stem,
            "title": title,
            "ran": facts["started"][:16].replace("T", " ") + " UTC",
            "seconds": f"{facts['seconds']:.1f}",
            "python": facts["python"],
            **{name: packages.get(name) or "—" for name in PACKAGES},
            "cpus": str(facts["cpus"]),
            "data": "; ".join(data_sets) or "—",
            "processor": short_processor(facts.get("processor")),
            "processor_model": facts.get("processor") or "",
            "onednn": onednn,
            "onednn_setting": onednn_setting,
        })
    return rows
