"""What a chapter ran with: data sets, versions, the execution table."""

import hashlib
import sys
from pathlib import Path

import nbformat
import pytest

from seqcnn import data, provenance


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
        provenance.record(tmp_path, str(tmp_path))


def test_locate_records_the_data_set_by_its_relative_name(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("hello")
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path))
    spec = data.DatasetSpec("notes", "notes.txt", "https://example.org/notes.txt", "0" * 64)
    data.locate(spec, download=False)
    assert provenance.recorded() == [{"name": "notes.txt", "bytes": 5, "sha256": "2cf24dba5fb0"}]
    assert str(tmp_path) not in str(provenance.report())


def test_versions_come_from_loaded_modules_or_installed_distributions(monkeypatch):
    assert provenance._version("numpy") == __import__("numpy").__version__
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    assert provenance._version("keras")  # installed, read from its metadata without importing it
    assert "keras" not in sys.modules or sys.modules["keras"] is not None
    assert provenance._version("no_such_module_here") is None


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
