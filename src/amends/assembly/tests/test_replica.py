"""Reports read from a real streaming replica (`DATABASE_REPLICA_URL`) that this test builds from a primary it
also creates: the report and the dashboard say as of when their figures are, the request never brings the
facts up to date itself, and what the worker refreshes on the primary reaches the reports once replayed.

Pausing the replica's replay shows which copy a report reads: new complaints and a refresh on the primary do
not move the figures until replay resumes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest
from django.db import connection

from amends.assembly import cluster

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica is PostgreSQL's"),
    pytest.mark.skipif(bool(cluster.missing_tools()), reason=f"needs {', '.join(cluster.missing_tools())}"),
]

SEED = """
import django, sys
django.setup()
from amends.assembly.testing import make_world, receive
from amends.accounts.models import User
from amends.insights import facts, tasks
fresh = sys.argv[1] == "world"
world = make_world() if fresh else None
frontline = User.objects.get(username="frontline")
from amends.customers.models import Customer
individual = Customer.objects.get(customer_no="C0001")
for i in range(int(sys.argv[2])):
    receive(frontline, individual, claim_no=f"CL-{sys.argv[1]}-{i}")
if sys.argv[3] == "refresh":  # what the worker does every minute
    tasks.bring_facts_up_to_date.call()
if fresh:
    print(world.token(world.admin))
"""


def _python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", SEED, *args], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def _sql(port: int, database: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _check_deploy(env: dict[str, str]) -> str:
    """What `amends check-deploy` says about the several machines (it fails on the dev mode, which is beside it)."""
    done = subprocess.run(
        [sys.executable, "-m", "amends.cli", "check-deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    return done.stdout.split("Several machines", 1)[-1]


def _received(answer: dict) -> int:
    return next(s for s in answer["sections"] if s["key"] == "trend")["totals"]["complaints"]


def _replayed(pair: cluster.Replicated, complaints: int) -> bool:
    return _sql(pair.replica_port, "amends", "SELECT count(*) FROM intake_complaint") == str(complaints)


def test_reports_read_the_replica_and_say_how_fresh_their_figures_are():
    with cluster.primary_and_replica() as pair:
        _sql(pair.primary_port, "postgres", "CREATE DATABASE amends")
        env = {**os.environ, "AMENDS_MODE": "dev", "DATABASE_URL": pair.url(pair.primary_port, "amends")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["DJANGO_SETTINGS_MODULE"] = "amends.settings"
        subprocess.run([sys.executable, "-m", "amends.cli", "migrate", "-v", "0"], env=env, check=True, timeout=300)
        token = _python(env, "world", "3", "refresh")
        cluster.wait_until(lambda: _replayed(pair, 3), "the replica's copy of the first complaints")
        node_env = cluster.node_env(
            env, env["DATABASE_URL"], DATABASE_REPLICA_URL=pair.url(pair.replica_port, "amends")
        )
        with cluster.web_node("reports", node_env) as node:
            report = f"{node.url}/api/v1/insights/volume?since=2026-01-01"
            first = _get(report, token)
            assert _received(first) == 3 and first["as_of"] is not None

            _sql(pair.replica_port, "postgres", "SELECT pg_wal_replay_pause()")
            _python(env, "more", "2", "refresh")  # two more complaints, and the worker's refresh, on the primary
            paused = _get(report, token)
            assert _received(paused) == 3 and paused["as_of"] == first["as_of"]  # the replica's copy, unmoved
            assert "the replica's replay is paused" in _check_deploy(node_env)

            _sql(pair.replica_port, "postgres", "SELECT pg_wal_replay_resume()")
            cluster.wait_until(lambda: _replayed(pair, 5), "replay after resuming")
            later = _get(report, token)
            assert _received(later) == 5 and later["as_of"] > first["as_of"]
            assert re.search(
                r"reports read the replica .* \(\d+ kB of WAL behind the primary\)", _check_deploy(node_env)
            )

            # A complaint the worker has not refreshed yet: the report request leaves its note to the worker.
            _python(env, "held", "1", "hold")
            cluster.wait_until(lambda: _replayed(pair, 6), "replay of the unrefreshed complaint")
            assert _received(_get(report, token)) == 5
            assert _sql(pair.primary_port, "amends", "SELECT count(*) FROM insights_stale") != "0"
