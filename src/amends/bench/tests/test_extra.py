"""Without the `bench` extra (aiohttp), `amends bench` says in one sentence which extra to install, and the rest
of `amends` runs as before. Each run is a fresh interpreter in which importing aiohttp fails, as if it were not
installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WITHOUT_AIOHTTP = "import sys; sys.modules['aiohttp'] = None; from amends.cli import main; main(sys.argv[1:])"


def amends_without_the_extra(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AMENDS_MODE": "dev", "AMENDS_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-c", WITHOUT_AIOHTTP, *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_a_bench_run_without_the_extra_says_which_extra_to_install(tmp_path: Path):
    done = amends_without_the_extra(tmp_path, "bench", "intake", "--allow-sqlite", "--seconds", "1", "--clients", "1")
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "CommandError: amends bench needs the bench extra: pip install -e '.[bench]' (or uv sync --extra bench)."
    )


def test_the_rest_of_amends_needs_no_bench_extra(tmp_path: Path):
    for args in (["--help"], ["check"], ["bench", "--help"]):
        done = amends_without_the_extra(tmp_path, *args)
        assert done.returncode == 0, (args, done.stderr[-2000:])
