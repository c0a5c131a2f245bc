"""What every browser test shares: Debian's Chromium driven by Playwright, headless, against pytest-django's
live server, and a folder for screenshots (test-artifacts/browser/, the last view of each test included).

Also the default `world` (the catalogue, the message and notice templates, an empty SMS outbox; a test module
may define its own), `in_thread` for database reads while the browser runs, and `shoot` for screenshots at
laptop and phone width.

A missing Chromium fails the tests instead of skipping them: scripts/test.sh installs it where it may.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture
def artifacts() -> Path:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(live_server: Any, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Browser tests need Debian's chromium: apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        context.set_default_timeout(15000)
        pg = context.new_page()
        try:
            yield pg
        finally:
            pg.screenshot(path=str(artifacts / f"{request.node.name}_last.png"), full_page=True)
            context.close()
            browser.close()


LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from amends.assembly.testing import make_world
    from amends.correspondence import seed, sms
    from amends.correspondence.models import MessageTemplate
    from amends.correspondence.notice_templates import NOTICE_TEMPLATES
    from amends.journeys import catalogue
    from amends.journeys.models import Journey, Touchpoint

    catalogue.load(Journey, Touchpoint)
    seed.load(MessageTemplate)
    seed.load(MessageTemplate, NOTICE_TEMPLATES)  # the flush took the migrations' templates
    sms.outbox.clear()
    return make_world()


def _in_thread(fn: Callable[[], Any]) -> Any:
    def run() -> Any:
        try:
            return fn()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def in_thread() -> Callable[[Callable[[], Any]], Any]:
    """Database reads after the browser started run in a thread of their own: Playwright keeps an event loop
    in the test's thread, where Django refuses synchronous queries."""
    return _in_thread


@pytest.fixture
def shoot(page: Any, artifacts: Path) -> Callable[..., None]:
    """`shoot(name)` takes the whole page at laptop and at phone width; `shoot(name, selector)` the window
    with that element in view. The page keeps the width it had."""

    def take(name: str, selector: str | None = None) -> None:
        before = page.viewport_size or LAPTOP
        for label, size in (("laptop", LAPTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            if selector:
                page.locator(selector).scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / f"{name}_{label}.png"), full_page=selector is None)
        page.set_viewport_size(before)

    return take
