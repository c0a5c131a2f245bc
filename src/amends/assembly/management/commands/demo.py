"""`amends demo`: migrate, load the demo insurer once, print the logins, serve it (granian by default).

Runs in demo mode (the `amends` entry point sets AMENDS_MODE=demo), on the SQLite file by default. A second
run finds the demo already loaded and only serves it; `--reset` deletes the SQLite file first. Loading goes
through the services (see `amends.assembly.demo`) and shows a progress bar.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext_lazy as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from amends.accounts.models import Role
from amends.assembly import demo
from amends.assembly.demo.org import UNIT_BY_CODE
from amends.core.management.commands.serve import (
    Serving,
    add_server_arguments,
    bind_address,
    check_port_free,
    positive,
)

STAGES = {
    "organisation": _("Organisation and staff"),
    "customers": _("Customers and policies"),
    "cases": _("Recovery cases"),
    "promises": _("Promises"),
    "follow-up": _("Surveys, portal complaints and callbacks"),
    "events": _("Events and early warnings"),
    "report facts": _("Figures for the reports"),
}
ROLE_NAMES = dict(Role.choices)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def public_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # a wildcard bind is reached locally
    return f"http://{bind_address(shown, port)}"


def token_command(username: str) -> str:
    """The command that prints an API token for the demo, as it can be typed in a new shell: the demo's mode
    (outside it the settings want a SECRET_KEY), its data folder or database if chosen, and this `amends` by its
    path when that is not the one on PATH (a virtualenv not activated)."""
    program = Path(sys.argv[0]).resolve()
    on_path = shutil.which("amends")
    name = "amends" if on_path and Path(on_path).resolve() == program else shlex.quote(str(program))
    if program.name != "amends":  # run as `python -m amends.cli`
        name = f"{shlex.quote(sys.executable)} -m amends.cli"
    env = ["AMENDS_MODE=demo"] + [
        f"{key}={shlex.quote(os.environ[key])}" for key in ("AMENDS_DATA_DIR", "DATABASE_URL") if os.environ.get(key)
    ]
    return " ".join([*env, name, "token", username])


def start_worker() -> subprocess.Popen[bytes]:
    """`amends worker` beside the server, in the same mode and on the same database, as the demo's own."""
    env = {**os.environ, "AMENDS_MODE": settings.MODE}
    return subprocess.Popen([sys.executable, "-m", "amends.cli", "worker", "--verbosity", "0"], env=env)


class Command(BaseCommand):
    help = "Load the demo insurer (once) into the database and serve it."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_server_arguments(parser)
        parser.add_argument("--no-serve", action="store_true", help="load the demo and stop")
        parser.add_argument("--reset", action="store_true", help="delete the SQLite database first")
        parser.add_argument(
            "--customers", type=positive, default=demo.DEFAULT_CUSTOMERS, help="customers to create (default 2000)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout._out), highlight=False)  # the stream under Django's wrapper
        if not opts["no_serve"]:
            check_port_free(opts["host"], opts["port"])  # before minutes of work, not after
        if opts["reset"]:
            self.reset(console)
        with console.status("Migrating the database…"):
            call_command("migrate", interactive=False, verbosity=0)
        self.load(console, opts["customers"])
        if "AMENDS_PUBLIC_URL" not in os.environ:
            # Links sent to customers (status pages, surveys) point where this demo serves, not at port 8000;
            # set in the environment too, for the worker that sends the surveys.
            settings.AMENDS_PUBLIC_URL = os.environ["AMENDS_PUBLIC_URL"] = public_url(opts["host"], opts["port"])
        self.print_logins(console, opts)
        if opts["no_serve"]:
            return
        serving = Serving.from_arguments(opts)
        console.print(f"Serving with {serving.describe()}. Ctrl+C stops.")
        worker = start_worker()
        console.print(f"Background worker running (pid {worker.pid}): overdue promises are swept on schedule.")
        try:
            serving.run()
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()

    def reset(self, console: Console) -> None:
        db = connections["default"].settings_dict
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("--reset only deletes the demo's SQLite file; drop a PostgreSQL database yourself.")
        connections.close_all()
        path = Path(db["NAME"])
        removed = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
        for p in removed:
            p.unlink()
        console.print(f"Deleted {path}." if removed else f"No database at {path} yet.")

    def load(self, console: Console, customers: int) -> None:
        if demo.is_loaded():
            console.print(
                f"The demo insurer is already loaded in {self.database_name()}: nothing added (--reset starts again)."
            )
            return
        started = time.perf_counter()
        columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            tasks: dict[str, Any] = {}

            def progress(stage: str, advance: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(str(STAGES[stage]), total=total)
                bar.update(tasks[stage], advance=advance, total=total)

            try:
                summary = demo.load(customers=customers, progress=progress)
            except KeyboardInterrupt:
                raise CommandError("Interrupted: nothing was loaded (the load is one transaction).") from None
        c, s = summary.counts, summary.by_status
        console.print(
            f"Loaded the demo insurer in {time.perf_counter() - started:.1f} s: {c['customers']} customers, "
            f"{c['policies']} policies, {c['staff']} staff, {c['cases']} cases "
            f"(open {s['open']}, in progress {s['in_progress']}, awaiting follow-up {s['follow_up']}, "
            f"closed {s['closed']}; {c['overdue']} overdue, {c['reopened']} reopened), "
            f"{c['complaints']} complaints, {c['timeline_entries']} timeline entries, "
            f"{c['surveys']} follow-up surveys ({c['surveys_answered']} answered), "
            f"{c['portal_complaints']} portal complaints, {c['callbacks']} callbacks, "
            f"{c['events']} events with {c['alerts_live']} live alerts, "
            f"{c['discretion_requests']} uses of discretion ({c['approvals_waiting']} approvals waiting)."
        )

    def database_name(self) -> str:
        db = connections["default"].settings_dict
        return str(db["NAME"]) if db["ENGINE"].endswith("sqlite3") else f"PostgreSQL database {db['NAME']}"

    def print_logins(self, console: Console, opts: dict[str, Any]) -> None:
        table = Table(title="Demo users 演示账号", title_justify="left")
        for column in ("username", "role", "name", "org unit"):
            table.add_column(column)
        for s in demo.DEMO_LOGINS:
            table.add_row(s.username, str(ROLE_NAMES[s.role]), s.display_name, UNIT_BY_CODE[s.unit].name)
        console.print(table)
        others = len(demo.STAFF) - len(demo.DEMO_LOGINS)
        console.print(f"Password for every demo user: [bold]{demo.DEMO_PASSWORD}[/bold] ({others} more staff share it)")
        url = f"http://{bind_address(opts['host'], opts['port'])}/"
        console.print(f"Open {url}  ·  API docs {url}api/v1/docs  ·  API token: {token_command('handler')}")
        console.print(
            f"Customers' side: the portal {url}complain/  ·  messages sent to customers (survey links) in "
            f"{settings.EMAIL_FILE_PATH} and {settings.AMENDS_SMS_FILE}"
        )
        if opts["host"] not in LOCAL_HOSTS and not set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS - {"testserver", "[::1]"}:
            console.print("To reach it from other machines, set ALLOWED_HOSTS to the name or address they use.")
