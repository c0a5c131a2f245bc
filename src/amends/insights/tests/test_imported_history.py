"""Complaints brought in by the history import count in the reports like native ones: with their own line and
region, and noted for the report facts even where the import skips the row triggers (PostgreSQL)."""

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from amends.insights import facts, queries
from amends.insights.models import ComplaintFact, Stale
from amends.intake import tests as intake_tests
from amends.intake.importing import mapping as mappings
from amends.intake.importing.run import complaints_import
from amends.intake.models import Complaint
from amends.intake.tests.test_import_references import batch, context, write

TEXAS = Path(intake_tests.__file__).parent / "data" / "tx-tdi-sample.csv.gz"


def test_imported_complaints_count_in_reports_with_their_own_line_and_region(world, now, tmp_path):
    complaints_import(actor=world.admin, path=TEXAS, mapping=mappings.load("tx-tdi"), reject_path=tmp_path / "r.csv")
    with gzip.open(TEXAS, "rt") as f:
        rows = [r for r in csv.DictReader(f) if "2012-01-01" <= r["received_date"] <= "2012-12-31"]
    period = {"since": "2012-01-01", "until": "2012-12-31"}
    result = queries.run(world.admin, "regulator", period)
    lines = {r["code"]: r["received"] for r in result.section("by_line").rows}
    assert lines["health"] == sum(1 for r in rows if r["coverage_type"] == "Accident and Health") > 0
    assert lines["auto"] == sum(1 for r in rows if r["coverage_type"] == "Automobile")
    assert {r["label"]: r["received"] for r in result.section("by_region").rows} == {"Texas": len(rows)}
    channels = {r["code"]: r["received"] for r in result.section("by_channel").rows}
    assert channels == {"regulator": len(rows)}
    health = queries.run(world.admin, "volume", {**period, "line": "health"})
    assert health.section("trend").totals["complaints"] == lines["health"]


# The Texas file's coverage types and the product lines their names match (customers.ProductLine.aliases).
TEXAS_LINES = {
    "Automobile": "车险",
    "Homeowners": "家财险",
    "Fire, Allied Lines & CMP": "企财险",
    "Liability": "责任险",
    "Accident and Health": "健康险",
    "Life & Annuity": "普通寿险",
}


def test_the_file_s_coverage_types_are_kept_and_matched_to_product_lines(world, now, tmp_path):
    complaints_import(actor=world.admin, path=TEXAS, mapping=mappings.load("tx-tdi"), reject_path=tmp_path / "r.csv")
    with gzip.open(TEXAS, "rt") as f:
        rows = list(csv.DictReader(f))
    result = queries.run(world.admin, "regulator", {"since": "2000-01-01", "until": "2026-11-02"})
    got = {r["label"]: r["received"] for r in result.section("by_product_line").rows if r["received"]}
    expected = Counter(TEXAS_LINES.get(r["coverage_type"], r["coverage_type"] or "无险种") for r in rows)
    assert got == dict(expected)
    # A coverage type no product line names keeps its own name; none reads "no policy".
    assert "Miscellaneous" in got and "未关联保单" not in got
    assert Complaint.objects.filter(coverage="Accident and Health").count() == expected["健康险"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row triggers are skipped on PostgreSQL only")
def test_the_batch_is_noted_for_the_report_facts_though_the_row_triggers_are_skipped(world, now):
    """The insights notes fire ALWAYS: imported complaints reach the reports like native ones."""
    written = write(batch("", ""), context(world, now))
    assert Stale.objects.filter(kind="complaint").count() == len(written) == 2
    facts.bring_up_to_date()
    assert ComplaintFact.objects.filter(case_id__in=Complaint.objects.values("case_id")).count() == 2
