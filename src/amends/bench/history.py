"""`amends bench import`: the history import (DESIGN §6: the 281,397-row Texas file in < 20 s, 1,000,000
complaints from CSV in < 60 s) beside a plain `COPY` of the same rows into a bare table, in the same run.

Each measure imports a file through `complaints_import` exactly as `amends import complaints` does (mapping,
transformer, rejects, batches, audit), into a fresh `amends_bench_history` database, then checks the counts.
The reference streams the same CSV into a table of text columns with no index or constraint: what the
server does when nothing is checked, mapped or related. The machine's load is read before and after,
because the machine is shared and a figure without its load cannot be compared.
"""

from __future__ import annotations

import csv
import gzip
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection

from amends.accounts.models import OrgKind, Role
from amends.assembly import world

from . import database, environment
from .database import BenchError, Target

TEXAS_RELATIVE = Path("shared/data/real/insurance-tx-tdi/tx_complaints_complaint_level.csv.gz")
GENERATED_FROM = 10_000_000
TX_HEADER = [
    "complaint_number",
    "received_date",
    "closed_date",
    "year_closed",
    "complaint_filed_by",
    "complainant_type",
    "involved_party_type",
    "complaint_type",
    "coverage_type",
    "coverage_level",
    "finding_type",
    "is_confirmed",
    "keywords",
]


@dataclass
class HistoryOptions:
    database_url: str | None
    database_name: str
    allow_sqlite: bool
    texas: Path | None
    generated_rows: int  # 0: skip the generated file
    batch_size: int
    drop_after: bool


def texas_file(given: Path | None) -> Path:
    if given is not None:
        if not given.is_file():
            raise BenchError(f"no file at {given}")
        return given
    repo = Path(settings.REPO_DIR)
    for root in (repo.parent, repo.parent.parent, Path("/work")):  # shared/ beside the clone or the worktrees
        if (root / TEXAS_RELATIVE).is_file():
            return root / TEXAS_RELATIVE
    raise BenchError(f"the Texas file ({TEXAS_RELATIVE}) was not found beside the repository: pass --texas PATH")


def load() -> dict[str, float]:
    one, five, fifteen = os.getloadavg()
    return {"1min": round(one, 2), "5min": round(five, 2), "15min": round(fifteen, 2)}


def generate(path: Path, rows: int, *, seed: int = 20261123) -> Path:
    """A Texas-shaped CSV of `rows` complaints with unique numbers, values drawn from the real file's own
    vocabulary; written once and reused while it has the right number of rows."""
    marker = path.with_suffix(".rows")
    if path.exists() and marker.exists() and marker.read_text() == str(rows):
        return path
    rng = random.Random(seed)
    filed_by = ["Insured", "Third Party", "Provider", "Other", "Attorney", "Relative"]
    kinds = [
        ("Property and Casualty", "Automobile", "Individual Private Pass"),
        ("Life, Accident and Health", "Accident and Health", "Group A&H"),
        ("Property and Casualty", "Homeowners", "Homeowners"),
        ("Life, Accident and Health", "Life & Annuity", "Individual Life"),
    ]
    keywords = ["GR-Claim Evaluation", "ADJUSTER'S HANDLING", "TOTAL LOSS", "UNDERWRITING CRITERIA", "ROOF", ""]
    start = date(2012, 1, 1)
    with gzip.open(path, "wt", newline="", compresslevel=1) as f:
        w = csv.writer(f)
        w.writerow(TX_HEADER)
        for n in range(1, rows + 1):
            received = start + timedelta(days=rng.randrange(5000))
            closed = received + timedelta(days=rng.randrange(1, 120))
            kind = kinds[rng.randrange(len(kinds))]
            confirmed = rng.random() < 0.187
            w.writerow(
                [
                    GENERATED_FROM + n,  # beyond the real file's numbers, so the two never collide
                    received.isoformat(),
                    closed.isoformat(),
                    closed.year,
                    filed_by[rng.randrange(len(filed_by))],
                    "INDV" if rng.random() < 0.74 else "ORG",
                    "",
                    *kind,
                    "Confirmed" if confirmed else "Not Confirmed",
                    confirmed,
                    "; ".join(sorted({keywords[rng.randrange(len(keywords))] for _ in range(2)} - {""})),
                ]
            )
    marker.write_text(str(rows))
    return path


