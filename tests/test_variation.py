"""booktools.variation (the study) and seqcnn.bands (its record): plumbing on tiny notebooks, no real training."""

import json
import textwrap
from pathlib import Path

import pytest

from booktools import variation
from seqcnn import bands

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"

#: A chapter that trains nothing: it measures what the study's configuration changed in its kernel.
FAKE_CHAPTER = textwrap.dedent('''\
    # A fake chapter (no kernelspec: the study runs every chapter in the python3 kernel)

    ```{code-cell} ipython3
    from seqcnn import bands, runtime

    runtime.setup(seed=42)
    ```

    ```{code-cell} ipython3
    import os

    import numpy as np
    import tensorflow as tf

    q = bands.Quantities("07_fake")
    q["draw"] = np.random.default_rng(runtime.seeded(42)).random()
    q["seed"] = runtime.seeded(42)
    q["threads"] = tf.config.threading.get_intra_op_parallelism_threads()
    q["onednn_off"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0"
    from tensorflow.python.util import _pywrap_util_port
    q["onednn_used"] = _pywrap_util_port.IsMklEnabled()  # what TensorFlow itself runs
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]

    assert q["seed"] < 1000  # fails on every other seed: the study records it and goes on
    ```

    ```{code-cell} ipython3
    q["after_the_failure"] = 1
    ```
    ''')


#: The same chapter without TensorFlow (its kernel starts in a second or two), for the study's plumbing:
#: the command line, the record, the committed run. What a configuration changes in a kernel that runs
#: TensorFlow is the test of run_notebook's.
LIGHT_CHAPTER = textwrap.dedent('''\
    # A fake chapter that imports no TensorFlow

    ```{code-cell} ipython3
    import os

    import numpy as np
    from seqcnn import bands, runtime

    q = bands.Quantities("07_fake")
    q["draw"] = np.random.default_rng(runtime.seeded(42)).random()
    q["seed"] = runtime.seeded(42)
    q["threads"] = int(os.environ.get(runtime.THREADS_ENV) or 0)
    q["onednn_off"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0"
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]

    assert q["seed"] < 1000  # fails on every other seed: the study records it and goes on
    ```

    ```{code-cell} ipython3
    q["after_the_failure"] = 1
    ```
    ''')


@pytest.fixture
def fake_chapter(tmp_path):
    path = tmp_path / "07_fake.md"
    path.write_text(FAKE_CHAPTER)
    return path


@pytest.fixture
def light_chapter(tmp_path):
    path = tmp_path / "07_fake.md"
    path.write_text(LIGHT_CHAPTER)
    return path


def test_plan_runs_every_seed_by_default_and_the_first_seeds_elsewhere():
    labels = [c.label for c in variation.plan(seeds=5, setting_seeds=2)]
    assert labels[:5] == [f"seed +{i * 1000}, default" for i in range(5)]
    assert labels[5:] == ["seed +0, onednn-off", "seed +1000, onednn-off", "seed +0, threads-1",
                          "seed +1000, threads-1", "seed +0, onednn-off-threads-1", "seed +1000, onednn-off-threads-1",
                          "seed +0, load", "seed +1000, load"]
    with pytest.raises(ValueError, match="unknown setting.*gpu"):
        variation.plan(settings=["default", "gpu"])
    with pytest.raises(ValueError, match="at least 1"):
        variation.plan(seeds=0)


def test_configuration_environment_replaces_inherited_perturbations():
    base = {"TF_ENABLE_ONEDNN_OPTS": "0", "SEQCNN_INTRA_OP_THREADS": "1", "PATH": "/bin"}
    env = variation.Configuration(2000, "default").environment(base)
    # The inherited perturbations go; the book's kernel environment (oneDNN on) comes in their place.
    assert env == {"PATH": "/bin", "SEQCNN_SEED_OFFSET": "2000", "TF_ENABLE_ONEDNN_OPTS": "1"}
    assert variation.Configuration(0, "threads-1").environment({})["SEQCNN_INTRA_OP_THREADS"] == "1"
    both = variation.Configuration(0, "onednn-off-threads-1").environment({})
    assert (both["TF_ENABLE_ONEDNN_OPTS"], both["SEQCNN_INTRA_OP_THREADS"]) == ("0", "1")
    assert variation.Configuration(0, "load").loaded and not variation.Configuration(0, "default").loaded


