"""Messages staff send from a case go by the contact the complainant chose on the portal."""

from django.test import TestCase

from amends.assembly.testing import receive
from amends.correspondence import services, sms
from amends.correspondence.models import Message
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


def test_a_receipt_notice_on_a_joined_case_goes_by_the_portal_choice(world, now):
    """The receipt notice reads the choice with the complaint's case read (PostgreSQL), not apart: same answer."""
    first = receive(world.handler, world.individual)
    PortalSubmission.objects.create(
        complaint=first,
        token_digest="y" * 64,
        contact_preference="sms",
        language="en",
        client_key="c",
        contact_key="k",
        created_at=now,
        expires_at=now,
    )
    other = receive(world.handler, world.individual, claim_no="CLOTHER")  # another case of the customer
    joined = receive(world.handler, world.individual, description="还是没有人联系我。")
    assert joined.case_id == first.case_id != other.case_id
    receipt = Message.objects.get(complaint_id=joined.pk, template_key="complaint.receipt")
    assert receipt.channel == "sms" and receipt.language == "en" and joined.reference in receipt.body
    # The other case has no portal filing: its customer's address on file, in the site's language.
    elsewhere = Message.objects.get(complaint_id=other.pk, template_key="complaint.receipt")
    assert elsewhere.channel == "email" and elsewhere.language == "zh-hans"
