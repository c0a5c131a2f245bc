"""The public complaint portal: filing through intake, the acknowledgement with a private link, the status
page behind it, the rate limits and the honeypot, and links that are forged, expired or someone else's."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings

from amends.assembly.testing import at
from amends.core import clock
from amends.correspondence import sms
from amends.followup.models import Notice, PortalSubmission
from amends.intake.models import Complaint

from .helpers import FORM, portal_post, status_path


@pytest.fixture
def client():
    return Client()


def test_the_portal_page_explains_how_to_complain(world, client):
    page = client.get("/complain/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "12378" in text and "15" in text and 'name="website"' in text


def test_a_complaint_is_filed_through_intake_and_acknowledged_with_a_private_link(world, client, now):
    response = portal_post(client)
    assert response.status_code == 201
    complaint = Complaint.objects.select_related("case", "customer").get()
    assert complaint.channel == "portal" and complaint.customer.phone == FORM["phone"]
    assert complaint.request == FORM["request"] and complaint.due_at == at("2026-11-17 23:59:59")
    assert complaint.case.timeline.filter(kind="complaint").exists()
    body = response.content.decode()
    assert complaint.reference in body
    path = status_path(response)
    token = path.split("/")[-2]
    submission = PortalSubmission.objects.get()
    assert token not in submission.token_digest and len(token) >= 40  # only the digest is stored
    # The acknowledgement went out by text message, link included; the stored notice does not hold the link.
    assert len(sms.outbox) == 1 and path in sms.outbox[0].text and complaint.reference in sms.outbox[0].text
    notice = Notice.objects.get()
    assert notice.status == "sent" and "[link]" in notice.body and token not in notice.body


def test_the_status_page_shows_progress_in_plain_words_and_nothing_internal(world, client, now):
    path = status_path(portal_post(client))
    complaint = Complaint.objects.select_related("case").get()
    from amends.recovery.services import step_record

    step_record(actor=world.admin, case_id=complaint.case_id, step="apology", note="内部备注：客户情绪激动 X-CODE-77")
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert complaint.reference in text and FORM["description"] in text
    assert "X-CODE-77" not in text and "内部备注" not in text  # staff notes stay inside
    assert world.admin.display_name not in text
    assert complaint.case.reference not in text  # the internal case reference is not the customer's


def test_two_customers_links_never_show_each_others_complaint(world, client):
    first = status_path(portal_post(client))
    second = status_path(
        portal_post(client, address="198.51.100.9", name="陈立", phone="13798765432", description="柜台人员态度恶劣。")
    )
    a, b = client.get(first).content.decode(), client.get(second).content.decode()
    one, two = Complaint.objects.order_by("pk")
    assert one.reference in a and two.reference not in a and "柜台人员态度恶劣" not in a
    assert two.reference in b and one.reference not in b and FORM["description"] not in b


def test_a_forged_or_unknown_link_is_not_found(world, client):
    path = status_path(portal_post(client))
    token = path.split("/")[-2]
    assert client.get(path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert client.get("/complain/status/not-a-token/").status_code == 404


def test_an_expired_link_says_so(world, client, now):
    path = status_path(portal_post(client))
    with clock.frozen(now + timedelta(days=366)):
        page = client.get(path)
    assert page.status_code == 403 and "过期" in page.content.decode()


@override_settings(AMENDS_PORTAL_LIMITS={"address": (2, 3600), "contact": (10, 86400)})
def test_one_address_is_limited(world, client, now):
    assert portal_post(client, phone="13600000001").status_code == 201
    assert portal_post(client, phone="13600000002").status_code == 201
    third = portal_post(client, phone="13600000003")
    assert third.status_code == 429 and Complaint.objects.count() == 2
    assert portal_post(client, address="192.0.2.44", phone="13600000004").status_code == 201
    with clock.frozen(now + timedelta(hours=1, minutes=1)):
        assert portal_post(client, phone="13600000005").status_code == 201


@override_settings(AMENDS_PORTAL_LIMITS={"address": (50, 3600), "contact": (2, 86400)})
def test_one_contact_is_limited_whatever_the_address(world, client):
    assert portal_post(client, address="192.0.2.1").status_code == 201
    assert portal_post(client, address="192.0.2.2").status_code == 201
    refused = portal_post(client, address="192.0.2.3")
    assert refused.status_code == 429 and Complaint.objects.count() == 2
    assert "400-100-2026" in refused.content.decode()


def test_the_honeypot_turns_a_bot_away_and_writes_nothing(world, client):
    response = portal_post(client, website="http://spam.example")
    assert response.status_code == 400 and Complaint.objects.count() == 0 and PortalSubmission.objects.count() == 0
    assert not sms.outbox


def test_a_resubmitted_form_files_one_complaint(world, client):
    first = portal_post(client, idempotency_key="same-form")
    again = portal_post(client, idempotency_key="same-form")
    assert first.status_code == again.status_code == 201 and Complaint.objects.count() == 1
    # Only the last answer is seen: its link works, the first one no longer does.
    assert client.get(status_path(again)).status_code == 200
    assert client.get(status_path(first)).status_code == 404


def test_bad_input_is_shown_on_the_form_and_nothing_is_written(world, client):
    response = portal_post(client, name="", description="", contact_preference="email", email="not-an-email")
    assert response.status_code == 422 and Complaint.objects.count() == 0
    text = response.content.decode()
    assert text.count('class="field__error"') >= 3 and 'value="13612345678"' in text  # what was typed stays
    # An unknown policy number is kept as the complainant's words: refusing it would tell strangers which exist.
    unknown = portal_post(client, policy_no="PA-NO-SUCH")
    assert unknown.status_code == 201 and Complaint.objects.get().policy_id is None


@pytest.mark.django_db(transaction=True)
@override_settings(AMENDS_PORTAL_LIMITS={"address": (5, 3600), "contact": (50, 86400)})
def test_simultaneous_submissions_from_one_address_stop_at_the_limit():
    """Twelve forms posted at the same moment from one address: exactly five get through (one atomic count)."""
    import threading

    from django.db import connection

    from amends.assembly.testing import make_world

    make_world()
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def submit(n: int) -> None:
        try:
            barrier.wait(timeout=20)
            statuses.append(portal_post(Client(), address="203.0.113.99", phone=f"1360000{n:04d}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(statuses) == [201] * 5 + [429] * 7
    assert Complaint.objects.count() == 5


@override_settings(AMENDS_PORTAL_LIMITS={"address": (50, 3600), "contact": (2, 86400)})
def test_the_contact_limit_counts_one_phone_however_it_is_written(world, client):
    for n, written in enumerate(["13612345678", "+86 136-1234-5678", "136 1234 5678"]):
        status = portal_post(client, address=f"192.0.2.{n + 10}", phone=written).status_code
        assert status == (201 if n < 2 else 429)
