"""What a chapter ran with: data sets, versions, the execution table."""

import contextlib
import hashlib
import io
import json
import re
import subprocess
import sys
from html import unescape

import nbformat
import pytest
from test_notebooks import CHAPTER

from booktools import provenance
from seqcnn import data


def test_folder_digest_covers_names_and_contents(tmp_path):
    folder = tmp_path / "set"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "x.txt").write_text("one")
    (folder / "y.txt").write_text("two")
    first = provenance.describe(folder, "set")
    assert first["bytes"] == 6 and len(first["sha256"]) == 12
    (folder / "y.txt").rename(folder / "z.txt")
    assert provenance.describe(folder, "set")["sha256"] != first["sha256"]
    (folder / "z.txt").write_text("tw0")
    assert provenance.describe(folder, "set")["bytes"] == 6


def test_file_digest_is_the_sha256_prefix(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 3_000_000)
    assert provenance.describe(path, "f.bin") == {
        "name": "f.bin", "bytes": 3_000_000, "sha256": hashlib.sha256(b"x" * 3_000_000).hexdigest()[:12]}


def test_absolute_names_are_refused(tmp_path):
    with pytest.raises(ValueError, match="not a machine path"):
        data.note_read(tmp_path, str(tmp_path))


def test_locate_records_the_data_set_by_its_relative_name(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("hello")
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path))
    spec = data.DatasetSpec("notes", "notes.txt", "https://example.org/notes.txt", "0" * 64)
    data.locate(spec, download=False)
    assert data.data_sets_read() == {"notes.txt": tmp_path / "notes.txt"}
    assert provenance.report()["data"] == [{"name": "notes.txt", "bytes": 5, "sha256": "2cf24dba5fb0"}]
    assert str(tmp_path) not in str(provenance.report())


def test_versions_come_from_loaded_modules_or_installed_distributions(monkeypatch):
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    versions = provenance.kernel_facts({"numpy": ("numpy",), "keras": ("keras",), "nothing": ("no_such_dist",)})[
        "packages"]
    assert versions["numpy"] == __import__("numpy").__version__
    assert versions["keras"]  # installed, read from its metadata without importing it
    assert "keras" not in sys.modules
    assert versions["nothing"] is None


def test_the_kernel_probe_runs_without_booktools_and_reports_the_data_read(tmp_path):
    """The probe is source code for a chapter's kernel, which may not be able to import booktools."""
    (tmp_path / "notes.txt").write_text("hello")
    code = (f"from seqcnn import data\ndata.note_read({str(tmp_path / 'notes.txt')!r}, 'notes.txt')\n"
            "import sys\nsys.modules['booktools'] = None  # importing booktools now fails\n"
            + provenance.kernel_probe())
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    facts = json.loads(out)
    assert facts["read"] == [["notes.txt", str(tmp_path / "notes.txt")]]
    assert provenance.complete(facts)["data"] == [{"name": "notes.txt", "bytes": 5, "sha256": "2cf24dba5fb0"}]
    assert "read" not in provenance.complete(facts)


def test_the_probe_leaves_no_name_behind_and_reports_nothing_read():
    code = provenance.kernel_probe()
    out = io.StringIO()
    namespace = {}
    with contextlib.redirect_stdout(out):
        exec(code, namespace)
    assert "kernel_facts" not in namespace  # the probe leaves no name behind in the chapter
    assert json.loads(out.getvalue())["read"] == []  # the fixture forgot every read


