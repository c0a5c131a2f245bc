"""The bench runs end to end in a tiny mode and counts right; its statistics are plain arithmetic.

The end-to-end test drives a real gunicorn against a throwaway `amends_bench_test_<pid>` database on the
PostgreSQL of DATABASE_URL (skipped on SQLite). It checks that figures come out and that nothing was lost,
never how fast anything was.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from amends.bench.database import BenchError, resolve
from amends.bench.stats import percentile, rate, summarize

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def test_percentile_interpolates_between_ranks():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 100
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile([10.0, 20.0], 25) == pytest.approx(12.5)


def test_percentile_of_one_value_is_that_value_and_of_none_is_nan():
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_is_in_milliseconds_whatever_the_order():
    summary = summarize([0.003, 0.001, 0.002, 0.010])
    assert summary.count == 4
    assert summary.p50_ms == pytest.approx(2.5)
    assert summary.max_ms == pytest.approx(10.0)
    assert summary.mean_ms == pytest.approx(4.0)
    assert summarize([]).count == 0


def test_rate_of_nothing_in_no_time_is_nan():
    assert rate(10, 2.0) == 5.0
    assert math.isnan(rate(10, 0))


def test_sqlite_is_refused_unless_asked_for(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(BenchError, match="--allow-sqlite"):
        resolve(None, "amends_bench")
    assert resolve(None, "amends_bench", allow_sqlite=True).vendor == "sqlite"


def test_only_bench_databases_are_ever_dropped():
    with pytest.raises(BenchError, match="amends_bench"):
        resolve("postgres://postgres@127.0.0.1:5432/amends", "amends")
    target = resolve("postgres://postgres@127.0.0.1:5432/amends", "amends_bench_x")
    assert target.url == "postgres://postgres@127.0.0.1:5432/amends_bench_x"


def test_intake_bench_in_a_tiny_mode_reports_figures_and_loses_nothing(tmp_path: Path):
    """On PostgreSQL as the bench is meant to run; on SQLite through --allow-sqlite, so no run skips it."""
    out = tmp_path / "intake.json"
    command = [sys.executable, "-m", "amends.cli", "bench", "intake", "--seconds", "1", "--clients", "1"]
    command += ["--warmup", "0.2", "--pgbench-seconds", "1", "--workers", "2", "--replay", "10", "--drop"]
    command += ["--database-name", f"amends_bench_test_{os.getpid()}", "--json", str(out)]
    env = {**os.environ, "AMENDS_MODE": "dev"}
    if not POSTGRES:
        command.append("--allow-sqlite")
        env["AMENDS_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    assert "complaints/s" in done.stdout

    figures = json.loads(out.read_text())
    (run,) = figures["runs"]
    assert run["http"]["clients"] == 1
    assert run["http"]["created"] > 0
    assert run["http"]["complaints_per_s"] > 0
    assert run["http"]["latency"]["p99_ms"] >= run["http"]["latency"]["p50_ms"] > 0
    assert run["http"]["errors"] == 0
    assert "cpu_ms_per_complaint" in run["http"]  # None only when the machine's counters gave nothing
    if "pgbench" in run:
        assert run["pgbench"]["inserts_per_s"] > 0
    counted = {c["label"]: c["count"] for c in figures["statements"]}
    assert counted["token lookup (user_for_token)"] >= 1
    assert all(n > 0 for n in counted.values())
    verification = figures["verification"]
    assert verification["ok"], verification
    assert verification["responses_201"] == verification["rows_created"]
    assert verification["replayed"] > 0 and not verification["replays_not_200_same_id"]
    assert figures["machine"]["cores"] and figures["database"]["version"]


def test_insights_bench_in_a_tiny_mode_times_every_report_beside_the_reference(tmp_path: Path):
    """A thousand simulated cases on PostgreSQL (the bench refuses SQLite), in process and through HTTP."""
    from amends.bench import database
    from amends.insights import reports

    out = tmp_path / "insights.json"
    name = f"amends_bench_insights_t{os.getpid()}"
    url = "postgres://postgres@127.0.0.1:5432/"
    command = [
        sys.executable,
        "-m",
        "amends.cli",
        "bench",
        "insights",
        "--database-url",
        url,
        "--database-name",
        name,
        "--cases",
        "1000",
        "--runs",
        "2",
        "--json",
        str(out),
    ]
    env = {**os.environ, "AMENDS_MODE": "dev"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        figures = json.loads(out.read_text())
    finally:
        database.drop(database.resolve(url, name))
    assert figures["dataset"]["cases"] == 1000 and len(figures["load_before"]) == 3
    measured = {(m["actor"], m["via"], m["what"]) for m in figures["measures"] if m.get("p95_ms") is not None}
    assert ("reference", "in process", "SELECT count(*) FROM recovery_case") in measured
    for report in reports.REGISTRY:
        assert ("head-office admin", "in process", report) in measured
        assert ("city supervisor", "HTTP", f"GET /api/v1/insights/{report}") in measured
    refused = subprocess.run(
        [sys.executable, "-m", "amends.cli", "bench", "insights", "--database-url", "sqlite:///x.sqlite3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert refused.returncode != 0 and "PostgreSQL" in refused.stderr


def test_events_bench_in_a_tiny_mode_stores_every_event_once(tmp_path: Path):
    """One batch of 10,000 at one client; on PostgreSQL the COPY reference runs beside it."""
    out = tmp_path / "events.json"
    command = [sys.executable, "-m", "amends.cli", "bench", "events", "--batches", "1", "--clients", "1"]
    command += ["--workers", "2", "--drop", "--database-name", f"amends_bench_test_ev_{os.getpid()}"]
    command += ["--json", str(out)]
    env = {**os.environ, "AMENDS_MODE": "dev"}
    if not POSTGRES:
        command.append("--allow-sqlite")
        env["AMENDS_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    figures = json.loads(out.read_text())
    (run,) = figures["runs"]
    assert (run["events"], run["accepted"], run["errors"]) == (10_000, 10_000, 0)
    assert run["events_per_s"] > 0 and len(figures["load_average_before"]) == 3
    assert ("copy" in run) == bool(POSTGRES)
    assert figures["verification"]["ok"], figures["verification"]


def test_a_bench_claim_is_ordered_and_names_its_salvage_parts():
    import random
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from amends.bench.events import EventSource, claim_events

    now = datetime(2026, 11, 23, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    events = claim_events(random.Random(1), 7, customers=10, now=now)
    assert [e["type"] for e in events[:3]] == ["claim.reported", "assessor.appointment_set", "assessor.arrived"]
    assert all(datetime.fromisoformat(e["occurred_at"]) < now for e in events)
    source = EventSource(3, customers=10, now=now)
    first, second = source.batch(100), source.batch(100)
    assert len(first) == len(second) == 100 and not {e["event_id"] for e in first} & {e["event_id"] for e in second}


@pytest.mark.skipif(not POSTGRES, reason="several web nodes share a PostgreSQL server")
def test_cluster_bench_in_a_tiny_mode_runs_every_topology_and_loses_nothing(tmp_path: Path):
    out = tmp_path / "cluster.json"
    command = [sys.executable, "-m", "amends.cli", "bench", "cluster", "--seconds", "1", "--clients", "2"]
    command += ["--workers", "1", "--threads", "2", "--jobs", "20", "--warmup", "0.5"]
    command += ["--event-batches", "2", "--event-batch-size", "300"]
    command += ["--drop", "--json", str(out)]
    command += ["--database-name", f"amends_bench_test_cl_{os.getpid()}"]
    done = subprocess.run(
        command, env={**os.environ, "AMENDS_MODE": "dev"}, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    figures = json.loads(out.read_text())
    topologies = [run["topology"] for run in figures["runs"]]
    assert topologies == ["one node, direct", "HAProxy, one node", "HAProxy, two nodes"]
    assert all(run["http"]["created"] > 0 and run["http"]["errors"] == 0 for run in figures["runs"])
    assert figures["verification"]["ok"], figures["verification"]
    assert [(w["workers"], w["sent"]) for w in figures["workers"]] == [(1, 20), (2, 20)]
    batches = figures["events"]
    assert [(e["workers"], e["events"], e["stored"]) for e in batches] == [(1, 600, 600), (2, 600, 600)]
    assert all(e["ok"] and e["jobs"]["ingest"] == 2 and e["jobs"]["failed"] == 0 for e in batches), batches
    assert all(e["events_per_s"] > 0 and len(e["load_1m"]) == 2 for e in batches)
    assert "Events on Redis" in done.stdout


def test_cluster_bench_refuses_sqlite_in_one_sentence(tmp_path: Path):
    command = [sys.executable, "-m", "amends.cli", "bench", "cluster", "--database-url", f"sqlite:///{tmp_path}/x"]
    done = subprocess.run(
        command, env={**os.environ, "AMENDS_MODE": "dev"}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0 and "PostgreSQL" in done.stderr
    assert "Traceback" not in done.stderr
