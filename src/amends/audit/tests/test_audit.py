"""The audit log: every service write leaves its entry in the same transaction, and entries never change."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from amends.audit.models import AppendOnlyError, AuditEntry
from amends.core.errors import InvalidInput
from amends.intake import services as intake
from amends.intake.tests.helpers import receive
from amends.recovery import services as recovery


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_every_service_writes_its_audit_entries(world, now):
    complaint = receive(world.frontline, world.individual)
    case_id = complaint.case_id
    for step in ("apology", "fix", "empathy", "atonement"):
        recovery.step_record(actor=world.handler, case_id=case_id, step=step, note="ok")
    ext = intake.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=1, reason="复杂")
    ext2 = intake.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=2, reason="更复杂")
    intake.extension_decide(actor=world.supervisor, extension_id=ext2.pk, approve=True)
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


def test_the_application_cannot_change_or_delete_an_entry(world, now):
    receive(world.frontline, world.individual)
    entry = AuditEntry.objects.first()
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize("sql", ["UPDATE audit_auditentry SET action = 'forged'", "DELETE FROM audit_auditentry"])
def test_the_database_itself_refuses_changes(world, now, sql):
    receive(world.frontline, world.individual)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert not AuditEntry.objects.filter(action="forged").exists()
