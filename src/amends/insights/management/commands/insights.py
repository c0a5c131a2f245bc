"""`amends insights refresh`: recompute the report facts of the rows changed since the last run (the worker does
this every minute, and every report before it runs). `amends insights rebuild`: write every fact again from the
source tables, after a bulk load that bypassed the database triggers or to repair facts after a policy's line or
an org unit's region changed."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amends.insights import facts


class Command(BaseCommand):
    help = "Keep the insights report facts current: refresh (changed rows) or rebuild (everything)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh", "rebuild"], help="refresh changed rows, or rebuild all")

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.perf_counter()
        if opts["action"] == "rebuild":
            facts.rebuild()
            self.stdout.write(f"rebuilt every report fact in {time.perf_counter() - started:.1f} s")
        else:
            noted = facts.bring_up_to_date()
            self.stdout.write(f"{noted:,} changes counted in {time.perf_counter() - started:.1f} s")
