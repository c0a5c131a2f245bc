"""A callback is claimed before the call: one person rings the customer, the other is told who does."""

from datetime import date

import pytest
from django.test import Client, override_settings

from amends.core.errors import RuleViolation
from amends.followup.services import callback_claim, callback_record, callbacks_sample

from .test_callbacks import _policy


@pytest.fixture
def sampled(world, now):
    _policy(world.online, "PR-ONLINE-2", date(2026, 10, 30))
    with override_settings(AMENDS_CALLBACK_RATES={"default": 1.0}):
        return callbacks_sample()[0]


def test_the_first_to_claim_calls_and_the_second_is_told_who(world, sampled):
    callback_claim(actor=world.handler, callback_id=sampled.pk)
    with pytest.raises(RuleViolation) as refused:
        callback_claim(actor=world.handler2, callback_id=sampled.pk)
    assert refused.value.code == "callback_claimed" and "王芳" in refused.value.detail
    with pytest.raises(RuleViolation):
        callback_record(actor=world.handler2, callback_id=sampled.pk, outcome="no_answer")
    callback_record(actor=world.handler, callback_id=sampled.pk, outcome="no_answer")


def test_the_callbacks_page_offers_a_claim_and_then_shows_who_is_calling(world, sampled):
    mine, theirs = Client(), Client()
    mine.cookies["django_language"] = theirs.cookies["django_language"] = "en"
    mine.force_login(world.handler)
    theirs.force_login(world.handler2)
    assert "Claim and call" in mine.get("/callbacks/").content.decode()
    answer = mine.post(f"/callbacks/{sampled.pk}/claim/")
    assert answer.status_code == 302 and answer["Location"] == f"/callbacks/{sampled.pk}/"
    assert "投诉专员王芳 is calling" in theirs.get("/callbacks/").content.decode()
    assert theirs.post(f"/callbacks/{sampled.pk}/claim/")["Location"] == "/callbacks/"
