"""The chapters' asserts and quoted trained numbers against the measured bands (booktools.thresholds)."""

import textwrap

import pytest

from booktools import thresholds
from booktools.variation import CHAPTERS
from seqcnn import bands

#: The chapters that train models: every threshold and quoted trained number needs a band.
TRAINED = ["03_imdb", "04_jena_convnet", "05_conv_gru", "06_tcn"]


SETTINGS = thresholds.REQUIRED_SETTINGS


def record(**quantities):
    """A bands record of chapter 07_demo, each quantity's values repeated over 5 seeds and the required settings."""
    def entries(values):
        return [{"value": values[i % len(values)], "seed_offset": 1000 * i, "setting": SETTINGS[i % len(SETTINGS)]}
                for i in range(max(5, len(values)))]

    return {"format": 1, "chapters": {"07_demo": {"quantities": {
        name: {"values": entries(values)} for name, values in quantities.items()}}}}


def chapter(tmp_path, code, prose=""):
    path = tmp_path / "07_demo.md"
    cell = f"```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n{textwrap.dedent(code)}```"
    path.write_text(f"# Demo\n\n{cell}\n\n{prose}\n")
    return path


@pytest.mark.parametrize("threshold", [0.86, 0.855, 0.852])
def test_a_knife_edge_threshold_fails(tmp_path, threshold):
    """The committed chapter 3 asserted 0.86 where the accuracy ran 0.855-0.868: each of these must be caught."""
    path = chapter(tmp_path, f'q["acc"] = 0.8608\nassert q["acc"] >= {threshold}, q\n')
    problems = thresholds.check(path, record(acc=[0.855, 0.8608, 0.868]))
    assert len(problems) == 1
    where = f"07_demo.md:7: `assert q[\"acc\"] >= {threshold}, q`"
    assert problems[0].startswith(f"{where}: the recorded band is 0.855–0.868")


def test_a_threshold_outside_the_band_by_the_margin_passes(tmp_path):
    path = chapter(tmp_path, '''\
        q["acc"], q["gain"], q["epoch"] = accuracy, gain, best_epoch
        assert q["acc"] >= 0.848  # 0.855 - 0.848 > 0.0065, half the band's width
        assert q["gain"] > 0 and 0.5 > q["gain"]  # both sides, quantity on the right
        assert q["epoch"] <= 10
        assert model.count_params() == 12  # no ordering: a fact, not a threshold
        ''')
    rec = record(acc=[0.855, 0.8608, 0.868], gain=[0.02, 0.03, 0.05], epoch=[6, 7, 8])
    assert thresholds.check(path, rec) == []
    assert [(t.name, t.op, t.limit) for t in thresholds.read(path).thresholds] == [
        ("acc", ">=", 0.848), ("gain", ">", 0.0), ("gain", "<", 0.5), ("epoch", "<=", 10.0)]


def test_threshold_problem_for_each_comparison():
    band = bands.Band("x", (1.0, 2.0), (0, 1000), ("default", "default"))
    assert thresholds.threshold_problem(band, "<", 2.6) is None
    assert thresholds.threshold_problem(band, "<", 2.5) is not None  # strict: must clear the margin
    assert thresholds.threshold_problem(band, "<=", 2.5) is None
    assert thresholds.threshold_problem(band, ">", 0.4) is None and thresholds.threshold_problem(band, ">", 0.5)
    assert thresholds.threshold_problem(band, "==", 1.0) is not None
    assert thresholds.threshold_problem(bands.Band("x", (3.0, 3.0), (0, 1), ("a", "a")), "==", 3.0) is None
    assert thresholds.threshold_problem(band, "!=", 3.0) is None and thresholds.threshold_problem(band, "!=", 2.2)


def test_an_assert_without_a_band_or_without_a_named_quantity_fails(tmp_path):
    path = chapter(tmp_path, '''\
        assert q["acc"] >= 0.5
        assert test_results["1e-3"] > test_results["1e-4"]
        ''')
    problems = thresholds.check(path, record())
    assert len(problems) == 2
    assert "q['acc'] has no recorded band: run `python -m booktools.variation 07_demo`" in problems[0]
    assert "compares a trained number with no band behind it" in problems[1]


def test_a_quoted_trained_number_needs_its_band_in_the_record_and_in_the_text(tmp_path):
    code = '''\
        q.glue("acc", accuracy, ".4f")
        q.glue("loss", loss, ".3f")
        '''
    path = chapter(tmp_path, code, "Accuracy {glue:text}`acc` ({band}`acc:.2f`), loss {glue:text}`loss` "
                                   "({band}`07_other/loss`: another chapter's loss is not this one's band).")
    problems = thresholds.check(path, record(acc=[0.85, 0.86]))
    assert problems == ["07_demo.md: the text quotes `loss`, which has no recorded band: run "
                        "`python -m booktools.variation 07_demo`",
                        "07_demo.md: the text quotes `loss` but not its band: add {band}`loss` beside it"]
    assert thresholds.check(path, record(acc=[0.85, 0.86], loss=[0.3, 0.31]))[1:] == []


