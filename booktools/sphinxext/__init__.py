"""The book's Sphinx extensions, each loaded by ``_config.yml`` (``sphinx.local_extensions``).

Modules
-------
inline_js_once
    Inline scripts that Sphinx 7.4 writes twice, written once.
execution_record
    The table of the "Running the chapters" page, read from the executed notebooks.
long_outputs
    Long text outputs in a scrolling box with a "Show all N lines" button.
accessible_theme
    The theme's accessibility faults that axe-core finds, fixed (``accessible_templates/``).
book_pdf
    The "Book .pdf" entry of the download menu and the single-page layout the PDF prints.
translated_glue
    ``{glue:text}`` inside translated text.
editions
    The language editions: the switch in every page's header (``templates/``, ``static/``) and the
    build of each other edition into ``_build/html/<language>/``.
"""
