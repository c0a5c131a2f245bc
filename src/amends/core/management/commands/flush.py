"""Django's `flush`, made to respect the append-only audit table.

The audit triggers refuse DELETE and TRUNCATE. Emptying a whole database is an operator's act outside the
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

append_only = importlib.import_module("amends.audit.migrations.0002_append_only")


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        if settings.MODE == "production":
            raise CommandError("flush would erase the audit log; it is refused in production")
        connection = connections[options["database"]]
        with connection.schema_editor() as editor:
            append_only.backwards(None, editor)
        try:
            super().handle(**options)
        finally:
            with connection.schema_editor() as editor:
                append_only.forwards(None, editor)
