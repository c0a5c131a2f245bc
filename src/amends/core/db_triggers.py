"""Small helpers for the database triggers apps keep (insights' change notes, recovery's owner loads): which
are there, and how to drop them, on PostgreSQL and SQLite. Each app writes its own CREATE statements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def present(connection: Any, prefix: str) -> set[str]:
    """The triggers whose names start with `prefix` (PostgreSQL: only those that fire)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s AND tgenabled = 'A'", [prefix + "%"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [prefix + "%"])
        return {row[0] for row in cursor.fetchall()}


def drops(vendor: str, triggers: Iterable[tuple[str, str]]) -> list[str]:
    """DROP statements for these (trigger, table) pairs; on PostgreSQL each trigger's function of the same name too."""
    out: list[str] = []
    for name, table in triggers:
        if vendor == "postgresql":
            out += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
        elif vendor == "sqlite":
            out.append(f"DROP TRIGGER IF EXISTS {name}")
    return out


def execute(schema_editor: Any, statements: Iterable[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement)
