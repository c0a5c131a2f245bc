"""The event reads other apps rely on: customers who passed a touchpoint."""

from datetime import timedelta

from amends.warning import queries

from .helpers import ev, ingest


def test_customers_who_passed_a_touchpoint_each_once_latest_first(world, now):
    ingest(
        ev("claim.paid", now - timedelta(days=2), customer="C0001", touchpoint="auto_claim.payment"),
        ev("claim.paid", now - timedelta(days=1), customer="C0001", claim="CL2", touchpoint="auto_claim.payment"),
        ev("claim.paid", now - timedelta(hours=3), customer="C0002", touchpoint="auto_claim.payment"),
        ev("claim.reported", now - timedelta(hours=1), customer="C0003", touchpoint="auto_claim.report"),
        ev("claim.paid", now - timedelta(days=20), customer="C0004", touchpoint="auto_claim.payment"),
    )
    passed = queries.customers_who_passed("auto_claim.payment", since=now - timedelta(days=7), until=now)
    assert [(p.customer_ref, p.last_at) for p in passed] == [
        ("C0002", now - timedelta(hours=3)),
        ("C0001", now - timedelta(days=1)),
    ]
