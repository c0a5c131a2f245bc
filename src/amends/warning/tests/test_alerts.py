"""Alerts: one live alert per rule and subject, acknowledged and resolved by people or by the system."""

import pytest

from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import NotFound, RuleViolation
from amends.core.tests.api_client import Api
from amends.warning import services
from amends.warning.models import Alert


def raise_one(world, subject_id=1, **kw):
    values = dict(
        rule="promise_due_soon",
        subject_type="promise",
        subject_id=subject_id,
        title="承诺即将到期",
        org_unit_id=world.shenzhen.pk,
        owner=world.handler,
    )
    values.update(kw)
    return services.alert_raise(**values)


def test_raising_twice_while_live_gives_the_same_alert(world, now):
    first, created = raise_one(world)
    again, created_again = raise_one(world)
    assert (created, created_again) == (True, False) and first.pk == again.pk
    assert AuditEntry.objects.filter(action="alert.raise").count() == 1


def test_after_it_is_resolved_the_same_subject_may_raise_a_new_alert(world, now):
    first, _ = raise_one(world)
    services.alert_resolve(actor=world.handler, alert_id=first.pk, resolution="已回电")
    second, created = raise_one(world)
    assert created and second.pk != first.pk


def unsaved(world, subject_id):
    return Alert(
        rule="promise_due_soon",
        subject_type="promise",
        subject_id=str(subject_id),
        title="承诺即将到期",
        org_unit_id=world.shenzhen.pk,
        raised_at=clock.now(),
    )


def test_raising_many_saves_them_at_once_each_with_its_audit_row(world, now):
    saved = services.alerts_raise([unsaved(world, i) for i in range(1, 4)])
    assert len(saved) == 3 and all(a.pk for a in saved)
    assert set(AuditEntry.objects.filter(action="alert.raise").values_list("object_id", flat=True)) == {
        str(a.pk) for a in saved
    }


def test_raising_many_skips_a_subject_someone_raised_meanwhile(world, now):
    """The bulk INSERT meets the live-alert constraint; the others are still saved, the taken one is not."""
    taken, _ = raise_one(world, subject_id=2)
    saved = services.alerts_raise([unsaved(world, i) for i in range(1, 4)])
    assert sorted(a.subject_id for a in saved) == ["1", "3"]
    assert Alert.objects.filter(subject_id="2").get().pk == taken.pk
    assert AuditEntry.objects.filter(action="alert.raise").count() == 3


def test_acknowledge_then_resolve(world, now):
    alert, _ = raise_one(world)
    services.alert_acknowledge(actor=world.handler, alert_id=alert.pk)
    with pytest.raises(RuleViolation):
        services.alert_acknowledge(actor=world.handler, alert_id=alert.pk)
    done = services.alert_resolve(actor=world.handler, alert_id=alert.pk, resolution="已处理")
    assert (done.status, done.resolved_by, done.resolution) == ("resolved", world.handler, "已处理")


def test_another_branch_cannot_touch_it(world, now):
    alert, _ = raise_one(world)
    with pytest.raises(NotFound):
        services.alert_acknowledge(actor=world.beijing_handler, alert_id=alert.pk)


def test_the_inbox_api(world, now):
    alert, _ = raise_one(world)
    raise_one(world, subject_id=2, owner=world.handler2)
    mine = Api(world.token(world.handler)).get("/alerts", mine="true").json()["items"]
    assert [a["id"] for a in mine] == [alert.pk]
    assert len(Api(world.token(world.supervisor)).get("/alerts").json()["items"]) == 2
    assert Api(world.token(world.beijing_handler)).get("/alerts").json()["items"] == []
    api = Api(world.token(world.handler))
    assert api.post(f"/alerts/{alert.pk}/acknowledge", {}).json()["status"] == "acknowledged"
    assert api.post(f"/alerts/{alert.pk}/resolve", {"resolution": "已回电"}).json()["status"] == "resolved"
    assert api.get("/alerts", status="resolved").json()["items"][0]["resolution"] == "已回电"
    assert api.get("/alerts", status="lost").status_code == 422
    assert Alert.objects.filter(status="open").count() == 1


def test_the_inbox_filters_by_severity_rule_and_role(world, now):
    raise_one(world, subject_id=1, severity=3, owner_role="supervisor")
    raise_one(world, subject_id=2, rule="repeat_contact", owner_role="handler")
    api = Api(world.token(world.supervisor))
    assert [a["subject"]["id"] for a in api.get("/alerts", severity=3).json()["items"]] == ["1"]
    assert [a["subject"]["id"] for a in api.get("/alerts", rule="repeat_contact").json()["items"]] == ["2"]
    assert [a["owner_role"] for a in api.get("/alerts", owner_role="supervisor").json()["items"]] == ["supervisor"]
    assert api.get("/alerts", severity=9).status_code == 422
