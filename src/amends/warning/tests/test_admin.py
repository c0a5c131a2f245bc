"""Rule configurations are edited in the admin: audited, checked, and never over someone else's edit."""

import json

from amends.assembly.testing import PASSWORD
from amends.audit.models import AuditEntry
from amends.warning.models import RuleConfig


def form(config, **changes):
    values = {
        "key": config.key,
        "rule": config.rule,
        "name": config.name,
        "enabled": "on" if config.enabled else "",
        "params": json.dumps(config.params),
        "touchpoints": json.dumps(config.touchpoints),
        "severity": config.severity,
        "owner_role": config.owner_role,
        "opens_case": "on" if config.opens_case else "",
        "version": config.version,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v != ""}


def test_an_admin_changes_a_threshold_and_the_change_is_audited(client, world):
    client.login(username="admin", password=PASSWORD)
    config = RuleConfig.objects.get(key="repeat_contact")
    url = f"/admin/warning/ruleconfig/{config.pk}/change/"
    assert client.get(url).status_code == 200
    params = {**config.params, "min_contacts": 4}
    response = client.post(url, form(config, params=json.dumps(params)))
    assert response.status_code == 302, response.content[:2000]
    config.refresh_from_db()
    assert (config.params["min_contacts"], config.version) == (4, 2)
    entry = AuditEntry.objects.get(action="admin.change", object_type="warning.ruleconfig")
    assert entry.actor == world.admin and entry.after["params"]["min_contacts"] == 4


def test_a_stale_form_or_an_unknown_rule_class_is_refused(client, world):
    client.login(username="admin", password=PASSWORD)
    config = RuleConfig.objects.get(key="repeat_contact")
    url = f"/admin/warning/ruleconfig/{config.pk}/change/"
    RuleConfig.objects.filter(pk=config.pk).update(version=5)
    assert client.post(url, form(config, enabled="")).status_code == 200  # the form again, with the error
    assert client.post(url, form(config, version=5, rule="nonsense")).status_code == 200
    config.refresh_from_db()
    assert config.enabled and config.rule == "repeat_contact"
