"""A handler makes a realistic promise, in a real Chromium: open a case, pick a due time, read the kept-rate
hint that htmx fetches for it, record the promise and see it on the case page.

Runs against pytest-django's live server (a real thread, so the database must be shared: transactional).
The journey catalogue is loaded again (idempotently) because a transactional test may have flushed it.
Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world, receive
from amends.core import clock
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.promises import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    # Built before the browser starts: Playwright's sync API runs an event loop in this thread, and Django
    # refuses database calls from a thread with a running loop.
    catalogue.load(Journey, Touchpoint)
    world = make_world()
    case = receive(world.handler, world.individual).case
    _history(world)
    return world, case


# How long ten similar promises (promised 20 hours ahead, due at this time of day) really took: five within
# the 20 hours, so the unit kept 50%; the 9th of 10 took 25 hours, the time that would have been kept 90%.
TOOK_HOURS = (10, 12, 14, 16, 18, 21, 22, 23, 25, 30)


def _history(world):
    now = clock.now()
    for i, hours in enumerate(TOOK_HOURS):
        due = now - timedelta(days=i + 2)
        made = due - timedelta(hours=20)
        with clock.frozen(made):
            p = services.promise_make(
                actor=world.handler,
                customer_id=world.online.pk,
                text="回电告知结果",
                due_at=due,
                channel="hotline",
                touchpoint="auto_claim.salvage",
            )
        done = made + timedelta(hours=hours)
        if done <= due:
            with clock.frozen(done):
                services.promise_settle(actor=world.handler, promise_id=p.pk, outcome="kept")
        else:
            with clock.frozen(due + timedelta(hours=12)):
                services.promise_settle(actor=world.handler, promise_id=p.pk, outcome="broken", fulfilled_at=done)


def test_a_handler_makes_a_promise_with_the_kept_rate_hint(people, page, live_server, artifacts):
    _world, case = people
    base = live_server.url
    due = f"{timezone.localtime(clock.now() + timedelta(days=1)):%Y-%m-%dT%H:%M}"
    asked_from = clock.now()

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "handler")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")

    # Open the case; the promises panel offers the form, with the hotline and the case's touchpoint chosen.
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="承诺")).to_be_visible()
    expect(page.locator("#id_promise_channel")).to_have_value("hotline")
    expect(page.locator("#id_promise_touchpoint")).to_have_value("auto_claim.salvage")

    # Picking the due time fetches the kept-rate hint: the unit's ten similar promises, half of them kept, and
    # the time that would have been kept 90% of the time (25 hours after promising).
    page.fill("#id_promise_text", "明天这个时间之前回电告知残值处理结果。")
    page.fill("#id_promise_due_at", due)
    page.locator("#id_promise_due_at").dispatch_event("change")
    expect(page.locator("#promise-hint")).to_contain_text("50%")
    hint = page.locator("#promise-hint").inner_text()
    # The server computed it from its own "now", somewhere between asked_from and this moment.
    minutes = {f"{timezone.localtime(t + timedelta(hours=25)):%H:%M}" for t in (asked_from, clock.now())}
    assert "10" in hint and any(m in hint for m in minutes), hint

    # Record it: htmx posts, follows the redirect and swaps the page in place.
    page.get_by_role("button", name="登记承诺").click()
    expect(page.locator(".message--success")).to_be_visible()
    promise = page.locator(".promise").first
    expect(promise).to_contain_text("明天这个时间之前回电告知残值处理结果。")
    expect(promise.locator(".pstatus--open")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("明天这个时间之前回电告知残值处理结果。")
    page.screenshot(path=str(artifacts / "promise_flow_case.png"), full_page=True)
