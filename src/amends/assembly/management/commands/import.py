"""`amends import KIND FILE …`: dispatch to the importer of the app that owns the data (`complaints`: intake's
history import; `events`: early warning's event import)."""

from __future__ import annotations

import argparse
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError

from amends.core.errors import AmendsError
from amends.core.importing import Importer, console_for
from amends.intake.importing.command import IMPORTER as COMPLAINTS
from amends.warning.importer import IMPORTER as EVENTS

IMPORTERS: dict[str, Importer] = {i.name: i for i in sorted((COMPLAINTS, EVENTS), key=lambda i: i.name)}


class Command(BaseCommand):
    help = "Import data from another system: amends import KIND FILE (see `amends import --help` for the kinds)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="|".join(IMPORTERS))
        for importer in IMPORTERS.values():
            importer.add_arguments(sub.add_parser(importer.name, help=importer.help))

    def handle(self, *args: Any, **opts: Any) -> None:
        importer = IMPORTERS[opts["kind"]]
        console = console_for(cast(IO[str], self.stderr._out))  # progress on stderr; stdout stays for figures
        try:
            importer.run(opts, console)
        except AmendsError as exc:
            raise CommandError(str(exc)) from exc
