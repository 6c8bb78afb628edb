"""The environment in which the book's tooling runs a chapter's kernel: TensorFlow's oneDNN kernels on.

TensorFlow 2.21 on x86 Linux turns its oneDNN kernels on by itself only on
some processors: it did on the Intel Xeon (AVX-512) that executed most of the
book, and did not on a 2-core AMD EPYC (AVX2), where it runs Eigen's kernels
instead. There, Eigen's convolutions allocate large temporary buffers at every
step (about 6 million page faults in one epoch of chapter 4's convnet against
0.3 million with oneDNN) and the book's trained chapters ran 1.5 to 2.5 times
slower (one epoch of chapter 4's convnet: 32.6 s against 13.2 s; chapter 5's
Conv1D + GRU: 52.0 s against 33.9 s; its GRU alone: 59.6 s against 59.8 s).

``TF_ENABLE_ONEDNN_OPTS=1`` turns oneDNN on wherever TensorFlow has it, so the
book's tooling sets it, unless it is already set, for every kernel it starts:
``python -m booktools.notebooks`` (execution), ``python -m booktools.variation``
(the study's settings that do not turn oneDNN off) and ``pytest`` (the nbval
kernels, through the root ``conftest.py``), as ``seqcnn.runtime`` does in any
process that imports the library before TensorFlow (``seqcnn.runtime.ONEDNN_ENV``,
the one place that names the setting). Every chapter is then executed
and validated on the same floating-point path on every x86 machine; the
variation study measures the other path (``TF_ENABLE_ONEDNN_OPTS=0``), and a
reader may set either value before running anything: a value already set is
kept.
"""

from __future__ import annotations

import os

from seqcnn.runtime import ONEDNN_ENV

__all__ = ["KERNEL_ENV", "kernel_environment", "apply"]

#: Variables set for a chapter's kernel when not already set.
KERNEL_ENV: dict[str, str] = dict(ONEDNN_ENV)


def kernel_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (``os.environ`` by default) with :data:`KERNEL_ENV`'s variables that it lacks.

    Parameters
    ----------
    base : dict, optional
        The environment to start from; left unchanged.

    Returns
    -------
    dict
        The kernel's environment.

    Examples
    --------
    >>> kernel_environment({"PATH": "/bin"})
    {'PATH': '/bin', 'TF_ENABLE_ONEDNN_OPTS': '1'}
    >>> kernel_environment({"TF_ENABLE_ONEDNN_OPTS": "0"})  # a value already set is kept
    {'TF_ENABLE_ONEDNN_OPTS': '0'}
    """
    env = dict(os.environ if base is None else base)
    for name, value in KERNEL_ENV.items():
        env.setdefault(name, value)
    return env


def apply(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Set :data:`KERNEL_ENV`'s variables that ``environ`` (``os.environ`` by default) lacks, in place.

    Kernels started afterwards by this process (nbval's, nbclient's) inherit them.

    Returns
    -------
    dict
        The variables this call set.

    Examples
    --------
    >>> env = {}
    >>> apply(env), env
    ({'TF_ENABLE_ONEDNN_OPTS': '1'}, {'TF_ENABLE_ONEDNN_OPTS': '1'})
    >>> apply(env)
    {}
    """
    environ = os.environ if environ is None else environ
    added = {name: value for name, value in KERNEL_ENV.items() if name not in environ}
    environ.update(added)
    return added
