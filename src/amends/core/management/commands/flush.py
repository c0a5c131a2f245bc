"""Django's `flush`, made to respect the append-only tables (the audit log, and those apps register in
`APPEND_ONLY` from their AppConfig.ready(), such as the discretion ledger).

Their triggers refuse DELETE and TRUNCATE. Emptying a whole database is an operator's act outside the
application (tests between transactional cases, a demo reset), so outside production this drops the
triggers, flushes and puts them back in one go; in production it refuses.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

# Migration modules with forwards()/backwards() that create and drop an append-only table's triggers.
APPEND_ONLY: list[str] = ["amends.audit.migrations.0002_append_only"]


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        if settings.MODE == "production":
            raise CommandError("flush would erase the audit log; it is refused in production")
        connection = connections[options["database"]]
        modules = [importlib.import_module(path) for path in APPEND_ONLY]
        with connection.schema_editor() as editor:
            for module in modules:
                module.backwards(None, editor)
        try:
            super().handle(**options)
        finally:
            with connection.schema_editor() as editor:
                for module in modules:
                    module.forwards(None, editor)