def test_run_notebook_carries_each_perturbation_into_a_fresh_kernel(fake_chapter):
    """The real path: a kernel per configuration, its quantities collected from the glued outputs.

    Two kernels that run TensorFlow: the default, and every perturbation at once (another seed, one
    thread, oneDNN off); each setting's own variables are the test of Configuration.environment's and
    of Configuration's docstring.
    """
    default = variation.run_notebook(fake_chapter, variation.Configuration(0, "default"), timeout=120)
    other = variation.run_notebook(fake_chapter, variation.Configuration(1000, "onednn-off-threads-1"), timeout=120)
    assert default.quantities["seed"] == 42 and other.quantities["seed"] == 1042
    assert default.quantities["draw"] != other.quantities["draw"]
    assert other.quantities["threads"] == 1 and default.quantities["threads"] == 0  # 0: TensorFlow's default
    assert other.quantities["onednn_off"] == 1 and default.quantities["onednn_off"] == 0
    # "default" is the book's kernel environment: oneDNN on whatever the processor (booktools.kernel_env).
    assert default.quantities["onednn_used"] == 1 and other.quantities["onednn_used"] == 0
    assert default.errors == [] and default.seconds > 0
    assert len(default.load) == 2 and all(load >= 0 for load in default.load)  # what else the machine was doing
    # A failing assert is recorded, and the cells after it still run.
    assert len(other.errors) == 1 and other.errors[0].startswith("cell 4: AssertionError")  # cell 1 is the title
    assert 'q["seed"] < 1000' in other.errors[0]
    assert other.quantities["after_the_failure"] == 1


def fake_runner(md_path, configuration, timeout):
    value = 0.86 + configuration.seed_offset / 1e6 - (0.002 if configuration.setting == "onednn-off" else 0)
    return variation.Run(configuration, {"acc": value}, [], 1.5)


def test_study_writes_a_record_that_seqcnn_bands_reads(tmp_path, fake_chapter):
    out = tmp_path / "bands.json"
    out.write_text(json.dumps({"format": 1, "chapters": {"01_other": {"quantities": {}}}}))
    configurations = variation.plan(seeds=3, settings=["default", "onednn-off"])
    lines = []
    variation.study(fake_chapter, configurations, out, runner=fake_runner, log=lambda *a, **k: lines.append(a[0]))
    record = json.loads(out.read_text())
    entry = record["chapters"]["07_fake"]
    assert "01_other" in record["chapters"]  # other chapters are kept
    assert all(entry["machine"][key] for key in ("cpu", "cpus", "python", "tensorflow", "keras", "numpy"))
    assert entry["date"] and entry["seconds"] == 6.0 and len(entry["runs"]) == 4
    assert entry["runs"][3] == {"seed_offset": 0, "setting": "onednn-off",
                                "environment": {"TF_ENABLE_ONEDNN_OPTS": "0"}, "seconds": 1.5, "errors": []}
    acc = entry["quantities"]["acc"]
    assert (acc["min"], acc["max"]) == (0.858, 0.862) and len(acc["values"]) == 4
    band = bands.band("07_fake", "acc", out)
    assert (band.min, band.max, band.seeds, band.settings) == (0.858, 0.862, 3, 2)
    assert band.text(".3f") == "0.858–0.862 over 3 seeds and 2 settings"
    text = bands.Quantities("07_fake", record=out).band_text("acc", ".4f")
    assert text == "0.8580–0.8620 over 3 seeds and 2 settings"
    assert len(lines) == 8 and lines[0].startswith("[1/4] 07_fake: seed +0, default")


