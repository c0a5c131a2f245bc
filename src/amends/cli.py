"""The `amends` command: Django's management commands under one name, with the project's own on top.

`amends demo`, `serve`, `worker`, `token`, `bench`, `check-deploy` are management commands in the apps;
this entry point only sets the settings module and the mode (`demo` relaxes the production checks, so
the demo runs with no configuration) and maps dashed names to their modules.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"check-deploy": "check_deploy", "worker": "db_worker"}
RELAXED_COMMANDS = {"demo"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    if args and args[0] in RELAXED_COMMANDS:
        os.environ.setdefault("AMENDS_MODE", "demo")
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
