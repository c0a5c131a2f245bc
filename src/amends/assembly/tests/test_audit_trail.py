"""The audit trail across the apps: every service write leaves its entry in the same transaction, and a
refused write leaves none."""

import pytest

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.core.errors import InvalidInput
from amends.intake import services as intake
from amends.recovery import services as recovery


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_every_service_writes_its_audit_entries(world, now):
    complaint = receive(world.frontline, world.individual)
    case_id = complaint.case_id
    for step in ("apology", "fix", "empathy", "atonement"):
        recovery.step_record(actor=world.handler, case_id=case_id, step=step, note="ok")
    ext = intake.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=1, reason="需调取行车记录")
    ext2 = intake.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=2, reason="需第三方鉴定")
    intake.extension_decide(actor=world.senior, extension_id=ext2.pk, approve=True)
    intake.complaint_decide(actor=world.handler, complaint_id=complaint.pk, decision="赔付")
    recovery.case_assign(actor=world.supervisor, case_id=case_id, owner=world.handler2)
    recovery.step_record(actor=world.handler2, case_id=case_id, step="follow_up", note="满意", outcome="recovered")
    seen = set(actions())
    assert {
        "case.open",
        "case.clock",
        "complaint.receive",
        "case.step.apology",
        "case.step.fix",
        "case.step.empathy",
        "case.step.atonement",
        "complaint.extension.request",
        "complaint.extend",
        "complaint.extension.decide",
        "complaint.decide",
        "case.assign",
        "case.close",
    } <= seen
    assert ext.pk != ext2.pk
    entry = AuditEntry.objects.filter(action="case.close").get()
    assert entry.actor == world.handler2 and entry.before["status"] == "follow_up" and entry.after["status"] == "closed"


def test_a_refused_write_leaves_no_audit_entry(world, now):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput):
        receive(world.frontline, world.individual, description="")
    assert AuditEntry.objects.count() == before
