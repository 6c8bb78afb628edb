"""Outputs that each edition of the book words in its own language, from one execution.

The book has an English and a Simplified Chinese edition built from the same executed notebooks.
What a chapter shows is written once, by the run; the words around it are the edition's:

- a **verdict** of the run ("beats" or "does not beat", how many seeds...) is glued with
  :func:`glue_choice`: a value from a fixed set of English phrases declared in the chapter. The
  glued text is the English phrase; the set travels with it (output metadata), so that the
  Chinese catalog of the page translates every phrase of the set, not just this run's;
- a **figure** is shown with :func:`show`, which draws it once in English and once with every
  label translated by the label catalog ``locales/<language>/outputs.po`` (the same catalog
  translates the labels of output tables when the Chinese edition is built); each image output
  names its language in its metadata, and each edition keeps its own.

Without the catalog or the CJK font (a notebook run outside the repository, on Colab), only the
English figure is shown, and nothing is printed.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import io
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = "en"
"""The language the chapters are written in."""
TRANSLATED = ("zh_CN",)
"""The languages that :func:`show` draws besides the English."""
METADATA_KEY = "seqcnn"
"""The key of an output's metadata under which this module says what the output is."""
LOCALES = Path(__file__).resolve().parents[1] / "locales"
"""The catalogs of the repository (absent when seqcnn is installed without its repository)."""
LABELS = "outputs.po"
"""The label catalog of a language: ``locales/<language>/outputs.po``."""
CJK_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
"""The CJK font (package, file in it) that the Chinese figures are drawn with."""
PLACEHOLDER = "{}"
"""In a label catalog, stands for any text (a number, a name) that is kept or translated itself."""

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_#+'-]*")
ALLOWED_WORDS = frozenset({
    "Conv1D", "MaxPooling1D", "GlobalMaxPooling1D", "GRU", "LSTM", "Dense", "Embedding", "MAE", "Keras",
    "TensorFlow", "numpy", "pandas", "seqcnn", "DLwP", "IMDB", "Jena", "Python", "CPU", "degC", "ms",
})
"""Words that an edition in another language shows as they are: names of code, models, data sets
and units (with acronyms, words holding a digit or ``_``, and single letters)."""
MATH = re.compile(r"\$[^$]*\$")
CODE = re.compile(r"\b[A-Za-z_]\w*\([^()]*\)")
"""A call, ``Conv1D(kernel_size=3, padding="same")``: code, shown as it is."""


def english_words(text: str) -> list[str]:
    """The English words of ``text`` that another edition may not show (see ``ALLOWED_WORDS``).

    Examples
    --------
    >>> english_words("最佳验证 MAE（°C），Conv1D + GRU，种子 42")
    []
    >>> english_words("Conv1D (2020 notes), seed 42")
    ['notes', 'seed']
    >>> english_words(r"$\\mathdefault{10^{2}}$ 步, x_1, T (degC)")
    []
    >>> english_words('Conv1D(kernel_size=3, padding="same")：12 个输入步')
    []
    """
    words = WORD.findall(CODE.sub(" ", MATH.sub(" ", text)))
    return [
        word for word in words
        if not (len(word) == 1 or word in ALLOWED_WORDS or word.isupper()
                or any(c.isdigit() or c == "_" for c in word))
    ]


__all__ = ["english_words", "glue_choice", "read_catalog", "labels", "translate", "cjk_font", "figure_png", "show"]


def glue_choice(name: str, value: Any, choices: Mapping[Any, str], display: bool = False) -> str:
    """Glue a verdict of the run: ``value`` is one of the keys of ``choices``, worded in English.

    The glued text is the English phrase (``{glue:text}`name``` shows it); the output's metadata
    holds the key and every phrase of ``choices``, so that each edition words the value in its
    language (the Chinese edition from the page's catalog, which must translate every phrase).

    Parameters
    ----------
    name : str
        The glue name.
    value : hashable
        The run's verdict, a key of ``choices`` (a bool, a count, a short code).
    choices : mapping
        Every possible value and its English phrase: the one place the set is declared.
    display : bool, default False
        Also show the phrase as the cell's output.

    Returns
    -------
    str
        The English phrase glued.

    Raises
    ------
    KeyError
        When ``value`` is not one of ``choices``.

    Examples
    --------
    In a notebook the glued bundle is a hidden output; outside one, IPython may
    print it (before any other glue) or not (after one), so it is kept out of sight:

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     phrase = glue_choice("verdict", 3 < 2, {True: "beats", False: "does not beat"})
    >>> phrase
    'does not beat'
    >>> glue_choice("verdict", 5, {True: "beats", False: "does not beat"})
    Traceback (most recent call last):
    KeyError: "glue_choice('verdict'): 5 is not one of the declared choices [True, False]"
    """
    if value not in choices:
        raise KeyError(f"glue_choice({name!r}): {value!r} is not one of the declared choices {list(choices)}")
    from IPython.display import display as ipy_display
    from myst_nb.ext.glue import GLUE_PREFIX

    phrase = choices[value]
    prefix = "" if display else GLUE_PREFIX
    ipy_display(
        {prefix + "text/plain": repr(phrase)},
        raw=True,
        metadata={
            "scrapbook": {"name": name, "mime_prefix": prefix},
            METADATA_KEY: {"choice": str(value), "choices": [choices[key] for key in choices]},
        },
    )
    return phrase


