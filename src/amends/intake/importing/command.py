"""`amends import complaints FILE --mapping NAME`: the operator's side of the history import.

Parses the arguments, finds the importing user and the org unit, and hands over to `complaints_import`;
prints what happened (imported, already present, repeated rows, rejects and where they are written).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from rich.console import Console

from amends.accounts.models import OrgUnit, Role, User
from amends.core.errors import InvalidInput
from amends.core.importing import Importer, progress_bar

from . import mapping as mappings
from .run import DEFAULT_BATCH, complaints_import


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a .csv, .csv.gz or .xlsx export")
    parser.add_argument(
        "--mapping",
        required=True,
        help=f"a shipped mapping ({', '.join(mappings.shipped_names())}) or the path of your own .toml",
    )
    parser.add_argument("--actor", help="username recorded as importing (default: the only admin)")
    parser.add_argument("--unit", help="org unit code the history belongs to (default: the actor's unit)")
    parser.add_argument("--rejects", help="reject file (default: ./NAME.rejects.csv)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="complaints per transaction")


def run(options: dict[str, Any], console: Console) -> None:
    path = Path(options["file"])
    mapping = mappings.load(options["mapping"])
    if options["batch_size"] < 1:
        raise InvalidInput(_("--batch-size must be at least 1."))
    actor = _actor(options.get("actor"))
    unit = _unit(options.get("unit"))
    reject_path = Path(options["rejects"]) if options.get("rejects") else None
    with progress_bar(console, _("Importing %(file)s") % {"file": path.name}) as bar:
        result = complaints_import(
            actor=actor,
            path=path,
            mapping=mapping,
            unit=unit,
            batch_size=options["batch_size"],
            reject_path=reject_path,
            progress=bar.advance,
            on_total=bar.set_total,
        )
        bar.set_total(result.records)  # the estimate counted lines; now the records are known
    console.print(
        _(
            "%(source)s: %(rows)s rows read, %(imported)s complaints imported, %(present)s already present, "
            "%(repeated)s repeated rows of a complaint, %(rejected)s rejected, in %(seconds).1f s."
        )
        % {
            "source": mapping.source,
            "rows": result.rows,
            "imported": result.imported,
            "present": result.present,
            "repeated": result.repeated,
            "rejected": result.rejected,
            "seconds": result.seconds,
        }
    )
    if result.reject_path:
        console.print(_("Rejected rows (row, field, reason): %(path)s") % {"path": result.reject_path})


def _actor(username: str | None) -> User:
    if username:
        user = User.objects.select_related("org_unit").filter(username=username, is_active=True).first()
        if user is None:
            raise InvalidInput(_("No active user “%(name)s”.") % {"name": username})
        return user
    admins = list(User.objects.select_related("org_unit").filter(role=Role.ADMIN, is_active=True)[:2])
    if len(admins) != 1:
        raise InvalidInput(_("Name the importing user with --actor USERNAME."))
    return admins[0]


def _unit(code: str | None) -> OrgUnit | None:
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise InvalidInput(_("No org unit with code “%(code)s”.") % {"code": code})
    return unit


IMPORTER = Importer(
    name="complaints",
    help="complaint history from CSV, CSV.GZ or XLSX through a mapping (idempotent; rejects reported by row)",
    add_arguments=add_arguments,
    run=run,
)
