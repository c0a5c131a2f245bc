"""POST /api/v1/events: one event or a batch, idempotent per event_id, invalid events reported one by one."""

from datetime import timedelta

from amends.audit.models import AuditEntry
from amends.core.tests.api_client import Api
from amends.warning.models import Event

from .helpers import ev


def test_a_batch_is_kept_and_a_repeat_is_ignored(world, now):
    api = Api(world.token(world.admin))
    batch = [ev("claim.reported", now - timedelta(hours=2), claim="CL9", touchpoint="auto_claim.report", channel="app")]
    batch.append(ev("assessor.appointment_set", now - timedelta(hours=1), claim="CL9"))
    first = api.post("/events", {"events": batch})
    assert first.status_code == 200 and first.json() == {"accepted": 2, "duplicates": 0, "rejected": []}
    again = api.post("/events", {"events": batch})
    assert again.status_code == 200 and again.json() == {"accepted": 0, "duplicates": 2, "rejected": []}
    stored = Event.objects.get(event_id=batch[0]["event_id"])
    assert (stored.type, stored.claim_no, stored.touchpoint, stored.attributes) == (
        "claim.reported",
        "CL9",
        "auto_claim.report",
        {"channel": "app"},
    )
    assert stored.occurred_at == now - timedelta(hours=2) and stored.received_at == now
    assert AuditEntry.objects.filter(action="event.ingest").count() == 1


def test_one_event_without_a_batch_wrapper(world, now):
    answer = Api(world.token(world.admin)).post("/events", ev("claim.paid", now))
    assert answer.json() == {"accepted": 1, "duplicates": 0, "rejected": []}


def test_the_same_id_twice_in_one_batch_counts_once(world, now):
    one = ev("claim.paid", now)
    answer = Api(world.token(world.admin)).post("/events", {"events": [one, dict(one)]})
    assert answer.json() == {"accepted": 1, "duplicates": 1, "rejected": []}


def test_invalid_events_are_reported_by_index_and_the_valid_ones_kept(world, now):
    good = ev("claim.reported", now)
    batch = [
        good,
        {"event_id": "x1", "type": "Claim Reported", "occurred_at": now.isoformat()},
        {"event_id": "x2", "type": "claim.paid", "occurred_at": "yesterday"},
        {"event_id": "x3", "type": "claim.paid", "occurred_at": "2026-11-01T09:30:00"},
        {"event_id": "x4", "type": "claim.paid", "occurred_at": (now + timedelta(days=1)).isoformat()},
        {"type": "claim.paid", "occurred_at": now.isoformat()},
        {"event_id": "x6", "type": "claim.paid", "occurred_at": now.isoformat(), "touchpoint": "auto_claim.nowhere"},
        {"event_id": "x7", "type": "claim.paid", "occurred_at": now.isoformat(), "attributes": [1, 2]},
        {"event_id": "x8", "type": "claim.paid", "occurred_at": now.isoformat(), "claim_number": "CL1"},
        {"event_id": "x9", "type": "claim.paid", "occurred_at": now.isoformat(), "claim_no": "C" * 41},
        {"event_id": 10, "type": "claim.paid", "occurred_at": now.isoformat()},
        "not an event",
        {"event_id": "x12", "type": "claim.paid", "occurred_at": now.isoformat(), "attributes": {"note": "a\u0000b"}},
    ]
    answer = Api(world.token(world.admin)).post("/events", {"events": batch})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["accepted"], body["duplicates"]) == (1, 0)
    rejected = {r["index"]: (r["event_id"], sorted(r["fields"])) for r in body["rejected"]}
    assert rejected == {
        1: ("x1", ["type"]),
        2: ("x2", ["occurred_at"]),
        3: ("x3", ["occurred_at"]),
        4: ("x4", ["occurred_at"]),
        5: (None, ["event_id"]),
        6: ("x6", ["touchpoint"]),
        7: ("x7", ["attributes"]),
        8: ("x8", ["claim_number"]),
        9: ("x9", ["claim_no"]),
        10: (None, ["event_id"]),
        11: (None, [""]),
        12: ("x12", ["attributes"]),
    }
    assert list(Event.objects.values_list("event_id", flat=True)) == [good["event_id"]]


def test_a_batch_with_nothing_valid_is_422_with_the_same_report(world, now):
    answer = Api(world.token(world.admin)).post("/events", {"events": [{"event_id": "x", "type": "claim.paid"}]})
    assert answer.status_code == 422
    body = answer.json()
    assert (body["error"], body["accepted"], list(body["fields"])) == ("invalid", 0, ["events.0.occurred_at"])
    assert body["rejected"][0]["index"] == 0 and not Event.objects.exists()


def test_bad_bodies(world, now):
    api = Api(world.token(world.admin))
    assert api.post("/events", "{not json").json()["error"] == "bad_json"
    assert api.post("/events", "[1, 2]").status_code == 422
    assert list(api.post("/events", {"events": "many"}).json()["fields"]) == ["events"]
    too_many = api.post("/events", {"events": [ev("claim.paid", now) for _ in range(10_001)]})
    assert too_many.status_code == 422 and "10,000" in too_many.json()["detail"]
    assert not Event.objects.exists()


def test_only_an_integration_account_may_send_events(world, now):
    assert Api(world.token(world.handler)).post("/events", ev("claim.paid", now)).status_code == 403
    assert Api(None).post("/events", ev("claim.paid", now)).status_code == 401


def test_a_full_batch_larger_than_djangos_upload_limit_is_taken(world, now):
    batch = [ev("contact.inbound", now, claim=f"CL{i}", note="客户来电询问进度" * 10) for i in range(10_000)]
    answer = Api(world.token(world.admin)).post("/events", {"events": batch})
    assert answer.status_code == 200 and answer.json()["accepted"] == 10_000
    assert Event.objects.count() == 10_000


def test_text_the_database_cannot_store_is_rejected_by_event(world, now):
    api = Api(world.token(world.admin))
    at = now.isoformat()
    lone = '{"event_id": "s1", "type": "claim.paid", "occurred_at": "AT", "attributes": {"x": "\\ud800"}}'
    good = '{"event_id": "s2", "type": "claim.paid", "occurred_at": "AT"}'
    raw = ('{"events": [' + lone + ", " + good + "]}").replace("AT", at)
    body = api.post("/events", raw).json()
    assert (body["accepted"], [r["event_id"] for r in body["rejected"]]) == (1, ["s1"])
    assert api.post("/events", '{"event_id": "n", "type": "a.b", "occurred_at": NaN}').json()["error"] == "bad_json"
    assert api.post("/events", b"\xff\xfe").json()["error"] == "bad_json"
