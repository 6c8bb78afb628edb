"""Fixtures shared by the unit tests."""

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def tiny_package(tmp_path) -> Callable[..., Path]:
    """Write a tiny package ``seqcnn`` under ``tmp_path``; returns the function that writes it.

    ``tiny_package({"mod": "X = 1\\n", "sub/leaf": "..."})`` writes ``seqcnn/mod.py`` and
    ``seqcnn/sub/leaf.py`` (with ``sub/__init__.py``, empty unless given as ``"sub/__init__"``) and
    ``seqcnn/__init__.py`` (a docstring unless given as ``"__init__"``), and returns the package's
    folder, for the tools that read a package's sources (``booktools.dependencies``,
    ``booktools.notebooks``).
    """

    def write(modules: dict[str, str]) -> Path:
        package = tmp_path / "seqcnn"
        package.mkdir()
        files = {"__init__": '"""A tiny package."""\n', **modules}
        for name, source in files.items():
            path = package / f"{name}.py"
            for parent in reversed(path.relative_to(package).parents[:-1]):
                (package / parent).mkdir(exist_ok=True)
                init = package / parent / "__init__.py"
                if not init.exists():
                    init.write_text(files.get(f"{parent.as_posix()}/__init__", ""))
            path.write_text(source)
        return package

    return write
