"""The dashboard, a Pareto bar's cases and the report files, as signed-in staff see them."""

import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from amends.assembly.testing import PASSWORD
from amends.insights.views import PANELS

from . import history
from .history import PERIOD


@pytest.fixture
def data(world, now):
    history.policies(world)
    history.promises(world)
    return history.build(world)


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def panels(client, params):
    """The dashboard page and every panel it loads (as htmx does in the browser): their HTML, joined."""
    page = client.get("/insights/", params)
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r'hx-get="(/insights/panel/[a-z_]+/\?[^"]*)"', html)
    assert len(urls) == len(PANELS)
    for url in urls:
        panel = client.get(unescape(url))
        assert panel.status_code == 200, url
        html += panel.content.decode()
    return html


def test_the_dashboard_shows_every_chart_with_its_numbers_and_files(client, world, data):
    html = panels(signed_in(client, world.quality), PERIOD)
    for chart in (
        "chart-volume-trend",
        "chart-timeliness-trend",
        "chart-promises-trend",
        "chart-repeat-trend",
        "chart-pareto-by_touchpoint",
        "chart-pareto-by_touchpoint_cause",
        "chart-regulator-by_category",
        "chart-recovery-trend",
        "chart-alerts-trend",
        "chart-dimensions-trend",
        "chart-discretion-trend",
        "chart-discretion-by_kind",
    ):
        assert f'id="{chart}"' in html and f'id="{chart}-data"' in html
    assert "/insights/volume/file/?since=2026-09-01&amp;until=2026-10-31" in html
    assert "format=xlsx" in html and "format=csv" in html
    # the quality manager (Guangdong) does not see the Beijing complaint: 3 received, not 4
    assert re.search(r'id="kpi-complaints" hx-swap-oob="true">3<', html)


def test_the_page_itself_counts_nothing_its_panels_do(client, world, data):
    signed_in(client, world.quality)
    with CaptureQueriesContext(connection) as queries:
        client.get("/insights/", PERIOD)
    assert not any("insights_complaint_fact" in q["sql"] for q in queries.captured_queries)
    assert client.get("/insights/panel/nonsense/", PERIOD).status_code == 404
    bad = client.get("/insights/panel/volume/", {"since": "someday"})
    assert bad.status_code == 422 and "alert" in bad.content.decode()


def test_a_pareto_row_links_to_its_cases(client, world, data):
    signed_in(client, world.admin)
    assert "/insights/cases/?since=2026-09-01" in panels(client, PERIOD)
    cases = client.get("/insights/cases/", {**PERIOD, "touchpoint": "auto_claim.assessment", "cause": "company"})
    assert cases.status_code == 200
    assert data.cases["c1"].reference in cases.content.decode()
    assert data.cases["c3"].reference not in cases.content.decode()  # the customer's own fault, not the company's


def test_the_files_behind_the_links(client, world, data):
    signed_in(client, world.admin)
    answer = client.get("/insights/regulator/file/", {**PERIOD, "format": "xlsx"})
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "消费投诉情况统计表"
    assert client.get("/insights/volume/file/", {**PERIOD, "format": "csv"})["Content-Type"].startswith("text/csv")
    assert client.get("/insights/volume/file/", {**PERIOD, "format": "pdf"}).status_code == 422
    assert client.get("/insights/nothing/file/", PERIOD).status_code == 404


def test_bad_filters_are_shown_on_the_page(client, world, data):
    page = signed_in(client, world.admin).get("/insights/", {"since": "2026-12-01", "until": "2026-01-01"})
    assert page.status_code == 422
    assert "统计期间的开始晚于结束" in page.content.decode()


def test_who_may_open_the_dashboard(client, world, data):
    assert client.get("/insights/").status_code == 302  # to the login page
    default = signed_in(client, world.quality).get("/insights/")  # no filters: the last twelve months
    assert default.status_code == 200 and 'name="since" value="20' in default.content.decode()
    assert signed_in(client, world.handler).get("/insights/").status_code == 403
    client.logout()
    assert signed_in(client, world.supervisor).get("/insights/", {"unit": world.beijing.pk}).status_code == 403
    assert "/insights/" not in signed_in(client, world.handler).get("/").content.decode()
