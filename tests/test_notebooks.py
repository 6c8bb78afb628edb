"""The chapter notebooks: in sync with their .md, executed, and produced by the current code."""

import json
import os
import platform
import re
from datetime import datetime
from pathlib import Path

import jupytext
import nbformat
import numpy as np
import pytest

from booktools import notebooks, provenance

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))


def test_there_are_chapters():
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_chapter_notebook_is_up_to_date(md):
    problems = notebooks.check(md.relative_to(ROOT) if md.is_relative_to(Path.cwd()) else md)
    assert not problems, "\n".join(problems)


CHAPTER = """\
---
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---

# A tiny chapter

```{code-cell} ipython3
print(6 * 7)
```
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A tiny chapter, executed once by the real execute command."""
    folder = tmp_path_factory.mktemp("chapters")
    md = folder / "01_tiny.md"
    md.write_text(CHAPTER)
    assert notebooks.main([str(md)]) == 0
    return md


def test_execute_writes_outputs_and_hash(executed):
    nb = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].outputs[0].text == "42\n"
    assert code[0].execution_count == 1
    assert nb.metadata.seqcnn.source_hash == notebooks.source_hash(nb)
    assert notebooks.check(executed) == []
    assert notebooks.main(["--check", str(executed)]) == 0


def test_prose_edit_is_a_content_mismatch_only(executed, tmp_path):
    md = tmp_path / executed.name
    md.write_text(CHAPTER.replace("A tiny chapter", "A small chapter"))
    md.with_suffix(".ipynb").write_bytes(executed.with_suffix(".ipynb").read_bytes())
    (problem,) = notebooks.check(md)
    assert "have different cells" in problem and notebooks.EXECUTE_COMMAND in problem


def test_code_edit_makes_outputs_stale(executed, tmp_path, capsys):
    md = tmp_path / executed.name
    md.write_text(CHAPTER.replace("6 * 7", "6 * 9"))
    nb = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    nb.cells[1].source = "print(6 * 9)"  # cells equal, outputs from the old code
    nbformat.write(nb, md.with_suffix(".ipynb"))
    (problem,) = notebooks.check(md)
    assert "the current code did not produce" in problem
    assert f"run `{notebooks.EXECUTE_COMMAND} {md.as_posix()}`" in problem
    assert notebooks.main(["--check", str(md)]) == 1
    assert "did not produce" in capsys.readouterr().out


def test_package_edit_changes_the_hash_of_the_chapters_that_import_it(executed, tiny_package):
    package = tiny_package({"mod": "X = 1\n", "other": "Y = 1\n"})
    nb = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    nb.cells[1].source = "from seqcnn import mod\nprint(mod.X)"
    before = notebooks.source_hash(nb, package)
    assert sorted(notebooks.code_record(nb, package)["modules"]) == ["seqcnn/__init__.py", "seqcnn/mod.py"]
    (package / "other.py").write_text("Y = 2\n")  # not imported: no effect
    assert notebooks.source_hash(nb, package) == before
    (package / "mod.py").write_text("X = 2\n")
    assert notebooks.source_hash(nb, package) != before
    (package / "mod.py").write_text("X = 1\r\n")  # a Windows checkout hashes the same
    assert notebooks.source_hash(nb, package) == before
    (package / "mod.py").write_text('"""Now documented."""\n\n# and commented\nX = 1  # one\n')
    assert notebooks.source_hash(nb, package) == before
    # Markdown cells and tags do not count: prose edits need a sync, not a re-execution.
    nb.cells[0].source += "\nMore prose."
    nb.cells[1].metadata["tags"] = ["hide-output"]
    assert notebooks.source_hash(nb, package) == before


TRIO = {
    # c imports b inside a function, b imports a at the top: a change to a reaches every chapter of c.
    "a": "A = 1\n",
    "b": "from seqcnn import a\n\nB = a.A + 1\n",
    "c": "def c():\n    from seqcnn.b import B\n    return B + 1\n",
    "d": "from .a import A\n\nD = A\n",
    "lonely": "L = 0\n",
}


