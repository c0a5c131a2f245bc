"""`amends text train` promotes a candidate only when it is as good as the model in use on held-out texts of
the insurer's own; imported history and template copies are left out; the case page names the model."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.intake.models import Complaint
from amends.text import store, training
from amends.text.models import ComplaintCode, ComplaintText, TextModel
from amends.text.queries import case_coding

ADJUSTER = "The adjuster {who} never called me back about my {car} claim, it has been {d} days without a word."
PREMIUM = "My renewal premium for the {car} went up without any notice, {who} never explained the new price."
WHO = ("Smith", "Garcia", "Chen", "Miller", "Lopez", "Brown", "Nguyen", "Davis", "Wilson", "Moore", "Clark")
CAR = ("sedan", "pickup", "truck", "van", "hatchback", "coupe", "minivan", "jeep")
TEXAS = "Claim Handling: Automobile / Individual\nFiled by: Insured\nKeywords: Delay {n}"


@pytest.fixture(autouse=True)
def fresh_store():
    store.forget()
    yield
    store.forget()


def _coded(world, n, *, english=True, start=0):
    """n complaints of the insurer's own, coded in all four fields (two kinds, alternating)."""
    for i in range(start, start + n):
        adjuster = i % 2 == 0
        text = (ADJUSTER if adjuster else PREMIUM).format(who=WHO[i % 11], car=CAR[i // 11 % 8], d=3 + i)
        complaint = receive(
            world.frontline,
            world.individual,
            claim_no=f"C{i}",
            description=text if english else f"定损员{WHO[i % 11]}一直不回电话，{CAR[i // 11 % 8]}的事已经拖了{i}天。",
            touchpoint="auto_claim.assessment" if adjuster else "renewal.quote",
        )
        Complaint.objects.filter(pk=complaint.pk).update(category="claims" if adjuster else "renewal")
        for field, code in (("cause", "company"), ("dimension", "responsiveness" if adjuster else "reliability")):
            ComplaintCode.objects.create(
                complaint=complaint, field=field, code=code, outcome="entered", actor=world.handler, at=clock.now()
            )


def _imported(world, n, *, varied=False):
    for i in range(n):
        text = TEXAS.format(n=i)
        if varied:
            text = (PREMIUM if i % 2 else ADJUSTER).format(who=WHO[i % 11], car=CAR[i // 11 % 8], d=3 + i)
        complaint = receive(world.frontline, world.individual, claim_no=f"TX{i}", description=text, touchpoint="")
        Complaint.objects.filter(pk=complaint.pk).update(category="other", source="tx-tdi", external_ref=f"TX{i}")


def test_imported_history_and_template_copies_are_left_out(world, now):
    _coded(world, 4)
    _imported(world, 6)
    own = training.coded_complaints()
    assert len(own.texts) == 4 and own.left_out == {"imported": 6, "template copies": 0}
    both = training.coded_complaints(include_imported=True)
    # Six fill-ins of one template count once.
    assert len(both.texts) == 5 and both.left_out == {"template copies": 5} and sum(both.imported) == 1


def test_a_better_candidate_replaces_the_starter_and_the_case_page_says_which_model(world, now):
    _coded(world, 80)
    out = StringIO()
    call_command("text", "train", stdout=out)
    row = TextModel.objects.get()
    text = out.getvalue()
    assert "as good or better" in text and "worse" not in text.replace("as good or better", "")
    assert row.evaluation["in_use"] == "starter" and row.evaluation["fields"]["category"]["candidate"] > 0.8
    entry = AuditEntry.objects.get(action="text.model_train")
    assert entry.after["forced"] is False and entry.after["comparison"]["held_out"] >= 10
    complaint = receive(
        world.frontline, world.online, claim_no="NEW", description=ADJUSTER.format(who="Lee", car="sedan", d=2)
    )
    assert ComplaintText.objects.get(complaint=complaint).model == f"model:{row.pk}"
    [coding] = case_coding(world.handler, complaint.case)
    assert coding["model_id"] == row.pk and coding["model_trained_at"] == row.trained_at


def test_a_worse_candidate_is_refused_and_force_is_audited(world, now):
    _coded(world, 80)
    call_command("text", "train", stdout=StringIO())
    good = TextModel.objects.get()
    # Imported history in the same words, all coded "other" (as the Texas import is): trained on it too, the
    # candidate offers the insurer's own categories less often, and is refused.
    _imported(world, 240, varied=True)
    out = StringIO()
    with pytest.raises(CommandError, match="worse than the model in use"):
        call_command("text", "train", "--include-imported", stdout=out)
    assert "worse" in out.getvalue() and "Left out:" in out.getvalue()
    assert TextModel.objects.get() == good  # still the one in use
    refused = AuditEntry.objects.get(action="text.model_refused")
    assert refused.object_id == str(good.pk) and refused.after["comparison"]["in_use"] == f"model:{good.pk}"
    call_command("text", "train", "--include-imported", "--force", stdout=out)
    forced = TextModel.objects.latest("id")
    assert forced != good and "forced" in out.getvalue()
    assert AuditEntry.objects.filter(action="text.model_train", after__forced=True).count() == 1
    # Without the imported history the candidate is as good again.
    call_command("text", "train", stdout=out)
