"""A quality manager reads the insights dashboard in a real Chromium: the charts are drawn by ECharts from the
figures in the tables beside them, the filters narrow them, and a Pareto bar's row opens the cases behind it.
Screenshots at laptop (1366×900) and phone (390×844) width go to test-artifacts/browser/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world
from amends.insights.tests import history
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "since=2026-09-01&until=2026-10-31"


@pytest.fixture
def people(transactional_db):
    catalogue.load(Journey, Touchpoint)
    world = make_world()
    history.policies(world)
    history.promises(world)
    return world, history.build(world)


def _sign_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")


def test_the_dashboard_draws_its_charts_and_drills_down(people, live_server, page, artifacts):
    _world, data = people
    base = live_server.url
    # With the Content-Security-Policy on (script-src 'self'): every chart below is drawn by our own files,
    # and the browser reports no refused script, style or handler.
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    csp = page.request.get(f"{base}/accounts/login/").headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in(page, base)
    page.click("nav >> text=分析")
    page.goto(f"{base}/insights/?{PERIOD}")
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(16)
    for i in range(16):
        expect(charts.nth(i)).to_have_attribute("data-drawn", "true")
        expect(charts.nth(i).locator("svg")).to_have_count(1)
    volume = page.locator("#chart-volume-trend-card .figtable")
    expect(volume.locator("tbody tr")).to_have_count(2)
    expect(volume.locator("tbody tr").first).to_contain_text("2026-09")
    kpi = page.locator(".kpi").first
    expect(kpi).to_contain_text("4")
    page.screenshot(path=str(artifacts / "insights_dashboard_laptop.png"), full_page=True)

    # Narrow to one channel: the headline follows.
    page.select_option("#f-channel", "regulator")
    page.click(".insights-filters button[type=submit]")
    expect(page.locator(".kpi__value").first).to_have_text("1")

    # Back to everything; the top coded touchpoint's row opens its cases (the first row holds the failure and
    # the four complaints with no touchpoint).
    page.goto(f"{base}/insights/?{PERIOD}")
    pareto = page.locator("#chart-pareto-by_touchpoint-card .figtable tbody tr").nth(1)
    expect(pareto).to_contain_text("3")
    pareto.locator("a").click()
    page.wait_for_url("**/insights/cases/**")
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(2)  # c1 (f1, f2) and c3 (f4) failed at assessment
    expect(page.locator("table.table")).to_contain_text(data.cases["c1"].reference)
    page.screenshot(path=str(artifacts / "insights_cases_laptop.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/insights/?{PERIOD}")
    expect(page.locator("[data-chart]").first).to_have_attribute("data-drawn", "true")
    page.screenshot(path=str(artifacts / "insights_dashboard_phone.png"), full_page=True)
    page.screenshot(path=str(artifacts / "insights_dashboard_phone_top.png"))
    page.locator("#chart-pareto-by_touchpoint-card").screenshot(path=str(artifacts / "insights_pareto_phone.png"))
    assert refused == []
    # No two of the Pareto chart's texts (axis names, values, legend) are drawn over each other.
    overlaps = page.evaluate(
        """() => {
          const svg = document.querySelector("#chart-pareto-by_touchpoint-card [data-chart] svg");
          const boxes = [...svg.querySelectorAll("text")].map(t => t.getBoundingClientRect()).filter(b => b.width);
          let n = 0;
          boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
          }));
          return n;
        }"""
    )
    assert overlaps == 0


def test_a_root_cause_becomes_a_rectification(people, live_server, page, artifacts):
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in(page, base)
    page.goto(f"{base}/insights/?{PERIOD}")
    page.locator("#chart-pareto-by_touchpoint_cause-card a.chip").first.click()
    page.wait_for_url("**/rectifications/new/**")
    expect(page.locator("#id_touchpoint")).to_have_value("auto_claim.assessment")
    expect(page.locator("#id_cause")).to_have_value("company")
    page.fill("#id_title", "查勘预约改为系统派单，到场前一小时短信确认")
    page.fill("#id_owner", "supervisor")
    page.fill("#id_due_date", "2027-01-31")
    page.locator("form button[type=submit].btn--primary").click()
    page.wait_for_url("**/rectifications/*/")
    expect(page.locator("h1")).to_have_text("查勘预约改为系统派单，到场前一小时短信确认")
    expect(page.locator("body")).to_contain_text("整改生效（标记为已完成）后次日起统计")
    page.select_option("#id_status", "done")
    page.locator("form button[type=submit].btn--primary").click()
    expect(page.locator(".message--success")).to_be_visible()
    page.screenshot(path=str(artifacts / "rectification_laptop.png"), full_page=True)
    page.goto(f"{base}/rectifications/?status=")
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "rectifications_phone.png"), full_page=True)
