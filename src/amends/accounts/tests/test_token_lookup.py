"""The bearer token's look-up (SQL compiled once per process, core.prepared) answers as the queryset would:
the user with their unit in one statement, nobody for a revoked token or an inactive user."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.accounts.models import ApiToken
from amends.accounts.tokens import token_issue, user_for_token
from amends.core import clock


def test_a_token_gives_its_user_with_the_unit_in_one_statement(world, now):
    token = token_issue(actor=None, user=world.frontline)
    assert user_for_token(token) == world.frontline  # first use: records it (at most once an hour)
    with CaptureQueriesContext(connection) as log:
        user = user_for_token(token)
        assert user is not None and user.org_unit == world.frontline.org_unit
        assert user.org_unit.name == world.frontline.org_unit.name
    assert len(log.captured_queries) == 1
    assert user_for_token(token + "x") is None


def test_a_revoked_token_or_an_inactive_user_gets_nobody(world, now):
    token = token_issue(actor=None, user=world.frontline)
    ApiToken.objects.filter(user=world.frontline).update(revoked_at=clock.now())
    assert user_for_token(token) is None
    other = token_issue(actor=None, user=world.handler)
    world.handler.is_active = False
    world.handler.save(update_fields=["is_active"])
    assert user_for_token(other) is None
