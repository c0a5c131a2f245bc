"""The new-complaint form and the complaint forms of the case page (decide, extend, approve)."""

import pytest

from amends.assembly.testing import receive
from amends.intake.models import ClockExtension, Complaint


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def form_data(world, **overrides):
    data = {
        "channel": "hotline",
        "customer": str(world.individual.pk),
        "q": "张",
        "policy_no": world.auto_policy.policy_no,
        "claim_no": "CL2026110200009",
        "touchpoint": "auto_claim.assessment",
        "description": "定损员没来",
        "request": "今天定损",
        "request_confirmed": "on",
        "loss_amount": "1200",
        "idempotency_key": "form-1",
        "action": "record",
    }
    data.update(overrides)
    return data


def test_the_form_offers_touchpoints_grouped_by_journey(en, world):
    en.force_login(world.handler)
    page = en.get("/complaints/new/").content.decode()
    assert '<optgroup label="Auto claim">' in page
    assert 'value="auto_claim.salvage"' in page
    assert 'name="idempotency_key"' in page


def test_a_complaint_from_the_form_lands_on_its_case_with_the_deadline(en, world, now):
    en.force_login(world.handler)
    response = en.post("/complaints/new/", form_data(world), follow=True)
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/{complaint.case_id}/"
    page = response.content.decode()
    assert f"Complaint {complaint.reference} recorded on case {complaint.case.reference}" in page
    assert "2026-11-17 23:59" in page  # the 15th day after receipt, to its end
    assert complaint.request_confirmed and complaint.loss_amount == 1200


def test_submitting_the_same_form_twice_records_one_complaint(en, world, now):
    en.force_login(world.handler)
    en.post("/complaints/new/", form_data(world))
    response = en.post("/complaints/new/", form_data(world), follow=True)
    assert Complaint.objects.count() == 1
    assert "already recorded" in response.content.decode()


def test_a_new_customer_is_created_from_the_form(en, world, now):
    en.force_login(world.handler)
    data = form_data(
        world, customer="new", new_name="周敏", new_phone="13600136000", new_segment="online", policy_no=""
    )
    assert en.post("/complaints/new/", data).status_code == 302
    assert Complaint.objects.get().customer.name == "周敏"


def test_refusals_are_shown_next_to_the_fields_and_the_input_is_kept(en, world, now):
    en.force_login(world.handler)
    response = en.post("/complaints/new/", form_data(world, customer="", policy_no="NOPE", description="写了一半"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "The complaint was not recorded" in page
    assert "No policy with this number." in page
    assert "Give an existing customer&#x27;s id or a new customer&#x27;s name." in page
    assert "写了一半" in page
    assert not Complaint.objects.exists()


def test_one_submit_reports_the_forms_errors_and_the_services_together(en, world, now):
    en.force_login(world.handler)
    data = form_data(world, channel="", description="", customer="new", new_name="", new_phone="12ab", policy_no="NOPE")
    page = en.post("/complaints/new/", data).content.decode()
    assert page.count("This field is required.") >= 3  # channel, description, the new customer's name
    assert "No policy with this number." in page and "A phone number has digits only" in page
    assert not Complaint.objects.exists()


def test_search_without_javascript_shows_results_and_keeps_the_form(en, world, now):
    en.force_login(world.handler)
    response = en.post("/complaints/new/", form_data(world, customer="", action="search", description="草稿"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{world.individual.pk}"' in page and "草稿" in page
    assert not Complaint.objects.exists()


def test_resolved_on_the_spot_opens_the_immediate_recovery_form(en, world, now):
    en.force_login(world.handler)
    response = en.post("/complaints/new/", form_data(world, on_the_spot="on"))
    assert "on_the_spot=1" in response["Location"]
    page = en.get(response["Location"]).content.decode()
    assert 'id="on-the-spot"' in page and "open" in page.split('id="on-the-spot"')[0][-40:]


def test_a_quality_manager_cannot_open_the_form(en, world):
    en.force_login(world.quality)
    assert en.get("/complaints/new/").status_code == 403


def test_recording_the_decision_stops_the_clock(en, world, now):
    complaint = receive(world.handler, world.individual)
    en.force_login(world.handler)
    url = f"/cases/{complaint.case_id}/complaints/{complaint.pk}/decision/"
    response = en.post(url, {"decision": "全额赔付", "version": complaint.case.version}, follow=True)
    assert "the clock has stopped" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.decided_at is not None


def test_a_decision_on_a_stale_page_is_refused(en, world, now):
    complaint = receive(world.handler, world.individual)
    en.force_login(world.handler)
    url = f"/cases/{complaint.case_id}/complaints/{complaint.pk}/decision/"
    response = en.post(url, {"decision": "全额赔付", "version": complaint.case.version - 1})
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.decided_at is None


def test_a_level_two_extension_waits_for_head_office_senior_management_who_approve_it_on_the_page(en, world, now):
    complaint = receive(world.handler, world.individual)
    case_url = f"/cases/{complaint.case_id}/"
    en.force_login(world.handler)
    extend = f"/cases/{complaint.case_id}/complaints/{complaint.pk}/extensions/"
    assert en.post(extend, {"level": 1, "reason": "需要调取录音"}).status_code == 302
    assert en.post(extend, {"level": 2, "reason": "需要第三方鉴定"}).status_code == 302
    pending = ClockExtension.objects.get(level=2)
    assert pending.status == "pending"
    assert "Level 2 extension waiting for approval" in en.get(case_url).content.decode()

    en.force_login(world.senior)
    page = en.get(case_url).content.decode()
    assert f"/extensions/{pending.pk}/decision/" in page
    response = en.post(f"/cases/{complaint.case_id}/extensions/{pending.pk}/decision/", {"decision": "approve"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_an_extension_without_a_reason_is_refused_on_the_form(en, world, now):
    complaint = receive(world.handler, world.individual)
    en.force_login(world.handler)
    response = en.post(f"/cases/{complaint.case_id}/complaints/{complaint.pk}/extensions/", {"level": 1, "reason": ""})
    assert response.status_code == 422
    assert "An extension needs a reason of at least 5 characters." in response.content.decode()
