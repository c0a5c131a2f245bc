"""The discretion panel of the case page, the approvals page and the equal-treatment report, through the
test client (English pages, so assertions read the msgids)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from amends.assembly.testing import PASSWORD
from amends.discretion.models import Approval, DiscretionRequest

from .helpers import ask, online_case, set_policies

pytestmark = pytest.mark.django_db

ANSWERS = {"customer_at_fault": "no", "extra_cost": "yes", "breaches_regulation": "no"}


def signed_in(username):
    c = Client()
    c.cookies["django_language"] = "en"
    assert c.login(username=username, password=PASSWORD)
    return c


@pytest.fixture
def case(world, now):
    set_policies(world)
    return online_case(world)


def post(client, case, **fields):
    body = {"kind": "waiver", "amount": "300", "reason": "清单未注明须交残", **ANSWERS, **fields}
    return client.post(f"/cases/{case.pk}/discretion/", body, follow=True)


class TestCasePanel:
    def test_the_case_page_offers_the_form_with_the_three_questions(self, world, case):
        page = signed_in("frontline").get(f"/cases/{case.pk}/").content.decode()
        assert "Compensate or set a rule aside" in page
        for question in ("Is the customer at fault?", "Does it cost the company anything extra?", "Would it breach"):
            assert question in page

    def test_a_waiver_within_authority_is_granted_and_shown(self, world, case):
        page = post(signed_in("frontline"), case).content.decode()
        assert "Granted on the spot: Fee or deduction waiver of ¥300.00" in page
        assert "dstatus--granted" in page and DiscretionRequest.objects.get().status == "granted"

    def test_above_the_limit_it_says_who_answers_and_by_when(self, world, case):
        page = post(signed_in("frontline"), case, amount="3000").content.decode()
        assert "Sent to 主管赵敏 for approval" in page and "the answer is due by 11-02 14:00" in page

    def test_unanswered_questions_are_marked_and_nothing_is_written(self, world, case):
        r = signed_in("frontline").post(f"/cases/{case.pk}/discretion/", {"kind": "waiver", "amount": "abc"})
        assert r.status_code == 422
        page = r.content.decode()
        assert page.count("This field is required.") >= 4
        assert 'value="abc"' in page and not DiscretionRequest.objects.exists()

    def test_a_bad_amount_comes_back_from_the_service_on_the_field(self, world, case):
        r = signed_in("frontline").post(
            f"/cases/{case.pk}/discretion/", {"kind": "waiver", "amount": "1.234", "reason": "x", **ANSWERS}
        )
        assert r.status_code == 422 and "at most two decimals" in r.content.decode()


class TestApprovalsPage:
    def test_the_supervisor_sees_what_waits_oldest_first_and_approves(self, world, case):
        first = ask(world, case, "3000").approval
        second = ask(world, case, "4000").approval
        boss = signed_in("supervisor")
        page = boss.get("/approvals/").content.decode()
        assert page.index(f'id="approval-{first.pk}"') < page.index(f'id="approval-{second.pk}"')
        assert case.reference in page and "李娜" in page and "Online" in page
        done = boss.post(f"/approvals/{first.pk}/decision/", {"decision": "approve", "note": "同意"}, follow=True)
        assert "Approved: Fee or deduction waiver of ¥3,000.00 for 李娜." in done.content.decode()
        assert Approval.objects.get(pk=first.pk).status == "approved"

    def test_a_rejection_without_a_note_is_refused_on_the_form(self, world, case):
        approval = ask(world, case, "3000").approval
        r = signed_in("supervisor").post(f"/approvals/{approval.pk}/decision/", {"decision": "reject"})
        assert r.status_code == 422 and "Say why it is rejected" in r.content.decode()

    def test_front_line_staff_have_no_approvals_page(self, world, case):
        assert signed_in("frontline").get("/approvals/").status_code == 403


class TestReport:
    def test_the_quality_manager_sees_segments_and_units(self, world, case):
        ask(world, case, "300")
        page = signed_in("quality").get("/discretion/report/?months=3").content.decode()
        assert "Equal treatment" in page and "Online" in page and "南山营业部" in page
        assert "equal-chart-data" in page

    def test_an_unknown_period_falls_back_to_six_months(self, world, case):
        assert signed_in("quality").get("/discretion/report/?months=99").status_code == 200

    def test_front_line_staff_cannot_read_it(self, world, case):
        assert signed_in("frontline").get("/discretion/report/").status_code == 403

    def test_the_nav_shows_each_role_its_links(self, world, case):
        assert "/approvals/" in signed_in("supervisor").get("/").content.decode()
        front = signed_in("frontline").get("/").content.decode()
        assert "/approvals/" not in front and "/discretion/report/" not in front
        assert "/discretion/report/" in signed_in("quality").get("/").content.decode()


class TestPolicies:
    def test_everyone_watching_reads_the_policies_in_force(self, world, case):
        page = signed_in("supervisor").get("/discretion/policies/").content.decode()
        assert "Authority policies" in page and "5,000.00" in page and "Set a new version" not in page

    def test_a_quality_manager_sets_a_new_version_from_the_page(self, world, case):
        q = signed_in("quality")
        body = {
            "role": "frontline",
            "org_unit": world.nanshan.pk,
            "kind": "waiver",
            "per_action_limit": "800",
            "period": "month",
        }
        done = q.post("/discretion/policies/new/", body, follow=True).content.decode()
        assert "Version 1 saved" in done and "800.00" in done
        bad = q.post("/discretion/policies/new/", {**body, "per_action_limit": "lots"})
        assert bad.status_code == 422 and "Enter an amount" in bad.content.decode()

    def test_many_policies_come_a_page_at_a_time(self, world, case):
        from itertools import islice, product

        from amends.accounts.models import OrgUnit
        from amends.discretion import services
        from amends.discretion.models import Kind, PolicyRole
        from amends.discretion.views import POLICY_PAGE

        combos = product(PolicyRole.values, OrgUnit.objects.values_list("pk", flat=True), Kind.values)
        for role, unit, kind in islice(combos, POLICY_PAGE + 5):
            services.policy_set(
                actor=world.admin,
                role=role,
                org_unit_id=unit,
                kind=kind,
                per_action_limit=Decimal("100"),
                actor_budget=None,
                unit_budget=None,
                period="month",
                effective_from=None,
                note="",
            )
        client = signed_in("supervisor")
        first = client.get("/discretion/policies/").content.decode()
        assert first.count("<tr>") == POLICY_PAGE + 1 and "?page=2" in first
        second = client.get("/discretion/policies/", {"page": 2}).content.decode()
        assert 1 < second.count("<tr>") <= POLICY_PAGE and "?page=1" in second

    def test_front_line_staff_cannot_set_policy(self, world, case):
        assert signed_in("frontline").post("/discretion/policies/new/", {}).status_code == 403


def test_the_admin_shows_the_ledger_read_only(world, case):
    ask(world, case, "300")
    admin = signed_in("admin")
    for model in ("ledgerentry", "discretionrequest", "approval", "authoritypolicy"):
        assert admin.get(f"/admin/discretion/{model}/").status_code == 200
    assert admin.get("/admin/discretion/ledgerentry/add/").status_code == 403
