"""Org units edited in the admin save what the form says, audited with the true before and after; moving a
unit moves its subtree and its scope (issue 17, finding 2)."""

from amends.accounts.access import forget_subtrees, in_scope
from amends.accounts.models import OrgUnit
from amends.assembly.testing import PASSWORD
from amends.audit.models import AuditEntry


def edit(client, unit: OrgUnit, **changes):
    form = {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": unit.parent_id, "region": unit.region}
    form.update(changes)
    return client.post(f"/admin/accounts/orgunit/{unit.pk}/change/", form)


def test_a_renamed_and_moved_unit_takes_its_subtree_and_scope_along(client, world):
    client.login(username="admin", password=PASSWORD)
    response = edit(client, world.shenzhen, name="深圳分公司（新）", parent=world.beijing.pk)
    assert response.status_code == 302, response.content[:2000]
    shenzhen = OrgUnit.objects.get(pk=world.shenzhen.pk)
    nanshan = OrgUnit.objects.get(pk=world.nanshan.pk)
    assert shenzhen.name == "深圳分公司（新）" and shenzhen.parent_id == world.beijing.pk
    assert shenzhen.path == f"{world.beijing.path}{shenzhen.pk}/"
    assert nanshan.path == f"{shenzhen.path}{nanshan.pk}/"
    forget_subtrees()
    # Beijing's staff now see Nanshan's customers; Guangdong's quality manager no longer does.
    assert in_scope(world.beijing_handler, world.individual.org_unit_id)
    assert not in_scope(world.quality, world.individual.org_unit_id)
    entry = AuditEntry.objects.get(action="admin.change", object_type="accounts.orgunit")
    assert entry.before["parent"] == world.guangdong.pk and entry.after["parent"] == world.beijing.pk
    assert entry.after["name"] == "深圳分公司（新）"


def test_a_unit_cannot_move_under_its_own_subtree(client, world):
    client.login(username="admin", password=PASSWORD)
    response = edit(client, world.shenzhen, parent=world.nanshan.pk)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert OrgUnit.objects.get(pk=world.shenzhen.pk).parent_id == world.guangdong.pk
    assert not AuditEntry.objects.filter(action="admin.change", object_type="accounts.orgunit").exists()
