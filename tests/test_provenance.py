"""What a chapter ran with: data sets, versions, the execution table."""

import contextlib
import hashlib
import io
import json
import subprocess
import sys

import nbformat
import pytest

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
