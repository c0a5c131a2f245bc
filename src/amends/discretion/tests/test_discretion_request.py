"""discretion_request: granted on the spot within authority, refused on a breach, otherwise an approval
routed to the nearest superior who covers it; every outcome in the ledger with the policy that decided it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from amends.assembly.testing import at
from amends.audit.models import AppendOnlyError, AuditEntry
from amends.core import clock
from amends.core.errors import Forbidden, InvalidInput, RuleViolation
from amends.discretion import services
from amends.discretion.models import (
    Approval,
    DiscretionRequest,
    LedgerEntry,
)
from amends.recovery.models import TimelineEntry
from amends.warning.models import Alert

from .helpers import ask, online_case, set_policies

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, now):
    set_policies(world)
    return online_case(world)


class TestGrantedOnTheSpot:
    def test_the_300_yuan_waiver_for_an_online_customer_is_granted_at_once(self, world, case):
        request = ask(world, case, "300")
        assert request.status == "granted" and request.approval is None
        assert request.segment == "online" and request.decided_at == clock.now()
        entry = LedgerEntry.objects.get(request=request)
        assert (entry.outcome, entry.amount, entry.actor, entry.role) == (
            "granted",
            Decimal("300"),
            world.frontline,
            "frontline",
        )
        assert entry.policy.version == 1 and entry.policy.role == "frontline"

    def test_the_case_timeline_and_the_audit_log_show_it(self, world, case):
        request = ask(world, case, "300")
        line = TimelineEntry.objects.get(case=case, kind="discretion")
        assert line.data["event"] == "granted" and line.data["request"] == request.pk and line.actor == world.frontline
        assert AuditEntry.objects.filter(action="discretion.request", object_id=str(request.pk)).exists()

    def test_the_newest_policy_version_decides_and_is_named_in_the_ledger(self, world, case):
        services.policy_set(
            actor=world.quality, role="frontline", org_unit_id=world.guangdong.pk, kind="waiver", per_action_limit="200"
        )
        request = ask(world, case, "300")
        assert request.status == "pending_approval" and request.reasons == ["over_limit"]
        assert LedgerEntry.objects.get(request=request).policy.version == 2


class TestSentForApproval:
    def test_over_the_limit_goes_to_the_nearest_superior_who_covers_it(self, world, case):
        request = ask(world, case, "3000")
        assert request.status == "pending_approval" and request.reasons == ["over_limit", "actor_budget"]
        approval = request.approval
        assert approval.approver == world.supervisor and approval.level == 1
        # Monday 10:00 plus four working hours.
        assert approval.due_at == at("2026-11-02 14:00")
        entry = LedgerEntry.objects.get(request=request)
        assert (entry.outcome, entry.approval) == ("referred", approval)

    def test_the_approver_finds_it_in_their_alerts(self, world, case):
        approval = ask(world, case, "3000").approval
        alert = Alert.objects.get(rule="discretion_approval", subject_id=str(approval.pk))
        assert alert.owner == world.supervisor and alert.case_id == case.pk

    def test_beyond_the_supervisor_it_goes_to_the_head_office(self, world, case):
        assert ask(world, case, "8000").approval.approver == world.admin

    def test_an_exhausted_personal_budget_goes_for_approval(self, world, case):
        for _ in range(4):
            assert ask(world, case, "500").status == "granted"
        request = ask(world, case, "100")
        assert request.status == "pending_approval" and request.reasons == ["actor_budget"]

    def test_an_exhausted_unit_budget_goes_for_approval_even_for_a_fresh_colleague(self, world, case):
        set_policies(world, frontline_budget="5000", unit_budget="600")
        assert ask(world, case, "500").status == "granted"
        request = ask(world, case, "200")
        assert request.reasons == ["unit_budget"]

    def test_at_fault_with_extra_cost_goes_for_approval(self, world, case):
        request = ask(world, case, "100", at_fault=True, extra_cost=True)
        assert request.status == "pending_approval" and request.reasons == ["at_fault_and_costly"]

    def test_at_fault_without_extra_cost_is_granted(self, world, case):
        assert ask(world, case, "100", at_fault=True, extra_cost=False).status == "granted"

    def test_nobody_with_enough_authority_refuses_to_record_anything(self, world, case):
        with pytest.raises(RuleViolation) as err:
            ask(world, case, "999999")
        assert err.value.code == "no_approver"
        assert not DiscretionRequest.objects.exists() and not LedgerEntry.objects.exists()


class TestRefused:
    def test_a_breach_is_refused_with_the_reason_and_never_approved(self, world, case):
        request = ask(world, case, "100", breach=True)
        assert request.status == "refused" and request.reasons == ["breach"]
        assert not Approval.objects.exists()
        assert LedgerEntry.objects.get(request=request).outcome == "refused"


class TestBadInput:
    def test_fields_are_named_and_nothing_is_written(self, world, case):
        with pytest.raises(InvalidInput) as err:
            services.discretion_request(
                actor=world.frontline,
                case_id=case.pk,
                kind="bribe",
                amount="-3",
                reason=" ",
                customer_at_fault=False,
                extra_cost=False,
                breaches_regulation=False,
            )
        assert set(err.value.fields) == {"kind", "amount", "reason"}
        assert not DiscretionRequest.objects.exists()

    @pytest.mark.parametrize("amount", ["abc", "1.234", "NaN", None])
    def test_an_amount_must_be_yuan_and_fen(self, world, case, amount):
        with pytest.raises(InvalidInput) as err:
            ask(world, case, amount)
        assert "amount" in err.value.fields

    def test_a_quality_manager_does_not_work_cases(self, world, case):
        with pytest.raises(Forbidden):
            ask(world, case, "100", actor=world.quality)

    def test_a_case_of_another_branch_looks_absent(self, world, case):
        from amends.core.errors import NotFound

        with pytest.raises(NotFound):
            ask(world, case, "100", actor=world.beijing_handler)


class TestLedgerIsAppendOnly:
    def test_the_application_cannot_change_or_delete_an_entry(self, world, case):
        ask(world, case, "300")
        entry = LedgerEntry.objects.get()
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            LedgerEntry.objects.update(amount=0)
        with pytest.raises(AppendOnlyError):
            entry.delete()

    @pytest.mark.parametrize(
        "sql", ["UPDATE discretion_ledgerentry SET amount = 0", "DELETE FROM discretion_ledgerentry"]
    )
    def test_the_database_refuses_it_too(self, world, case, sql):
        ask(world, case, "300")
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        assert LedgerEntry.objects.get().amount == Decimal("300")


class TestSystemGrant:
    def test_a_token_of_thanks_is_granted_within_the_system_policy_once(self, world, now):
        services.policy_set(
            actor=world.admin,
            role="system",
            org_unit_id=world.head_office.pk,
            kind="voucher",
            per_action_limit="50",
            unit_budget="1000",
        )
        first = services.discretion_grant_system(
            customer_id=world.online.pk, amount="20", reason="感谢您的反馈", source_ref="portal:TS-1"
        )
        again = services.discretion_grant_system(
            customer_id=world.online.pk, amount="20", reason="感谢您的反馈", source_ref="portal:TS-1"
        )
        assert first.pk == again.pk and first.status == "granted" and first.origin == "system"
        entry = LedgerEntry.objects.get()
        assert entry.actor is None and entry.role == "system" and entry.policy.role == "system"

    def test_without_a_system_policy_it_is_refused_in_the_ledger(self, world, now):
        request = services.discretion_grant_system(
            customer_id=world.online.pk, amount="20", reason="感谢", source_ref="portal:TS-2"
        )
        assert request.status == "refused" and request.reasons == ["no_authority"]
        assert LedgerEntry.objects.get().outcome == "refused"
