"""`amends bench import` end to end in a tiny mode: a real sample of the Texas file and 50 generated rows,
each imported, imported again, and copied plainly. Checks the counts, never how fast anything was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
SAMPLE = Path(__file__).parents[2] / "intake" / "tests" / "data" / "tx-tdi-sample.csv.gz"


def test_import_bench_in_a_tiny_mode_reports_figures_and_counts_right(tmp_path: Path):
    out = tmp_path / "history.json"
    command = [sys.executable, "-m", "amends.cli", "bench", "import", "--texas", str(SAMPLE), "--rows", "50"]
    command += ["--batch-size", "40", "--database-name", f"amends_bench_test_history_{os.getpid()}", "--drop"]
    command += ["--json", str(out)]
    env = {**os.environ, "AMENDS_MODE": "dev", "AMENDS_DATA_DIR": str(tmp_path)}
    if not POSTGRES:
        command.append("--allow-sqlite")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    assert "plain COPY" in done.stdout and "Load" in done.stdout

    figures = json.loads(out.read_text())
    texas, generated = figures["measures"]
    assert (texas["rows"], texas["import"]["imported"], texas["rerun"]["imported"]) == (300, 300, 0)
    assert texas["rerun"]["present"] == 300
    assert (generated["rows"], generated["import"]["imported"]) == (50, 50)
    assert generated["import"]["complaints_in_db"] == generated["import"]["cases_in_db"] == 350
    assert texas["import"]["foreign_keys"] in (("per batch", "per row") if POSTGRES else ("per row",))
    if POSTGRES:
        assert texas["plain_copy"]["rows"] == 300 and generated["plain_copy"]["rows"] == 50
    assert figures["load_before"]["1min"] >= 0 and figures["machine"]["cores"]
