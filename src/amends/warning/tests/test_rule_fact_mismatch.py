"""Fact mismatch, the seed's ¥300 case: the claims system requires a salvage part back that the parts list
handed to the customer does not name; caught on ingest before payment, with the failure and case opened."""

from datetime import timedelta

from amends.recovery.models import Failure
from amends.warning.models import Alert
from amends.warning.rules.fact_mismatch import missing_parts

from .helpers import ev, ingest


def test_a_required_part_missing_from_the_customers_list_is_caught(world, now):
    ingest(ev("parts_list.issued", now - timedelta(days=2), claim="CL300", salvage_parts=["后保险杠"]))
    result = ingest(ev("salvage.required", now, claim="CL300", part="尾灯总成", amount="300.00"))
    assert result.alerts == 1
    alert = Alert.objects.get(rule="fact_mismatch_salvage")
    assert (alert.subject_id, alert.severity, alert.touchpoint.code) == ("CL300", 3, "auto_claim.salvage")
    assert alert.detail["parts"] == ["尾灯总成"] and alert.detail["amount"] == "300.00"
    assert "尾灯总成" in alert.title and "300.00" in alert.title
    failure = Failure.objects.get()
    assert (failure.dimension, failure.gap, failure.case_id) == ("competence", 2, alert.case_id)


def test_either_order_of_arrival_is_caught(world, now):
    result = ingest(
        ev("salvage.required", now - timedelta(hours=1), claim="CL301", part="尾灯总成", amount="300"),
        ev("parts_list.issued", now, claim="CL301", salvage_parts=["后保险杠"]),
    )
    assert result.alerts == 1


def test_a_list_that_names_the_part_or_no_list_yet_raises_nothing(world, now):
    result = ingest(
        ev("parts_list.issued", now, claim="CL302", salvage_parts=["尾灯总成", "后保险杠"]),
        ev("salvage.required", now, claim="CL302", part="尾灯总成"),
        ev("salvage.required", now, claim="CL303", part="前大灯"),  # no parts list handed over yet
    )
    assert result.alerts == 0 and not Alert.objects.exists()


def test_missing_parts_is_a_set_difference():
    assert missing_parts({"a": 1, "b": 2}, {"a"}) == {"b": 2}
    assert missing_parts({"a": 1}, {"a", "c"}) == {}