def test_execution_rows_sizes_and_missing_versions(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.metadata["seqcnn"] = {"execution": {
        "started": "2026-11-29T17:00:00+00:00", "seconds": 1.25, "python": "3.11.7",
        "packages": {"keras": "3.1", "tensorflow": "2.21.0", "numpy": None}, "cpus": 4,
        "data": [{"name": "a.csv", "bytes": 2_000, "sha256": "abc"}, {"name": "b", "bytes": 3_500_000, "sha256": "def"}],
    }}
    path = tmp_path / "07_untitled.ipynb"
    nbformat.write(nb, path)
    (row,) = provenance.execution_rows([path])
    assert row["title"] == "07_untitled"  # no heading: the file name
    assert row["numpy"] == "—" and row["cpus"] == "4" and row["seconds"] == "1.2"
    assert row["data"] == "a.csv (2.0 kB, sha256 abc); b (3.5 MB, sha256 def)"


def _executed_record(tmp_path, name, code):
    """The execution record of a one-cell chapter, executed by the real execute command."""
    from booktools import notebooks

    md = tmp_path / f"{name}.md"
    md.write_text(CHAPTER.replace("print(6 * 7)", code))  # test_notebooks' one-cell chapter
    notebooks.execute(md)
    return md.with_suffix(".ipynb"), nbformat.read(md.with_suffix(".ipynb"), as_version=4).metadata.seqcnn.execution


def test_the_record_of_a_tensorflow_chapter_names_its_processor_and_onednn(tmp_path):
    import os

    path, facts = _executed_record(tmp_path, "01_tf", "import tensorflow as tf\nprint(int(tf.reduce_sum([6, 7])))")
    assert facts["processor"] and len(facts["processor"]) <= 80
    assert "/" not in facts["processor"] and os.uname().nodename not in facts["processor"]
    # The kernel's own answer: kernel_env turns oneDNN on unless the variable is already set.
    assert facts["onednn"]["TF_ENABLE_ONEDNN_OPTS"] == os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1")
    assert isinstance(facts["onednn"]["on"], bool)
    (row,) = provenance.execution_rows([path])
    assert row["onednn"] == ("on" if facts["onednn"]["on"] else "off")
    assert row["onednn_setting"] == f"TF_ENABLE_ONEDNN_OPTS={facts['onednn']['TF_ENABLE_ONEDNN_OPTS']}"
    assert row["processor"] == provenance.short_processor(facts["processor"])
    assert row["processor_model"] == facts["processor"]


def test_a_chapter_without_tensorflow_records_onednn_as_not_used(tmp_path):
    path, facts = _executed_record(tmp_path, "02_numpy", "import numpy as np\nprint(np.arange(3).sum())")
    assert "onednn" in facts and facts["onednn"] is None  # recorded: not used (not: not recorded)
    assert facts["processor"]
    (row,) = provenance.execution_rows([path])
    assert row["onednn"] == "—" and row["onednn_setting"] == ""


@pytest.mark.parametrize("answer", [False, True])
def test_the_probe_asks_tensorflow_itself_whether_onednn_is_on(tmp_path, answer):
    """The probe reports what TensorFlow answers, not what the variable asks for.

    A stand-in ``tensorflow`` package answers the opposite of ``TF_ENABLE_ONEDNN_OPTS`` (as TensorFlow
    itself does on a processor without oneDNN, whatever the variable): no real TensorFlow is started
    here; a chapter's real kernels are probed in ``test_the_record_of_a_tensorflow_chapter_...`` (on) and
    ``test_variation`` (on, and off with ``TF_ENABLE_ONEDNN_OPTS=0``).
    """
    import os

    util = tmp_path / "tensorflow" / "python" / "util"
    util.mkdir(parents=True)
    for folder in (util, util.parent, util.parent.parent):
        (folder / "__init__.py").write_text("")
    (util / "_pywrap_util_port.py").write_text(f"def IsMklEnabled():\n    return {answer}\n")
    code = "import tensorflow\n" + provenance.kernel_probe()
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0" if answer else "1", "PYTHONPATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert json.loads(out)["onednn"] == {"on": answer, "TF_ENABLE_ONEDNN_OPTS": "0" if answer else "1"}


def test_the_probe_does_not_import_tensorflow():
    code = provenance.kernel_probe() + "import sys\nprint('tensorflow' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    facts, imported = out.splitlines()
    assert json.loads(facts)["onednn"] is None and imported == "False"


def test_the_processor_falls_back_to_platform_without_proc_cpuinfo(monkeypatch):
    import builtins
    import platform

    real_open = builtins.open

    def no_cpuinfo(file, *args, **kwargs):
        if str(file) == "/proc/cpuinfo":
            raise FileNotFoundError(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", no_cpuinfo)
    monkeypatch.setattr(platform, "processor", lambda: "")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    assert provenance.kernel_facts({})["processor"] == "arm64"
    monkeypatch.setattr(platform, "processor", lambda: "  Intel64 Family 6  Model 85 ")
    assert provenance.kernel_facts({})["processor"] == "Intel64 Family 6 Model 85"


@pytest.mark.parametrize(("name", "short"), [
    ("AMD EPYC 7763 64-Core Processor", "AMD EPYC"),
    ("AMD EPYC", "AMD EPYC"),
    ("Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz", "Intel Xeon"),
    ("Intel(R) Xeon(R) CPU @ 2.20GHz", "Intel Xeon"),
    ("11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", "Intel Core"),
    ("AMD Ryzen 9 5950X 16-Core Processor", "AMD Ryzen"),
    ("Apple M1", "Apple M1"),
    ("x86_64", "x86_64"),
    ("", "—"),
    (None, "—"),
])
def test_processors_are_abbreviated_to_vendor_and_family(name, short):
    assert provenance.short_processor(name) == short


def _old_record_notebook(tmp_path):
    """A notebook executed before the record named the processor and oneDNN."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Old chapter")])
    nb.metadata["seqcnn"] = {"execution": {
        "started": "2026-11-29T17:00:00+00:00", "seconds": 3.0, "python": "3.11.7",
        "packages": {"keras": "3.12.0", "tensorflow": "2.21.0", "numpy": "2.1.3"}, "cpus": 2, "data": [],
    }}
    path = tmp_path / "chapters" / "01_old.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_an_old_record_shows_dashes_for_processor_and_onednn(tmp_path):
    (row,) = provenance.execution_rows([_old_record_notebook(tmp_path)])
    assert (row["processor"], row["processor_model"], row["onednn"], row["onednn_setting"]) == ("—", "", "—", "")


def test_the_table_shows_processor_and_onednn_compactly(tmp_path):
    """A real Sphinx build of the directive: short values, the full ones as titles, dashes for an old record."""
    from sphinx.application import Sphinx

    _old_record_notebook(tmp_path)
    new = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# New chapter")])
    new.metadata["seqcnn"] = {"execution": {
        "started": "2026-12-01T09:00:00+00:00", "seconds": 4.0, "python": "3.11.7",
        "packages": {"keras": "3.12.0", "tensorflow": "2.21.0", "numpy": "2.1.3"}, "cpus": 2, "data": [],
        "processor": "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz",
        "onednn": {"on": False, "TF_ENABLE_ONEDNN_OPTS": "0"},
    }}
    nbformat.write(new, tmp_path / "chapters" / "02_new.ipynb")
    (tmp_path / "conf.py").write_text("extensions = ['booktools.sphinxext.execution_record']\n")
    (tmp_path / "index.rst").write_text("Running\n=======\n\n.. execution-record::\n   :notebooks: chapters/*.ipynb\n")
    out = tmp_path / "_build"
    app = Sphinx(str(tmp_path), str(tmp_path), str(out), str(out / ".doctrees"), "html",
                 status=None, warning=io.StringIO(), freshenv=True)
    app.build()
    html = (out / "index.html").read_text()
    table = re.search(r'<table class="execution-record[^"]*">(.*?)</table>', html, re.S).group(1)
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]

    def text(cell):
        return re.sub(r"<[^>]+>", "", cell)

    headers, old, new = rows
    assert [text(h) for h in headers][-3:] == ["Data read (size, sha256 prefix)", "Processor", "oneDNN"]
    # The old record: no data read, and neither processor nor oneDNN recorded: dashes, no title.
    assert [text(c) for c in old][-3:] == ["—", "—", "—"] and "<abbr" not in "".join(old)
    assert text(new[-2]) == "Intel Xeon" and text(new[-1]) == "off"
    title = re.search(r'<abbr title="([^"]*)">', new[-2])  # the full model name, on hover
    assert title and unescape(title.group(1)) == "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz"
    assert '<abbr title="TF_ENABLE_ONEDNN_OPTS=0">off</abbr>' in new[-1]
