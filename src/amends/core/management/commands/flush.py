"""Django's `flush`, made to respect the append-only tables (every model built on `audit.AppendOnly`: the audit
log, the discretion ledger).

Their triggers refuse DELETE and TRUNCATE. Emptying a whole database is an operator's act outside the
application (tests between transactional cases, a demo reset), so outside production this drops the
triggers, flushes and puts them back in one go; in production it refuses.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from amends.audit.models import AppendOnly
from amends.audit.triggers import AppendOnlyTriggers


def append_only_triggers() -> list[AppendOnlyTriggers]:
    """The triggers of every installed append-only model, found from the models themselves."""
    return [m.triggers for m in apps.get_models() if issubclass(m, AppendOnly)]


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        if settings.MODE == "production":
            raise CommandError("flush would erase the audit log; it is refused in production")
        connection = connections[options["database"]]
        triggers = append_only_triggers()
        with connection.schema_editor() as editor:
            for t in triggers:
                t.drop(None, editor)
        try:
            super().handle(**options)
        finally:
            with connection.schema_editor() as editor:
                for t in triggers:
                    t.create(None, editor)
