"""pytest settings shared by the unit tests and the docstring examples of seqcnn and booktools."""

import pytest

from booktools import kernel_env

# nbval's kernels inherit this process's environment: TensorFlow's oneDNN kernels on, as in every
# execution of the chapters (a value already set, e.g. TF_ENABLE_ONEDNN_OPTS=0, is kept).
kernel_env.apply()


@pytest.fixture(autouse=True)
def _no_recorded_data_sets():
    """Each test and docstring example starts with no data set noted by ``seqcnn.data``.

    ``seqcnn.data.locate`` notes every data set it finds, in the process (``seqcnn.data.note_read``);
    without this, what one test found would show in the next one's execution records.
    """
    from seqcnn import data

    data.forget_data_sets_read()
    yield
    data.forget_data_sets_read()


def pytest_collection_modifyitems(config, items):
    """Run the chapter notebooks first, the slowest first, then the unit tests.

    With ``pytest -n 2 --dist loadfile`` (pyproject's default) each worker takes a whole file at a
    time, in this order, so the longest chapter starts at once on one worker while the other works
    through the rest; a slow chapter left for last would run alone on an idle machine.
    """
    from booktools.notebooks import recorded_seconds

    seconds = {}
    for item in items:
        path = item.path
        if path.suffix == ".ipynb" and path not in seconds:
            seconds[path] = recorded_seconds(path)
    order = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (0, -seconds[item.path], order[id(item)]) if item.path in seconds
               else (1, 0.0, order[id(item)]))
