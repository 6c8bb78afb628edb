"""The repository's layout: seqcnn is the library readers install, booktools the book's own tooling."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What the chapters import to teach (issue 15): seqcnn holds these modules and nothing else.
LIBRARY = ["backends", "bands", "benchmark", "causal", "data", "exercises", "filters", "flops", "imdb", "jena", "jena_csv", "languages", "models", "ops", "plots", "runtime", "training"]


def _imported_packages(path: Path) -> set[str]:
    """The top-level package of everything the module at ``path`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_import_scan_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from booktools.notebooks import check\n")
    assert _imported_packages(module) == {"os", "booktools"}


@pytest.mark.parametrize("module", sorted((ROOT / "seqcnn").rglob("*.py")), ids=lambda p: p.name)
def test_seqcnn_imports_nothing_from_booktools(module):
    assert "booktools" not in _imported_packages(module), (
        f"{module.relative_to(ROOT)} imports booktools: the library readers install must not depend on the "
        "book's tooling (expose a hook in seqcnn and let booktools call it)."
    )


def test_seqcnn_holds_the_library_modules_and_its_docstring_lists_them():
    import seqcnn

    modules = sorted([p.stem for p in (ROOT / "seqcnn").glob("*.py") if p.stem != "__init__"]
                     + [p.parent.name for p in (ROOT / "seqcnn").glob("*/__init__.py")])
    assert modules == LIBRARY
    listed = sorted(line.strip() for line in seqcnn.__doc__.split("-------\n", 1)[1].splitlines()
                    if line.strip() and not line.startswith(" "))
    assert listed == LIBRARY


def test_booktools_docstring_lists_its_modules():
    import booktools

    modules = sorted([p.stem for p in (ROOT / "booktools").glob("*.py") if p.stem != "__init__"] + ["sphinxext"])
    listed = sorted(line.strip() for line in booktools.__doc__.split("-------\n", 1)[1].splitlines()
                    if line.strip() and not line.startswith(" "))
    assert listed == modules


def test_the_wheel_holds_seqcnn_only(tmp_path):
    """`pip install .` gives readers the library, not the book's tooling (built from a copy: no build/ left here)."""
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("seqcnn", "booktools", "tests"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "dist"), str(source)], check=True)
    (wheel,) = (tmp_path / "dist").glob("seqcnn-*.whl")
    packages = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist() if not name.startswith("seqcnn-")}
    assert packages == {"seqcnn"}
    names = [Path(name) for name in zipfile.ZipFile(wheel).namelist() if name.startswith("seqcnn/")]
    modules = sorted({name.stem if len(name.parts) == 2 else name.parts[1] for name in names})
    assert modules == sorted(["__init__", *LIBRARY])
    # The chapters' checks, which Colab and Binder readers import: every module of the subpackage.
    checks = sorted(p.name for p in (ROOT / "seqcnn" / "exercises").glob("*.py"))
    assert sorted(name.name for name in names if name.parts[1] == "exercises") == checks


def test_no_old_tooling_folders_and_the_config_loads_booktools_extensions():
    import yaml

    assert not (ROOT / "tools").exists() and not (ROOT / "_ext").exists()
    extensions = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["local_extensions"]
    shipped = sorted(p.stem for p in (ROOT / "booktools" / "sphinxext").glob("*.py") if p.stem != "__init__")
    assert sorted(extensions) == [f"booktools.sphinxext.{name}" for name in shipped]