@pytest.mark.parametrize(
    ("edited", "stale"),
    [("a", {"uses_a", "uses_c", "uses_d"}), ("b", {"uses_c"}), ("c", {"uses_c"}), ("d", {"uses_d"}),
     ("lonely", set()), ("__init__", {"uses_a", "uses_c", "uses_d"})],
)
def test_a_module_edit_stales_exactly_the_chapters_that_depend_on_it(tmp_path, tiny_package, edited, stale):
    package = tiny_package(TRIO)
    chapters = {
        "uses_a": "import seqcnn.a as alias\nprint(alias.A)",
        "uses_c": "from seqcnn.c import c\nprint(c())",
        "uses_d": "from seqcnn import d\nprint(d.D)",
        "uses_none": "print(6 * 7)",
    }
    for name, code in chapters.items():
        (tmp_path / f"{name}.md").write_text(CHAPTER.replace("print(6 * 7)", code))
        nb = jupytext.read(tmp_path / f"{name}.md")
        nb.cells[1].execution_count = 1
        nb.metadata["seqcnn"] = {**notebooks.code_record(nb, package), "execution": {"seconds": 1.0}}
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
        assert notebooks.status(tmp_path / f"{name}.md", package) == ("up to date", [])
    path = package / f"{edited}.py"
    path.write_text(path.read_text() + "EDITED = True\n")
    found = {name for name in chapters if notebooks.status(tmp_path / f"{name}.md", package)[0] == "stale"}
    assert found == stale
    for name in stale:
        (problem,) = notebooks.check(tmp_path / f"{name}.md", package)
        assert f"seqcnn/{edited}.py changed" in problem and "re-executes" in problem


