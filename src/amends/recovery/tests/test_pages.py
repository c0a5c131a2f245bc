"""The queue and the case page: scope, order, the step form, conflicts on a stale page, immediate recovery."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.assembly.testing import receive
from amends.recovery import services
from amends.recovery.models import CaseStep, TimelineEntry


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def case(world, now):
    return receive(world.handler, world.individual).case


def test_the_queue_shows_the_handlers_own_cases(en, world, case):
    en.force_login(case.owner)
    page = en.get("/").content.decode()
    assert case.reference in page and "张伟" in page and "Apology" in page


def test_the_queue_costs_the_same_queries_for_one_case_or_many(en, world, now):
    receive(world.handler, world.individual)
    en.force_login(world.supervisor)
    with CaptureQueriesContext(connection) as one:
        assert en.get("/", {"scope": "all"}).status_code == 200
    for n in range(6):
        receive(world.handler, world.online, claim_no=f"CL-{n}")
        receive(world.handler, world.key_account, claim_no=f"CL-K{n}")
    with CaptureQueriesContext(connection) as many:
        page = en.get("/", {"scope": "all"}).content.decode()
    assert page.count('class="ref"') == 13
    assert len(many) == len(one)


def test_a_supervisor_may_narrow_the_queue_to_their_own_cases(en, world, case):
    en.force_login(world.supervisor)
    assert case.reference in en.get("/", {"scope": "all"}).content.decode()
    assert case.reference not in en.get("/", {"scope": "mine"}).content.decode()


def test_a_case_of_another_branch_is_not_found(en, world, case):
    en.force_login(world.beijing_handler)
    assert en.get(f"/cases/{case.pk}/").status_code == 404


def test_posting_to_a_case_of_another_branch_is_not_found_and_writes_nothing(en, world, case):
    en.force_login(world.beijing_handler)
    response = en.post(f"/cases/{case.pk}/steps/", {"step": "apology", "note": "x", "version": case.version})
    assert response.status_code == 404
    data = {"apology": "a", "fix": "b", "empathy": "c", "atonement": "d", "version": case.version}
    assert en.post(f"/cases/{case.pk}/on-the-spot/", data).status_code == 404
    assert not CaseStep.objects.filter(case=case).exists()


def test_the_case_page_shows_steps_complaints_and_timeline(en, world, case):
    en.force_login(world.handler)
    page = en.get(f"/cases/{case.pk}/").content.decode()
    assert case.reference in page
    assert "Next: Apology" in page
    assert "Complaint received" in page
    assert "“Apology” can never be skipped." in page
    assert f'name="version" value="{case.version}"' in page


def test_recording_a_step_redirects_and_lands_on_the_timeline(en, world, case):
    en.force_login(world.handler)
    url = f"/cases/{case.pk}/steps/"
    response = en.post(url, {"step": "apology", "note": "当面致歉", "version": case.version, "action": "record"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    page = en.get(response["Location"]).content.decode()
    assert "“Apology” recorded." in page and "当面致歉" in page and "Next: Fix" in page


def test_htmx_gets_the_page_back_from_the_same_post(en, world, case):
    en.force_login(world.handler)
    response = en.post(
        f"/cases/{case.pk}/steps/",
        {"step": "apology", "note": "当面致歉", "version": case.version},
        headers={"HX-Request": "true"},
        follow=True,
    )
    assert response.status_code == 200
    assert 'id="case-page"' in response.content.decode()


def test_a_stale_page_shows_the_conflict_and_writes_nothing(en, world, case):
    en.force_login(world.handler)
    stale = case.version
    services.case_assign(actor=world.supervisor, case_id=case.pk, owner=world.handler2)
    response = en.post(f"/cases/{case.pk}/steps/", {"step": "apology", "note": "我的道歉", "version": stale})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this case" in page
    assert "我的道歉" in page  # what the user typed is kept
    assert not CaseStep.objects.filter(case=case).exists()


def test_a_refused_step_explains_itself_next_to_the_form(en, world, case):
    en.force_login(world.handler)
    response = en.post(f"/cases/{case.pk}/steps/", {"step": "apology", "note": "", "version": case.version})
    assert response.status_code == 422
    assert "Write what was said or done." in response.content.decode()


def test_skipping_needs_a_reason(en, world, case):
    en.force_login(world.handler)
    services.step_record(actor=world.handler, case_id=case.pk, step="apology", note="致歉")
    case.refresh_from_db()
    response = en.post(
        f"/cases/{case.pk}/steps/", {"step": "fix", "action": "skip", "skipped_reason": "", "version": case.version}
    )
    assert response.status_code == 422
    assert "Say why the step is skipped." in response.content.decode()
    response = en.post(
        f"/cases/{case.pk}/steps/",
        {"step": "fix", "action": "skip", "skipped_reason": "无需修复", "version": case.version},
    )
    assert response.status_code == 302
    assert CaseStep.objects.get(case=case, step="fix").skipped


def test_immediate_recovery_records_four_steps_in_one_form(en, world, case):
    en.force_login(world.handler)
    data = {
        "apology": "抱歉",
        "fix": "当场改正",
        "empathy": "理解您的不便",
        "atonement": "赠送洗车券",
        "version": case.version,
    }
    response = en.post(f"/cases/{case.pk}/on-the-spot/", data)
    assert response.status_code == 302
    steps = list(CaseStep.objects.filter(case=case).values_list("step", flat=True))
    assert steps == ["apology", "fix", "empathy", "atonement"]
    case.refresh_from_db()
    assert case.timing == "immediate"


def test_immediate_recovery_on_a_stale_page_writes_nothing(en, world, case):
    en.force_login(world.handler)
    data = {"apology": "抱歉", "fix": "改正", "empathy": "理解", "atonement": "补偿", "version": case.version - 1}
    response = en.post(f"/cases/{case.pk}/on-the-spot/", data)
    assert response.status_code == 409
    assert not CaseStep.objects.filter(case=case).exists()


def test_a_quality_manager_reads_the_case_but_gets_no_step_form(en, world, case):
    en.force_login(world.quality)
    page = en.get(f"/cases/{case.pk}/").content.decode()
    assert case.reference in page
    assert f'action="/cases/{case.pk}/steps/"' not in page
    response = en.post(f"/cases/{case.pk}/steps/", {"step": "apology", "note": "x", "version": case.version})
    assert response.status_code == 403


def test_a_supervisor_assigns_the_case(en, world, case):
    en.force_login(world.supervisor)
    page = en.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/assign/"' in page
    response = en.post(f"/cases/{case.pk}/assign/", {"owner": world.handler2.pk, "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == world.handler2
    assert TimelineEntry.objects.filter(case=case, kind="assigned", actor=world.supervisor).exists()


def test_a_failure_is_coded_from_the_case_page(en, world, case):
    from amends.assembly.testing import failure
    from amends.audit.models import AuditEntry
    from amends.recovery.models import Failure

    row = failure(case, "2026-11-01 10:00", "auto_claim.payment")
    en.force_login(case.owner)
    page = en.get(f"/cases/{case.pk}/").content.decode()
    assert f'id="failure-{row.pk}"' in page and f"/cases/{case.pk}/failures/{row.pk}/code/" in page
    assert "Gap 4: we think value was delivered, the customer does not" in page
    url = f"/cases/{case.pk}/failures/{row.pk}/code/"
    answer = en.post(url, {"cause": "company", "dimension": "reliability", "gap": "3", "version": case.version})
    assert answer.status_code == 302 and answer["Location"].endswith(f"#failure-{row.pk}")
    row.refresh_from_db()
    assert (row.cause, row.dimension, row.gap) == ("company", "reliability", 3)
    assert AuditEntry.objects.filter(action="failure.code").count() == 1
    # A gap outside 1–4 is refused on the page, with the field named; nothing changes.
    bad = en.post(url, {"gap": "5", "version": Failure.objects.get(pk=row.pk).case.version})
    assert bad.status_code == 422 and "alert" in bad.content.decode()
    row.refresh_from_db()
    assert row.gap == 3
    # Blank clears; another branch's handler cannot reach it.
    case.refresh_from_db()
    assert en.post(url, {"cause": "", "dimension": "", "gap": "", "version": case.version}).status_code == 302
    row.refresh_from_db()
    assert (row.cause, row.dimension, row.gap) == ("", "", None)
    en.force_login(world.beijing_handler)
    assert en.post(url, {"gap": "1"}).status_code == 404


def test_a_reader_sees_a_failure_s_codes_without_a_form(en, world, case):
    from amends.assembly.testing import failure
    from amends.recovery import services as recovery_services

    row = failure(case, "2026-11-01 10:00", "auto_claim.payment")
    recovery_services.failure_code(actor=case.owner, failure_id=row.pk, gap=4)
    en.force_login(world.quality)
    page = en.get(f"/cases/{case.pk}/").content.decode()
    assert f'id="failure-{row.pk}"' in page and "gap 4" in page
    assert f"/failures/{row.pk}/code/" not in page
