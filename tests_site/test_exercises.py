"""The chapters' exercises in the browser, and the teacher's build without the solutions.

Run with the rest of the site test (pytest tests_site -o addopts=""), after `jupyter-book build .`
and `python -m booktools.pdf --all`. In both editions: each chapter's exercises are numbered by
chapter, every solution is folded when the page opens and unfolds to show its code's output (the
check saying right); screenshots of chapter 1's exercises folded and unfolded land in
_build/screenshots/exercises/. The teacher's build (SEQCNN_TEACHER=1, README.md) is made here
into _build/teacher/, site and PDFs, and must hold no text of any solution of the learners' build,
while keeping every exercise and its learner's cell.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from test_pdf import EDITIONS, _as_in_pdf_text, book_pdf_name
from test_site import NOTEBOOKS

from booktools.sphinxext.exercises import TEACHER_ENV

if TYPE_CHECKING:
    from conftest import Tab

REPO = Path(__file__).resolve().parents[1]
TEACHER = REPO / "_build" / "teacher"
CHAPTERS = [page for page in NOTEBOOKS if page.startswith("chapters/")]
SHOWN = "chapters/01_conv1d"
RIGHT = {"": "Right.", "zh_CN/": "正确。"}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _chapter_number(page: str) -> int:
    return CHAPTERS.index(page) + 1


@pytest.mark.parametrize("prefix", EDITIONS, ids=lambda p: p.rstrip("/") or "root")
@pytest.mark.parametrize("page", CHAPTERS)
def test_exercises_are_numbered_by_chapter(site_dir: Path, page: str, prefix: str) -> None:
    soup = _soup(site_dir / f"{prefix}{page}.html")
    titles = [re.sub(r"\s+", " ", e.select_one(".admonition-title").get_text(" ", strip=True))
              for e in soup.select("div.exercise")]
    assert titles, f"{prefix}{page} has no exercise"
    chapter = _chapter_number(page)
    numbers = [re.search(r"(\d+)\.(\d+)", title).groups() for title in titles]
    assert numbers == [(str(chapter), str(i)) for i in range(1, len(titles) + 1)], titles
    word = "练习" if prefix else "Exercise"
    assert all(title.startswith(word) for title in titles), titles
    assert len(soup.select("div.solution")) == len(titles)


@pytest.mark.parametrize("prefix", EDITIONS, ids=lambda p: p.rstrip("/") or "root")
def test_solutions_fold_and_unfold(open_tab: Callable[..., Tab], screenshot_dir: Path, prefix: str) -> None:
    tab = open_tab()
    response = tab.page.goto(tab.url(f"{prefix}{SHOWN}.html"), wait_until="load")
    assert response is not None and response.status == 200
    page = tab.page
    solutions = page.locator("div.solution")
    count = solutions.count()
    assert count >= 4
    page.wait_for_function("document.querySelectorAll('div.solution.toggle-hidden').length > 0")
    for i in range(count):
        assert "toggle-hidden" in (solutions.nth(i).get_attribute("class") or ""), f"solution {i + 1} is open"
        assert not solutions.nth(i).locator(".cell_output").first.is_visible()
    folder = screenshot_dir / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    name = (prefix.rstrip("/") or "en") + "-" + SHOWN.replace("/", "-")
    exercises = page.locator("section#exercises")
    exercises.scroll_into_view_if_needed()
    exercises.screenshot(path=folder / f"{name}-folded.png")
    first = solutions.first
    first.locator(".admonition-title").click()
    page.wait_for_function("!document.querySelector('div.solution').classList.contains('toggle-hidden')")
    output = first.locator(".cell_output").last
    assert output.is_visible()
    assert RIGHT[prefix] in output.inner_text()
    exercises.screenshot(path=folder / f"{name}-unfolded.png")
    assert not tab.problems(), tab.problems()


def _build_teacher() -> Path:
    """The teacher's build, as README.md says: the site (both editions), then each edition's PDF."""
    env = {**os.environ, TEACHER_ENV: "1"}
    site = TEACHER / "_build" / "html"
    subprocess.run(["jupyter-book", "build", str(REPO), "-W", "-n", "--keep-going", "--path-output", str(TEACHER)],
                   check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    for prefix in EDITIONS:
        language = ["--language", prefix.rstrip("/")] if prefix else []
        subprocess.run([sys.executable, "-m", "booktools.pdf", *language, "--site", str(site / prefix),
                        "--work", str(TEACHER / "pdf" / (prefix.rstrip("/") or "en"))],
                       check=True, env=env, cwd=REPO)
    return site


@pytest.fixture(scope="module")
def teacher_site() -> Path:
    return _build_teacher()


def _solution_texts(site: Path, editions: list[str] = EDITIONS) -> list[str]:
    """Sentences and code lines of every solution in the learners' build (of ``editions``: both by default)."""
    texts = []
    for prefix in editions:
        for page in CHAPTERS:
            for solution in _soup(site / f"{prefix}{page}.html").select("div.solution"):
                for element in solution.select("p, pre"):
                    for line in element.get_text("\n").splitlines():
                        line = re.sub(r"\s+", " ", line).strip()
                        if len(line) >= 24:
                            texts.append(line)
    return list(dict.fromkeys(texts))


