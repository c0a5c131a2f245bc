"""The reference for intake: PostgreSQL's own single-row insert rate, measured by pgbench in the same run.

One INSERT per transaction into a scratch table of the bench database (`-n -T s -c n -j j`), so the
ratio of complaints/s to inserts/s says how much of the database's raw write capacity a complaint uses.
Per-transaction latencies come from pgbench's own log (`-l`).
"""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .stats import Summary, summarize

SCRATCH_TABLE = """
CREATE TABLE IF NOT EXISTS bench_insert (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    channel text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    description text NOT NULL
)
"""
SCRIPT = r"""\set cid random(1, 100000)
INSERT INTO bench_insert (customer_id, channel, description) VALUES (:cid, 'hotline', 'pgbench reference row');
"""


@dataclass
class PgbenchResult:
    clients: int
    threads: int
    seconds: float
    tps: float
    transactions: int
    latency: Summary

    def as_dict(self) -> dict[str, object]:
        return {
            "clients": self.clients,
            "threads": self.threads,
            "seconds": self.seconds,
            "inserts_per_s": round(self.tps, 1),
            "transactions": self.transactions,
            "latency": self.latency.as_dict(),
        }


def executable() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def run(url: str, *, clients: int, seconds: int, threads: int) -> PgbenchResult:
    binary = executable()
    if binary is None:
        raise FileNotFoundError("pgbench is not installed (Debian: apt-get install postgresql-contrib)")
    threads = max(1, min(threads, clients))
    with tempfile.TemporaryDirectory(prefix="amends-pgbench-") as tmp:
        script = Path(tmp) / "insert.sql"
        script.write_text(SCRIPT)
        command = [binary, "-n", "-T", str(seconds), "-c", str(clients), "-j", str(threads)]
        command += ["-f", str(script), "-l", "--log-prefix", str(Path(tmp) / "pgb"), url]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, cwd=tmp)
        if done.returncode != 0:
            raise RuntimeError(f"pgbench failed: {done.stderr.strip() or done.stdout.strip()}")
        latencies = []
        for log in Path(tmp).glob("pgb.*"):
            for line in log.read_text().splitlines():
                fields = line.split()
                if len(fields) >= 3 and fields[2].isdigit():
                    latencies.append(int(fields[2]) / 1_000_000)
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    processed = re.search(r"number of transactions actually processed: (\d+)", done.stdout)
    return PgbenchResult(
        clients=clients,
        threads=threads,
        seconds=seconds,
        tps=float(match.group(1)) if match else float("nan"),
        transactions=int(processed.group(1)) if processed else len(latencies),
        latency=summarize(latencies),
    )
