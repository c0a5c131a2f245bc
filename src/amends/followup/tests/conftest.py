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


@pytest.fixture
def thanks_policy(world):
    """The system's authority for tokens of thanks: ¥50 a time, ¥5,000 a month for the whole company."""
    from amends.discretion.services import policy_set

    return policy_set(
        actor=world.admin,
        role="system",
        org_unit_id=world.head_office.pk,
        kind="voucher",
        per_action_limit="50",
        unit_budget="5000",
    )
