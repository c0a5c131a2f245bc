"""Related complaints: joining the customer's open case (same claim or policy, or a near-duplicate text
within 30 days) and saying why; a customer coming back is a repeat failure; split and merge."""

from datetime import timedelta

import pytest

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import Conflict, RuleViolation
from amends.intake.models import Complaint
from amends.intake.services import case_merge, complaint_split
from amends.recovery.models import Case, Failure, TimelineEntry

SALVAGE = "按盖章的换件清单交了残件，理赔系统却要求另交一个清单上没写的零件，扣了300元残值。"


def _why(complaint):
    entry = TimelineEntry.objects.get(kind="complaint", data__complaint=complaint.pk)
    return entry.data.get("why")


def test_the_customers_second_complaint_on_the_claim_says_why_it_joined(world, now):
    first = receive(world.frontline, world.individual)
    second = receive(world.frontline, world.individual, description="补充材料")
    assert second.case_id == first.case_id
    assert _why(second) == {"reason": "same_claim"}
    assert _why(first) is None


def test_another_customer_about_the_same_claim_is_not_joined(world, now):
    first = receive(world.frontline, world.individual, claim_no="CL-77")
    other = receive(world.frontline, world.online, claim_no="CL-77", description="我是车主的妻子")
    assert other.case_id != first.case_id


def test_a_near_duplicate_after_30_days_opens_its_own_case(world, now):
    with clock.frozen(now - timedelta(days=31)):
        first = receive(
            world.frontline,
            world.individual,
            claim_no="",
            touchpoint="auto_claim.salvage",
            received_at=now - timedelta(days=31),
        )
    again = receive(world.frontline, world.individual, claim_no="", touchpoint="")
    assert again.case_id != first.case_id


def test_a_near_duplicate_text_of_the_customer_joins_and_shows_the_similarity(world, now):
    first = receive(
        world.frontline, world.individual, claim_no="", touchpoint="auto_claim.salvage", description=SALVAGE
    )
    resent = receive(
        world.frontline,
        world.individual,
        claim_no="",
        touchpoint="",  # another episode by the rule: only the words tie it to the first
        channel="regulator",
        description="12378转办：" + SALVAGE.replace("，", " ") + "！",
    )
    assert resent.case_id == first.case_id
    why = _why(resent)
    assert why["reason"] == "similar_text" and why["complaint"] == first.pk and why["similarity"] >= 0.6


def test_a_different_text_of_the_customer_is_not_linked(world, now):
    first = receive(
        world.frontline, world.individual, claim_no="", touchpoint="auto_claim.salvage", description=SALVAGE
    )
    other = receive(
        world.frontline,
        world.individual,
        claim_no="",
        touchpoint="",
        description="续保保费涨了很多，业务员说不清原因。",
    )
    assert other.case_id != first.case_id


def test_another_customer_writing_alike_is_never_linked_by_words(world, now):
    first = receive(world.frontline, world.individual, claim_no="", touchpoint="", description=SALVAGE)
    other = receive(world.frontline, world.online, claim_no="", touchpoint="", description=SALVAGE)
    assert other.case_id != first.case_id


def test_words_never_join_a_case_about_another_claim(world, now):
    first = receive(world.frontline, world.individual, claim_no="CL-1", description=SALVAGE)
    other = receive(world.frontline, world.individual, claim_no="CL-2", description=SALVAGE)
    assert other.case_id != first.case_id


def test_a_customer_coming_back_a_day_later_is_a_repeat_failure(world, now):
    with clock.frozen(now - timedelta(days=2)):
        first = receive(world.frontline, world.individual, received_at=now - timedelta(days=2))
    score_before = Case.objects.get(pk=first.case_id).priority_score
    again = receive(world.frontline, world.individual, description="两天了还是没人处理")
    case = Case.objects.get(pk=first.case_id)
    assert again.case_id == case.pk
    failure = Failure.objects.get(case=case)
    assert (failure.source, failure.source_ref, failure.dimension) == (
        "complaint",
        f"complaint:{again.pk}",
        "responsiveness",
    )
    assert case.priority_score > score_before
    assert {"code": "repeat_failures", "points": 15, "value": "1"} in case.priority_factors
    assert TimelineEntry.objects.filter(case=case, kind="repeat").exists()


