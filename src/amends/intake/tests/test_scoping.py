"""Org scope: a branch sees its own subtree only; the head office sees everything."""

import pytest

from amends.accounts.access import in_scope, scope_unit_ids
from amends.accounts.tokens import digest, token_issue, user_for_token
from amends.assembly.testing import receive
from amends.core.errors import NotFound
from amends.customers.access import access_customer
from amends.recovery.access import access_case
from amends.recovery.queries import queue


def test_a_city_branch_sees_itself_and_its_outlets(world):
    assert set(scope_unit_ids(world.handler)) == {world.shenzhen.pk, world.nanshan.pk}


def test_a_province_sees_its_cities_and_outlets(world):
    assert set(scope_unit_ids(world.quality)) == {world.guangdong.pk, world.shenzhen.pk, world.nanshan.pk}


def test_the_head_office_sees_everything(world):
    assert scope_unit_ids(world.admin) is None
    assert in_scope(world.admin, world.beijing.pk)


def test_an_outlet_does_not_see_its_parent(world):
    assert not in_scope(world.frontline, world.shenzhen.pk)


def test_another_province_case_looks_absent(world, now):
    case = receive(world.beijing_handler, world.beijing_customer).case
    with pytest.raises(NotFound):
        access_case(world.handler, case.pk)
    assert access_case(world.admin, case.pk) == case


def test_another_province_customer_looks_absent(world):
    with pytest.raises(NotFound):
        access_customer(world.handler, world.beijing_customer.pk)


def test_intake_answers_another_branchs_policy_as_an_unknown_one(world, now):
    from amends.core.errors import InvalidInput
    from amends.intake.services import NewCustomer

    answers = []
    for policy_no in (world.auto_policy.policy_no, "PA-NO-SUCH-POLICY"):
        with pytest.raises(InvalidInput) as refused:
            receive(world.beijing_handler, None, policy_no=policy_no, new_customer=NewCustomer(name="张伟"))
        answers.append((refused.value.detail, refused.value.fields))
    assert answers[0] == answers[1]  # nothing tells Beijing that Shenzhen holds this policy


def test_intake_matches_a_name_and_phone_only_among_the_receivers_customers(world, now):
    from amends.intake.services import NewCustomer

    same = NewCustomer(name=world.individual.name, phone=world.individual.phone)
    complaint = receive(world.beijing_handler, None, new_customer=same)
    assert complaint.customer_id != world.individual.pk and complaint.customer.org_unit_id == world.beijing.pk
    assert receive(world.frontline, None, new_customer=same, claim_no="CL-X").customer_id == world.individual.pk


def test_the_queue_holds_only_cases_in_scope(world, now):
    ours = receive(world.frontline, world.individual).case
    receive(world.beijing_handler, world.beijing_customer)
    assert [c.pk for c in queue(world.quality, now=now).items] == [ours.pk]
    assert len(queue(world.admin, now=now).items) == 2


class TestTokens:
    def test_a_token_is_stored_only_as_its_digest(self, world):
        token = token_issue(actor=None, user=world.handler)
        row = world.handler.api_tokens.get()
        assert row.digest == digest(token) and token not in (row.digest, row.prefix)
        assert user_for_token(token) == world.handler

    def test_an_unknown_or_inactive_users_token_authenticates_nobody(self, world):
        token = token_issue(actor=None, user=world.handler)
        assert user_for_token(token + "x") is None
        world.handler.is_active = False
        world.handler.save()
        assert user_for_token(token) is None

    def test_use_is_recorded_at_most_hourly(self, world, now):
        from datetime import timedelta

        from amends.core import clock

        token = token_issue(actor=None, user=world.handler)
        user_for_token(token)
        row = world.handler.api_tokens.get()
        assert row.last_used_at == now
        with clock.frozen(now + timedelta(minutes=30)):
            user_for_token(token)
        row.refresh_from_db()
        assert row.last_used_at == now
        with clock.frozen(now + timedelta(hours=2)):
            user_for_token(token)
        row.refresh_from_db()
        assert row.last_used_at == now + timedelta(hours=2)

    def test_a_revoked_token_authenticates_nobody(self, world, now):
        token = token_issue(actor=None, user=world.handler)
        world.handler.api_tokens.update(revoked_at=now)
        assert user_for_token(token) is None
