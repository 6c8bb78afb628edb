"""Which seqcnn modules a chapter's code runs, found from the source."""

import ast

import pytest

from booktools import dependencies
from booktools.notebooks import PACKAGE_DIR


def test_imports_anywhere_count(tiny_package):
    package = tiny_package({
        "top": "import seqcnn.inner\n",
        "inner": "def f():\n    if True:\n        from seqcnn import deep\n",
        "deep": "class C:\n    def m(self):\n        import seqcnn.sub.leaf as leaf\n",
        "unused": "X = 1\n",
        "sub/__init__": "from . import leaf\n",
        "sub/leaf": "from ..unused import X\n",
    })
    found = dependencies.chapter_modules(["import seqcnn.top"], package)
    names = sorted(p.relative_to(package).as_posix() for p in found)
    assert names == ["__init__.py", "deep.py", "inner.py", "sub/__init__.py", "sub/leaf.py", "top.py", "unused.py"]


def test_names_that_are_not_modules_count_as_the_package(tiny_package):
    package = tiny_package({"ops": "def conv(): pass\n"})
    found = dependencies.chapter_modules(["from seqcnn import __version__\nfrom seqcnn.ops import conv"], package)
    assert sorted(p.name for p in found) == ["__init__.py", "ops.py"]


def test_star_and_plain_package_imports(tiny_package):
    package = tiny_package({"ops": ""})
    assert [p.name for p in dependencies.chapter_modules(["import seqcnn"], package)] == ["__init__.py"]
    assert [p.name for p in dependencies.chapter_modules(["from seqcnn import *"], package)] == ["__init__.py"]


def test_other_packages_and_magics_are_ignored():
    cells = ["%pip install seqcnn\n!ls\nimport numpy as np\nimport seqcnnx", "from os import path"]
    assert dependencies.chapter_modules(cells, PACKAGE_DIR) == []


def test_relative_imports_resolve_against_the_module():
    tree = ast.parse("from . import ops\nfrom .. import other\n")
    assert dependencies.imported_names(tree, module="seqcnn.plots") == {"seqcnn.ops"}
    tree = ast.parse("from . import leaf")
    assert dependencies.imported_names(tree, module="seqcnn.sub.__init__") == {"seqcnn.sub.leaf"}


def test_the_book_modules():
    found = dependencies.chapter_modules(["from seqcnn import jena"], PACKAGE_DIR)
    names = {p.name for p in found}
    # jena imports data and training (which imports runtime).
    assert {"jena.py", "data.py", "training.py", "runtime.py", "__init__.py"} <= names
    assert "imdb.py" not in names


def test_a_cell_that_does_not_parse_is_named():
    with pytest.raises(SyntaxError, match="code cell 2: .*fix the cell"):
        dependencies.chapter_modules(["x = 1", "def broken(:"], PACKAGE_DIR)


def test_a_module_that_does_not_parse_is_named(tiny_package):
    package = tiny_package({"bad": "def broken(:\n"})
    with pytest.raises(SyntaxError, match=r"bad\.py: cannot read its imports"):
        dependencies.chapter_modules(["from seqcnn import bad"], package)
