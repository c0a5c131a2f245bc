"""The `amends` command: Django's management commands under one name, with the project's own on top.

`amends demo`, `serve`, `worker`, `token`, `bench`, `check-deploy` are management commands in the apps;
this entry point only sets the settings module and the mode (`demo` relaxes the production checks, so
the demo runs with no configuration) and maps dashed names to their modules.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"check-deploy": "check_deploy"}
RELAXED_COMMANDS = {"demo"}
HELP = {"help", "--help", "-h"}
SUMMARY = """Amends: service recovery and customer loyalty for insurers.

  amends demo [--port 8000]     load the demo insurer into SQLite and serve it
  amends serve [--port 8000]    serve with gunicorn (production settings come from the environment)
  amends worker                 run background tasks
  amends token USERNAME         print a new API token for a user
  amends check-deploy           check the configuration before going live
  amends bench intake|queue     measure throughput and latency beside references
  amends migrate, createsuperuser, shell, …: Django's commands, listed below
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    if args and args[0] in RELAXED_COMMANDS:
        os.environ.setdefault("AMENDS_MODE", "demo")
    if not args or args[0] in HELP or "--help" in args or "-h" in args:
        # Help needs no secrets; without this, production settings would refuse it or hide our commands.
        os.environ.setdefault("AMENDS_MODE", "dev")
        if len(args) <= 1:
            print(SUMMARY)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["amends", *args])
    except ImproperlyConfigured as exc:
        # A refused configuration (no SECRET_KEY in production…) is a sentence for the operator, not a traceback.
        if "--traceback" in args:
            raise
        sys.exit(f"amends: configuration refused: {exc}\nSee docs/operations.md for the environment variables.")


if __name__ == "__main__":
    main()
