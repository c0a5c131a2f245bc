"""`amends simulate --customers N --seed S`: write a simulated insurer's year into the database (see
`amends.assembly.simulation`). Every parameter can be set (`--param renew_recovered_fast=0.9`); the defaults
are the seeds' figures and stated assumptions. Prints what was drawn and written, and how long it took."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amends.assembly.simulation import Params, simulate
from amends.core import clock
from amends.core.importing import console_for


def _param(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    known = {f.name for f in fields(Params)}
    if name not in known:
        raise CommandError(f"unknown parameter {name!r}; parameters: {', '.join(sorted(known))}")
    try:
        return name, float(value)
    except ValueError as exc:
        raise CommandError(f"{name} takes a number, not {value!r}") from exc


class Command(BaseCommand):
    help = "Generate an insurer's year (customers, failures, complaints, recoveries, renewals) from parameters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--customers", type=int, required=True, help="how many customers (e.g. 1000000)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same year")
        parser.add_argument("--until", help="last day of the simulated year, YYYY-MM-DD (default: today)")
        parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="override a parameter")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["customers"] < 1:
            raise CommandError("--customers must be at least 1")
        if opts["customers"] > 20_000_000:
            raise CommandError("--customers is at most 20,000,000")
        try:
            until = date.fromisoformat(opts["until"]) if opts["until"] else timezone.localtime(clock.now()).date()
        except ValueError as exc:
            raise CommandError(f"--until takes a date like 2026-11-30, not {opts['until']!r}") from exc
        params = replace(Params(), **dict(_param(p) for p in opts["param"]))
        wrong = params.validate()
        if wrong:
            raise CommandError(f"parameters out of range: {', '.join(wrong)}")
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}"),
            TimeElapsedColumn(),
            console=console_for(cast(IO[str], self.stderr._out)),  # progress on stderr; stdout keeps the figures
            disable=opts["json"],
        ) as bars:
            tasks: dict[str, Any] = {}

            def progress(label: str, n: int) -> None:
                if label not in tasks:
                    tasks[label] = bars.add_task(label, total=None)
                bars.update(tasks[label], completed=n)

            result = simulate(params, customers=opts["customers"], seed=opts["seed"], until=until, progress=progress)
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        d, r, s = result["drawn"], result["rows"], result["seconds"]
        self.stdout.write(
            f"drawn: {d['customers']:,} customers, {d['failed']:,} with a failure, {d['complained']:,} complained, "
            f"{d['cases']:,} cases, {d['recovered']:,} recovered, {d['renewed']:,} renewed"
        )
        self.stdout.write("written: " + ", ".join(f"{v:,} {k}" for k, v in r.items()))
        self.stdout.write(f"in {s['draw']} s (draw) + {s['write']} s (write) + {s['facts']} s (report facts)")