def test_bands_load_names_a_broken_record(tmp_path):
    path = tmp_path / "bands.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match=r"bands.json is not valid JSON"):
        bands.load(path)
    path.write_text(json.dumps({"chapters": {}}))
    with pytest.raises(ValueError, match="not a bands record of format 1"):
        bands.load(path)
    broken = {"acc": {"values": [{"value": "x"}]}}
    path.write_text(json.dumps({"format": 1, "chapters": {"03": {"quantities": broken}}}))
    with pytest.raises(ValueError, match="03/acc has no list of numeric values"):
        bands.load(path)


def test_bands_locate_prefers_the_environment_then_the_chapters_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(bands.BANDS_ENV, raising=False)
    assert bands.locate().parts[-2:] == ("chapters", "bands.json")  # the repository's record
    (tmp_path / "bands.json").write_text("{}")
    assert bands.locate().resolve() == (tmp_path / "bands.json").resolve()  # a kernel in chapters/
    monkeypatch.setenv(bands.BANDS_ENV, "/somewhere/b.json")
    assert str(bands.locate()) == "/somewhere/b.json"


def test_command_line_dry_run_prints_the_plan_and_its_cost(capsys):
    assert variation.main(["03_imdb", "--dry-run", "--seeds", "3", "--settings", "default", "onednn-off"]) == 0
    out = capsys.readouterr().out
    recorded = json.loads((variation.CHAPTERS / "03_imdb.ipynb").read_text())["metadata"]["seqcnn"]["execution"]
    minutes = 4 * recorded["seconds"] / 60  # the committed run's time, once per configuration
    expected = f"about {minutes / 60:.1f} h" if minutes >= 60 else f"about {minutes:.0f} min"
    assert out.splitlines()[0] == f"03_imdb: 4 runs, {expected} at the committed notebook's pace"
    assert "seed +2000, default" in out and "seed +0, onednn-off" in out
    with pytest.raises(SystemExit):
        variation.main(["99_none", "--dry-run"])
    assert "no chapter '99_none'" in capsys.readouterr().err


def test_command_line_runs_the_study_end_to_end(tmp_path, light_chapter, capsys):
    """Two kernels, one under CPU load: the record names the runs, their errors and every quantity."""
    out = tmp_path / "bands.json"
    assert variation.main([str(light_chapter), "--seeds", "1", "--settings", "default", "load", "--out", str(out),
                           "--timeout", "120"]) == 0
    entry = json.loads(out.read_text())["chapters"]["07_fake"]
    assert [(r["setting"], r["errors"]) for r in entry["runs"]] == [("default", []), ("load", [])]
    assert set(entry["quantities"]) == {"draw", "seed", "threads", "onednn_off", "after_the_failure"}
    assert "runs with failing cells: 0" in capsys.readouterr().out


def test_a_run_over_its_timeout_keeps_what_it_measured(tmp_path):
    path = tmp_path / "07_slow.md"
    path.write_text("```{code-cell} ipython3\nfrom seqcnn import bands\n\nq = bands.Quantities('07_slow')\n"
                    "q['before'] = 1\n```\n\n```{code-cell} ipython3\nimport time\n\ntime.sleep(30)\n```\n")
    run = variation.run_notebook(path, variation.Configuration(0, "default"), timeout=3)
    assert run.quantities == {"before": 1.0}
    assert run.errors[0].startswith("cell 2: KeyboardInterrupt")  # the interrupted cell
    assert run.errors[-1].startswith("run stopped: CellTimeoutError")


