"""The `amends` command: Django's management commands under one name, with the project's own on top.

The project's commands (SUMMARY, checked against the apps by a test) live in the apps; this entry point only
sets the settings module and the mode (`demo` relaxes the production checks, so the demo runs with no
configuration), maps dashed names to their modules, and says what is wrong in one sentence.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"check-deploy": "check_deploy"}
RELAXED_COMMANDS = {"demo"}
HELP = {"help", "--help", "-h"}
SUMMARY = """Amends: service recovery and customer loyalty for insurers.

  amends demo [--port 8000]             load the demo insurer into SQLite and serve it
  amends serve [--port 8000]            serve with granian (settings come from the environment)
  amends worker                         run background tasks and the scheduled sweeps
  amends token USERNAME                 print a new API token for a user
  amends import complaints|events FILE  load another system's complaint history or events
  amends simulate --customers N         generate an insurer's year of data (not on a live database)
  amends text train|eval|bench          train, evaluate and time the complaint-text classifier
  amends insights refresh|rebuild       bring the report facts up to date, or write them all again
  amends bench intake|queue|insights|import|events|cluster
                                        measure throughput and latency beside references
  amends check-deploy                   check the configuration before going live
  amends flush                          empty the database (refused in production)
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
        usage_error_first(args)
        sys.exit(f"amends: configuration refused: {exc}\nSee docs/operations.md for the environment variables.")


def usage_error_first(args: list[str]) -> None:
    """After production settings were refused: an unknown command or wrong arguments is the first thing to fix,
    so say that and exit (1, or 2 with the usage) instead. Settings are loaded relaxed to find and parse the
    command only; nothing runs, and a command whose arguments parse still gets the refusal."""
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility, get_commands

    if not args:
        return
    os.environ["AMENDS_MODE"] = "dev"
    try:
        django.setup()
    except ImproperlyConfigured:  # refused for another reason as well: the first refusal is the message
        return
    # get_commands() is cached, and was filled while the settings were refused (Django's own commands only).
    get_commands.cache_clear()  # type: ignore[attr-defined]
    command = ManagementUtility(["amends", *args]).fetch_command(args[0])  # exits on an unknown command
    # As run_from_argv does: a parse error then prints the usage and exits instead of raising CommandError.
    command._called_from_command_line = True  # type: ignore[attr-defined]
    command.create_parser("amends", args[0]).parse_args(args[1:])


if __name__ == "__main__":
    main()
