"""Showing the figures: rich tables on the terminal, and the same figures as JSON for `--json PATH`.

Targets (DESIGN §6) are printed beside the measurements as information; nothing here passes or fails a run.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

INTAKE_TARGET_RATE = 400.0
INTAKE_TARGET_P99_MS = 100.0
QUEUE_SLOW_MS = 50.0
EVENTS_TARGET_RATIO = 0.5


def _ms(value: Any) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.1f}"


def _cpu(used: dict[str, float] | None, *names: str) -> str:
    return "/".join(f"{used[n]:.2f}" for n in names) if used else "–"


def write_json(path: str | Path, report: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def environment(console: Console, report: dict[str, Any], servers: list[str]) -> None:
    m, db = report["machine"], report["database"]
    console.print(
        f"[bold]Machine[/]: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}, Django {m['django']}"
    )
    settings = ", ".join(f"{k}={v}" for k, v in db.get("settings", {}).items() if v is not None)
    console.print(f"[bold]Database[/]: {db['vendor']} {db['version']} ({db['name']}) {settings}")
    for text in servers:
        console.print(f"[bold]Server[/]: {text}")


def intake(console: Console, report: dict[str, Any], *, verbose: bool = False) -> None:
    environment(console, report, sorted({r["server"]["text"] for r in report["runs"]}))
    table = Table(
        title="Intake: POST /api/v1/complaints beside a bare Django view inserting one row and pgbench (same run)"
    )
    for col in ("server", "clients", "complaints/s", "p50 ms", "p95 ms", "p99 ms", "errors"):
        table.add_column(col, justify="left" if col == "server" else "right")
    for col in ("bare view/s (p50)", "pgbench/s (p50)", "÷ bare", "÷ pgbench", "CPU app/pg/other", "CPU ms app/pg"):
        table.add_column(col, justify="right")
    for run in report["runs"]:
        http, lat = run["http"], run["http"]["latency"]
        ref, bare = run.get("pgbench"), run.get("bare_view")
        table.add_row(
            f"{run['server']['kind']} ×{run['server']['workers']}"
            + (f"×{run['server']['threads']}" if run["server"]["threads"] > 1 else ""),
            str(http["clients"]),
            f"{http['complaints_per_s']:.1f}",
            _ms(lat["p50_ms"]),
            _ms(lat["p95_ms"]),
            _ms(lat["p99_ms"]),
            str(http["errors"]),
            f"{bare['requests_per_s']:.0f} ({_ms(bare['latency']['p50_ms'])})" if bare else "–",
            f"{ref['inserts_per_s']:.0f} ({_ms(ref['latency']['p50_ms'])})" if ref else "–",
            f"{run['ratio_to_bare_view']:.1%}" if run.get("ratio_to_bare_view") else "–",
            f"{run['ratio']:.1%}" if run.get("ratio") else "–",
            _cpu(http.get("cpu_cores"), "server", "postgres", "other"),
            _cpu(http.get("cpu_ms_per_complaint"), "server", "postgres"),
        )
    console.print(table)
    console.print(
        "[dim]CPU: cores used on average during the complaints run by the application server, PostgreSQL and other "
        "processes on the machine (not this benchmark); 'other' well above 0 means a busy machine depressed the "
        "figures. CPU ms: milliseconds of CPU per complaint in the application server and in PostgreSQL. "
        "p50/p95/p99 are milliseconds as the client sees them.[/]"
    )
    for run in report["runs"]:
        if run["http"]["failures"]:
            console.print(
                f"[red]failures[/] ({run['server']['kind']}, {run['http']['clients']}): {run['http']['failures']}"
            )
        if run.get("worker_rss_mb"):
            console.print(f"worker RSS after load ({run['server']['text']}): {run['worker_rss_mb']} MB")
            break
    statements(console, report["statements"], verbose=verbose)
    v = report["verification"]
    colour = "green" if v["ok"] else "red"
    console.print(
        f"[{colour}]Verification[/]: {v['responses_201']} responses 201, {v['rows_created']} complaint rows created, "
        f"{v['distinct_ids']} distinct ids, {v['keys_not_matching_their_row']} keys not matching their row; "
        f"{v['replayed']} keys replayed, {len(v['replays_not_200_same_id'])} not answered 200 with the same id, "
        f"{v['rows_added_by_replays']} rows added by replays; {v['unanswered_requests']} requests unanswered "
        f"({v['unanswered_but_recorded']} of them recorded) → {'nothing lost or duplicated' if v['ok'] else 'MISMATCH'}"
    )
    at8 = [r for r in report["runs"] if r["http"]["clients"] == 8]
    for run in at8:
        rate, p99 = run["http"]["complaints_per_s"], run["http"]["latency"]["p99_ms"]
        console.print(
            f"Target (DESIGN §6) at 8 clients: ≥ {INTAKE_TARGET_RATE:.0f} complaints/s and p99 < "
            f"{INTAKE_TARGET_P99_MS:.0f} ms — measured {rate:.0f}/s, p99 {_ms(p99)} ms with {run['server']['text']}"
        )


def statements(console: Console, captured: list[dict[str, Any]], *, verbose: bool) -> None:
    table = Table(title="SQL statements (round trips to the database)")
    table.add_column("work")
    table.add_column("statements", justify="right")
    table.add_column("of which")
    for c in captured:
        table.add_row(c["label"], str(c["count"]), ", ".join(f"{k} {n}" for k, n in c["kinds"].items()))
    console.print(table)
    if verbose:
        for c in captured:
            console.print(f"\n[bold]{c['label']}[/] — {c['count']} statements")
            for i, sql in enumerate(c.get("statements", []), 1):
                console.print(f"  {i:2d}. {sql if len(sql) < 400 else sql[:400] + ' …'}", markup=False, highlight=False)


def queue(console: Console, report: dict[str, Any], *, explain: bool = False) -> None:
    environment(console, report, [report["server"]["text"]] if report.get("server") else [])
    d = report["dataset"]
    console.print(
        f"[bold]Dataset[/]: {d['cases']:,} cases ({d['open']:,} open, {d['overdue']:,} overdue), {d['customers']:,} "
        f"customers, {d['steps']:,} steps, {d['timeline']:,} timeline rows, {d['complaints']:,} complaints; "
        f"{'reused' if d.get('reused') else 'built'} ({d.get('build_seconds', 0):.0f} s to build)"
    )
    table = Table(title=f"Queue and case reads ({report['runs_per_measure']} runs each)")
    for col in ("actor", "what", "via", "p50 ms", "p95 ms", "statements", "CPU other", "status"):
        table.add_column(col, justify="right" if col in ("p50 ms", "p95 ms", "statements", "CPU other") else "left")
    for m in report["measures"]:
        slow = m.get("p50_ms") is not None and m["p50_ms"] > QUEUE_SLOW_MS
        p50 = _ms(m.get("p50_ms"))
        table.add_row(
            m["actor"],
            m["what"],
            m["via"],
            f"[red]{p50}[/]" if slow else p50,
            _ms(m.get("p95_ms")),
            str(m.get("statements", "–")),
            f"{m['other_cores']:.2f}" if m.get("other_cores") is not None else "–",
            str(m.get("note", "")),
        )
    console.print(table)
    for m in report["measures"]:
        for s in m.get("slow_statements", []):
            console.print(
                f"[red]slow statement[/] ({m['actor']}, {m['what']}, {s['ms']:.1f} ms): {s['sql'][:300]}",
                markup=True,
                highlight=False,
            )
            console.print(s["plan"], markup=False, highlight=False)
    if explain:
        for item in report.get("explain", []):
            console.print(f"\n[bold]EXPLAIN ANALYZE[/] {item['actor']} · {item['what']} · statement {item['index']}")
            console.print(item["sql"], markup=False, highlight=False)
            console.print(item["plan"], markup=False, highlight=False)


INSIGHTS_TARGET_MS = 300.0


def insights(console: Console, report: dict[str, Any]) -> None:
    environment(console, report, [report["server"]["text"]] if report.get("server") else [])
    d = report["dataset"]
    console.print(
        f"[bold]Dataset[/]: {d['cases']:,} cases, {d['complaints']:,} complaints, {d['failures']:,} failures, "
        f"{d['customers']:,} customers, {d['policies']:,} policies; "
        f"{'reused' if d.get('reused') else 'built'} ({d.get('build_seconds', 0):.0f} s to build)"
    )
    before, after = report["load_before"], report["load_after"]
    console.print(
        f"[bold]Machine load[/] (1/5/15 min): before {before[0]:.2f}/{before[1]:.2f}/{before[2]:.2f}, "
        f"after {after[0]:.2f}/{after[1]:.2f}/{after[2]:.2f} on {report['machine'].get('cores', '?')} CPUs"
    )
    table = Table(title=f"Insights reports ({report['runs_per_measure']} runs each; target p95 < 300 ms)")
    for col in ("actor", "what", "via", "p50 ms", "p95 ms", "load", "status"):
        table.add_column(col, justify="right" if col in ("p50 ms", "p95 ms", "load") else "left")
    for m in report["measures"]:
        p95 = m.get("p95_ms")
        over = p95 is not None and p95 > INSIGHTS_TARGET_MS and m["actor"] != "reference"
        table.add_row(
            m["actor"],
            m["what"],
            m["via"],
            _ms(m.get("p50_ms")),
            f"[red]{_ms(p95)}[/]" if over else _ms(p95),
            f"{m.get('load', 0):.2f}",
            str(m.get("status", "")),
        )
    console.print(table)


IMPORT_TARGETS_S = {"texas": 20.0, "generated": 60.0}


def history(console: Console, report: dict[str, Any]) -> None:
    """`amends bench import`: each file's import beside the plain COPY of the same rows, and the load."""
    environment(console, report, [])
    before = report["load_before"]
    console.print(f"[bold]Load[/] (1/5/15 min) before: {before['1min']}/{before['5min']}/{before['15min']}")
    table = Table(title="History import (amends import complaints … --mapping tx-tdi)")
    for column in ("file", "rows", "import s", "rows/s", "target", "re-run s", "plain COPY s", "COPY rows/s", "×COPY"):
        table.add_column(column, justify="right" if column != "file" else "left")
    for m in report["measures"]:
        imp, copy, again = m["import"], m["plain_copy"], m["rerun"]
        ratio = imp["seconds"] / copy["seconds"] if copy and copy["seconds"] else None
        target = IMPORT_TARGETS_S.get(m["name"])
        table.add_row(
            m["name"],
            f"{m['rows']:,}",
            f"{imp['seconds']:.1f}",
            f"{imp['rows_per_s']:,.0f}",
            f"< {target:.0f} s" if target else "–",
            f"{again['seconds']:.1f}",
            f"{copy['seconds']:.1f}" if copy else "–",
            f"{copy['rows_per_s']:,.0f}" if copy else "–",
            f"{ratio:.1f}" if ratio else "–",
        )
    console.print(table)
    for m in report["measures"]:
        imp = m["import"]
        console.print(
            f"{m['name']}: {imp['imported']:,} imported, {imp['rejected']:,} rejected; in the database "
            f"{imp['complaints_in_db']:,} complaints, {imp['cases_in_db']:,} imported cases, "
            f"{imp['customers_in_db']:,} imported customers; re-run found {m['rerun']['present']:,} present, "
            f"imported {m['rerun']['imported']:,}; foreign keys checked {imp.get('foreign_keys', '?')}; "
            f"load after {m['load_after']['1min']}"
        )


