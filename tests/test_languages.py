"""seqcnn.languages: verdicts as choices, labels from a catalog, figures drawn in both languages."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from seqcnn import languages, plots

matplotlib.use("Agg")

CATALOG = {
    "epoch": "轮次", "loss": "损失", "training": "训练", "validation": "验证", "seed {}": "种子 {}",
    "{} (mean {})": "{}（均值 {}）", "Jan": "1月", "{}-Jan": "{}年1月", "time": "时间",
    "Whole record: {} to {}": "整个记录：{} 至 {}", "First {} days": "前 {} 天", "temperature (°C)": "气温（°C）",
    "Feb": "2月", "Mar": "3月", "{}-Feb": "{}年2月",
}


def _write_po(folder: Path, entries: dict[str, str]) -> Path:
    path = folder / "zh_CN" / languages.LABELS
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, msgstr in entries.items():
        lines += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_translate_exact_placeholders_nested_and_missing() -> None:
    assert languages.translate("epoch", CATALOG) == "轮次"
    assert languages.translate(" epoch ", CATALOG) == " 轮次 "  # white space kept
    assert languages.translate("seed 42", CATALOG) == "种子 42"
    assert languages.translate("training (mean 9.3)", CATALOG) == "训练（均值 9.3）"
    assert languages.translate("0.25", CATALOG) == "0.25"  # no letters: nothing to translate
    assert languages.translate("accuracy", CATALOG) is None


def test_english_words_allows_code_names_units_and_symbols() -> None:
    assert languages.english_words("最佳验证 MAE（°C），Conv1D + GRU，x_1，Keras") == []
    assert languages.english_words('Conv1D(kernel_size=3, padding="same")：12 个输入步') == []
    assert languages.english_words("GRU only (DLwP §6.3)") == ["only"]
    assert languages.english_words("seqcnn is faster by") == ["is", "faster", "by"]


def test_labels_reads_the_language_catalog_and_none_without_it(tmp_path: Path) -> None:
    assert languages.labels("zh_CN", tmp_path) is None
    _write_po(tmp_path, {"epoch": "轮次"})
    assert languages.labels("zh_CN", tmp_path) == {"epoch": "轮次"}


def test_the_repository_catalog_translates_the_chapters_labels() -> None:
    catalog = languages.labels("zh_CN")
    assert catalog is not None, "locales/zh_CN/outputs.po is missing"
    for label in ["Conv1D (2020 notes), seed 42", "baseline (same as now), hourly, 10 days", "10x: NOT met"]:
        found = languages.translate(label, catalog)
        assert found and not languages.english_words(found), (label, found)


def test_glue_choice_glues_the_english_phrase_and_declares_every_choice(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata: shown.append((data, metadata)))
    choices = {True: "beats", False: "does not beat"}
    assert languages.glue_choice("verdict", False, choices) == "does not beat"
    data, metadata = shown[0]
    assert data == {"application/papermill.record/text/plain": "'does not beat'"}
    assert metadata["scrapbook"]["name"] == "verdict"
    assert metadata["seqcnn"] == {"choice": "False", "choices": ["beats", "does not beat"]}
    with pytest.raises(KeyError, match="not one of the declared choices"):
        languages.glue_choice("verdict", 3, choices)


def _png_size(data: dict) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).size


def test_show_draws_the_figure_in_both_languages(tmp_path: Path, capsys) -> None:
    if languages.cjk_font() is None:
        pytest.fail("the CJK font of mplfonts is missing: pip install -r requirements.txt")
    _write_po(tmp_path, CATALOG)
    plots.plot_history({"seed 42": {"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}}, metrics=["loss"])
    shown = []
    languages.show(locales=tmp_path, display=lambda data, raw, metadata: shown.append((data, metadata)))
    assert [m["seqcnn"]["language"] for _, m in shown] == ["en", "zh_CN"]
    (english, _), (chinese, meta) = shown
    assert _png_size(english) == _png_size(chinese)  # the same size: labels only
    assert english["image/png"] != chinese["image/png"]
    assert english["text/plain"] == chinese["text/plain"] == "<Figure size 460x300 with 1 Axes>"
    zh = meta["seqcnn"]
    assert zh["labels"] == {"seed 42": "种子 42", "training": "训练", "validation": "验证", "epoch": "轮次",
                            "loss": "损失"}
    assert zh["untranslated"] == [] and zh["problems"] == []
    assert not plt.get_fignums()  # closed
    assert capsys.readouterr().err == ""


def test_show_translates_date_ticks_and_reports_untranslated_labels(tmp_path: Path) -> None:
    _write_po(tmp_path, {k: v for k, v in CATALOG.items() if k != "First {} days"})
    times = np.datetime64("2009-01-01") + np.arange(6000) * np.timedelta64(10, "m")
    plots.plot_temperature(times, np.sin(np.arange(6000) / 144), first_days=10)
    shown = []
    languages.show(locales=tmp_path, display=lambda data, raw, metadata: shown.append(metadata))
    zh = shown[1]["seqcnn"]
    assert zh["untranslated"] == ["First 10 days"]
    assert "1月" in zh["texts"] and "Jan" not in zh["texts"], zh["texts"]


def test_show_draws_english_only_without_catalog_or_font(tmp_path: Path, monkeypatch, capsys) -> None:
    """A notebook run outside the repository (Colab, seqcnn[colab]): the English figure, no noise."""
    for locales, font in [(tmp_path / "none", "Noto Sans CJK SC"), (_write_po(tmp_path, CATALOG).parents[1], None)]:
        monkeypatch.setattr(languages, "cjk_font", lambda font=font: font)
        plt.subplots()
        shown = []
        languages.show(locales=locales, display=lambda data, raw, metadata, shown=shown: shown.append(metadata))
        assert [m["seqcnn"]["language"] for m in shown] == ["en"]
    assert capsys.readouterr().err == ""


def test_a_missing_glyph_is_reported_not_printed(tmp_path: Path, capsys) -> None:
    _write_po(tmp_path, {"epoch": "轮次"})
    fig, ax = plt.subplots()
    ax.set_xlabel("epoch")
    drawn = languages.translate_figure(fig, {"epoch": "轮次"}, "DejaVu Sans")  # no CJK glyphs
    plt.close(fig)
    assert any("missing from font" in problem for problem in drawn["problems"]), drawn["problems"]
    assert capsys.readouterr().err == ""
