"""The portal shows a person only what is theirs. Knowing a customer's policy number, or their name and phone,
proves nothing: the complaint is filed under a record and case of its own, the customer's case, survey and
thanks are untouched, and only the one-time code sent to the contact on file links it (the attack of issue
17, reproduced step by step and refused)."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client, TestCase, override_settings

from amends.assembly import testing
from amends.audit.models import AuditEntry
from amends.correspondence import sms
from amends.discretion.models import LedgerEntry
from amends.followup.models import Notice, PortalSubmission, Survey, Thanks
from amends.intake.models import Complaint
from amends.recovery.models import Case, Failure
from amends.recovery.services import step_record

from .helpers import portal_post, status_path, survey_link, to_follow_up

STRANGER = "13511112222"


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def victims_case(world):
    """张伟's open case about his auto policy."""
    complaint = testing.receive(world.frontline, world.individual, policy_no=world.auto_policy.policy_no, claim_no="")
    return Case.objects.get(pk=complaint.case_id)


def attack(client, world, **changes):
    """A stranger files a complaint quoting 张伟's policy number and name, with the stranger's own phone."""
    values = {"policy_no": world.auto_policy.policy_no, "name": "张伟", "phone": STRANGER, **changes}
    response = portal_post(client, address="198.51.100.66", **values)
    assert response.status_code == 201
    return status_path(response)


def post_verify(client, path, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path + "verify/", data)


def sent_code(to: str) -> str:
    texts = [m.text for m in sms.outbox if m.to == to] + [m.body for m in mail.outbox if to in m.to]
    assert texts, f"no code was sent to {to}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def test_a_stranger_quoting_a_policy_number_gets_a_case_of_their_own(world, client, victims_case, thanks_policy):
    step_record(actor=world.admin, case_id=victims_case.pk, step="apology", note="已致歉")
    timeline_before = victims_case.timeline.count()
    path = attack(client, world)
    complaint = Complaint.objects.exclude(case=victims_case).get()
    assert complaint.customer_id != world.individual.pk and complaint.case_id != victims_case.pk
    assert complaint.customer.phone == STRANGER and complaint.policy_id is None
    victims_case.refresh_from_db()
    # Nothing changed on the customer's case: no complaint, no repeat failure, no timeline entry, no voucher.
    assert victims_case.complaints.count() == 1 and victims_case.timeline.count() == timeline_before
    assert not Failure.objects.filter(case=victims_case).exists()
    assert not Thanks.objects.exists() and not LedgerEntry.objects.exists()
    page = client.get(path).content.decode()
    assert "我们已向您致歉" not in page and "We apologised" not in page  # not the customer's recovery steps
    assert world.individual.phone not in page and "138****8000" not in page
    assert PortalSubmission.objects.get().claimed_customer_id == world.individual.pk  # kept for the code only


def test_name_and_phone_written_differently_do_not_join_either(world, client, victims_case):
    path = attack(client, world, policy_no="", phone="+86 138-0013-8000")
    complaint = Complaint.objects.exclude(case=victims_case).get()
    assert complaint.customer_id != world.individual.pk and complaint.customer.phone == "13800138000"
    assert PortalSubmission.objects.get().claimed_customer_id == world.individual.pk
    assert client.get(path).status_code == 200


def test_the_customers_survey_goes_to_their_contact_on_file_never_to_the_strangers_page(world, client, victims_case):
    to_follow_up(world.admin, victims_case.pk)
    from amends.followup.services import surveys_sweep

    with TestCase.captureOnCommitCallbacks(execute=True):
        surveys_sweep()
    survey = Survey.objects.get(case=victims_case)
    link = survey_link(survey)
    sent_to = {n.address for n in Notice.objects.filter(purpose="survey")}
    assert sent_to and sent_to <= {world.individual.phone, world.individual.email}
    path = attack(client, world)
    page = client.get(path).content.decode()
    assert "/survey/" not in page and link not in page