def events(console: Console, report: dict[str, Any]) -> None:
    environment(console, report, [report["server"]["text"]])
    console.print(
        f"[bold]Load average[/] (1/5/15 min) before: {report['load_average_before']}, after: "
        f"{report['load_average_after']} — other work on the machine counts against both figures"
    )
    table = Table(title=f"Events: POST /api/v1/events in batches of {report['batch']:,}, beside COPY of the same rows")
    for col in ("clients", "events", "events/s", "batch p50 ms", "batch p95 ms", "errors", "COPY rows/s", "÷ COPY"):
        table.add_column(col, justify="right")
    table.add_column("load avg during (API / COPY)", justify="left")
    for run in report["runs"]:
        copy = run.get("copy") or {}
        load = f"{run['load_average'][1][0]}"
        if copy:
            load += f" / {copy['load_average'][1][0]}"
        table.add_row(
            str(run["clients"]),
            f"{run['events']:,}",
            f"{run['events_per_s']:,.0f}",
            _ms(run["batch_latency"]["p50_ms"]),
            _ms(run["batch_latency"]["p95_ms"]),
            str(run["errors"]),
            f"{copy['rows_per_s']:,.0f}" if copy else "–",
            f"{run['ratio_to_copy']:.0%}" if copy else "–",
            load,
        )
    console.print(table)
    v = report["verification"]
    console.print(
        f"[bold]Verification[/]: sent {v['sent']:,}, stored {v['stored']:,}; one batch re-sent → {v['replay']}; "
        f"{v['alerts_raised']} alerts raised by the on-ingest rules — {'[green]ok[/]' if v['ok'] else '[red]FAILED[/]'}"
    )
    console.print(f"Target (DESIGN §6): the batch endpoint ≥ {EVENTS_TARGET_RATIO:.0%} of COPY's rate, rules included.")