def test_a_study_goes_on_where_it_stopped_on_the_same_code_only(tmp_path, fake_chapter):
    out, calls = tmp_path / "bands.json", []

    def runner(md_path, configuration, timeout):
        calls.append(configuration.label)
        first_try_of_seed_1000 = configuration.seed_offset == 1000 and len(calls) == 2
        stopped = ["run stopped: CellTimeoutError: ..."] if first_try_of_seed_1000 else []
        return variation.Run(configuration, {"acc": 0.8 + configuration.seed_offset / 1e5}, stopped, 1.0)

    quiet = dict(runner=runner, log=lambda *a, **k: None)
    variation.study(fake_chapter, variation.plan(seeds=2, settings=["default"]), out, **quiet)
    assert calls == ["seed +0, default", "seed +1000, default"]
    # Three seeds now: the first is kept, the second (stopped midway) and the third run.
    variation.study(fake_chapter, variation.plan(seeds=3, settings=["default"]), out, **quiet)
    assert calls[2:] == ["seed +1000, default", "seed +2000, default"]
    entry = json.loads(out.read_text())["chapters"]["07_fake"]
    assert [(r["seed_offset"], r["errors"]) for r in entry["runs"]] == [(0, []), (1000, []), (2000, [])]
    assert entry["source_hash"] == variation.code_hash(fake_chapter)
    assert bands.band("07_fake", "acc", out).values == pytest.approx((0.8, 0.81, 0.82))
    # Nothing left to run; then other code, or --fresh, runs everything again.
    variation.study(fake_chapter, variation.plan(seeds=3, settings=["default"]), out, **quiet)
    assert len(calls) == 4
    variation.study(fake_chapter, variation.plan(seeds=3, settings=["default"]), out, fresh=True, **quiet)
    assert len(calls) == 7
    fake_chapter.write_text(fake_chapter.read_text().replace("runtime.setup(seed=42)", "runtime.setup(seed=43)"))
    variation.study(fake_chapter, variation.plan(seeds=3, settings=["default"]), out, **quiet)
    assert len(calls) == 10 and len(json.loads(out.read_text())["chapters"]["07_fake"]["runs"]) == 3


def test_moving_a_threshold_keeps_the_record_current(fake_chapter):
    """Asserts check the numbers and do not make them: the study's digest leaves them out, code it keeps."""
    before = variation.code_hash(fake_chapter)
    text = fake_chapter.read_text()
    fake_chapter.write_text(text.replace("assert q[\"seed\"] < 1000", "assert q[\"seed\"] < 5000, q"))
    assert variation.code_hash(fake_chapter) == before
    fake_chapter.write_text(text.replace('q["after_the_failure"] = 1', 'q["after_the_failure"] = 2'))
    assert variation.code_hash(fake_chapter) != before


EXERCISE = """
## Exercises

```{code-cell} ipython3
from seqcnn.exercises import conv1d as check

check.output_length(247)
```
"""


def test_the_exercises_do_not_count_in_the_study_s_digest(fake_chapter):
    """A new or changed exercise (and the check module only it imports) keeps the record current."""
    before = variation.code_hash(fake_chapter)
    text = fake_chapter.read_text()
    fake_chapter.write_text(text + EXERCISE)
    assert variation.code_hash(fake_chapter) == before
    fake_chapter.write_text(text + EXERCISE.replace("247", "248"))
    assert variation.code_hash(fake_chapter) == before
    # The same cell above the heading counts, with the modules it imports.
    fake_chapter.write_text(text + EXERCISE.replace("## Exercises", "## More"))
    assert variation.code_hash(fake_chapter) != before


@pytest.mark.parametrize("chapter", sorted(p.stem for p in CHAPTERS.glob("0*.md")))
def test_no_banded_number_comes_from_an_exercise(chapter):
    """What keeps the exercises out of the digest sound: none of their cells glues a study quantity."""
    import nbformat

    nb = nbformat.read(CHAPTERS / f"{chapter}.ipynb", as_version=4)
    kept = variation.before_exercises(nb)
    assert len(kept.cells) < len(nb.cells), "the chapter has no '## Exercises' heading"
    exercises = nbformat.v4.new_notebook(cells=nb.cells[len(kept.cells):])
    quantities, errors = variation.collect(exercises)
    assert quantities == {} and errors == []


