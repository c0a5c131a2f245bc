"""Suggested codes at intake, and staff accepting or correcting them (the training data)."""

import pytest

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.core.errors import Conflict, InvalidInput
from amends.core.tests.api_client import Api
from amends.intake.tests.test_api_complaints import body
from amends.text import services
from amends.text.models import ComplaintCode, ComplaintText

CLAIM = "定损员到现场后态度很差，损失部位没看全就说只能按这个价，问他依据也不解释。"


def test_every_complaint_gets_four_suggestions_from_the_starter_model(world, now):
    complaint = receive(world.frontline, world.individual, description=CLAIM, request="要求重新定损。")
    reading = ComplaintText.objects.get(complaint=complaint)
    assert reading.model == "starter"
    assert set(reading.suggested) == {"category", "touchpoint", "cause", "dimension"}
    assert reading.suggested["category"]["code"] == "claims"
    assert reading.suggested["touchpoint"]["code"] == "auto_claim.assessment"
    assert 0 < reading.suggested["dimension"]["confidence"] <= 1


def test_the_api_answer_offers_only_confident_suggestions(world, now, settings):
    api = Api(world.token(world.frontline))
    answer = api.post("/complaints", body(world, description=CLAIM)).json()
    category = answer["suggested"]["category"]
    assert category["code"] == "claims" and category["confidence"] >= 0.6
    settings.AMENDS_TEXT_PREFILL_THRESHOLD = 1.01  # nothing is that sure: nothing is offered
    case = Api(world.token(world.handler)).get(f"/cases/{answer['case']['id']}").json()
    assert case["suggested"] == {"category": None, "touchpoint": None, "cause": None, "dimension": None}
    assert case["coding"][0]["fields"][0]["best_guess"] == "claims"


def _code(world, complaint, field, code, version=None):
    complaint.case.refresh_from_db()
    return services.complaint_code(
        actor=world.handler,
        complaint_id=complaint.pk,
        field=field,
        code=code,
        version=complaint.case.version if version is None else version,
    )


def test_accepting_a_suggestion_codes_the_complaint(world, now):
    complaint = receive(world.frontline, world.individual, description=CLAIM, touchpoint="")
    row = _code(world, complaint, "category", "claims")
    assert (row.outcome, row.suggested, row.actor) == ("accepted", "claims", world.handler)
    complaint.refresh_from_db()
    assert complaint.category == "claims"
    assert AuditEntry.objects.filter(action="complaint.code", object_id=str(row.pk)).exists()
    assert AuditEntry.objects.filter(action="complaint.category", object_id=str(complaint.pk)).exists()


def test_correcting_a_suggestion_records_both(world, now):
    complaint = receive(world.frontline, world.individual, description=CLAIM)
    suggested = ComplaintText.objects.get(complaint=complaint).suggested["dimension"]["code"]
    other = "competence" if suggested != "competence" else "standards"
    row = _code(world, complaint, "dimension", other)
    assert (row.outcome, row.suggested, row.code) == ("corrected", suggested, other)


def test_correcting_the_touchpoint_moves_the_complaint(world, now):
    complaint = receive(world.frontline, world.individual, description=CLAIM, touchpoint="")
    _code(world, complaint, "touchpoint", "auto_claim.payment")
    complaint.refresh_from_db()
    assert complaint.touchpoint.code == "auto_claim.payment"


def test_a_second_confirmation_replaces_the_first_and_is_audited(world, now):
    complaint = receive(world.frontline, world.individual, description=CLAIM)
    _code(world, complaint, "cause", "company")
    _code(world, complaint, "cause", "customer")
    assert list(ComplaintCode.objects.filter(complaint=complaint).values_list("code", flat=True)) == ["customer"]
    entry = AuditEntry.objects.filter(action="complaint.code").order_by("-id").first()
    assert entry.before["code"] == "company" and entry.after["code"] == "customer"


def test_an_unknown_code_is_refused_and_nothing_is_written(world, now):
    complaint = receive(world.frontline, world.individual, description=CLAIM)
    with pytest.raises(InvalidInput) as refused:
        _code(world, complaint, "dimension", "speed")
    assert "code" in refused.value.fields
    assert not ComplaintCode.objects.exists()


def test_a_stale_case_version_is_a_conflict(world, now):
    complaint = receive(world.frontline, world.individual, description=CLAIM)
    complaint.case.refresh_from_db()
    stale = complaint.case.version
    _code(world, complaint, "cause", "company")
    with pytest.raises(Conflict):
        _code(world, complaint, "dimension", "attitude", version=stale)
    assert ComplaintCode.objects.count() == 1


def test_a_case_outside_the_actors_scope_is_not_found(world, now):
    from amends.core.errors import NotFound

    complaint = receive(world.frontline, world.individual, description=CLAIM)
    with pytest.raises(NotFound):
        services.complaint_code(
            actor=world.beijing_handler, complaint_id=complaint.pk, field="cause", code="company", version=None
        )
