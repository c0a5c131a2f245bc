"""A quality manager keeps the escalation lexicon in a real Chromium: tries a sentence that raises nothing, adds
the term it lacks, and the same sentence now flags. Screenshots at laptop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.text import lexicon, seed
from amends.text.models import LexiconTerm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "再不处理我就去找消费者权益保护委员会"


@pytest.fixture
def world(transactional_db):
    catalogue.load(Journey, Touchpoint)
    seed.load(LexiconTerm)
    lexicon.invalidate()
    yield make_world()
    lexicon.invalidate()


def test_a_quality_manager_adds_a_term_and_the_sentence_flags(world, page, live_server, artifacts):
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", world.quality.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    page.click("nav >> text=词库")
    page.fill("#id_text", SENTENCE)
    page.get_by_role("button", name="检查").click()
    expect(page.locator(".lexicon-tried")).to_contain_text("没有标记")
    page.select_option("#id_flag", "consumer_body")
    page.fill("#id_term", "消费者权益保护委员会")
    page.get_by_role("button", name="加入词库").click()
    expect(page.locator(".message--success")).to_contain_text("消费者权益保护委员会")
    page.fill("#id_text", SENTENCE)
    page.get_by_role("button", name="检查").click()
    expect(page.locator(".lexicon-tried [data-flag=consumer_body]")).to_be_visible()
    page.screenshot(path=str(artifacts / "lexicon_laptop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "lexicon_phone.png"), full_page=True)
