"""Self-checks for the chapters' exercises: *right*, or *not yet* with a hint that keeps the answer hidden.

Each chapter has a module here, named after the chapter (``conv1d``, ``pooling``, ``imdb``, ``jena``,
``conv_gru``, ``tcn``, ``performance``), with one check per exercise that has a computable answer. A
learner's cell holds a placeholder and the check::

    from seqcnn.exercises import conv1d as check

    answer = ...  # the number of output steps
    check.output_length(answer)

A check returns a :class:`Feedback`. Run before anything is written in place of ``...`` (or with
a function whose body is still ``...``), it says what to do instead of failing. A wrong answer gets a
hint about the mistake that such an answer usually comes from, never the answer itself.

In a notebook, the feedback is shown in English and, inside the book's repository, in each
translated edition's language (``locales/<language>/outputs.po``), so that each edition of the
book shows its own; outside it (Colab, an installed ``seqcnn``) only in English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seqcnn.languages import LOCALES, METADATA_KEY, ROOT, TRANSLATED, labels, translate

__all__ = ["Feedback", "NOT_ANSWERED", "RIGHT", "NOT_YET", "right", "not_yet", "not_answered", "unanswered",
           "check_number", "check_function", "show"]

NOT_ANSWERED = "Not answered yet: write your answer in place of the three dots, then run this cell again."
"""What a check says when it is run on the placeholder."""
RIGHT = "Right. {}"
"""A right answer's feedback, with the check's remark (``{}``)."""
NOT_YET = "Not yet. {}"
"""A wrong answer's feedback, with the check's hint (``{}``)."""
RETURNS_NONE = "Your function returns None: write its body in place of the three dots, then run this cell again."
"""What a function check says of a function that still has ``...`` for its body."""
RAISES = "Your function raised {}: {}"
"""What a function check says when the function fails (the exception's name and message)."""


@dataclass(frozen=True)
class Feedback:
    """A check's verdict on an answer.

    Attributes
    ----------
    right : bool or None
        True for a right answer, False for a wrong one, None when nothing was answered yet.
    message : str
        What the learner reads, in English (:func:`show` adds the translations).

    Examples
    --------
    >>> feedback = right("The kernel spans 5 steps.")
    >>> feedback.right, feedback
    (True, Right. The kernel spans 5 steps.)
    >>> not_yet("Count the dilation.").right
    False
    """

    right: bool | None
    message: str

    def __repr__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:
        show(self)


def right(remark: str = "") -> Feedback:
    """The feedback for a right answer, with an optional ``remark`` (what the answer shows)."""
    return Feedback(True, RIGHT.format(remark).strip())


def not_yet(hint: str) -> Feedback:
    """The feedback for a wrong answer: ``hint`` says where to look, not what the answer is."""
    return Feedback(False, NOT_YET.format(hint))


def not_answered() -> Feedback:
    """The feedback for a cell run before anything was written in place of ``...``."""
    return Feedback(None, NOT_ANSWERED)


def unanswered(answer: Any) -> bool:
    """Whether ``answer`` is still the placeholder ``...`` (or None).

    >>> unanswered(...), unanswered(None), unanswered(0)
    (True, True, False)
    """
    return answer is Ellipsis or answer is None


def _as_number(answer: Any) -> float | None:
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def check_number(answer: Any, expected: float, mistakes: Iterable[tuple[float, str]] = (),
                 hint: str = "", remark: str = "", rtol: float = 1e-6, atol: float = 0.0) -> Feedback:
    """Compare a numeric ``answer`` with ``expected``; a known wrong value gets its own hint.

    Parameters
    ----------
    answer : Any
        What the learner wrote (``...`` when nothing yet).
    expected : float
        The right value.
    mistakes : iterable of (value, hint)
        Wrong values that a typical mistake gives, each with a hint about that mistake.
    hint : str
        The hint for any other wrong value.
    remark : str
        Said with a right answer.
    rtol, atol : float
        The tolerance of :func:`numpy.isclose`.

    Examples
    --------
    >>> check_number(247, 247, [(494, "Did you apply the stride?")], hint="Use the formula.")
    Right.
    >>> check_number(494, 247, [(494, "Did you apply the stride?")], hint="Use the formula.")
    Not yet. Did you apply the stride?
    >>> check_number("many", 247).right
    False
    """
    if unanswered(answer):
        return not_answered()
    value = _as_number(answer)
    if value is None:
        return not_yet(f"The answer should be a number, not {type(answer).__name__}.")
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return right(remark)
    for wrong_value, mistake in mistakes:
        if np.isclose(value, wrong_value, rtol=rtol, atol=atol):
            return not_yet(mistake)
    return not_yet(hint or "Check your computation again.")


def check_function(function: Any, cases: Sequence[tuple[tuple, dict]], reference: Callable[..., Any],
                   mistakes: Sequence[tuple[Callable[..., Any], str]] = (), hint: str = "",
                   remark: str = "", atol: float = 1e-5) -> Feedback:
    """Call ``function`` on each case and compare with ``reference``; a known wrong function gets its own hint.

    Parameters
    ----------
    function : callable
        The learner's function (its body ``...`` when nothing was written yet).
    cases : sequence of (args, kwargs)
        The calls to try.
    reference : callable
        What the right function returns for the same call.
    mistakes : sequence of (callable, hint)
        Wrong functions that a typical mistake gives: when the learner's function agrees with one of
        them on every case, that mistake's hint is given.
    hint : str
        The hint for any other wrong function.
    remark : str
        Said with a right answer.
    atol : float
        The tolerance of the comparison.

    Examples
    --------
    >>> cases = [((np.arange(5.0),), {})]
    >>> check_function(lambda x: x.max(), cases, lambda x: x.max(), [(lambda x: x.mean(), "max, not mean")])
    Right.
    >>> check_function(lambda x: x.mean(), cases, lambda x: x.max(), [(lambda x: x.mean(), "max, not mean")])
    Not yet. max, not mean
    >>> def unwritten(x):
    ...     ...
    >>> check_function(unwritten, cases, lambda x: x.max()).right is None
    True
    """
    if unanswered(function):
        return not_answered()
    if not callable(function):
        return not_yet(f"The answer should be a function, not {type(function).__name__}.")
    got = []
    for args, kwargs in cases:
        try:
            result = function(*_copies(args), **kwargs)
        except Exception as error:  # the learner's code: any failure is feedback
            return not_yet(RAISES.format(type(error).__name__, error))
        if result is None:
            return Feedback(None, RETURNS_NONE)
        got.append(result)
    expected = [reference(*_copies(args), **kwargs) for args, kwargs in cases]
    if all(_same(g, e, atol) for g, e in zip(got, expected)):
        return right(remark)
    for wrong_function, mistake in mistakes:
        try:
            wrong = [wrong_function(*_copies(args), **kwargs) for args, kwargs in cases]
        except Exception:  # a mistake that cannot run on these cases is not the learner's
            continue
        if all(_same(g, w, atol) for g, w in zip(got, wrong)):
            return not_yet(mistake)
    return not_yet(hint or "Compare your function's output with the reference on a small example.")


def _copies(args: tuple) -> tuple:
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def _same(got: Any, expected: Any, atol: float) -> bool:
    try:
        got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == expected.shape and bool(np.allclose(got, expected, atol=atol, rtol=1e-5))


def show(feedback: Feedback, languages: Iterable[str] = TRANSLATED, locales: Path = LOCALES,
         display: Callable[..., Any] | None = None) -> None:
    """Show ``feedback`` in English and in each language whose label catalog translates it.

    Each output names its language in its metadata (``{"seqcnn": {"language": ...}}``), like the
    figures of :func:`seqcnn.languages.show`, so that each edition of the book keeps its own. A
    language is skipped when its catalog is missing (outside the repository) or lacks the message.

    Examples
    --------
    >>> shown = []
    >>> show(right(), languages=("xx",), display=lambda data, raw, metadata: shown.append((data, metadata)))
    >>> shown
    [({'text/plain': 'Right.'}, {'seqcnn': {'language': 'en', 'feedback': True}})]
    """
    if display is None:
        from IPython.display import display

    def emit(language: str, text: str) -> None:
        display({"text/plain": text}, raw=True, metadata={METADATA_KEY: {"language": language, "feedback": True}})

    emit(ROOT, feedback.message)
    for language in languages:
        catalog = labels(language, locales)
        translated = translate(feedback.message, catalog) if catalog is not None else None
        if translated is not None:
            emit(language, translated)
