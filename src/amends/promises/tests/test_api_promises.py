"""POST /api/v1/promises, /promises/{id}/outcome and GET /promise-hint through the HTTP stack."""

from datetime import timedelta

import pytest

from amends.assembly.testing import receive
from amends.core import clock
from amends.core.tests.api_client import Api
from amends.promises import services


@pytest.fixture
def api(world):
    return Api(world.token(world.handler))


def body(world, now, **kw):
    payload = {
        "customer": {"id": world.individual.pk},
        "touchpoint": "auto_claim.assessment",
        "text": "定损员明早9点到现场",
        "due_at": (now + timedelta(hours=23)).isoformat(),
        "channel": "hotline",
    }
    payload.update(kw)
    return payload


def test_a_promise_is_made_and_answers_with_the_hint(api, world, now):
    response = api.post("/promises", body(world, now))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "open" and data["history"][0]["kind"] == "made"
    assert data["suggestion"]["similar"] == 0 and data["suggestion"]["enough_history"] is False


def test_bad_input(api, world, now):
    past = api.post("/promises", body(world, now, due_at=(now - timedelta(hours=1)).isoformat()))
    assert past.status_code == 422 and "due_at" in past.json()["fields"]
    unknown = api.post("/promises", body(world, now, customer={"id": 987654}))
    assert unknown.status_code == 422 and "customer.id" in unknown.json()["fields"]
    missing = api.post("/promises", {"customer": {"id": world.individual.pk}})
    assert missing.status_code == 422 and {"text", "due_at"} <= set(missing.json()["fields"])


def test_settling_through_the_api(api, world, now):
    promise_id = api.post("/promises", body(world, now)).json()["id"]
    refused = api.post(
        f"/promises/{promise_id}/outcome",
        {"outcome": "renegotiated", "new_due_at": (now + timedelta(days=2)).isoformat()},
    )
    assert refused.status_code == 422 and "customer_consent" in refused.json()["fields"]
    moved = api.post(
        f"/promises/{promise_id}/outcome",
        {"outcome": "renegotiated", "customer_consent": True, "new_due_at": (now + timedelta(days=2)).isoformat()},
    )
    assert moved.status_code == 200 and [h["kind"] for h in moved.json()["history"]] == ["made", "renegotiated"]
    assert api.post(f"/promises/{promise_id}/outcome", {"outcome": "maybe"}).status_code == 422


def test_another_branch_cannot_see_or_settle_it(api, world, now):
    promise_id = api.post("/promises", body(world, now)).json()["id"]
    beijing = Api(world.token(world.beijing_handler))
    assert beijing.get(f"/promises/{promise_id}").status_code == 404
    assert beijing.post(f"/promises/{promise_id}/outcome", {"outcome": "kept"}).status_code == 404


def test_the_hint_reflects_the_units_history(api, world, now):
    # Ten morning promises by this unit, made at 08:00 for 10:00; fulfilled after 1..10 hours.
    start = now.replace(hour=8, minute=0) - timedelta(days=20)
    for i in range(10):
        made = start + timedelta(days=i)
        with clock.frozen(made):
            p = services.promise_make(
                actor=world.handler,
                customer_id=world.individual.pk,
                text="定损",
                due_at=made + timedelta(hours=2),
                channel="hotline",
                touchpoint="auto_claim.assessment",
            )
        with clock.frozen(made + timedelta(hours=i + 1)):
            outcome = "kept" if i + 1 <= 2 else "broken"
            services.promise_settle(
                actor=world.handler, promise_id=p.pk, outcome=outcome, fulfilled_at=made + timedelta(hours=i + 1)
            )
    asked = now.replace(hour=9, minute=0) + timedelta(days=1)
    with clock.frozen(now.replace(hour=8, minute=0) + timedelta(days=1)):
        hint = api.get("/promise-hint", touchpoint="auto_claim.assessment", due_at=asked.isoformat()).json()
    assert (hint["similar"], hint["kept"], hint["kept_rate"]) == (10, 2, 0.2)
    assert hint["suggested_due_at"].startswith(f"{asked.date().isoformat()}T17:00:00")  # 08:00 + 9 h
    assert hint["later_than_asked"] is True


def test_the_case_api_lists_its_promises(api, world, now):

    case = receive(world.frontline, world.individual).case
    api.post("/promises", body(world, now, case=case.pk))
    detail = api.get(f"/cases/{case.pk}").json()
    assert [p["text"] for p in detail["promises"]] == ["定损员明早9点到现场"]
    assert detail["timeline"][-1]["kind"] == "promise"


class TestViews:
    def test_my_promises_due_today_overdue_first(self, api, world, now):
        later = api.post("/promises", body(world, now, due_at=(now + timedelta(hours=5)).isoformat())).json()["id"]
        tomorrow = api.post("/promises", body(world, now, due_at=(now + timedelta(days=1)).isoformat())).json()["id"]
        with clock.frozen(now - timedelta(hours=3)):
            late = services.promise_make(
                actor=world.handler,
                customer_id=world.individual.pk,
                text="回电",
                due_at=now - timedelta(hours=1),
                channel="hotline",
            ).pk
        items = api.get("/promises").json()["items"]
        assert [i["id"] for i in items] == [late, later] and tomorrow not in [i["id"] for i in items]
        assert items[0]["customer_name"] == "张伟"

    def test_overdue_by_unit(self, api, world, now):
        with clock.frozen(now - timedelta(hours=3)):
            services.promise_make(
                actor=world.handler,
                customer_id=world.individual.pk,
                text="回电",
                due_at=now - timedelta(hours=1),
                channel="hotline",
            )
        items = Api(world.token(world.supervisor)).get("/promise-stats/overdue").json()["items"]
        assert [(i["name"], i["overdue"]) for i in items] == [("深圳中心支公司", 1)]
        assert Api(world.token(world.beijing_handler)).get("/promise-stats/overdue").json()["items"] == []

    def test_kept_rate_by_touchpoint_and_month(self, api, world, now):
        for i, outcome in enumerate(["kept", "kept", "broken"]):
            made = now - timedelta(days=3, hours=i)
            with clock.frozen(made):
                p = services.promise_make(
                    actor=world.handler,
                    customer_id=world.individual.pk,
                    text="定损",
                    due_at=made + timedelta(hours=2),
                    channel="hotline",
                    touchpoint="auto_claim.assessment",
                )
            with clock.frozen(made + timedelta(hours=1)):
                services.promise_settle(actor=world.handler, promise_id=p.pk, outcome=outcome)
        data = api.get("/promise-stats/kept-rate", by="touchpoint", months=2).json()
        assert data["items"] == [
            {"month": "2026-10", "touchpoint": "auto_claim.assessment", "settled": 3, "kept": 2, "kept_rate": 0.667}
        ]
        by_unit = api.get("/promise-stats/kept-rate", by="unit").json()["items"]
        assert [(r["unit"], r["kept"]) for r in by_unit] == [("深圳中心支公司", 2)]
        assert api.get("/promise-stats/kept-rate", by="colour").status_code == 422
