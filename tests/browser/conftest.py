"""What every browser test shares: Debian's Chromium driven by Playwright, headless, against pytest-django's
live server, and a folder for screenshots (test-artifacts/browser/, the last view of each test included).

A missing Chromium fails the tests instead of skipping them: scripts/test.sh installs it where it may.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
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
