"""seqcnn.exercises (the self-checks' framework) and chapters 1-2's checks: each accepts the solution, says
what to do before anything is written, and rejects two likely wrong answers with a hint that keeps the answer."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from booktools.thresholds import string_pattern
from seqcnn import exercises, languages
from seqcnn.exercises import conv1d, pooling


def _hidden(feedback, *answers):
    """The feedback is a rejection and names none of the right answers."""
    assert feedback.right is False, feedback
    for answer in answers:
        assert str(answer) not in feedback.message, feedback


def test_feedback_reads_as_its_message_and_says_right_or_not_yet():
    assert repr(exercises.right("Well spotted.")) == "Right. Well spotted."
    assert repr(exercises.right()) == "Right."
    assert exercises.not_yet("Look again.").message == "Not yet. Look again."
    assert exercises.not_answered().right is None


def test_check_number_names_a_known_mistake_and_otherwise_gives_the_general_hint():
    mistakes = [(494, "the stride")]
    assert exercises.check_number(247.0, 247, mistakes).right is True
    assert exercises.check_number(494, 247, mistakes).message == "Not yet. the stride"
    assert exercises.check_number(3, 247, mistakes, hint="count again").message == "Not yet. count again"
    assert exercises.check_number(..., 247).right is None
    assert exercises.check_number(float("nan"), 247).right is False
    assert "number" in exercises.check_number([1, 2], 247).message


def test_check_function_reports_what_the_learner_s_function_did():
    cases = [((np.arange(4.0),), {})]

    def unwritten(x):
        ...

    def broken(x):
        raise IndexError("index 9 is out of bounds")

    assert exercises.check_function(unwritten, cases, np.max).right is None
    feedback = exercises.check_function(broken, cases, np.max)
    assert feedback.right is False and "IndexError: index 9 is out of bounds" in feedback.message
    assert exercises.check_function(42, cases, np.max).right is False
    assert exercises.check_function(lambda x: [x.max()], cases, np.max).right is False  # wrong shape
    # The learner's function gets copies: changing its input does not change what the reference sees.
    assert exercises.check_function(lambda x: x.sort() or x[-1], cases, lambda x: x[-1]).right is True


def test_show_gives_each_language_its_own_output(tmp_path):
    (tmp_path / "zh_CN").mkdir()
    (tmp_path / "zh_CN" / "outputs.po").write_text(
        'msgid "Right. {}"\nmsgstr "正确。{}"\n\nmsgid "Well spotted."\nmsgstr "看得准。"\n', encoding="utf-8")
    shown = []
    exercises.show(exercises.right("Well spotted."), locales=tmp_path,
                   display=lambda data, raw, metadata: shown.append((metadata["seqcnn"]["language"], data["text/plain"])))
    assert shown == [("en", "Right. Well spotted."), ("zh_CN", "正确。看得准。")]
    shown.clear()
    exercises.show(exercises.not_yet("Look again."), locales=tmp_path / "none",
                   display=lambda data, raw, metadata: shown.append(metadata["seqcnn"]["language"]))
    assert shown == ["en"]  # outside the repository: English only


def test_chapter_1_output_length():
    assert conv1d.output_length(247).right is True
    assert conv1d.output_length(...).right is None
    _hidden(conv1d.output_length(494), 247)  # forgot the stride
    _hidden(conv1d.output_length(250), 247)  # divided by the stride
    assert "stride of 1" in conv1d.output_length(494).message


def test_chapter_1_causal_taps():
    assert conv1d.causal_taps([10, 6, 8]).right is True
    assert conv1d.causal_taps(...).right is None
    _hidden(conv1d.causal_taps([8, 9, 10]), 6)  # ignored the dilation
    _hidden(conv1d.causal_taps([10, 12, 14]), 6)  # looked ahead
    assert "after the output step" in conv1d.causal_taps([10, 12, 14]).message
    assert conv1d.causal_taps("six").right is False


def test_chapter_1_step_detector():
    sequences = conv1d._chapter_sequences()
    assert conv1d.step_detector([-1.0] * 12 + [1.0] * 12, sequences).right is True
    assert conv1d.step_detector(..., sequences).right is None
    bump = np.array([0.0, 1, 2, 3, 2, 1, 0])
    _hidden(conv1d.step_detector(bump - bump.mean(), sequences))  # the chapter's bump detector
    _hidden(conv1d.step_detector([-1, -1, -1, 1, 1, 1], sequences))  # shorter than the bump
    assert "flat stretches" in conv1d.step_detector([1, 1, 1, 1], sequences).message
    assert "flip its sign" in conv1d.step_detector([1.0] * 12 + [-1.0] * 12, sequences).message


def _numpy_conv(x, kernel, strides=1, dilation_rate=1):
    span = dilation_rate * (len(kernel) - 1) + 1
    return np.array([x[s:s + span:dilation_rate] @ kernel for s in range(0, len(x) - span + 1, strides)])


def test_chapter_1_conv1d_function():
    assert conv1d.conv1d_function(_numpy_conv).right is True

    def flipped(x, kernel, strides=1, dilation_rate=1):
        return _numpy_conv(x, kernel[::-1], strides, dilation_rate)

    def no_dilation(x, kernel, strides=1, dilation_rate=1):
        return _numpy_conv(x, kernel, strides, 1)

    assert "reversed" in conv1d.conv1d_function(flipped).message
    assert "without dilation" in conv1d.conv1d_function(no_dilation).message


def test_chapter_2_pool_length():
    assert pooling.pool_length(249).right is True
    _hidden(pooling.pool_length(125), 249)  # the default stride
    assert "default" in pooling.pool_length(125).message
    _hidden(pooling.pool_length(250), 249)  # divided by the stride
    assert pooling.pool_length(...).right is None


def test_chapter_2_field_without_pooling():
    assert pooling.field_without_pooling(13, 228).right is True
    assert pooling.field_without_pooling(..., 228).right is None
    _hidden(pooling.field_without_pooling(15, 240), 13, 228)  # k per layer, and no shortening
    _hidden(pooling.field_without_pooling(13, 240), 228)  # valid padding does not shorten?
    assert "valid" in pooling.field_without_pooling(13, 240).message


def test_chapter_2_dilations():
    assert pooling.dilations([1, 5, 9], 61).right is True
    assert pooling.dilations([3, 3, 9], 61).right is True  # any rates adding up to 15
    _hidden(pooling.dilations([1, 3, 9], 61), 15)  # the pooled stack's jumps
    _hidden(pooling.dilations([1, 1, 1], 61), 15)
    assert "too short" in pooling.dilations([1, 1, 1], 61).message
    assert pooling.dilations([1, 2], 61).right is False


@pytest.mark.parametrize("wrong, hint", [(lambda x: x.max(axis=2), "channels"), (lambda x: x.mean(axis=1), "averages")])
def test_chapter_2_global_max_pool_function(wrong, hint):
    assert pooling.global_max_pool_function(lambda x: np.max(x, axis=1)).right is True
    feedback = pooling.global_max_pool_function(wrong)
    assert feedback.right is False and hint in feedback.message


EXERCISES = Path(exercises.__file__).parent
FEEDBACK_CALLS = {"not_yet", "right", "check_number", "check_function", "Feedback"}


def feedback_messages(path: Path) -> list[str]:
    """Every text a check of ``path`` can say: the strings given to the feedback functions (an f-string's
    values as ``{}``, as the label catalog writes them) and the module's message constants."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def text(node: ast.AST) -> str | None:
        return string_pattern(node, field="{}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in FEEDBACK_CALLS:
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                for inner in ast.walk(argument):
                    value = text(inner)
                    if value and re.search(r"[A-Za-z]{2}", value) and " " in value.strip():
                        found.append(value)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "").isupper() for t in node.targets):
            value = text(node.value)
            if value and " " in value:
                found.append(value)
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("module", sorted(p.name for p in EXERCISES.glob("*.py")))
def test_every_feedback_has_its_chinese_words(module):
    """A learner in the repository, and the Chinese edition, read each check's words in Chinese."""
    catalog = languages.labels("zh_CN")
    assert catalog is not None
    messages = feedback_messages(EXERCISES / module)
    assert messages
    missing = [m for m in messages if m.strip() not in catalog]
    assert not missing, f"add to locales/zh_CN/outputs.po: {missing[:5]}"
    untranslated = [m for m in messages if languages.english_words(languages.translate(m, catalog) or m)]
    assert not untranslated, untranslated[:5]


def test_the_checks_are_installed_with_seqcnn():
    """Colab and Binder install seqcnn from pyproject.toml: its package list must take the checks along."""
    import tomllib

    from setuptools import find_packages

    config = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    found = find_packages(str(Path(__file__).resolve().parents[1]), **config["tool"]["setuptools"]["packages"]["find"])
    assert "seqcnn.exercises" in found