def test_studies_of_two_chapters_at_once_keep_each_others_runs(tmp_path, fake_chapter):
    out = tmp_path / "bands.json"
    other = tmp_path / "08_other.md"
    other.write_text(FAKE_CHAPTER.replace("07_fake", "08_other"))
    quiet = {"log": lambda *a, **k: None, "use_committed": False}

    def other_runner(md_path, configuration, timeout):
        return variation.Run(configuration, {"x": 1.0}, [], 1.0)

    def runner(md_path, configuration, timeout):
        # While this chapter's run goes on, a study of another chapter writes the record.
        variation.study(other, [configuration], out, runner=other_runner, **quiet)
        return variation.Run(configuration, {"acc": 0.8}, [], 1.0)

    variation.study(fake_chapter, variation.plan(seeds=2, settings=["default"]), out, runner=runner, **quiet)
    record = json.loads(out.read_text())
    assert set(record["chapters"]) == {"07_fake", "08_other"}
    assert len(record["chapters"]["07_fake"]["runs"]) == 2 and len(record["chapters"]["08_other"]["runs"]) == 2


def test_the_committed_execution_is_the_run_seed_0_default(tmp_path, light_chapter):
    from booktools import notebooks

    out, calls = tmp_path / "bands.json", []

    def runner(md_path, configuration, timeout):
        calls.append(configuration.label)
        return variation.Run(configuration, {"draw": 0.5}, [], 1.0)

    assert variation.committed_run(light_chapter) is None  # no notebook yet
    notebooks.execute(light_chapter)
    committed = variation.committed_run(light_chapter)
    assert committed.configuration == variation.Configuration(0, "default")
    assert committed.quantities["seed"] == 42 and committed.errors == [] and committed.seconds > 0
    variation.study(light_chapter, variation.plan(seeds=2, settings=["default"]), out, runner=runner,
                    log=lambda *a, **k: None)
    assert calls == ["seed +1000, default"]  # seed +0 is the committed notebook
    runs = json.loads(out.read_text())["chapters"]["07_fake"]["runs"]
    assert "committed notebook" in runs[0]["note"] and "load_average" not in runs[0]
    # Once the chapter's code changes, the notebook no longer stands for it.
    code = light_chapter.read_text()
    light_chapter.write_text(code.replace("default_rng(runtime.seeded(42))", "default_rng(runtime.seeded(43))"))
    assert variation.committed_run(light_chapter) is None


def test_complete_runs_again_a_run_that_lacks_a_quantity(tmp_path, fake_chapter):
    out, calls = tmp_path / "bands.json", []

    def runner(md_path, configuration, timeout):
        calls.append(configuration.label)
        cut_short = configuration.seed_offset == 1000 and calls.count(configuration.label) == 1
        quantities = {"acc": 0.8} if cut_short else {"acc": 0.8, "gap": 0.1}
        return variation.Run(configuration, quantities, ["cell 3: AssertionError"] if cut_short else [], 1.0)

    quiet = dict(runner=runner, log=lambda *a, **k: None, use_committed=False)
    variation.study(fake_chapter, variation.plan(seeds=2, settings=["default"]), out, **quiet)
    variation.study(fake_chapter, variation.plan(seeds=2, settings=["default"]), out, **quiet)
    assert calls == ["seed +0, default", "seed +1000, default"]  # without --complete, nothing runs again
    variation.study(fake_chapter, variation.plan(seeds=2, settings=["default"]), out, complete=True, **quiet)
    assert calls[2:] == ["seed +1000, default"]
    entry = json.loads(out.read_text())["chapters"]["07_fake"]
    assert len(entry["quantities"]["gap"]["values"]) == 2 and all(not r["errors"] for r in entry["runs"])


def test_each_run_keeps_the_processor_it_ran_on():
    """A record gathered over sessions spans machines: each run names its processor, the committed run none."""
    runs = [variation.Run(variation.Configuration(0, "default"), {"acc": 0.86}, [], 10.0, cpu="Intel(R) Xeon(R)"),
            variation.Run(variation.Configuration(0, "onednn-off-threads-1"), {"acc": 0.85}, [], 30.0, cpu="AMD EPYC"),
            variation.Run(variation.Configuration(1000, "default"), {"acc": 0.87}, [], 9.0, note="committed")]
    entry = variation.merge({"chapters": {}}, "03_imdb", runs, {})["chapters"]["03_imdb"]
    assert [r.get("cpu") for r in entry["runs"]] == ["Intel(R) Xeon(R)", "AMD EPYC", None]
    assert variation.recorded_runs(entry) == runs
