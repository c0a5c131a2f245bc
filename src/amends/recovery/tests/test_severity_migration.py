"""Migration 0008 turns each case's stored explanation (`priority_factors`) into the inputs it was computed from
(`severity`), so the explanation the case shows afterwards is the one it showed before."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amends.recovery.rules import Severity, priority

BEFORE = [("recovery", "0007_leaner_indexes")]
AFTER = [("recovery", "0008_case_severity")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    # Going back to 0007 also unapplies every later migration that depends on recovery (intake's, among them);
    # the tests after this one need all of them again, not just recovery 0008.
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_every_case_keeps_its_explanation_and_an_early_warning_keeps_its_level(now):
    from amends.assembly.testing import make_world

    world = make_world()
    old = _migrate(BEFORE)
    Case = old.get_model("recovery", "Case")
    tp = old.get_model("journeys", "Touchpoint").objects.get(code="auto_claim.salvage")
    factors = [
        {"code": "segment", "points": 15, "value": "key_account"},
        {"code": "loss_amount", "points": 20, "value": "60000"},
        {"code": "escalation", "points": 20, "value": "legal,regulator"},
        {"code": "early_warning", "points": 0, "value": "二次失败"},
    ]
    common = {"org_unit_id": world.shenzhen.pk, "status": "open", "opened_at": now}
    rich = Case.objects.create(
        customer_id=world.key_account.pk,
        touchpoint=tp,
        episode_key="claim:A",
        priority=1,
        priority_score=90,
        priority_factors=factors,
        **common,
    )
    plain = Case.objects.create(
        customer_id=world.individual.pk,
        episode_key="claim:B",
        priority=4,
        priority_score=0,
        priority_factors=[],
        **common,
    )
    new = _migrate(AFTER)
    Case = new.get_model("recovery", "Case")
    severity = Severity.from_data(Case.objects.get(pk=rich.pk).severity)
    assert severity.escalation_flags == ("legal", "regulator") and severity.loss_amount == 60000
    assert (severity.raised_to, severity.raised_reason) == (1, "二次失败")
    assert priority(severity).factors == factors and priority(severity).score == 55
    assert Case.objects.get(pk=plain.pk).severity == {}