def test_a_machine_dependent_glue_needs_a_band_or_a_declaration(tmp_path):
    path = tmp_path / "07_demo.md"
    path.write_text(textwrap.dedent('''\
        ```{code-cell} ipython3
        :tags: [remove-cell, nbval-ignore-output]

        glue("fast_test", f"{accuracy:.4f}")
        glue("fast_seconds", f"{run.total_seconds:.0f}")
        for name in ["train", "val"]:
            glue(f"{name}_from", when(start))
        ```

        Test accuracy {glue:text}`fast_test` in {glue:text}`fast_seconds` s; {glue:text}`train_from`.
        '''))
    problems = thresholds.check(path, record())
    assert [p.split("`")[1] for p in problems] == ["fast_seconds", "fast_test", "train_from"]
    declaration = 'q.unbanded("fast_seconds", "*_from", reason="timing; data")\n'
    declared = path.read_text().replace("```\n\nTest", declaration + "```\n\nTest")
    path.write_text(declared)
    assert [p.split("`")[1] for p in thresholds.check(path, record())] == ["fast_test"]
    with pytest.raises(ValueError, match="say why"):
        bands.Quantities("07_demo", record=record()).unbanded("x", reason=" ")


@pytest.mark.parametrize("name", TRAINED)
def test_every_threshold_and_quoted_number_of_a_trained_chapter_sits_outside_its_band(name):
    problems = thresholds.check(CHAPTERS / f"{name}.md")
    assert not problems, "\n".join(problems)


def test_github_checks_the_trained_chapters_on_the_other_floating_point_path():
    import yaml

    workflow = yaml.safe_load((CHAPTERS.parent / ".github" / "workflows" / "book.yml").read_text())
    job = workflow["jobs"]["chapters"]
    matrix = job["strategy"]["matrix"]
    # Every trained chapter is a part of the matrix, run with oneDNN on and off (only the unit-test part is excluded
    # from the "off" path), and the job passes the matrix's choice to TensorFlow.
    assert all(name in matrix["part"] for name in TRAINED) and matrix["onednn"] == ["1", "0"]
    assert all(excluded["part"] not in TRAINED for excluded in matrix.get("exclude", []))
    assert job["env"]["TF_ENABLE_ONEDNN_OPTS"] == "${{ matrix.onednn }}"
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert 'targets="chapters/${{ matrix.part }}.ipynb"' in commands and "pytest $targets" in commands


def test_a_band_needs_enough_seeds_and_settings(tmp_path):
    code, prose = 'q.glue("acc", accuracy)\nassert q["acc"] >= 0.5\n', "{glue:text}`acc` ({band}`07_demo/acc`)"
    path = chapter(tmp_path, code, prose)
    few = {"format": 1, "chapters": {"07_demo": {"quantities": {"acc": {"values": [
        {"value": 0.86, "seed_offset": 0, "setting": "default"},
        {"value": 0.85, "seed_offset": 1000, "setting": "onednn-off"}]}}}}}
    problems = thresholds.check(path, few)
    assert len(problems) == 2
    assert ("comes from 2 seed(s) and lacks the setting(s) threads-1, onednn-off-threads-1; a threshold needs 5 seeds "
            "and the settings default, onednn-off, threads-1, onednn-off-threads-1") in problems[0]
    assert "the band of `acc` comes from 2 seed(s), the text needs 3" in problems[1]
    values = [{"value": 0.85 + i / 1000, "seed_offset": 1000 * i, "setting": "default"} for i in range(5)]
    values += [{"value": 0.853, "seed_offset": 0, "setting": s} for s in ("onednn-off", "threads-1")]
    three = {"format": 1, "chapters": {"07_demo": {"quantities": {"acc": {"values": values}}}}}
    assert "lacks the setting(s) onednn-off-threads-1" in thresholds.check(path, three)[0]
    values += [{"value": 0.853, "seed_offset": 0, "setting": "onednn-off-threads-1"}]
    enough = {"format": 1, "chapters": {"07_demo": {"quantities": {"acc": {"values": values}}}}}
    assert thresholds.check(path, enough) == []


def test_a_record_out_of_step_with_the_chapter_or_its_notebook_fails(tmp_path):
    import nbformat

    path = chapter(tmp_path, 'q["acc"] = accuracy\n')
    rec = record(acc=[0.85, 0.86], gone=[1.0])
    assert thresholds.check(path, rec) == ["07_demo.md: the record holds `gone`, which the chapter no longer "
                                           "measures: run `python -m booktools.variation 07_demo`"]
    cell = nbformat.v4.new_code_cell('q["acc"] = accuracy')
    cell.outputs = [nbformat.v4.new_output("display_data", metadata={"scrapbook": {
        "name": "q_acc", "mime_prefix": "application/papermill.record/"}},
        data={"application/papermill.record/text/plain": "0.87"})]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path.with_suffix(".ipynb"))
    assert thresholds.committed_values(path.with_suffix(".ipynb")) == {"acc": 0.87}
    problems = thresholds.check(path, record(acc=[0.85, 0.86]))
    assert problems == ["07_demo.md: the committed notebook's acc = 0.87 lies outside its recorded band 0.85–0.86: "
                        "the record and the notebook come from different code or machines: run `python -m "
                        "booktools.variation 07_demo` after executing the chapter"]



def test_a_quantity_is_glued_once_and_measured_once(monkeypatch):
    import myst_nb

    from seqcnn import bands

    glued = []
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.append(name))
    q = bands.Quantities("03_imdb", record={"format": 1, "chapters": {}})
    q["fast_test"] = 0.86081  # the assert cell
    q.glue("fast_test", 0.86081)  # the cell that quotes it: the same value, no second q_fast_test glue
    assert glued == ["q_fast_test", "fast_test", "fast_test_band"]  # a duplicate glue key fails the book build
    with pytest.raises(ValueError, match=r"q\['fast_test'\] was measured twice with different values"):
        q["fast_test"] = 0.85
