"""Acknowledging and resolving many alerts at once from the inbox: in scope, each audited, refusals reported."""

from datetime import timedelta

from amends.audit.models import AuditEntry
from amends.warning.models import Alert

from .helpers import ev, ingest
from .test_pages import login


def two_alerts(now):
    for claim in ("CL301", "CL302"):
        ingest(ev("parts_list.issued", now - timedelta(days=1), claim=claim, salvage_parts=["后保险杠"]))
        ingest(ev("salvage.required", now, claim=claim, part="尾灯总成", amount="300.00"))
    return list(Alert.objects.order_by("pk"))


def test_ticked_alerts_are_resolved_together_and_each_is_audited(client, world, now):
    alerts = two_alerts(now)
    assert len(alerts) == 2
    login(client, world.handler)
    client.cookies["django_language"] = "en"
    answer = client.post(
        "/alerts/bulk/", {"alerts": [a.pk for a in alerts], "action": "resolve", "resolution": "清单已更正"}
    )
    assert answer.status_code == 302
    assert set(Alert.objects.values_list("status", "resolution")) == {("resolved", "清单已更正")}
    assert AuditEntry.objects.filter(action="alert.resolve").count() == 2
    client.post("/alerts/bulk/", {"alerts": [alerts[0].pk], "action": "acknowledge"})
    page = client.get("/alerts/?status=all").content.decode()
    assert "0 alerts changed." in page and "Only an open alert can be acknowledged." in page


def test_alerts_of_another_branch_are_left_alone(client, world, now):
    alerts = two_alerts(now)
    login(client, world.beijing_handler)
    client.post("/alerts/bulk/", {"alerts": [a.pk for a in alerts], "action": "acknowledge"})
    assert set(Alert.objects.values_list("status", flat=True)) == {"open"}


def test_alerts_other_apps_raise_show_a_name_not_a_code(client, world, now):
    from amends.warning.services import alert_raise

    alert_raise(
        rule="discretion_approval",
        subject_type="case",
        subject_id=1,
        title="审批",
        org_unit_id=world.shenzhen.pk,
        owner=world.supervisor,
        severity=2,
    )
    login(client, world.supervisor)
    client.cookies["django_language"] = "en"
    page = client.get("/alerts/").content.decode()
    assert "Discretion waiting for approval" in page and ">discretion_approval<" not in page
