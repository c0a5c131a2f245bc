"""Staff link a portal complaint to the customer's existing record and case once they have verified who
complained (a call to the number on file, documents seen): one transaction, audited, within the staff member's
scope, never into another customer's case (issue 17)."""

import pytest
from django.test import Client

from amends.assembly import testing
from amends.audit.models import AuditEntry
from amends.core.tests.api_client import Api
from amends.followup.models import PortalSubmission, Thanks
from amends.intake.models import Complaint
from amends.recovery.models import Case

from .helpers import portal_post


@pytest.fixture
def customers_case(world):
    """张伟's open case about his auto policy."""
    complaint = testing.receive(world.frontline, world.individual, policy_no=world.auto_policy.policy_no, claim_no="")
    return Case.objects.get(pk=complaint.case_id)


@pytest.fixture
def portal_complaint(world, customers_case):
    """张伟 complains through the portal: filed, unverified, under a record and case of its own."""
    values = {"policy_no": world.auto_policy.policy_no, "name": "张伟", "phone": world.individual.phone}
    assert portal_post(Client(), address="198.51.100.7", **values).status_code == 201
    return Complaint.objects.exclude(case=customers_case).get()


def link(world, complaint, user=None, **body):
    """As head office's staff (the portal files its complaints at the head office) unless `user` says."""
    payload = {"customer": world.individual.pk, "verified_by": "phone", "note": "回拨留存号码核实", **body}
    return Api(world.token(user or world.admin)).post(f"/complaints/{complaint.pk}/link", payload)


def test_staff_link_a_verified_portal_complaint_to_the_customers_case(
    world, customers_case, portal_complaint, thanks_policy
):
    provisional_case = portal_complaint.case_id
    response = link(world, portal_complaint, case=customers_case.pk)
    assert response.status_code == 200, response.content
    assert response.json()["case"] == {"id": customers_case.pk, "reference": customers_case.reference}
    complaint = Complaint.objects.get(pk=portal_complaint.pk)
    assert complaint.customer_id == world.individual.pk and complaint.case_id == customers_case.pk
    assert Case.objects.get(pk=provisional_case).closure == "merged"
    assert PortalSubmission.objects.get().verified_at is not None
    entry = AuditEntry.objects.get(action="portal.verify_by_staff")
    assert entry.actor_id == world.admin.pk and entry.after["verified_by"] == "phone"
    assert AuditEntry.objects.filter(action="complaint.link_customer", object_id=str(complaint.pk)).exists()
    assert Thanks.objects.get().customer_id == world.individual.pk
    assert link(world, portal_complaint, case=customers_case.pk).status_code == 409  # once only


def test_without_a_case_it_joins_the_one_its_episode_opens(world, customers_case, portal_complaint):
    response = link(world, portal_complaint, verified_by="documents")
    assert response.status_code == 200, response.content
    assert Complaint.objects.get(pk=portal_complaint.pk).case_id == customers_case.pk


def test_another_customers_case_is_refused_and_nothing_changes(world, customers_case, portal_complaint):
    others = testing.receive(world.frontline, world.online, claim_no="")
    response = link(world, portal_complaint, case=others.case_id)
    assert response.status_code == 422 and response.json()["error"] == "link_other_customer"
    assert "case" in response.json()["fields"]
    complaint = Complaint.objects.get(pk=portal_complaint.pk)
    assert complaint.case_id == portal_complaint.case_id and complaint.customer_id == portal_complaint.customer_id
    assert PortalSubmission.objects.get().verified_at is None
    assert not AuditEntry.objects.filter(action="portal.verify_by_staff").exists()


def test_out_of_scope_answers_as_if_it_did_not_exist(world, customers_case, portal_complaint):
    # Branch staff do not see the head office's portal complaints: 404, as if it did not exist.
    assert link(world, portal_complaint, user=world.handler, case=customers_case.pk).status_code == 404
    assert link(world, portal_complaint, user=world.beijing_handler).status_code == 404
    # An unknown customer or case: 404 naming the field.
    unknown = link(world, portal_complaint, customer=10**9)
    assert unknown.status_code == 404 and "customer" in unknown.json()["fields"]
    assert link(world, portal_complaint, case=10**9).status_code == 404
    assert Complaint.objects.get(pk=portal_complaint.pk).case_id == portal_complaint.case_id


def test_only_portal_complaints_wait_for_verification(world, customers_case):
    hotline = Complaint.objects.get(case=customers_case)
    response = link(world, hotline, customer=world.online.pk)
    assert response.status_code == 422 and response.json()["error"] == "not_portal"
    assert link(world, hotline, verified_by="guess").status_code == 422


def test_the_case_page_offers_the_link_and_links_on_submit(world, customers_case, portal_complaint):
    client = Client()
    client.force_login(world.admin)
    page = client.get(f"/cases/{portal_complaint.case_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/complaints/{portal_complaint.pk}/link/" in html and 'name="verified_by"' in html
    assert world.individual.customer_no not in html  # the customer the details point at is not shown
    form = {"customer": world.individual.customer_no, "case": customers_case.reference, "verified_by": "documents"}
    response = client.post(f"/complaints/{portal_complaint.pk}/link/", form)
    assert response.status_code == 302 and response["Location"] == f"/cases/{customers_case.pk}/"
    assert Complaint.objects.get(pk=portal_complaint.pk).case_id == customers_case.pk
    assert f"/complaints/{portal_complaint.pk}/link/" not in client.get(f"/cases/{customers_case.pk}/").content.decode()


def test_the_page_refuses_another_customers_case_with_a_message(world, customers_case, portal_complaint):
    others = testing.receive(world.frontline, world.online, claim_no="")
    client = Client()
    client.force_login(world.admin)
    form = {"customer": world.individual.customer_no, "case": others.case.reference, "verified_by": "phone"}
    response = client.post(f"/complaints/{portal_complaint.pk}/link/", form, follow=True)
    assert response.status_code == 200
    assert Complaint.objects.get(pk=portal_complaint.pk).case_id == portal_complaint.case_id
    assert any("another customer" in str(m).lower() or "另一位客户" in str(m) for m in response.context["messages"])
