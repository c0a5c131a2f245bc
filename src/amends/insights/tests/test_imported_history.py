"""Complaints brought in by the history import count in the reports like native ones: with their own line and
region, and noted for the report facts even where the import skips the row triggers (PostgreSQL)."""

import csv
import gzip
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row triggers are skipped on PostgreSQL only")
def test_the_batch_is_noted_for_the_report_facts_though_the_row_triggers_are_skipped(world, now):
    """The insights notes fire ALWAYS: imported complaints reach the reports like native ones."""
    written = write(batch("", ""), context(world, now))
    assert Stale.objects.filter(kind="complaint").count() == len(written) == 2
    facts.bring_up_to_date()
    assert ComplaintFact.objects.filter(case_id__in=Complaint.objects.values("case_id")).count() == 2
