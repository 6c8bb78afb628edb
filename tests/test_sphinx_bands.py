"""booktools.sphinxext.bands: the {band} role and the bands-table directive, in a tiny Sphinx project."""

import json

import nbformat
import pytest
from sphinx.application import Sphinx
from sphinx.util.console import nocolor

nocolor()

RECORD = {"format": 1, "chapters": {"03_imdb": {"quantities": {
    "fast_test": {"values": [{"value": v, "seed_offset": o, "setting": s} for v, o, s in [
        (0.8608, 0, "default"), (0.8551, 1000, "default"), (0.8688, 0, "onednn-off")]]}}}}}


def build(tmp_path, page, builder="html"):
    src = tmp_path / "src"
    (src / "chapters").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["myst_parser", "booktools.sphinxext.bands"]\n'
                                 'myst_enable_extensions = ["colon_fence"]\n')
    (src / "chapters" / "bands.json").write_text(json.dumps(RECORD))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("q['fast_test'] = 0.8608")])
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", metadata={"scrapbook": {
        "name": "q_fast_test", "mime_prefix": "application/papermill.record/"}},
        data={"application/papermill.record/text/plain": "0.8608"})]
    nbformat.write(nb, src / "chapters" / "03_imdb.ipynb")
    (src / "chapters" / "03_imdb.md").write_text("# IMDB\n\n0.8608 here ({band}`fast_test:.3f`).\n")
    (src / "index.md").write_text("# Book\n\n```{toctree}\nchapters/03_imdb\n```\n\n" + page)
    out = tmp_path / "out"
    warnings = tmp_path / "warnings.txt"
    with warnings.open("w") as stream:
        Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), builder, warning=stream,
               status=None, freshenv=True).build()
    # Each app of one process registers Sphinx's nodes again ("already registered"): not the page's warnings.
    lines = [line for line in warnings.read_text().splitlines() if "is already registered" not in line]
    return out, "\n".join(lines)


def test_the_role_quotes_the_recorded_range_of_the_pages_chapter_or_another(tmp_path):
    out, warnings = build(tmp_path, "Range {band}`03_imdb/fast_test:.2f`.\n")
    assert warnings == ""
    assert "0.855–0.869" in (out / "chapters" / "03_imdb.html").read_text()
    assert '<span class="band">0.86–0.87</span>' in (out / "index.html").read_text()


def test_a_quantity_without_band_is_a_build_warning(tmp_path):
    out, warnings = build(tmp_path, "Range {band}`03_imdb/slow_test`.\n")
    assert "has no band for 03_imdb/slow_test: run the variation study" in warnings


def test_the_table_gives_this_run_the_range_and_what_it_covers(tmp_path):
    page = "```{bands-table}\n03_imdb fast_test .4f: test accuracy, learning rate 1e-3\n```\n"
    out, warnings = build(tmp_path, page)
    assert warnings == ""
    html = (out / "index.html").read_text()
    cells = ["test accuracy, learning rate 1e-3", "0.8608", "0.8551–0.8688", "<p>2</p>", "<p>2</p>"]
    positions = [html.index(cell) for cell in cells[:4]]
    assert positions == sorted(positions) and "Measured range" in html


def test_the_tables_descriptions_and_headers_are_messages_to_translate(tmp_path):
    page = "```{bands-table}\n03_imdb fast_test .4f: test accuracy, learning rate 1e-3\n```\n"
    out, _ = build(tmp_path, page, builder="gettext")
    pot = (out / "index.pot").read_text()
    assert 'msgid "test accuracy, learning rate 1e-3"' in pot and 'msgid "Measured range"' in pot
    assert 'msgid "0.8608"' not in pot


@pytest.mark.parametrize("line", ["03_imdb fast_test: no format", "03_imdb fast_test .4f"])
def test_a_malformed_table_line_is_an_error_that_shows_the_form(tmp_path, line):
    _, warnings = build(tmp_path, f"```{{bands-table}}\n{line}\n```\n")
    assert "is not 'CHAPTER NAME FORMAT: description'" in warnings
