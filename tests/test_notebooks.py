"""The chapter notebooks: in sync with their .md, executed, and produced by the current code."""

from pathlib import Path

import nbformat
import pytest

from seqcnn import notebooks

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


def test_package_edit_changes_the_hash(executed, tmp_path):
    nb = nbformat.read(executed.with_suffix(".ipynb"), as_version=4)
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text("X = 1\n")
    before = notebooks.source_hash(nb, package)
    (package / "mod.py").write_text("X = 2\n")
    assert notebooks.source_hash(nb, package) != before
    (package / "mod.py").write_text("X = 1\r\n")  # a Windows checkout hashes the same
    assert notebooks.source_hash(nb, package) == before
    # Markdown cells do not count: prose edits need a sync, not a re-execution.
    nb.cells[0].source += "\nMore prose."
    assert notebooks.source_hash(nb, package) == before


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
