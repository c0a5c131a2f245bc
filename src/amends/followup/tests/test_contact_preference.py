"""Messages staff send from a case go by the contact the complainant chose on the portal."""

from django.test import TestCase

from amends.assembly.testing import receive
from amends.correspondence import services, sms
from amends.followup.models import PortalSubmission
from amends.recovery.models import Case


def test_a_portal_complainant_gets_the_channel_and_language_they_chose(world, now):
    complaint = receive(world.handler, world.individual)
    PortalSubmission.objects.create(
        complaint=complaint,
        token_digest="x" * 64,
        contact_preference="sms",
        language="en",
        client_key="c",
        contact_key="k",
        created_at=now,
        expires_at=now,
    )
    case = Case.objects.select_related("customer").get(pk=complaint.case_id)
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = services.message_send(actor=world.handler, case=case, template="update", values={"text": "paid."})
    assert message.channel == "sms" and message.language == "en"
    assert sms.outbox[0].text == f"Dear 张伟, about your case {case.reference}: paid."
