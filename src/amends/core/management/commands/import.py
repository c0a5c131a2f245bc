"""`amends import KIND FILE …`: dispatch to the importer an app registered (see `amends.core.importing`)."""

from __future__ import annotations

import argparse
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError

from amends.core.errors import AmendsError
from amends.core.importing import console_for, importers


class Command(BaseCommand):
    help = "Import data from another system: amends import KIND FILE (see `amends import --help` for the kinds)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        kinds = importers()
        sub = parser.add_subparsers(dest="kind", required=True, metavar="|".join(kinds) or "KIND")
        for importer in kinds.values():
            importer.add_arguments(sub.add_parser(importer.name, help=importer.help))

    def handle(self, *args: Any, **opts: Any) -> None:
        importer = importers()[opts["kind"]]
        console = console_for(cast(IO[str], self.stderr._out))  # progress on stderr; stdout stays for figures
        try:
            importer.run(opts, console)
        except AmendsError as exc:
            raise CommandError(str(exc)) from exc
