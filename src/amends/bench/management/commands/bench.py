"""`amends bench intake|queue|insights|import|events|cluster`: measure DESIGN §6's targets beside their references
(see docs/benchmarks.md).

Thin: parses the options and hands over to `amends.bench`; the figures are reported, never asserted. The
bench's modules are imported only once a run starts, so the rest of `amends` never needs the `bench` extra
(docs/decisions/0015-benchmarks-as-an-extra.md); without it, a run says which extra to install.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

# What the `bench` extra of pyproject.toml adds to the application's own dependencies.
EXTRA_MODULES = ("aiohttp",)
NEEDS_EXTRA = "amends bench needs the bench extra: pip install -e '.[bench]' (or uv sync --extra bench)."


def _require_extra() -> None:
    for name in EXTRA_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            raise CommandError(NEEDS_EXTRA) from None


def _int_list(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise CommandError(f"expected numbers separated by commas, got {text!r}") from exc
    if not values or min(values) < 1:
        raise CommandError(f"expected positive numbers separated by commas, got {text!r}")
    return values


class Command(BaseCommand):
    help = (
        "Measure intake (complaints/s through the API, beside pgbench), the queue over a million cases, "
        "the insights reports, the history import (beside a plain COPY of the same rows), or event ingestion "
        "(events/s through the batch API, beside COPY), or several web nodes behind HAProxy and workers on Redis."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="which", required=True, metavar="intake|queue|insights|import|events|cluster")
        intake = sub.add_parser("intake", help="POST /api/v1/complaints through a real server, beside pgbench")
        queue = sub.add_parser("queue", help="the queue and case reads over a million cases")
        insights = sub.add_parser("insights", help="every insights report over a simulated million cases")
        events = sub.add_parser("events", help="POST /api/v1/events in batches of 10,000, beside COPY")
        for p in (intake, queue, insights, events):
            p.add_argument("--database-url", help="PostgreSQL server to use (default: $DATABASE_URL)")
            p.add_argument("--allow-sqlite", action="store_true", help="measure the embedded SQLite file instead")
            p.add_argument("--json", dest="json_path", metavar="PATH", help="also write the figures as JSON")
            p.add_argument(
                "--server",
                default="",
                help="granian, gthread or sync (gunicorn's workers); several with commas (default: as amends serve)",
            )
            p.add_argument("--workers", type=int, default=None, help="server worker processes")
            p.add_argument("--threads", type=int, default=None, help="threads per worker (granian, gthread)")
        intake.add_argument("--database-name", default="amends_bench", help="created afresh (dropped first)")
        intake.add_argument("--seconds", type=float, default=10.0, help="load per client count")
        intake.add_argument("--clients", default="1,8", help="concurrent clients, e.g. 1,8")
        intake.add_argument("--pgbench-seconds", type=int, default=None, help="default: --seconds")
        intake.add_argument("--warmup", type=float, default=1.0, help="seconds of unmeasured load first")
        intake.add_argument("--replay", type=int, default=100, help="keys replayed to check idempotency")
        intake.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
        intake.add_argument("--verbose", action="store_true", help="print every SQL statement counted")
        queue.add_argument("--database-name", default="amends_bench_queue", help="reused when of the right size")
        queue.add_argument("--cases", type=int, default=1_000_000)
        queue.add_argument("--runs", type=int, default=50, help="timed runs per measure")
        queue.add_argument("--rebuild", action="store_true", help="build the data again even if it fits")
        queue.add_argument("--no-http", action="store_true", help="in-process timings only")
        queue.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the queue queries")
        insights.add_argument("--database-name", default="amends_bench_insights", help="reused when of the right size")
        insights.add_argument("--cases", type=int, default=1_000_000, help="customers simulated, a case each")
        insights.add_argument("--runs", type=int, default=20, help="timed runs per report")
        insights.add_argument("--rebuild", action="store_true", help="simulate again even if the data fits")
        insights.add_argument("--no-http", action="store_true", help="in-process timings only")
        insights.add_argument("--reports", default="", help="only these reports, e.g. volume,pareto")
        history = sub.add_parser("import", help="amends import complaints on the Texas file and a generated one")
        history.add_argument("--database-url", help="PostgreSQL server to use (default: $DATABASE_URL)")
        history.add_argument("--allow-sqlite", action="store_true", help="measure the embedded SQLite file instead")
        history.add_argument("--json", dest="json_path", metavar="PATH", help="also write the figures as JSON")
        history.add_argument("--database-name", default="amends_bench_history", help="created afresh (dropped first)")
        history.add_argument("--texas", type=Path, help="the Texas TDI csv.gz (default: found in shared/data/real)")
        history.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated file (0: none)")
        history.add_argument("--batch-size", type=int, default=10_000, help="complaints per transaction")
        history.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
        several = sub.add_parser("cluster", help="intake through HAProxy to one and two web nodes; RQ workers")
        several.add_argument("--database-url", help="PostgreSQL server to use (default: $DATABASE_URL)")
        several.add_argument("--json", dest="json_path", metavar="PATH", help="also write the figures as JSON")
        several.add_argument("--database-name", default="amends_bench_cluster", help="created afresh (dropped first)")
        several.add_argument("--seconds", type=float, default=10.0, help="load per client count and topology")
        several.add_argument("--clients", default="1,8", help="concurrent clients, e.g. 1,8")
        several.add_argument("--workers", type=int, default=2, help="server worker processes per node")
        several.add_argument("--threads", type=int, default=4, help="threads per server worker")
        several.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load per topology")
        several.add_argument("--jobs", type=int, default=2000, help="background jobs drained by one, then two workers")
        several.add_argument(
            "--event-batches", type=int, default=6, help="event batches stored by one worker, then as many by two"
        )
        several.add_argument("--event-batch-size", type=int, default=10_000, help="events per batch (at most 10,000)")
        several.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
        events.add_argument("--database-name", default="amends_bench_events", help="created afresh (dropped first)")
        events.add_argument("--batches", type=int, default=20, help="batches of 10,000 events per client count")
        events.add_argument("--clients", default="1,2", help="concurrent clients, e.g. 1,2")
        events.add_argument("--drop", action="store_true", help="drop the bench database afterwards")

    def handle(self, *args: Any, **opts: Any) -> None:
        _require_extra()
        from rich.console import Console

        from amends.bench import report
        from amends.bench.database import BenchError
        from amends.bench.server import KINDS, ServerConfig

        console = Console(width=None if sys.stdout.isatty() else 160)
        if opts["which"] == "import":
            self._history(console, opts)
            return
        if opts["which"] == "cluster":
            self._cluster(console, opts)
            return
        kinds = [k.strip() for k in opts["server"].split(",") if k.strip()] or [ServerConfig.shipped().kind]
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise CommandError(f"unknown server {', '.join(sorted(unknown))}; choose from {', '.join(KINDS)}")
        servers = [ServerConfig.default(kind, workers=opts["workers"], threads=opts["threads"]) for kind in kinds]

        def progress(text: str) -> None:
            console.print(f"[dim]· {text}[/]")

        try:
            if opts["which"] == "intake":
                from amends.bench.intake import IntakeOptions, run_intake

                figures = run_intake(
                    IntakeOptions(
                        database_url=opts["database_url"],
                        database_name=opts["database_name"],
                        allow_sqlite=opts["allow_sqlite"],
                        seconds=opts["seconds"],
                        clients=_int_list(opts["clients"]),
                        servers=servers,
                        pgbench_seconds=opts["pgbench_seconds"],
                        warmup=opts["warmup"],
                        replay_sample=opts["replay"],
                        drop_after=opts["drop"],
                    ),
                    progress,
                )
                report.intake(console, figures, verbose=opts["verbose"])
            elif opts["which"] == "insights":
                from amends.bench.insights import InsightsOptions, run_insights

                if opts["cases"] < 1 or opts["runs"] < 1:
                    raise CommandError("--cases and --runs must be at least 1")
                figures = run_insights(
                    InsightsOptions(
                        database_url=opts["database_url"],
                        database_name=opts["database_name"],
                        cases=opts["cases"],
                        runs=opts["runs"],
                        rebuild=opts["rebuild"],
                        http=not opts["no_http"],
                        server=servers[0],
                        reports=[r.strip() for r in opts["reports"].split(",") if r.strip()],
                    ),
                    progress,
                )
                report.insights(console, figures)
            elif opts["which"] == "events":
                from amends.bench.events import EventsOptions, run_events

                if opts["batches"] < 1:
                    raise CommandError("--batches must be at least 1")
                figures = run_events(
                    EventsOptions(
                        database_url=opts["database_url"],
                        database_name=opts["database_name"],
                        allow_sqlite=opts["allow_sqlite"],
                        batches=opts["batches"],
                        clients=_int_list(opts["clients"]),
                        server=servers[0],
                        drop_after=opts["drop"],
                    ),
                    progress,
                )
                report.events(console, figures)
            else:
                from amends.bench.queue import QueueOptions, run_queue

                figures = run_queue(
                    QueueOptions(
                        database_url=opts["database_url"],
                        database_name=opts["database_name"],
                        allow_sqlite=opts["allow_sqlite"],
                        cases=opts["cases"],
                        runs=opts["runs"],
                        rebuild=opts["rebuild"],
                        http=not opts["no_http"],
                        explain=opts["explain"],
                        server=servers[0],
                    ),
                    progress,
                )
                report.queue(console, figures, explain=opts["explain"])
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json_path"]:
            report.write_json(opts["json_path"], figures)
            console.print(f"figures written to {opts['json_path']}")

    def _cluster(self, console: Any, opts: dict[str, Any]) -> None:
        from amends.bench import report
        from amends.bench.cluster import ClusterOptions, run_cluster
        from amends.bench.database import BenchError

        if opts["seconds"] <= 0 or opts["workers"] < 1 or opts["threads"] < 1 or opts["jobs"] < 1 or opts["warmup"] < 0:
            raise CommandError("--seconds, --workers, --threads and --jobs must be positive, --warmup not negative")
        if opts["event_batches"] < 1 or not 1 <= opts["event_batch_size"] <= 10_000:
            raise CommandError("--event-batches must be positive and --event-batch-size from 1 to 10,000")
        try:
            figures = run_cluster(
                ClusterOptions(
                    database_url=opts["database_url"],
                    database_name=opts["database_name"],
                    seconds=opts["seconds"],
                    clients=_int_list(opts["clients"]),
                    workers=opts["workers"],
                    threads=opts["threads"],
                    jobs=opts["jobs"],
                    event_batches=opts["event_batches"],
                    event_batch=opts["event_batch_size"],
                    warmup=opts["warmup"],
                    drop_after=opts["drop"],
                ),
                lambda text: console.print(f"[dim]· {text}[/]"),
            )
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        report.cluster(console, figures)
        if opts["json_path"]:
            report.write_json(opts["json_path"], figures)
            console.print(f"figures written to {opts['json_path']}")

    def _history(self, console: Any, opts: dict[str, Any]) -> None:
        from amends.bench import report
        from amends.bench.database import BenchError
        from amends.bench.history import HistoryOptions, run_history

        if opts["rows"] < 0 or opts["batch_size"] < 1:
            raise CommandError("--rows must be 0 or more and --batch-size at least 1")
        try:
            figures = run_history(
                HistoryOptions(
                    database_url=opts["database_url"],
                    database_name=opts["database_name"],
                    allow_sqlite=opts["allow_sqlite"],
                    texas=opts["texas"],
                    generated_rows=opts["rows"],
                    batch_size=opts["batch_size"],
                    drop_after=opts["drop"],
                ),
                lambda text: console.print(f"[dim]· {text}[/]"),
            )
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        report.history(console, figures)
        if opts["json_path"]:
            report.write_json(opts["json_path"], figures)
            console.print(f"figures written to {opts['json_path']}")
