"""The kernels the book's tooling starts run TensorFlow's oneDNN kernels, unless the reader chose otherwise."""

import os
import subprocess
import sys

import nbformat
import pytest

from booktools import kernel_env, notebooks

#: What the kernel's environment says, read before anything in the kernel could set it (``seqcnn.runtime``
#: sets the variable too when it is missing, which would hide a command that did not). That TensorFlow
#: runs oneDNN's kernels with ``1`` and Eigen's with ``0`` is checked in kernels that import it, by
#: test_variation (the study's default and oneDNN-off kernels, whose environment kernel_env makes too).
PROBE = """\
```{code-cell} ipython3
import os
print(os.environ.get("TF_ENABLE_ONEDNN_OPTS"))
```
"""


def _executed_output(tmp_path) -> str:
    md = tmp_path / "probe.md"
    md.write_text(PROBE)
    notebooks.execute(md, timeout=300)
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    return nb.cells[0].outputs[0].text.strip()


def test_the_execute_command_runs_chapters_with_onednn_on(tmp_path, monkeypatch):
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    # On a processor where TensorFlow leaves oneDNN off by itself (an AVX2 AMD EPYC), this is what turns it on.
    assert _executed_output(tmp_path) == "1"


def test_a_value_the_reader_set_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    assert _executed_output(tmp_path) == "0"


def test_pytest_hands_nbval_kernels_the_kernel_environment():
    # The root conftest.py applied it before any kernel started; a value set outside pytest is kept.
    assert os.environ.get("TF_ENABLE_ONEDNN_OPTS") in ("1", "0")
    child = subprocess.run([sys.executable, "-c", "import os; print(os.environ['TF_ENABLE_ONEDNN_OPTS'])"],
                           capture_output=True, text=True, check=True)
    assert child.stdout.strip() == os.environ["TF_ENABLE_ONEDNN_OPTS"]


@pytest.mark.parametrize("base, expected", [({}, "1"), ({"TF_ENABLE_ONEDNN_OPTS": "0"}, "0"),
                                            ({"TF_ENABLE_ONEDNN_OPTS": "1"}, "1")])
def test_kernel_environment_sets_only_what_is_missing(base, expected):
    before = dict(base)
    env = kernel_env.kernel_environment(base)
    assert env["TF_ENABLE_ONEDNN_OPTS"] == expected
    assert base == before  # base untouched
