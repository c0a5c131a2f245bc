"""The dashboard, a Pareto bar's cases and the report files, as signed-in staff see them."""

import io

import pytest
from openpyxl import load_workbook

from amends.core.testing import PASSWORD

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


def test_the_dashboard_shows_every_chart_with_its_numbers_and_files(client, world, data):
    page = signed_in(client, world.quality).get("/insights/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
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
    assert page.context["headline"]["complaints"] == 3


def test_a_pareto_row_links_to_its_cases(client, world, data):
    signed_in(client, world.admin)
    page = client.get("/insights/", PERIOD)
    assert "/insights/cases/?since=2026-09-01" in page.content.decode()
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
