"""A handler codes a failure's cause, dimension and service quality gap (1–4) on the case page, in a real
Chromium; screenshots at laptop and phone width go to test-artifacts/browser/."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, failure, make_world, receive
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.recovery.models import Failure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    catalogue.load(Journey, Touchpoint)
    world = make_world()
    case = receive(world.handler, world.individual).case
    row = failure(case, "2026-11-01 10:00", "auto_claim.payment")
    return world, case, row


def test_a_handler_codes_a_failure_s_gap_on_the_case_page(people, page, live_server, artifacts):
    _world, case, row = people
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "handler")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/cases/{case.pk}/#failure-{row.pk}")
    block = page.locator(f"#failure-{row.pk}")
    expect(block).to_be_visible()
    block.locator("select[name=cause]").select_option("company")
    block.locator("select[name=dimension]").select_option("reliability")
    block.locator("select[name=gap]").select_option("4")
    page.screenshot(path=str(artifacts / "failure_code_laptop.png"), full_page=True)
    block.get_by_role("button", name="保存").click()
    expect(page.locator(f"#failure-{row.pk} select[name=gap]")).to_have_value("4")
    expect(page.locator("body")).to_contain_text("已保存服务失败的归类")

    with ThreadPoolExecutor(1) as pool:
        coded = pool.submit(lambda: Failure.objects.values_list("cause", "dimension", "gap").get(pk=row.pk)).result()
    assert coded == ("company", "reliability", 4)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/cases/{case.pk}/#failure-{row.pk}")
    page.locator(f"#failure-{row.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "failure_code_phone.png"), full_page=True)
    page.screenshot(path=str(artifacts / "failure_code_phone_view.png"))
