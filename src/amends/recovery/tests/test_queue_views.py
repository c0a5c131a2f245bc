"""The queue page's views: filters, sort, counts, keyset pages, "mine" that means mine, saved and shared views,
"take it" and bulk reassignment (回避 kept)."""

import pytest

from amends.assembly.testing import receive
from amends.core.tests.api_client import Api
from amends.recovery import queries, services
from amends.recovery.models import Case, QueueView


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def cases(world, now):
    return [
        receive(world.handler, customer, claim_no=f"CL-{i}").case
        for i, customer in enumerate([world.individual, world.online, world.key_account, world.individual])
    ]


def refs(page_html, cases):
    return [c.reference for c in cases if c.reference in page_html]


def test_a_front_line_agent_starts_with_the_branch_and_a_handler_with_their_own(en, world, cases):
    en.force_login(world.frontline)
    page = en.get("/").content.decode()
    assert "Cases in my part of the organisation" in page
    assert set(refs(page, cases)) == {c.reference for c in cases if c.org_unit_id == world.nanshan.pk}
    en.force_login(world.handler2)
    page = en.get("/").content.decode()
    assert "My queue" in page
    assert set(refs(page, cases)) == {c.reference for c in cases if c.owner_id == world.handler2.pk}


def test_filters_by_segment_owner_and_priority_and_the_count_follows(en, world, cases):
    en.force_login(world.supervisor)
    page = en.get("/", {"scope": "all", "segment": "key_account"}).content.decode()
    assert refs(page, cases) == [cases[2].reference] and "1 case" in page
    owner = cases[1].owner
    page = en.get("/", {"scope": "all", "owner": owner.pk}).content.decode()
    assert set(refs(page, cases)) == {c.reference for c in cases if c.owner_id == owner.pk}
    assert en.get("/", {"scope": "all", "priority": 1, "channel": "hotline", "flag": "repeat"}).status_code == 200


def test_keyset_pages_follow_each_other_without_gaps(world, now):
    for i in range(7):
        receive(world.frontline, world.online if i % 2 else world.individual, claim_no=f"CL-K{i}")
    for sort in ("default", "due", "priority", "newest", "oldest"):
        query = queries.QueueQuery(sort=sort)
        whole = [c.pk for c in queries.queue(world.admin, now=now, query=query, page_size=100).items]
        seen, cursor = [], None
        while True:
            page = queries.queue(world.admin, now=now, query=query, page_size=2, cursor=cursor)
            seen += [c.pk for c in page.items]
            cursor = page.next_cursor
            if not cursor:
                break
        assert seen == whole, sort


def test_the_api_keeps_its_default_and_owner_me(world, cases):
    api = Api(world.token(world.handler))
    everyone = api.get("/cases").json()
    mine = api.get("/cases", owner="me").json()
    assert len(everyone["items"]) == len({c.pk for c in cases})
    assert {i["owner"]["username"] for i in mine["items"]} == {"handler"}
    assert api.get("/cases", cursor="not-a-cursor").status_code == 422


def test_a_supervisor_shares_a_view_with_the_team_and_a_handler_keeps_one_of_their_own(en, world):
    team = "scope=all&segment=key_account"
    services.queue_view_save(actor=world.supervisor, name="重点客户", query=team, shared=True)
    services.queue_view_save(actor=world.handler2, name="我的逾期", query="overdue=yes")
    en.force_login(world.handler)
    page = en.get("/").content.decode()
    assert "重点客户" in page and "我的逾期" not in page
    en.force_login(world.beijing_handler)
    assert "重点客户" not in en.get("/").content.decode()
    with pytest.raises(Exception, match="role"):
        services.queue_view_save(actor=world.handler, name="x", query="", shared=True)


def test_saving_a_view_from_the_page(en, world):
    en.force_login(world.handler)
    answer = en.post("/queue/views/", {"name": "逾期", "query": "overdue=yes"})
    assert answer.status_code == 302 and answer["Location"] == "/?overdue=yes"
    assert QueueView.objects.get(owner=world.handler).name == "逾期"


def test_take_it_gives_an_unowned_case_to_whoever_asks_first(en, world, cases):
    case = cases[0]
    Case.objects.filter(pk=case.pk).update(owner=None)
    en.force_login(world.handler2)
    assert en.post(f"/cases/{case.pk}/take/").status_code == 302
    case.refresh_from_db()
    assert case.owner_id == world.handler2.pk
    en.force_login(world.handler)
    en.post(f"/cases/{case.pk}/take/")
    case.refresh_from_db()
    assert case.owner_id == world.handler2.pk


def test_bulk_reassignment_keeps_the_subject_away_from_their_own_case(en, world, now):
    plain = receive(world.frontline, world.online, claim_no="CL-B1").case
    about_handler2 = receive(world.frontline, world.individual, claim_no="CL-B2", subject_username="handler2").case
    en.force_login(world.supervisor)
    answer = en.post("/queue/bulk/", {"cases": [plain.pk, about_handler2.pk], "owner": world.handler2.pk})
    assert answer.status_code == 302
    plain.refresh_from_db()
    about_handler2.refresh_from_db()
    assert plain.owner_id == world.handler2.pk
    assert about_handler2.owner_id != world.handler2.pk
    page = en.get("/").content.decode()
    assert "1 case reassigned." in page and "left as it was" in page


def test_a_handler_may_not_reassign_in_bulk(en, world, cases):
    before = cases[1].owner_id
    en.force_login(world.handler)
    en.post("/queue/bulk/", {"cases": [cases[1].pk], "owner": world.handler2.pk})
    cases[1].refresh_from_db()
    assert cases[1].owner_id == before
    assert "Your role does not allow this." in en.get("/").content.decode()


def test_the_owner_filter_lists_only_holders_of_open_cases_and_bulk_takes_a_typed_name(en, world, cases):
    en.force_login(world.admin)
    answer = en.get("/", {"scope": "all"})
    listed = {value for value, _label in answer.context["filters"].fields["owner"].choices} - {"", "none"}
    holders = {str(c.owner_id) for c in Case.objects.filter(owner__isnull=False).exclude(status="closed")}
    assert listed == holders
    en.post("/queue/bulk/", {"cases": [cases[0].pk], "owner": world.handler2.username})
    cases[0].refresh_from_db()
    assert cases[0].owner_id == world.handler2.pk
    en.post("/queue/bulk/", {"cases": [cases[0].pk], "owner": "nobody-such"})
    assert "Choose an owner from the list." in en.get("/").content.decode()