def test_asking_for_a_code_sends_it_to_the_contact_on_file_and_says_the_same_either_way(world, client, victims_case):
    path = attack(client, world)
    sms.outbox.clear()
    answer = post_verify(client, path, action="send")
    assert answer.status_code == 200
    assert [m.to for m in sms.outbox] == [world.individual.phone]  # the customer's phone, not the stranger's
    assert STRANGER not in [m.to for m in sms.outbox]
    nobody = attack(client, world, policy_no="PA-NOBODY", name="路人甲", phone="13500000009")
    sms.outbox.clear()
    other = post_verify(client, nobody, action="send")
    assert other.status_code == 200 and not sms.outbox
    said = re.compile(r'role="status">([^<]+)<')
    assert said.search(answer.content.decode()).group(1) == said.search(other.content.decode()).group(1)
    # The code is never stored: the notice holds "[link]".
    assert AuditEntry.objects.filter(action="portal.code_send").count() == 1


@override_settings(AMENDS_PORTAL_CODE_ATTEMPTS=3)
def test_guessing_the_code_fails_and_the_code_dies_after_a_few_tries(world, client, victims_case):
    path = attack(client, world)
    post_verify(client, path, action="send")
    code = sent_code(world.individual.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        assert post_verify(client, path, action="check", code=wrong).status_code == 422
    assert post_verify(client, path, action="check", code=code).status_code == 422  # dead now
    complaint = Complaint.objects.exclude(case=victims_case).get()
    assert complaint.customer_id != world.individual.pk and PortalSubmission.objects.get().verified_at is None


def test_the_customer_who_gets_the_code_links_the_complaint_and_is_thanked(world, client, victims_case, thanks_policy):
    path = attack(client, world, phone=world.individual.phone)
    provisional = Complaint.objects.exclude(case=victims_case).get()
    assert not Thanks.objects.exists()
    post_verify(client, path, action="send")
    linked = post_verify(client, path, action="check", code=sent_code(world.individual.phone))
    assert linked.status_code == 200
    complaint = Complaint.objects.get(pk=provisional.pk)
    # Joined the customer's open case on the same policy; the provisional case closed as merged into it.
    assert complaint.customer_id == world.individual.pk and complaint.case_id == victims_case.pk
    assert complaint.policy_id == world.auto_policy.pk
    assert Case.objects.get(pk=provisional.case_id).closure == "merged"
    thanks = Thanks.objects.get()
    assert thanks.customer_id == world.individual.pk and thanks.amount == Decimal("20.00")
    assert AuditEntry.objects.filter(action="complaint.link_customer", object_id=str(complaint.pk)).exists()
    page = client.get(path).content.decode()
    assert "一点心意" in page and 'name="code"' not in page


def test_a_repeated_form_does_not_thank_twice(world, client, thanks_policy):
    path = attack(client, world, phone=world.individual.phone, idempotency_key="same")
    attack(client, world, phone=world.individual.phone, idempotency_key="same")
    assert Complaint.objects.count() == 1
    assert client.get(path).status_code == 404  # the repeated form replaced the first link
    path = attack(client, world, phone=world.individual.phone, idempotency_key="same")
    post_verify(client, path, action="send")
    code = sent_code(world.individual.phone)
    post_verify(client, path, action="check", code=code)
    post_verify(client, path, action="check", code=code)
    assert Thanks.objects.count() == 1 and LedgerEntry.objects.get().outcome == "granted"


@override_settings(AMENDS_THANKS={"kind": "voucher", "amount": "80.00"})
def test_thanks_beyond_the_systems_authority_are_refused_in_the_ledger_and_not_promised(world, client, thanks_policy):
    path = attack(client, world, phone=world.individual.phone)
    post_verify(client, path, action="send")
    post_verify(client, path, action="check", code=sent_code(world.individual.phone))
    assert not Thanks.objects.exists() and LedgerEntry.objects.get().outcome == "refused"
    assert "一点心意" not in client.get(path).content.decode()


@override_settings(AMENDS_THANKS={"kind": "voucher", "amount": "0"})
def test_thanks_can_be_turned_off(world, client, thanks_policy):
    path = attack(client, world, phone=world.individual.phone)
    post_verify(client, path, action="send")
    post_verify(client, path, action="check", code=sent_code(world.individual.phone))
    assert Complaint.objects.get().customer_id == world.individual.pk and not Thanks.objects.exists()
