"""Opening and moving rectifications through the services and the API, and the failure counts before and
after a change, counted by hand."""

from datetime import date, timedelta

import pytest

from amends.assembly.testing import at, case, failure
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from amends.core.tests.api_client import Api
from amends.improvement import queries, services


def open_one(world, **kw):
    args = {
        "actor": world.quality,
        "touchpoint": "auto_claim.assessment",
        "cause": "company",
        "title": "定损预约改为系统派单并短信确认",
        "action": "查勘员到场前一小时自动短信",
        "owner": "supervisor",
        "due_date": date(2026, 11, 30),
    }
    return services.rectification_open(**(args | kw))


def test_a_rectification_is_opened_from_a_root_cause_and_audited(world, now):
    r = open_one(world)
    assert (r.touchpoint.code, r.cause, r.owner, r.status, r.org_unit) == (
        "auto_claim.assessment",
        "company",
        world.supervisor,
        "planned",
        world.guangdong,
    )
    assert AuditEntry.objects.filter(action="rectification.open", object_id=str(r.pk)).count() == 1


def test_bad_input_names_every_field(world, now):
    with pytest.raises(InvalidInput) as refused:
        open_one(world, touchpoint="nowhere", cause="weather", title=" ", owner="bj_handler", due_date=date(2026, 1, 1))
    assert set(refused.value.fields) == {"touchpoint", "cause", "title", "owner", "due_date"}
    with pytest.raises(Forbidden):
        open_one(world, actor=world.handler)


def test_it_moves_along_and_is_never_overwritten_silently(world, now):
    r = open_one(world)
    moved = services.rectification_update(
        actor=world.supervisor, rectification_id=r.pk, version=1, status="in_progress"
    )
    assert (moved.status, moved.version) == ("in_progress", 2)
    with pytest.raises(Conflict):
        services.rectification_update(actor=world.quality, rectification_id=r.pk, version=1, status="cancelled")
    done = services.rectification_update(actor=world.quality, rectification_id=r.pk, version=2, status="done")
    assert done.status == "done" and done.effective_at == clock.now()
    with pytest.raises(RuleViolation):
        services.rectification_update(actor=world.quality, rectification_id=r.pk, version=3, status="in_progress")
    assert AuditEntry.objects.filter(action="rectification.update", object_id=str(r.pk)).count() == 2
    with pytest.raises(NotFound):
        services.rectification_update(actor=world.beijing_handler, rectification_id=r.pk, version=3, note="x")


def test_failures_are_counted_before_and_after_over_windows_of_the_same_length(world, now):
    """Done on 10-23 10:00, ten days before now (11-02 10:00): windows 10-13…10-23 and 10-23…11-02.

    | when        | touchpoint | cause    | unit     | counts?                              |
    | 10-10 10:00 | assessment | company  | 南山     | no: before the before-window          |
    | 10-14 10:00 | assessment | company  | 南山     | before                                |
    | 10-20 10:00 | assessment | company  | 深圳     | before                                |
    | 10-21 10:00 | assessment | customer | 南山     | no: another cause                     |
    | 10-22 10:00 | payment    | company  | 南山     | no: another touchpoint                |
    | 10-22 11:00 | assessment | company  | 北京     | no: outside Guangdong                 |
    | 10-25 10:00 | assessment | company  | 南山     | after                                 |
    """
    c_ns, c_sz, c_bj = (
        case(world, cu, "2026-10-01 09:00") for cu in (world.individual, world.key_account, world.beijing_customer)
    )
    failure(c_ns, "2026-10-10 10:00", "auto_claim.assessment", "company")
    failure(c_ns, "2026-10-14 10:00", "auto_claim.assessment", "company")
    failure(c_sz, "2026-10-20 10:00", "auto_claim.assessment", "company")
    failure(c_ns, "2026-10-21 10:00", "auto_claim.assessment", "customer")
    failure(c_ns, "2026-10-22 10:00", "auto_claim.payment", "company")
    failure(c_bj, "2026-10-22 11:00", "auto_claim.assessment", "company")
    failure(c_ns, "2026-10-25 10:00", "auto_claim.assessment", "company")
    r = open_one(world)
    other = open_one(world, touchpoint="auto_claim.payment", cause="")
    services.rectification_update(
        actor=world.quality, rectification_id=r.pk, version=1, status="done", effective_at=at("2026-10-23 10:00")
    )
    page = queries.rectifications(world.quality, now=clock.now(), status="")
    figures = {i["id"]: i["failures"] for i in page["items"]}
    assert figures[r.pk] == {"window_days": 10.0, "before": 2, "after": 1, "change": -0.5}
    assert figures[other.pk]["before"] is None  # not done yet: nothing to compare


def test_the_api(world, now):
    api = Api(world.token(world.quality))
    body = {
        "touchpoint": "auto_claim.salvage",
        "cause": "company",
        "title": "换件清单注明须交残",
        "owner": "handler",
        "due_date": "2026-12-15",
    }
    created = api.post("/rectifications", body)
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert created.json()["failures"]["before"] is None
    bad = api.post("/rectifications", {**body, "touchpoint": "", "due_date": "soon"})
    assert bad.status_code == 422 and "due_date" in bad.json()["fields"]
    assert api.post("/rectifications", {**body, "owner": "nobody"}).json()["fields"].keys() == {"owner"}
    moved = api.post(f"/rectifications/{rid}", {"status": "done", "version": 1})
    assert moved.status_code == 200 and moved.json()["status"] == "done"
    stale = api.post(f"/rectifications/{rid}", {"note": "x", "version": 1})
    assert stale.status_code == 409
    assert api.post(f"/rectifications/{rid}", {"status": "planned"}).status_code == 422
    assert [i["id"] for i in api.get("/rectifications", status="done").json()["items"]] == [rid]
    assert Api(world.token(world.beijing_handler)).get(f"/rectifications/{rid}").status_code == 404
    assert Api(world.token(world.handler)).post("/rectifications", body).status_code == 403


def test_the_pages(client, world, now):
    from amends.assembly.testing import PASSWORD

    assert client.login(username="quality", password=PASSWORD)
    form = client.get("/rectifications/new/", {"touchpoint": "auto_claim.assessment", "cause": "company"})
    assert form.status_code == 200 and 'value="auto_claim.assessment" selected' in form.content.decode()
    # The touchpoint is chosen by its name, not typed as its code.
    assert "<select" in form.content.decode() and "定损" in form.content.decode()
    posted = client.post(
        "/rectifications/new/",
        {
            "touchpoint": "auto_claim.assessment",
            "cause": "company",
            "title": "派单改造",
            "owner": "supervisor",
            "due_date": (clock.now().date() + timedelta(days=20)).isoformat(),
        },
    )
    assert posted.status_code == 302
    detail = client.get(posted["Location"])
    assert "派单改造" in detail.content.decode()
    refused = client.post("/rectifications/new/", {"touchpoint": "x", "title": "", "owner": "", "due_date": ""})
    assert refused.status_code == 422
    listing = client.get("/rectifications/")
    assert "派单改造" in listing.content.decode()