def test_the_same_contact_twice_on_one_day_is_not_a_repeat_failure(world, now):
    receive(world.frontline, world.individual)
    receive(world.frontline, world.individual, description="刚才说漏了一点")
    assert not Failure.objects.exists()


def test_complaining_again_soon_after_the_case_closed_is_a_repeat_failure(world, now):
    first = receive(world.frontline, world.individual)
    Case.objects.filter(pk=first.case_id).update(status="closed", closed_at=now - timedelta(days=3))
    again = receive(world.frontline, world.individual, description="结案后问题又出现了")
    assert again.case_id != first.case_id
    assert Failure.objects.get().case_id == again.case_id


def _two_on_one_case(world):
    first = receive(world.frontline, world.individual)
    second = receive(world.frontline, world.individual, description="另外，续保保费也有问题")
    assert second.case_id == first.case_id
    return first, second


def test_a_complaint_is_split_out_to_its_own_case(world, now):
    first, second = _two_on_one_case(world)
    source = Case.objects.get(pk=first.case_id)
    new_case = complaint_split(actor=world.handler, complaint_id=second.pk, version=source.version)
    second.refresh_from_db()
    assert second.case_id == new_case.pk != first.case_id
    assert new_case.owner is not None and new_case.due_at == second.due_at
    assert AuditEntry.objects.filter(action="complaint.split", object_id=str(second.pk)).exists()
    assert TimelineEntry.objects.filter(case_id=first.case_id, kind="split").exists()
    # A later complaint on the same claim still joins the original case.
    third = receive(world.frontline, world.individual, description="再补充")
    assert third.case_id == first.case_id


def test_the_only_complaint_cannot_be_split_and_a_stale_version_is_refused(world, now):
    _first, second = _two_on_one_case(world)
    with pytest.raises(Conflict):
        complaint_split(actor=world.handler, complaint_id=second.pk, version=1)
    complaint_split(actor=world.handler, complaint_id=second.pk, version=None)
    with pytest.raises(RuleViolation):
        complaint_split(actor=world.handler, complaint_id=second.pk, version=None)


def test_two_cases_are_merged_and_the_merged_one_closes(world, now):
    a = receive(world.frontline, world.individual, claim_no="CL-A", loss_amount=None)
    b = receive(world.frontline, world.individual, claim_no="CL-B", description="我要去法院起诉你们")
    into = Case.objects.get(pk=a.case_id)
    merged = case_merge(actor=world.handler, case_id=a.case_id, other_id=b.case_id, version=into.version)
    assert set(Complaint.objects.filter(case=merged).values_list("pk", flat=True)) == {a.pk, b.pk}
    other = Case.objects.get(pk=b.case_id)
    assert (other.status, other.closure) == ("closed", "merged")
    merged.refresh_from_db()
    assert any(f["code"] == "escalation" for f in merged.priority_factors)  # the worse of both is kept
    assert AuditEntry.objects.filter(action="case.merged", object_id=str(other.pk)).exists()
    assert AuditEntry.objects.filter(action="complaint.merge", object_id=str(b.pk)).exists()
    with pytest.raises(RuleViolation):
        case_merge(actor=world.handler, case_id=a.case_id, other_id=b.case_id, version=None)


def test_a_merge_with_a_stale_version_writes_nothing(world, now):
    a = receive(world.frontline, world.individual, claim_no="CL-A")
    b = receive(world.frontline, world.individual, claim_no="CL-B")
    with pytest.raises(Conflict):
        case_merge(actor=world.handler, case_id=a.case_id, other_id=b.case_id, version=99)
    assert Complaint.objects.get(pk=b.pk).case_id == b.case_id
    assert Case.objects.get(pk=b.case_id).status == "open"


def test_two_customers_cases_are_never_merged(world, now):
    a = receive(world.frontline, world.individual, claim_no="CL-A")
    b = receive(world.frontline, world.online, claim_no="CL-B")
    with pytest.raises(RuleViolation) as refused:
        case_merge(actor=world.handler, case_id=a.case_id, other_id=b.case_id, version=None)
    assert refused.value.code == "merge_other_customer"
    assert Complaint.objects.get(pk=b.pk).case_id == b.case_id and Case.objects.get(pk=b.case_id).status == "open"