def run_history(options: HistoryOptions, progress: Callable[[str], None]) -> dict[str, Any]:
    target = database.resolve(options.database_url, options.database_name, allow_sqlite=options.allow_sqlite)
    texas = texas_file(options.texas)
    report: dict[str, Any] = {"machine": environment.machine(), "load_before": load(), "measures": []}
    progress(f"creating {target.name} and migrating")
    database.recreate(target)
    database.use(target)
    database.migrate()
    report["database"] = {**environment.database(connection), "name": target.name}
    units = world.units([world.UnitSpec("HO", "Head office", OrgKind.HEAD_OFFICE, None, "")])
    importer = world.StaffSpec("bench_importer", "", Role.ADMIN, "HO")
    admin = world.staff([importer], password=None, units=units)["bench_importer"]

    files = [("texas", texas)]
    if options.generated_rows:
        progress(f"generating {options.generated_rows:,} rows")
        cache = Path(settings.DATA_DIR) / f"bench-history-v2-{options.generated_rows}.csv.gz"
        cache.parent.mkdir(parents=True, exist_ok=True)
        files.append(("generated", generate(cache, options.generated_rows)))
    for name, path in files:
        progress(f"{name}: plain COPY of the same rows into a bare table")
        reference = _plain_copy(target, path) if target.is_postgres else None
        progress(f"{name}: amends import complaints {path.name} --mapping tx-tdi")
        measure = _import(admin, path, options.batch_size)
        progress(f"{name}: the same file again (every complaint already present)")
        again = _import(admin, path, options.batch_size)
        report["measures"].append(
            {
                "name": name,
                "file": str(path),
                "rows": measure["rows"],
                "import": measure,
                "rerun": again,
                "plain_copy": reference,
                "load_after": load(),
            }
        )
    report["load_after"] = load()
    if options.drop_after:
        database.drop(target)
    return report


def _import(admin: Any, path: Path, batch_size: int) -> dict[str, Any]:
    from amends.customers.models import Customer
    from amends.intake.importing import mapping
    from amends.intake.importing.run import complaints_import
    from amends.intake.models import Complaint
    from amends.recovery.models import Case

    started = time.perf_counter()
    result = complaints_import(
        actor=admin,
        path=path,
        mapping=mapping.load("tx-tdi"),
        batch_size=batch_size,
        reject_path=Path(settings.DATA_DIR) / "bench-history.rejects.csv",
    )
    seconds = time.perf_counter() - started
    complaints = Complaint.objects.filter(source="tx-tdi").count()
    return {
        "seconds": seconds,
        "rows": result.rows,
        "imported": result.imported,
        "present": result.present,
        "rejected": result.rejected,
        "foreign_keys": result.foreign_keys,
        "rows_per_s": result.rows / seconds if seconds else None,
        "complaints_in_db": complaints,
        "cases_in_db": Case.objects.filter(closure="imported").count(),
        "customers_in_db": Customer.objects.filter(source="tx-tdi").count(),
    }


def _plain_copy(target: Target, path: Path) -> dict[str, Any]:
    """The reference: the file's rows as text into a bare table (no index, no constraint), by COPY."""
    with open_text(path) as stream:
        header = next(csv.reader([stream.readline()]))
        columns = ", ".join(f'"c{i}" text' for i in range(len(header)))
        with psycopg.connect(target.url, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS bench_plain_copy")
            conn.execute(f"CREATE TABLE bench_plain_copy ({columns})")
            started = time.perf_counter()
            with (
                conn.transaction(),
                conn.cursor() as cur,
                cur.copy("COPY bench_plain_copy FROM STDIN WITH (FORMAT csv)") as copy,
            ):
                while chunk := stream.read(1 << 20):
                    copy.write(chunk)
            seconds = time.perf_counter() - started
            counted = conn.execute("SELECT count(*) FROM bench_plain_copy").fetchone()
            rows = counted[0] if counted else 0
            conn.execute("DROP TABLE bench_plain_copy")
    return {"seconds": seconds, "rows": rows, "rows_per_s": rows / seconds if seconds else None}


def open_text(path: Path) -> Any:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", newline="", encoding="utf-8")
    return open(path, newline="", encoding="utf-8")