@pytest.fixture(scope="module")
def chapter_records(tmp_path_factory):
    """The chapters' notebooks (read once) and their code records against a copy of seqcnn taken once.

    Returns ``(package, notebooks_by_name, records_by_name)``; a test that edits modules edits its own copy
    of ``package`` (:func:`_package_copy`) and compares with these records.
    """
    import shutil

    package = tmp_path_factory.mktemp("pristine") / "seqcnn"
    shutil.copytree(notebooks.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    nbs = {md.name: jupytext.read(md) for md in CHAPTERS}
    return package, nbs, {name: notebooks.code_record(nb, package) for name, nb in nbs.items()}


def _package_copy(pristine, tmp_path):
    import shutil

    package = tmp_path / "seqcnn"
    shutil.copytree(pristine, package)
    return package


def test_editing_imdb_stales_exactly_the_chapters_that_use_it(tmp_path, chapter_records):
    pristine, nbs, before = chapter_records
    package = _package_copy(pristine, tmp_path)
    (package / "imdb.py").write_text((package / "imdb.py").read_text() + "EDITED = True\n")
    after = {name: notebooks.code_record(nb, package) for name, nb in nbs.items()}
    changed = {name for name in after if after[name]["source_hash"] != before[name]["source_hash"]}
    # The IMDB chapter, and the Performance page, which times the IMDB convnet on real reviews.
    assert changed == {"03_imdb.md", "07_performance.md"}
    assert notebooks._what_changed(before["03_imdb.md"], after["03_imdb.md"]) == ["seqcnn/imdb.py changed"]


def test_a_new_model_stales_only_the_chapters_that_can_run_it(tmp_path, chapter_records):
    """A chapter that uses seqcnn.models by name counts the models it uses, not the module's other code.

    Compared: the digests of the chapters' cells before their exercises, which the variation study
    keys its record with (booktools.variation.code_hash); the exercises' checks of chapters 3 and 5
    build the chapters' models themselves, through a module, so there all of models.py counts.
    """
    from booktools.variation import before_exercises

    pristine, nbs, _ = chapter_records
    package = _package_copy(pristine, tmp_path)

    def study_keys():
        return {name: notebooks.source_hash(before_exercises(nb), package) for name, nb in nbs.items()}

    def full_keys():
        return {name: notebooks.source_hash(nb, package) for name, nb in nbs.items()}

    study, full = study_keys(), full_keys()
    models = package / "models.py"
    models.write_text(models.read_text() + "\n\ndef new_model(features: int = 14):\n    return features\n")
    # The Performance page reaches models.py through seqcnn.backends as well: all of it counts there.
    assert {name for name, key in study_keys().items() if key != study[name]} == {"07_performance.md"}
    assert {name for name, key in full_keys().items() if key != full[name]} == {
        "03_imdb.md", "05_conv_gru.md", "07_performance.md"}
    # A change to a model a chapter trains (or times) changes its study's key.
    models.write_text(models.read_text().replace("def gru(features: int = 14):", "def gru(features: int = 15):"))
    assert {name for name, key in study_keys().items() if key != study[name]} == {
        "05_conv_gru.md", "06_tcn.md", "07_performance.md"}


def test_a_module_used_as_a_value_counts_whole(executed, tiny_package):
    package = tiny_package({"mod": "def f():\n    return 1\n"})
    nb = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    by_name, as_value = "from seqcnn import mod\nprint(mod.f())", "from seqcnn import mod\nprint(vars(mod))"
    hashes = {}
    for code in (by_name, as_value):
        nb.cells[1].source = code
        hashes[code] = notebooks.source_hash(nb, package)
    (package / "mod.py").write_text("def f():\n    return 1\n\n\ndef g():\n    return 2\n")
    for code in (by_name, as_value):
        nb.cells[1].source = code
        assert (notebooks.source_hash(nb, package) == hashes[code]) == (code == by_name)


def _every_docstring_and_comment_edited(source):
    """``source`` with every docstring reworded and a comment on each line of code: the same code."""
    import ast

    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                line = first.lineno - 1
                lines[line] = lines[line].replace('"""', '"""Reworded. ', 1)
    return "".join(lines) + "\n# A comment at the end.\n"


def test_a_docstring_edit_leaves_every_chapter_current_and_a_code_edit_does_not(tmp_path, chapter_records):
    pristine, nbs, before = chapter_records
    package = _package_copy(pristine, tmp_path)
    edited = 0
    for module in sorted(package.glob("*.py")):
        source = module.read_text()
        new = _every_docstring_and_comment_edited(source)
        assert new != source
        module.write_text(new)
        edited += new.count("Reworded.")
    assert edited > 100  # every module's docstring and the docstrings of its functions and classes
    after = {name: notebooks.code_record(nb, package) for name, nb in nbs.items()}
    assert after == before
    ops = package / "ops.py"
    ops.write_text(ops.read_text() + "\n\ndef extra():\n    return 1\n")
    code_edit = {name: notebooks.code_record(nb, package) for name, nb in nbs.items()}
    changed = {name for name in before if code_edit[name]["source_hash"] != before[name]["source_hash"]}
    assert changed and changed == {md.name for md in CHAPTERS
                                   if "seqcnn/ops.py" in before[md.name]["modules"]}


def test_editing_ops_stales_the_chapters_that_use_it_directly_or_through_plots(chapter_records):
    _, _, records = chapter_records  # the records against (a copy of) the repository's seqcnn
    users = {name for name, record in records.items() if "seqcnn/ops.py" in record["modules"]}
    direct = {md.name for md in CHAPTERS if re.search(r"from seqcnn import [^\n]*\b(ops|plots)\b", md.read_text())}
    assert users == direct and {"01_conv1d.md", "02_pooling.md"} <= users


def test_prose_edit_is_synced_without_a_kernel(executed, tmp_path, monkeypatch, capsys):
    md = tmp_path / executed.name
    md.write_text(CHAPTER.replace("# A tiny chapter", "# A tiny chapter\n\nNew prose.").replace(
        "```{code-cell} ipython3\n", "```{code-cell} ipython3\n:tags: [hide-output]\n\n"))
    md.with_suffix(".ipynb").write_bytes(executed.with_suffix(".ipynb").read_bytes())
    assert notebooks.status(md)[0] == "prose"

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for a prose-only edit")

    monkeypatch.setattr(notebooks, "NotebookClient", no_kernel)
    assert notebooks.main([str(md)]) == 0
    assert "prose synced" in capsys.readouterr().out
    old = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    assert "New prose." in nb.cells[0].source
    assert nb.cells[1].metadata.tags == ["hide-output"]
    assert nb.cells[1].outputs == old.cells[1].outputs and nb.cells[1].execution_count == 1
    assert nb.metadata.seqcnn == old.metadata.seqcnn
    assert notebooks.check(md) == []
    assert notebooks.main([str(md)]) == 0 and "up to date" in capsys.readouterr().out


def test_sync_refuses_changed_code(executed, tmp_path):
    md = tmp_path / executed.name
    md.write_text(CHAPTER.replace("6 * 7", "6 * 9"))
    md.with_suffix(".ipynb").write_bytes(executed.with_suffix(".ipynb").read_bytes())
    with pytest.raises(ValueError, match="cannot be synced without a kernel: its code cells changed"):
        notebooks.sync(md)


def test_all_executes_up_to_date_chapters(executed, tmp_path, capsys, monkeypatch):
    md = tmp_path / executed.name
    md.write_text(CHAPTER)
    md.with_suffix(".ipynb").write_bytes(executed.with_suffix(".ipynb").read_bytes())
    assert notebooks.main([str(md)]) == 0 and "up to date" in capsys.readouterr().out
    executions = []  # which chapters --all executes (a real execution: the other tests of main)
    monkeypatch.setattr(notebooks, "_execute", lambda path, timeout: executions.append(path) or 1.0)
    assert notebooks.main(["--all", str(md)]) == 0 and "executed in" in capsys.readouterr().out
    assert executions == [md]


def test_execution_record_names_versions_and_data(tmp_path):
    data_file = tmp_path / "notes.txt"
    data_file.write_text("hello")
    md = tmp_path / "reads.md"
    md.write_text(CHAPTER.replace(
        "print(6 * 7)", f"from seqcnn import data\ndata.note_read({str(data_file)!r}, 'notes.txt')"))
    seconds = notebooks.execute(md)
    facts = nbformat.read(md.with_suffix(".ipynb"), as_version=4).metadata.seqcnn.execution
    assert facts["data"] == [{"name": "notes.txt", "bytes": 5, "sha256": "2cf24dba5fb0"}]
    assert facts["seconds"] == round(seconds, 1) and seconds > 0
    assert facts["python"] == platform.python_version() and facts["cpus"] == os.cpu_count()
    assert facts["packages"]["numpy"] == np.__version__
    assert datetime.fromisoformat(facts["started"]).tzinfo is not None
    (row,) = provenance.execution_rows([md.with_suffix(".ipynb")])
    assert row["chapter"] == "reads" and row["title"] == "A tiny chapter" and "notes.txt (0.0 kB" in row["data"]


def test_a_notebook_without_record_is_stale(executed, tmp_path):
    md = tmp_path / executed.name
    md.write_text(CHAPTER)
    nb = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    del nb.metadata.seqcnn["execution"]
    nbformat.write(nb, md.with_suffix(".ipynb"))
    assert notebooks.status(md) == ("stale", [f"{md.with_suffix('.ipynb').as_posix()} has no execution record"])
    with pytest.raises(ValueError, match="has no execution record: run `python -m booktools.notebooks"):
        provenance.execution_rows([md.with_suffix(".ipynb")])


#: Absolute paths of a machine, as they would show in an output.
MACHINE_PATH = re.compile(r"(?<![\w.])(/work/|/home/|/tmp/|/root/|/Users/|/var/folders/|[A-Za-z]:\\Users\\)")


def _machine_paths(text):
    found = MACHINE_PATH.findall(text)
    for own in {f"{ROOT}/", f"{Path.home()}/", f"{os.environ.get('SEQCNN_DATA_DIR') or ROOT}/"}:
        if own in text:
            found.append(own)
    return found


@pytest.mark.parametrize("nb_path", sorted((ROOT / "chapters").glob("*.ipynb")), ids=lambda p: p.name)
def test_no_machine_path_in_a_committed_notebook(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    shown = [json.dumps(nb.metadata)]
    for cell in nb.cells:
        shown += [json.dumps(output) for output in cell.get("outputs", [])]
    found = sorted({hit for text in shown for hit in _machine_paths(text)})
    assert not found, f"{nb_path.name} shows paths of the machine that ran it: {found}"


def test_the_machine_path_scan_can_fail():
    assert "/work/" in _machine_paths("reading /work/shared/data/aclImdb")
    assert _machine_paths(f"saved in {Path.home()}/x")
    assert not _machine_paths("reading aclImdb in $SEQCNN_DATA_DIR; 10/tmp/x is a ratio? no: 3/4")


def test_unexecuted_notebook_is_refused(executed, tmp_path):
    md = tmp_path / executed.name
    md.write_text(CHAPTER)
    nb = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    nb.cells[1].execution_count = None
    nb.cells[1].outputs = []
    nbformat.write(nb, md.with_suffix(".ipynb"))
    (problem,) = notebooks.check(md)
    assert "not executed" in problem


def test_failing_cell_leaves_the_old_notebook(tmp_path):
    md = tmp_path / "bad.md"
    md.write_text(CHAPTER.replace("print(6 * 7)", "1 / 0"))
    with pytest.raises(Exception, match="ZeroDivisionError"):
        notebooks.execute(md)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.md"]


def test_main_without_chapters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        notebooks.main([])


def test_book_chapters_get_the_colab_cell_of_the_config(tmp_path):
    (tmp_path / "chapters").mkdir()
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://example.org/me/book\n  branch: dev\n")
    md = tmp_path / "chapters" / "01_tiny.md"
    md.write_text(CHAPTER)
    assert notebooks.main([str(md)]) == 0
    text = md.read_text()
    assert text.count(notebooks.COLAB_TAG) == 1
    assert text.index(notebooks.COLAB_TAG) < text.index("print(6 * 7)")
    assert '"seqcnn[colab] @ git+https://example.org/me/book@dev"' in text
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    install, code = [c for c in nb.cells if c.cell_type == "code"]
    assert install.metadata.tags == ["remove-cell", notebooks.COLAB_TAG] and install.outputs == []
    assert code.outputs[0].text == "42\n"
    assert notebooks.check(md) == []
    assert notebooks.sync_colab_cell(md, config) is False  # idempotent

    config.write_text("repository:\n  url: https://example.org/someone-else/book\n  branch: main\n")
    (problem,) = notebooks.check(md)
    assert "lacks the hidden Colab install cell" in problem and notebooks.EXECUTE_COMMAND in problem
    assert notebooks.sync_colab_cell(md, config) is True
    assert text.replace("me/book@dev", "someone-else/book@main") == md.read_text()


def test_colab_cell_needs_a_repository(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("title: no repository\n")
    with pytest.raises(ValueError, match="has no repository.url"):
        notebooks.colab_cell(config)


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_chapter_colab_cell_installs_from_the_configured_repository(md):
    import yaml

    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    assert f"git+{repository['url']}@{repository['branch']}" in md.read_text()


def test_what_changed_names_new_and_dropped_modules_and_old_records(executed, tmp_path, tiny_package):
    package = tiny_package({"a": "A = 1\n", "b": "B = 1\n"})
    nb = jupytext.read(executed)
    nb.cells[1].source = "from seqcnn import a"
    old = notebooks.code_record(nb, package)
    nb.cells[1].source = "from seqcnn import b"
    new = notebooks.code_record(nb, package)
    assert notebooks._what_changed(old, new) == [
        "its code cells changed", "it now depends on seqcnn/b.py", "it no longer depends on seqcnn/a.py"]
    older = {key: value for key, value in new.items() if key != "hash"}  # a record of hash v2
    (reason,) = notebooks._what_changed(older, new)
    assert "hashed the old way" in reason and "execute it once" in reason
    md = tmp_path / executed.name
    md.write_text(CHAPTER)
    bare = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    del bare.metadata["seqcnn"]
    nbformat.write(bare, md.with_suffix(".ipynb"))
    state, (reason,) = notebooks.status(md)
    assert state == "stale" and "no record of its code" in reason


def test_the_colab_cell_is_synced_once_per_chapter(executed, tmp_path, monkeypatch):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://example.org/me/book\n  branch: dev\n")
    md = tmp_path / "chapters" / executed.name
    md.write_text(CHAPTER)
    calls = []
    real = notebooks.sync_colab_cell
    monkeypatch.setattr(notebooks, "sync_colab_cell", lambda *args: calls.append(args) or real(*args))
    assert notebooks.main([str(md)]) == 0  # executed: the cell is new
    assert len(calls) == 1
    md.write_text(md.read_text().replace("# A tiny chapter", "# A tiny chapter\n\nMore prose."))
    assert notebooks.main([str(md)]) == 0  # prose synced
    assert len(calls) == 2
    executions = []  # --all executes it again (test_all_executes_up_to_date_chapters): no kernel needed here
    monkeypatch.setattr(notebooks, "_execute", lambda path, timeout: executions.append(path) or 1.0)
    assert notebooks.main(["--all", str(md)]) == 0
    assert len(calls) == 3 and executions == [md]


#: The code cell of a chapter in the test of ``--jobs``: it prints the interval it ran in (the machine's
#: wall-clock time, the same for every kernel), after waiting, if WAIT names a partner chapter, until
#: that partner has started too. Two partners can then only finish if they run side by side: one after
#: the other, the first would wait in vain, and its cell fails after a minute.
TIMED_CELL = """\
import pathlib, time

started = time.time()
pathlib.Path("{name}.started").touch()
deadline = time.monotonic() + 60
while WAIT and not pathlib.Path(f"{{WAIT}}.started").exists():
    if time.monotonic() > deadline:
        raise RuntimeError(f"{{WAIT}} never started while {name} ran: the chapters ran one after the other")
    time.sleep(0.02)
print(started, time.time())"""


def test_stale_chapters_run_two_at_a_time_longest_first(executed, tmp_path, capsys):
    """Three stale chapters, two jobs: the two longest (by their last record) run side by side, then the third.

    Each chapter's cell prints the interval it ran in; the two longest wait for each other, so they
    finish only if they run at the same time. Nothing here depends on how fast the machine is.
    """
    recorded = {"01_short": 1.0, "02_long": 99.0, "03_middle": 50.0}
    partners = {"01_short": "", "02_long": "03_middle", "03_middle": "02_long"}
    chapters = {name: tmp_path / f"{name}.md" for name in recorded}
    for name, md in chapters.items():
        md.write_text(CHAPTER.replace("print(6 * 7)", f"WAIT = {partners[name]!r}\n" + TIMED_CELL.format(name=name)))
        nb = json.loads(executed.with_suffix(".ipynb").read_text())
        nb["metadata"]["seqcnn"]["execution"]["seconds"] = recorded[name]  # as if it had taken this long last time
        nb["cells"][1]["source"] = "print(0)"  # stale: its code differs from the .md
        md.with_suffix(".ipynb").write_text(json.dumps(nb))
    assert notebooks.recorded_seconds(chapters["02_long"].with_suffix(".ipynb")) == 99.0
    assert notebooks.main(["--jobs", "2", "--timeout", "120", *map(str, chapters.values())]) == 0
    out = capsys.readouterr().out.splitlines()
    # The chapters are started longest first, and all three are executed and current.
    started = [line.split(":")[0] for line in out[:3]]
    assert started == [chapters[name].as_posix() for name in ("02_long", "03_middle", "01_short")]
    assert all("executing" in line for line in out[:3]) and sum("executed in" in line for line in out) == 3
    assert all(notebooks.check(md) == [] for md in chapters.values())
    ran = {}  # each chapter's interval, as its cell printed it
    for name, md in chapters.items():
        nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
        start, end = map(float, nb.cells[1].outputs[0].text.split())
        assert nb.metadata.seqcnn.execution["seconds"] > 0
        ran[name] = (start, end)
    # The two longest ran side by side: their intervals overlap.
    assert max(ran["02_long"][0], ran["03_middle"][0]) < min(ran["02_long"][1], ran["03_middle"][1]), ran
    # The shortest only started once a job was free: after one of the two longest had finished.
    assert ran["01_short"][0] > min(ran["02_long"][1], ran["03_middle"][1]), ran
