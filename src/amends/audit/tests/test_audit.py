"""The audit log itself: entries are only ever added; neither the application nor SQL can change one."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from amends.audit.models import AppendOnlyError, AuditEntry


@pytest.fixture
def entry(db):
    return AuditEntry.objects.create(at="2026-11-02T10:00:00+08:00", action="case.open", object_type="x", object_id="1")


def test_the_application_cannot_change_or_delete_an_entry(entry):
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
def test_the_database_itself_refuses_changes(entry, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert not AuditEntry.objects.filter(action="forged").exists()
