"""GET /api/v1/search: references, names (two characters too), numbers, words in complaints and notes, scoped to
the caller's org subtree, phones only for roles that see them unmasked, and a per-person limit."""

import pytest
from django.core.cache import cache
from django.db import connection

from amends.accounts.access import scope_filter
from amends.assembly.testing import receive
from amends.core.tests.api_client import Api
from amends.intake.models import Complaint
from amends.recovery.models import TimelineKind
from amends.recovery.services import timeline_add
from amends.search import text


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def results(world, user, q):
    answer = Api(world.token(user)).get("/search", q=q)
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def kinds(found):
    return [(r["kind"], r["reference"]) for r in found]


def test_a_case_reference_finds_the_case(world):
    case = receive(world.frontline, world.individual).case
    found = results(world, world.handler, case.reference)
    assert kinds(found) == [("case", case.reference)]
    assert found[0]["url"] == f"/cases/{case.pk}/"
    assert "张伟" in found[0]["title"]


def test_a_complaint_reference_finds_the_complaint_on_its_case(world):
    complaint = receive(world.frontline, world.individual)
    (hit,) = results(world, world.handler, complaint.reference.lower())
    assert (hit["kind"], hit["id"]) == ("complaint", complaint.pk)
    assert hit["url"] == f"/cases/{complaint.case_id}/#complaint-{complaint.pk}"


def test_a_name_finds_the_customer_and_their_cases(world):
    case = receive(world.frontline, world.individual).case
    found = results(world, world.handler, "张伟")
    assert kinds(found)[:2] == [("customer", "C0001"), ("case", case.reference)]


def test_a_name_prefix_of_one_character_finds_the_customer(world):
    assert ("customer", "C0002") in kinds(results(world, world.handler, "李"))


def test_policy_and_claim_numbers(world):
    complaint = receive(world.frontline, world.individual, claim_no="CL2026110299999")
    assert ("customer", "C0001") in kinds(results(world, world.handler, "pa2026440300000001"))
    assert ("complaint", complaint.reference) in kinds(results(world, world.handler, "CL20261102999"))


def test_a_phone_number_is_matched_only_for_roles_that_see_it_unmasked(world):
    assert ("customer", "C0002") in kinds(results(world, world.handler, "139 0013 9000"))
    assert results(world, world.quality, "13900139000") == []


def test_words_of_a_complaint_without_spaces(world):
    complaint = receive(world.frontline, world.individual, description="修车厂说尾灯总成要等三周，客户很不满意。")
    for words in ("尾灯总成", "要等三周 不满", "总成要等"):
        found = results(world, world.handler, words)
        assert ("complaint", complaint.reference) in kinds(found), words
    (hit,) = [r for r in found if r["kind"] == "complaint"]
    assert "不满" in hit["snippet"]
    assert results(world, world.handler, "发动机") == []
    assert results(world, world.handler, "尾灯") == []  # two characters alone: no trigram, so no text scan


def test_words_of_a_note(world):
    case = receive(world.frontline, world.individual).case
    timeline_add(case, TimelineKind.NOTE, actor=world.handler, text="客户要求下午四点后回电，白天在医院陪护。")
    found = results(world, world.handler, "医院陪护")
    assert [(r["kind"], r["reference"]) for r in found] == [("note", case.reference)]


def test_nothing_is_found_in_another_branch(world):
    receive(world.beijing_handler, world.beijing_customer, description="北京的尾灯总成投诉")
    assert results(world, world.handler, "王强") == []
    assert results(world, world.handler, "北京的尾灯") == []
    assert [k for k, _ in kinds(results(world, world.admin, "北京的尾灯"))] == ["complaint"]


def test_an_empty_query_finds_nothing(world):
    assert results(world, world.handler, "  ") == []


def test_searches_beyond_the_limit_are_refused(world, settings):
    settings.AMENDS_SEARCH_PER_MINUTE = 2
    api = Api(world.token(world.handler))
    assert [api.get("/search", q="张").status_code for _ in range(2)] == [200, 200]
    refused = api.get("/search", q="张")
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"


def test_the_text_index_follows_edits_and_deletes(world):
    """The database keeps the index (FTS5 triggers on SQLite, pg_trgm on PostgreSQL): no code of ours does."""
    complaint = receive(world.frontline, world.individual, description="原来的文字")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_complaint SET description = %s WHERE id = %s", ["改过的描述", complaint.pk])
    assert results(world, world.handler, "原来的文字") == []
    assert ("complaint", complaint.reference) in kinds(results(world, world.handler, "改过的描述"))


def test_words_newest_first_from_the_recent_rows_then_the_older(world):
    """The newest rows are read first (in key order, stopping at the last hit wanted); the older ones only
    when the newest hold too few hits. Either way: every hit in scope, newest first, none twice."""
    said = [receive(world.frontline, world.individual, description=f"第{i}次说尾灯总成没到") for i in range(6)]
    receive(world.beijing_handler, world.beijing_customer, description="北京的尾灯总成投诉")  # out of scope
    for _ in range(4):
        receive(world.frontline, world.individual, description="别的事情")  # the newest rows say nothing
    scoped = scope_filter(Complaint.objects.all(), world.handler, field="case__org_unit")
    newest = [c.pk for c in reversed(said)]
    for recent in (2, 5, 8, 100):
        rows, whole = text.newest_matching(
            scoped, Complaint.objects.all(), ("description", "request"), ("尾灯总成",), 4, recent=recent
        )
        assert ([r.pk for r in rows], whole) == (newest[:4], True), recent
    rows, whole = text.newest_matching(scoped, Complaint.objects.all(), ("description",), ("尾灯总成",), 10, recent=6)
    assert ([r.pk for r in rows], whole) == (newest, True)
    if connection.vendor != "postgresql":
        return  # SQLite's FTS5 reads every hit in one query
    # Older rows beyond the candidates looked at: what was found, and not the whole answer.
    rows, whole = text.newest_matching(
        scoped, Complaint.objects.all(), ("description",), ("尾灯总成",), 10, recent=2, candidates=3
    )
    assert ([r.pk for r in rows], whole) == (newest[:2], False)  # the Beijing one took a candidate's place