def read_catalog(path: Path) -> dict[str, str]:
    """The translated, not fuzzy messages of a gettext catalog: English -> translation.

    Examples
    --------
    >>> import tempfile
    >>> po = Path(tempfile.mkdtemp()) / "outputs.po"
    >>> _ = po.write_text('msgid "epoch"\\nmsgstr "轮次"\\n\\n#, fuzzy\\nmsgid "loss"\\nmsgstr "损"\\n',
    ...                   encoding="utf-8")
    >>> read_catalog(po)
    {'epoch': '轮次'}
    """
    from babel.messages.pofile import read_po

    with Path(path).open("rb") as file:
        catalog = read_po(file)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def labels(language: str, locales: Path = LOCALES) -> dict[str, str] | None:
    """The label catalog of ``language`` (``None`` when there is none, e.g. outside the repository).

    Examples
    --------
    >>> labels("xx", Path("/nonexistent")) is None
    True
    """
    path = Path(locales) / language / LABELS
    if not path.is_file():
        return None
    return _cached_catalog(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _cached_catalog(path: str, mtime: int) -> dict[str, str]:
    return read_catalog(Path(path))


@functools.lru_cache(maxsize=256)
def _pattern(msgid: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in msgid.split(PLACEHOLDER)]
    return re.compile("(.+?)".join(parts).join(["^", "$"]), re.DOTALL)


def translate(text: str, catalog: Mapping[str, str]) -> str | None:
    """``text`` in the catalog's language, or ``None`` when the catalog has no message for it.

    A message may hold ``{}`` placeholders, each standing for any text; the text it stands for is
    translated in turn when the catalog has it, and kept otherwise (numbers, names). Surrounding
    white space is kept. Text without letters needs no translation and comes back as it is.

    Examples
    --------
    >>> catalog = {"epoch": "轮次", "seed {}": "种子 {}", "{} (mean {})": "{}（均值 {}）",
    ...            "train": "训练"}
    >>> translate("epoch", catalog), translate("seed 42", catalog), translate("2.5", catalog)
    ('轮次', '种子 42', '2.5')
    >>> translate("train (mean 9.3)", catalog)
    '训练（均值 9.3）'
    >>> translate("loss", catalog) is None
    True
    """
    stripped = text.strip()
    if not re.search(r"[^\W\d_]", stripped):
        return text
    found = catalog.get(stripped)
    if found is None:
        for msgid, msgstr in catalog.items():
            if PLACEHOLDER not in msgid or msgstr.count(PLACEHOLDER) != msgid.count(PLACEHOLDER):
                continue
            match = _pattern(msgid).match(stripped)
            if match:
                pieces = iter(translate(group, catalog) or group for group in match.groups())
                found = re.sub(re.escape(PLACEHOLDER), lambda _: next(pieces), msgstr)  # noqa: B023 (called here)
                break
    if found is None:
        return None
    start = text.index(stripped[:1]) if stripped else 0
    return text[:start] + found + text[start + len(stripped):]


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Register the CJK font of ``mplfonts`` with matplotlib; its family name, or ``None``.

    The package is found without importing it; without it (a notebook run with ``seqcnn[colab]``)
    this returns ``None`` and the figures are drawn in English only.

    Examples
    --------
    >>> cjk_font() in (None, "Noto Sans CJK SC")
    True
    """
    spec = importlib.util.find_spec(CJK_FONT[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / CJK_FONT[1]
    if not path.is_file():
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _formatter(inner: Any, words: Callable[[str], str]) -> Any:
    """A tick formatter that translates what ``inner`` writes (e.g. month names)."""
    from matplotlib.ticker import Formatter

    class Translated(Formatter):
        def set_axis(self, axis: Any) -> None:
            self.axis = axis
            inner.set_axis(axis)

        def set_locs(self, locs: Any) -> None:
            inner.set_locs(locs)

        def __call__(self, x: float, pos: int | None = None) -> str:
            return words(inner(x, pos))

        def format_ticks(self, values: Any) -> list[str]:
            return [words(text) for text in inner.format_ticks(values)]

        def get_offset(self) -> str:
            return words(inner.get_offset())

        def format_data_short(self, value: float) -> str:
            return inner.format_data_short(value)

    return Translated()


def figure_png(fig: Any) -> bytes:
    """The figure as PNG bytes, at its own size and resolution (the same for every language)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, facecolor="white")
    return buffer.getvalue()


