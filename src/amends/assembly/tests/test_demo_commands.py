"""What `amends demo` prints works as typed: the token command in a fresh shell without the virtualenv on PATH
and without AMENDS_MODE, and customers' links on the port it serves."""

import subprocess
import sys
from pathlib import Path

from amends.assembly.management.commands import demo


def test_the_printed_token_command_runs_as_typed_in_a_fresh_shell(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(Path(sys.executable).with_name("amends"))])
    monkeypatch.setenv("AMENDS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the demo's own SQLite file in that empty folder
    command = demo.token_command("handler")
    assert command.startswith("AMENDS_MODE=demo AMENDS_DATA_DIR=")
    fresh = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    ran = subprocess.run(["sh", "-c", command], env=fresh, capture_output=True, text=True, timeout=120)
    said = ran.stdout + ran.stderr
    # The demo was never loaded in this empty folder: the command ran and found no user, instead of the shell
    # not finding `amends` or the settings asking for a SECRET_KEY.
    assert "accounts_user" in said
    assert "SECRET_KEY" not in said and "not found" not in said


def test_links_to_customers_use_the_port_the_demo_serves_on():
    assert demo.public_url("127.0.0.1", 8091) == "http://127.0.0.1:8091"
    assert demo.public_url("0.0.0.0", 8091) == "http://127.0.0.1:8091"
