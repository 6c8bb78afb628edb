"""seqcnn.bands.record_with and recorded_run: one chapter reads another chapter's recorded runs."""

import json

import pytest

from seqcnn import bands


def _record(chapter="05_conv_gru"):
    return {"format": 1, "chapters": {chapter: {"quantities": {
        "gru_val": {"values": [{"value": 2.67, "seed_offset": 0, "setting": "default"},
                               {"value": 2.70, "seed_offset": 0, "setting": "onednn-off"},
                               {"value": 2.75, "seed_offset": 1000, "setting": "default"}]},
        "gru_test": {"values": [{"value": 2.61, "seed_offset": 0, "setting": "default"}]}}}}}


def test_the_committed_run_is_seed_offset_0_on_the_default_setting(tmp_path):
    path = tmp_path / "bands.json"
    path.write_text(json.dumps(_record()))
    assert bands.recorded_run("05_conv_gru", path) == {"gru_val": 2.67, "gru_test": 2.61}
    assert bands.recorded_run("05_conv_gru", path, setting="onednn-off") == {"gru_val": 2.70}
    with pytest.raises(ValueError, match="no run of 05_conv_gru with seed offset 2000"):
        bands.recorded_run("05_conv_gru", path, seed_offset=2000)


def test_a_record_without_the_chapter_is_read_from_the_url(tmp_path):
    local, book = tmp_path / "local.json", tmp_path / "book.json"
    local.write_text(json.dumps(_record("03_imdb")))
    book.write_text(json.dumps(_record()))
    record = bands.record_with("05_conv_gru", local, url=book.as_uri())
    assert bands.recorded_run("05_conv_gru", record)["gru_val"] == 2.67
    assert bands.band("05_conv_gru", "gru_val", record).max == 2.75
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.json", "local.json"]  # nothing written
    # The local record is read first: the URL is not even opened when it holds the chapter.
    assert bands.record_with("03_imdb", local, url=(tmp_path / "absent.json").as_uri())["chapters"].keys() == {"03_imdb"}


def test_missing_chapters_say_where_they_looked_and_what_to_do(tmp_path):
    local = tmp_path / "local.json"
    local.write_text(json.dumps(_record("03_imdb")))
    with pytest.raises(ValueError, match=r"local\.json holds no study of 05_conv_gru: execute that chapter"):
        bands.record_with("05_conv_gru", local)
    with pytest.raises(ValueError, match="could not be read"):
        bands.record_with("05_conv_gru", local, url=(tmp_path / "absent.json").as_uri())
    other = tmp_path / "other.json"
    other.write_text(json.dumps(_record("04_jena_convnet")))
    with pytest.raises(ValueError, match=r"local\.json \(nor file:.*other\.json\) holds no study of 05_conv_gru"):
        bands.record_with("05_conv_gru", local, url=other.as_uri())


def test_chapter_6_shows_chapter_5_as_its_record_now_holds_it():
    """Chapter 6 quotes chapter 5's committed run and study from the record when it executes: after a new study or
    execution of chapter 5, execute chapter 6 again (python -m booktools.notebooks chapters/06_tcn.md)."""
    from pathlib import Path

    import nbformat

    chapters = Path(__file__).resolve().parents[1] / "chapters"
    record = bands.load(chapters / bands.RECORD_NAME)
    glued = {}
    for cell in nbformat.read(chapters / "06_tcn.ipynb", as_version=4).cells:
        for output in cell.get("outputs", []):
            name = (output.get("metadata") or {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            plain = data.get("text/plain", data.get("application/papermill.record/text/plain"))
            if name and plain is not None:
                glued[name] = plain.strip("'\"")
    run = bands.recorded_run("05_conv_gru", record)
    stale = "chapter 6 was executed against another record of chapter 5: execute chapters/06_tcn.md again"
    assert glued["gru5_val"] == f"{run['gru_val']:.2f}", stale
    assert glued["gru5_test"] == f"{run['gru_test']:.2f}", stale
    assert glued["gru5_band"] == bands.band("05_conv_gru", "gru_val", record).text(".2f"), stale
