"""pytest settings shared by the unit tests and the docstring examples of seqcnn and booktools."""

import pytest


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
