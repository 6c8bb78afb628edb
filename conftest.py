"""pytest settings shared by the unit tests and the docstring examples of seqcnn."""

import pytest


@pytest.fixture(autouse=True)
def _no_recorded_data_sets():
    """Each test and docstring example starts with no data set recorded by ``seqcnn.provenance``.

    ``seqcnn.data.locate`` records every data set it finds, in the process; without this, what one
    test found would show in the next one's records.
    """
    from seqcnn import provenance

    provenance.forget()
    yield
    provenance.forget()
