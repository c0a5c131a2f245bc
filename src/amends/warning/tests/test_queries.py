"""The event reads other apps rely on: renewals and lapses by policy, customers who passed a touchpoint."""

from datetime import timedelta

from amends.warning import queries

from .helpers import ev, ingest


def test_policy_outcomes_by_policy_and_time(world, now):
    renewed = ev("policy.renewed", now - timedelta(days=3), claim="")
    renewed["policy_no"] = "PA1"
    lapsed = ev("policy.lapsed", now - timedelta(days=1), claim="")
    lapsed["policy_no"] = "PA2"
    old = ev("policy.renewed", now - timedelta(days=400), claim="")
    old["policy_no"] = "PA1"
    ingest(renewed, lapsed, old, ev("claim.paid", now, claim="CL1"))
    since = now - timedelta(days=30)
    assert queries.policy_outcomes(None, since=since, until=now) == [
        ("PA1", "policy.renewed", now - timedelta(days=3)),
        ("PA2", "policy.lapsed", now - timedelta(days=1)),
    ]
    assert [p for p, _t, _at in queries.policy_outcomes(["PA2"], since=since, until=now)] == ["PA2"]


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