def _outside_solutions(site: Path, prefix: str, page: str) -> str:
    """The text of a page of the learners' build without its solutions."""
    soup = _soup(site / f"{prefix}{page}.html")
    for solution in soup.select("div.solution"):
        solution.decompose()
    # Joined with spaces and without: code is split in highlighting spans, prose in inline elements.
    return " ".join(re.sub(r"\s+", " ", soup.get_text(joint)) for joint in (" ", ""))


def _exercise_texts(site: Path, prefix: str, page: str) -> list[str]:
    return [re.sub(r"\s+", " ", e.get_text(" ", strip=True)) for e in _soup(site / f"{prefix}{page}.html").select(
        "div.exercise")]


def _probes(site: Path, editions: list[str] = EDITIONS) -> list[str]:
    """The solutions' own lines: a line that the pages also show outside the solutions (a table's header
    printed elsewhere, a line of an exercise's question) cannot tell whether a solution was left in."""
    elsewhere = " ".join(_outside_solutions(site, prefix, page) for prefix in editions for page in CHAPTERS)
    probes = [p for p in _solution_texts(site, editions) if p not in elsewhere]
    assert len(probes) > 50, "too few solution texts found in the learners' build"
    return probes


def test_the_teacher_s_build_has_no_solution(site_dir: Path, teacher_site: Path) -> None:
    probes = _probes(site_dir)
    leaks = []
    for path in sorted(teacher_site.rglob("*")):
        if path.suffix in {".html", ".js", ".txt", ".ipynb", ".md"} and path.is_file():
            text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8", errors="replace"))
            found = [p for p in probes if p in text]
            if found:
                leaks.append(f"{path.relative_to(teacher_site)}: {found[0]!r}")
    assert not leaks, "\n".join(leaks[:10])
    assert not list(teacher_site.rglob("_sources")), "the notebooks' sources (with their solutions) are published"


def test_the_teacher_s_pdf_has_no_solution(site_dir: Path, teacher_site: Path) -> None:
    from pypdf import PdfReader

    for prefix in EDITIONS:
        probes = [_as_in_pdf_text(p) for p in _probes(site_dir, [prefix])]
        pdf = teacher_site / prefix / book_pdf_name()
        text = _as_in_pdf_text(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages))
        assert ("Exercise 1.1" if not prefix else "练习 1.1") in text
        leaked = [p for p in probes if len(p) >= 24 and p in text]
        assert not leaked, f"{pdf}: {leaked[:3]}"
        # The same probes do find the solutions in the learners' PDF: the search would see a leak.
        learners = site_dir / prefix / book_pdf_name()
        text = _as_in_pdf_text(" ".join(page.extract_text() or "" for page in PdfReader(learners).pages))
        assert sum(p in text for p in probes) > len(probes) / 4, f"{learners}: the probes find too few solutions"


@pytest.mark.parametrize("prefix", EDITIONS, ids=lambda p: p.rstrip("/") or "root")
def test_the_teacher_s_build_keeps_the_exercises_and_their_checks(site_dir: Path, teacher_site: Path,
                                                                   prefix: str) -> None:
    for page in CHAPTERS:
        teacher = _soup(teacher_site / f"{prefix}{page}.html")
        assert not teacher.select("div.solution")
        assert _exercise_texts(teacher_site, prefix, page) == _exercise_texts(site_dir, prefix, page)
        assert not teacher.select("a[href*='colab'], a[href*='mybinder']"), "launch buttons open the solutions"
