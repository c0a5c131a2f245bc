"""A handler accepts one suggested code and corrects another on the case page, in a real Chromium, and sees
the escalation flags with the customer's own words and why a forwarded near-duplicate joined the case.
Screenshots at laptop and phone width go to test-artifacts/browser/.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world, receive
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.text import lexicon, seed
from amends.text.models import ComplaintCode, ComplaintText, LexiconTerm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    catalogue.load(Journey, Touchpoint)
    seed.load(LexiconTerm)  # a transactional test may have flushed the data migration's terms
    lexicon.invalidate()
    world = make_world()
    complaint = receive(
        world.frontline,
        world.individual,
        touchpoint="",
        description="定损员到现场后态度很差，损失部位没看全就说只能按这个价，问他依据也不解释。"
        "这是我第二次投诉了，再不处理我就打１２３７８。",
        request="要求重新定损，并把定损金额的依据讲清楚。",
    )
    # The same words forwarded by the regulator without the claim number: linked as a near-duplicate.
    forwarded = receive(
        world.frontline,
        world.individual,
        channel="regulator",
        claim_no="",
        touchpoint="",
        description="（12378转办）" + complaint.description,
        request=complaint.request,
    )
    assert forwarded.case_id == complaint.case_id
    # The starter model reads this as 态度 (attitude): the handler corrects it to 精度 (competence) below.
    assert ComplaintText.objects.get(complaint=complaint).suggested["dimension"]["code"] == "attitude"
    return world, complaint


def test_a_handler_accepts_one_suggestion_and_corrects_another(people, page, live_server, artifacts):
    _world, complaint = people
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "handler")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/cases/{complaint.case_id}/")
    flags = page.locator(".flags")
    expect(flags).to_contain_text("１２３７８")
    expect(flags).to_contain_text("第二次投诉")
    expect(page.locator(".timeline")).to_contain_text("高度相似")
    expect(page.get_by_role("button", name="拆分为单独案件").first).to_be_visible()
    page.screenshot(path=str(artifacts / "coding_laptop_before.png"), full_page=True)

    # Accept the business category as suggested (理赔).
    category = page.locator(f"#code-{complaint.pk}-category")
    category.get_by_role("button", name="采纳").click()
    expect(page.locator(f"#code-{complaint.pk}-category .coding__done")).to_contain_text("理赔")

    # Correct the perception dimension: open "修正…", choose 精度 (competence), save.
    dimension = page.locator(f"#code-{complaint.pk}-dimension")
    dimension.locator("summary").click()
    dimension.locator("select").select_option("competence")
    dimension.get_by_role("button", name="保存").click()
    expect(page.locator(f"#code-{complaint.pk}-dimension .coding__done")).to_be_visible()

    # Playwright's loop runs in this thread and Django refuses database calls beside it: ask from another one.
    with ThreadPoolExecutor(1) as pool:
        codes = pool.submit(lambda: dict(ComplaintCode.objects.values_list("field", "outcome"))).result()
    assert codes == {"category": "accepted", "dimension": "corrected"}
    page.screenshot(path=str(artifacts / "coding_laptop_after.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "coding_phone.png"), full_page=True)
