"""The alert inbox and the playbooks pages, through the real request stack."""

import re
from datetime import timedelta

from django.utils.html import escape

from amends.assembly.testing import PASSWORD
from amends.audit.models import AuditEntry
from amends.recovery.models import Case, TimelineEntry
from amends.warning.models import Alert, Playbook

from .helpers import ev, ingest


def salvage_alert(now):
    ingest(ev("parts_list.issued", now - timedelta(days=1), claim="CL300", salvage_parts=["后保险杠"]))
    ingest(ev("salvage.required", now, claim="CL300", part="尾灯总成", amount="300.00"))
    return Alert.objects.get()


def login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_the_inbox_lists_alerts_in_scope_with_filters(client, world, now):
    alert = salvage_alert(now)
    login(client, world.handler)
    page = client.get("/alerts/")
    assert page.status_code == 200 and alert.title in page.content.decode()
    assert alert.title not in client.get("/alerts/", {"severity": 1}).content.decode()
    assert client.get("/alerts/", {"severity": "x", "page": "-3"}).status_code == 200  # bad filters are ignored
    login(client, world.beijing_handler)
    assert alert.title not in client.get("/alerts/").content.decode()


def test_acknowledge_and_resolve_from_the_inbox(client, world, now):
    alert = salvage_alert(now)
    login(client, world.handler)
    assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 302
    client.post(f"/alerts/{alert.pk}/resolve/", {"resolution": "已通知定损员更正清单"})
    alert.refresh_from_db()
    assert (alert.status, alert.resolution, alert.resolved_by) == ("resolved", "已通知定损员更正清单", world.handler)
    assert client.post(f"/alerts/{alert.pk}/resolve/").status_code == 302  # refused with a message, not a 500
    login(client, world.beijing_handler)
    assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 404


def test_open_a_recovery_case_with_the_playbook(client, world, now):
    ingest(ev("contact.inbound", now - timedelta(days=2), claim="CL7"))
    ingest(ev("contact.inbound", now - timedelta(days=1), claim="CL7", touchpoint="auto_claim.assessment"))
    ingest(ev("contact.inbound", now, claim="CL7"))
    alert = Alert.objects.get(rule="repeat_contact")
    assert alert.case_id is None  # this rule does not open cases itself
    login(client, world.handler)
    response = client.post(f"/alerts/{alert.pk}/open-case/")
    alert.refresh_from_db()
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert (alert.case_id, alert.status) == (case.pk, "acknowledged")
    note = TimelineEntry.objects.get(case=case, kind="note")
    playbook = Playbook.objects.get(touchpoint__code="auto_claim.assessment")
    assert playbook.apology in note.text and "2026-11-05" in note.text
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert playbook.apology in page and "2026-11-05" in page
    # The plan is the starting text of the forms staff fill in: the apology, the fixes, the atonement.
    assert re.search(r'<textarea name="note"[^>]*>\s*' + re.escape(escape(playbook.apology)), page)
    assert re.search(r'<textarea name="fix"[^>]*>\s*' + re.escape(escape(playbook.fix_action_list[0])), page)
    assert re.search(r'<textarea name="atonement"[^>]*>\s*' + re.escape(escape(playbook.atonement)), page)
    client.post(f"/alerts/{alert.pk}/open-case/")
    assert Case.objects.count() == 1


def test_a_quality_manager_edits_a_playbook_and_a_stale_edit_is_refused(client, world, now):
    login(client, world.quality)
    url = "/playbooks/auto_claim.salvage/"
    playbook = Playbook.objects.get(touchpoint__code="auto_claim.salvage")
    form = {
        "apology": "对不起，是我们的清单写漏了。",
        "fix_actions": "按清单交残即视为完成\n更正系统",
        "atonement": "不扣残值",
        "atonement_limit": "300.00",
        "follow_up_days": "2",
        "version": str(playbook.version),
    }
    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 302
    playbook.refresh_from_db()
    assert (playbook.apology, playbook.version, playbook.updated_by) == (form["apology"], 2, world.quality)
    assert AuditEntry.objects.filter(action="playbook.save", actor=world.quality).exists()
    stale = client.post(url, {**form, "apology": "旧版本"})
    assert stale.status_code == 409 and Playbook.objects.get(pk=playbook.pk).apology == form["apology"]
    empty = client.post(url, {**form, "apology": "", "version": "2"})
    assert empty.status_code == 422
    assert "/playbooks/" in client.get("/playbooks/").content.decode()


def test_only_quality_managers_edit_playbooks(client, world, now):
    login(client, world.handler)
    assert client.get("/playbooks/").status_code == 200
    assert client.get("/playbooks/auto_claim.salvage/").status_code == 403
    login(client, world.quality)
    assert client.get("/playbooks/no.such/").status_code == 404
