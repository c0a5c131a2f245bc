"""Reference data is edited in Django's admin by admins, and those edits are audited."""

from amends.assembly.testing import PASSWORD
from amends.audit.models import AuditEntry
from amends.journeys.models import Touchpoint


def test_an_admin_edits_a_touchpoint_and_the_edit_is_audited(client, world):
    client.login(username="admin", password=PASSWORD)
    tp = Touchpoint.objects.get(code="auto_claim.salvage")
    page = client.get(f"/admin/journeys/touchpoint/{tp.pk}/change/")
    assert page.status_code == 200
    form = {
        "code": tp.code,
        "journey": tp.journey_id,
        "names": '{"zh-hans": "换件清单与残值回收"}',
        "criticality": 5,
        "encounter": tp.encounter,
        "focus_points": "[]",
        "position": tp.position,
        "active": "on",
    }
    response = client.post(f"/admin/journeys/touchpoint/{tp.pk}/change/", form)
    assert response.status_code == 302, response.content[:2000]
    tp.refresh_from_db()
    assert tp.criticality == 5
    entry = AuditEntry.objects.get(action="admin.change", object_type="journeys.touchpoint")
    assert entry.actor == world.admin and entry.before["criticality"] == 4 and entry.after["criticality"] == 5


def test_a_handler_cannot_open_the_admin(client, world):
    client.login(username="handler", password=PASSWORD)
    assert client.get("/admin/journeys/touchpoint/").status_code == 302


def test_cases_are_read_only_in_the_admin(client, world):
    client.login(username="admin", password=PASSWORD)
    assert client.get("/admin/recovery/case/add/").status_code == 403