def cluster(console: Console, report: dict[str, Any]) -> None:
    nodes = report["nodes"]
    environment(
        console,
        report,
        [
            f"amends serve ({nodes.get('server', 'granian')}) ×{nodes['workers']} workers"
            f" × {nodes['threads']} threads per node"
        ],
    )
    table = Table(
        title="Several web nodes: POST /api/v1/complaints directly, through HAProxy to one node and to two (same run)"
    )
    for col in ("topology", "clients", "complaints/s", "p50 ms", "p95 ms", "p99 ms", "errors", "load avg"):
        table.add_column(col, justify="left" if col == "topology" else "right")
    for run in report["runs"]:
        http, lat = run["http"], run["http"]["latency"]
        table.add_row(
            run["topology"],
            str(http["clients"]),
            f"{http['complaints_per_s']:,.1f}",
            _ms(lat["p50_ms"]),
            _ms(lat["p95_ms"]),
            _ms(lat["p99_ms"]),
            str(http["errors"]),
            f"{run['load_1m']:.1f}",
        )
    console.print(table)
    v = report["verification"]
    verdict = "[green]nothing lost or duplicated[/]" if v["ok"] else "[red]FAILED[/]"
    console.print(
        f"[bold]Verification[/]: {v['responses_201']:,} answered 201, {v['rows_created']:,} rows, "
        f"{v['distinct_ids']:,} distinct ids, {v['keys_not_matching_their_row']} keys not matching → {verdict}"
    )
    workers = Table(title="Background work on Redis: message deliveries drained by RQ workers (first sent to last)")
    for col in ("workers", "jobs", "sent", "seconds", "jobs/s", "seconds incl. start", "load avg"):
        workers.add_column(col, justify="right")
    for w in report["workers"]:
        workers.add_row(
            str(w["workers"]),
            f"{w['jobs']:,}",
            f"{w['sent']:,}",
            f"{w['seconds_draining']}",
            f"{w['jobs_per_s']}",
            f"{w['seconds_with_start']}",
            f"{w['load_1m']:.1f}",
        )
    console.print(workers)
    batches = Table(
        title="Events on Redis: batches stored by RQ workers, on-ingest rules and the cases they open included "
        "(first job's start to last one's end)"
    )
    for col in ("workers", "batches", "events", "stored", "alerts", "cases", "seconds", "events/s", "incl. start"):
        batches.add_column(col, justify="right")
    batches.add_column("load avg before → after", justify="right")
    for e in report.get("events", []):
        batches.add_row(
            str(e["workers"]),
            str(e["batches"]),
            f"{e['events']:,}",
            f"{e['stored']:,}" + ("" if e["ok"] else " [red]FAILED[/]"),
            str(e["alerts"]),
            str(e["cases_opened"]),
            f"{e['seconds_draining']}",
            f"{e['events_per_s']}",
            f"{e['seconds_with_start']}",
            f"{e['load_1m'][0]:.1f} → {e['load_1m'][1]:.1f}",
        )
    console.print(batches)
    console.print(
        f"{report['machine']['cores']} cores are shared by every node, worker, PostgreSQL and the load generator: "
        "a second node here adds processes, not CPU."
    )
