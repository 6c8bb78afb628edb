"""README.zh_CN.md keeps up with README.md.

The Chinese README translates the English one (which is for readers; maintainers read
CONTRIBUTING.md). It shows the same commands as README.md, byte for byte, no more and no fewer, and
the sections it translates must still exist.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TRANSLATED_HEADINGS = (
    "## Build the book",
    "## Run the tests",
    "## Launch on Binder or Colab",
    "## Exercises, and a build for teachers",
    "## Data",
    "## Requirements",
)

_FENCED_BLOCK = re.compile(r"^```[^\n]*\n.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)


def fenced_blocks(text: str) -> list[str]:
    """Return the fenced code blocks of Markdown text, fences included.

    Parameters
    ----------
    text : str
        Markdown text.

    Returns
    -------
    list of str
        Each block from its opening to its closing fence.

    Examples
    --------
    >>> fenced_blocks("a\\n```bash\\npytest\\n```\\nb")
    ['```bash\\npytest\\n```']
    """
    return _FENCED_BLOCK.findall(text)


def readme_problems(english: str, chinese: str) -> list[str]:
    """Say where a Chinese README has fallen behind the English one.

    Parameters
    ----------
    english, chinese : str
        The text of README.md and of README.zh_CN.md.

    Returns
    -------
    list of str
        One message per problem: a code block of the Chinese README that is not verbatim in the
        English one, a code block of the English README that the Chinese one lacks, a translated
        heading missing from the English one, or no code block at all. Empty when the two agree.

    Examples
    --------
    >>> readme_problems("## Data\\n", "no code")[0]
    'README.zh_CN.md has no fenced code block'
    """
    problems = []
    blocks = fenced_blocks(chinese)
    if not blocks:
        problems.append("README.zh_CN.md has no fenced code block")
    for block in blocks:
        if block not in english:
            problems.append(
                "this code block of README.zh_CN.md is not in README.md; copy the current "
                f"command from README.md:\n{block}"
            )
    for block in fenced_blocks(english):
        if block not in chinese:
            problems.append(f"README.zh_CN.md lacks this code block of README.md; translate its section:\n{block}")
    english_lines = set(english.splitlines())
    for heading in TRANSLATED_HEADINGS:
        if heading not in english_lines:
            problems.append(
                f"README.md has no heading {heading!r}, which README.zh_CN.md translates; "
                "update README.zh_CN.md and TRANSLATED_HEADINGS in tests/test_readme_zh.py"
            )
    return problems


def test_chinese_readme_keeps_up_with_english() -> None:
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    chinese = (ROOT / "README.zh_CN.md").read_text(encoding="utf-8")
    assert readme_problems(english, chinese) == []


def test_check_finds_a_changed_command_and_a_missing_heading() -> None:
    english = "# Title\n\n## Build the book\n\n```bash\njupyter-book build . -W\n```\n"
    chinese = "# 标题\n\n## 构建本书\n\n```bash\njupyter-book build .\n```\n"
    problems = readme_problems(english, chinese)
    assert any("```bash\njupyter-book build .\n```" in p for p in problems)
    for heading in TRANSLATED_HEADINGS[1:]:
        assert any(repr(heading) in p for p in problems)
    assert not any(repr("## Build the book") in p for p in problems)
    assert any("lacks this code block" in p and "jupyter-book build . -W" in p for p in problems)


def test_check_finds_a_command_the_chinese_readme_lacks() -> None:
    english = "## Build the book\n\n```bash\njupyter-book build .\n```\n\n## Run the tests\n\n```bash\npytest\n```\n"
    chinese = "## 构建本书\n\n```bash\njupyter-book build .\n```\n"
    (problem,) = [p for p in readme_problems(english, chinese) if "code block" in p]
    assert "lacks this code block" in problem and "pytest" in problem
