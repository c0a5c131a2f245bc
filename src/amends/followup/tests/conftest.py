import pytest
from django.core import mail

from amends.correspondence import sms
from amends.correspondence.tests.conftest import media, smtp  # noqa: F401 (a real SMTP server; evidence in a temp folder)


@pytest.fixture(autouse=True)
def empty_outboxes():
    sms.outbox.clear()
    mail.outbox = []
    yield
    sms.outbox.clear()