def _texts(fig: Any) -> Iterable[Any]:
    from matplotlib.text import Text

    return [text for text in fig.findobj(Text) if text.get_visible() and text.get_text().strip()]


def translate_figure(fig: Any, catalog: Mapping[str, str], font: str) -> dict[str, Any]:
    """Translate every label of ``fig`` in place (titles, legends, axis and tick labels,
    annotations) and draw it with ``font``; returns what was drawn, for the output's metadata:
    ``labels`` (English -> translation), ``untranslated`` (text with letters the catalog lacks)
    and ``problems`` (warnings of the drawing, such as a missing glyph).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_xlabel("epoch"), ax.set_title("seed 42")
    >>> drawn = translate_figure(fig, {"epoch": "轮次", "seed {}": "种子 {}"}, "DejaVu Sans")
    >>> ax.get_xlabel(), ax.get_title(), drawn["labels"]
    ('轮次', '种子 42', {'epoch': '轮次', 'seed 42': '种子 42'})
    >>> plt.close(fig)
    """
    import matplotlib

    used: dict[str, str] = {}
    untranslated: list[str] = []

    def words(text: str) -> str:
        found = translate(text, catalog)
        if found is None:
            if english_words(text) and text not in untranslated:
                untranslated.append(text)
            return text
        if found != text:
            used[text] = found
        return found

    families = [font, "DejaVu Sans"]
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": families}
    ):
        warnings.simplefilter("always")
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_formatter(_formatter(axis.get_major_formatter(), words))
                axis.set_minor_formatter(_formatter(axis.get_minor_formatter(), words))
        fig.canvas.draw()  # creates the tick labels
        for text in _texts(fig):
            if not getattr(text, "_seqcnn_translated", False):
                text.set_text(words(text.get_text()))
                text._seqcnn_translated = True
            text.set_fontfamily(families)
        fig.canvas.draw()
        drawn = [text.get_text() for text in _texts(fig)]
    problems = sorted({str(warning.message) for warning in caught})
    untranslated = [text for text in untranslated if text in drawn or any(text in d for d in drawn)]
    return {"labels": used, "untranslated": untranslated, "problems": problems, "texts": drawn}


def show(
    fig: Any = None,
    languages: Iterable[str] = TRANSLATED,
    locales: Path = LOCALES,
    display: Callable[..., Any] | None = None,
) -> None:
    """Show ``fig`` (the current figure by default) in English and in each language it can.

    Each image output carries ``{"seqcnn": {"language": ...}}`` in its metadata; a translated one
    also what :func:`translate_figure` found. A language is skipped, silently, when its label
    catalog or the CJK font is missing. The figure is closed afterwards. ``display`` receives
    each output (``IPython.display.display`` by default).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> _ = ax.set_xlabel("epoch")
    >>> shown = []
    >>> show(fig, display=lambda data, raw, metadata: shown.append((data["text/plain"], metadata)))
    >>> shown[0]
    ('<Figure size 300x200 with 1 Axes>', {'seqcnn': {'language': 'en'}})
    >>> [metadata["seqcnn"]["language"] for _, metadata in shown][1:] in ([], ["zh_CN"])
    True
    """
    import matplotlib.pyplot as plt

    if display is None:
        from IPython.display import display
    fig = fig if fig is not None else plt.gcf()

    def emit(language: str, extra: dict[str, Any] | None = None) -> None:
        png = base64.b64encode(figure_png(fig)).decode("ascii")
        display(
            {"image/png": png, "text/plain": repr(fig)},
            raw=True,
            metadata={METADATA_KEY: {"language": language, **(extra or {})}},
        )

    try:
        emit(ROOT)
        for language in languages:
            catalog, font = labels(language, locales), cjk_font()
            if catalog is not None and font is not None:
                emit(language, translate_figure(fig, catalog, font))
    finally:
        plt.close(fig)
