"""booktools: what builds the course book "Sequence processing with 1D convnets" (not what it teaches).

The chapters import ``seqcnn``, the library that readers install; this package is the book's own
machinery and stays in the repository (it is not part of ``pip install .``). It imports ``seqcnn``
only where it needs to (the modules a chapter depends on, the data sets it read); ``seqcnn``
imports nothing from it.

Modules
-------
notebooks
    Syncing, executing and checking the chapter notebooks (``python -m booktools.notebooks``).
kernel_env
    The environment of every kernel the book's tooling starts: TensorFlow's oneDNN kernels on.
dependencies
    Which ``seqcnn`` modules a chapter's code runs, read with :mod:`ast`.
provenance
    Execution records: what a chapter ran with (versions, CPUs, the data sets it read).
translations
    The translated editions' catalogs (``python -m booktools.translations update|report|check``).
sphinx_build
    The one call of Jupyter Book's Sphinx build shared by the translated editions and the PDF.
pdf
    The whole book printed to one PDF per edition (``python -m booktools.pdf --all``).
chromium
    Headless Chromium on the built site, offline (the PDF and the browser test).
variation
    The variation study: a chapter re-executed under other seeds and settings, its trained
    numbers recorded with their bands (``python -m booktools.variation CHAPTER``).
thresholds
    The chapters' asserts read from their ``.md`` and checked against the recorded bands.
sphinxext
    The book's Sphinx extensions, loaded by ``_config.yml``.
"""
