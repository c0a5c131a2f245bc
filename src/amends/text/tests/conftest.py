import pytest


@pytest.fixture(autouse=True)
def shipped_lexicon(db):
    """The shipped lexicon, also after a transactional test flushed the data migration's rows; the process's
    compiled copy is dropped before and after so no test sees another's terms."""
    from amends.text import lexicon, seed
    from amends.text.models import LexiconTerm

    seed.load(LexiconTerm)
    lexicon.invalidate()
    yield
    lexicon.invalidate()
