"""Database triggers that make a table append-only, on SQLite and PostgreSQL alike: UPDATE, DELETE (and on
PostgreSQL TRUNCATE, which bypasses row triggers) raise. Used by the migrations of the audit log and of the
discretion ledger; `flush` drops and restores them around emptying a whole non-production database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AppendOnlyTriggers:
    table: str
    prefix: str  # names the triggers and the PostgreSQL function: <prefix>_no_update, <prefix>_refuse_change…
    message: str

    def _sql(self, vendor: str) -> list[str]:
        p, t, m = self.prefix, self.table, self.message
        if vendor == "sqlite":
            return [
                f"CREATE TRIGGER {p}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{m}'); END;",
                f"CREATE TRIGGER {p}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{m}'); END;",
            ]
        if vendor == "postgresql":
            return [
                f"""CREATE OR REPLACE FUNCTION {p}_refuse_change() RETURNS trigger AS $$
                   BEGIN RAISE EXCEPTION '{m}'; END; $$ LANGUAGE plpgsql;""",
                f"CREATE TRIGGER {p}_no_change BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION {p}_refuse_change();",
                f"CREATE TRIGGER {p}_no_truncate BEFORE TRUNCATE ON {t} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {p}_refuse_change();",
            ]
        return []

    def create(self, apps: Any, schema_editor: Any) -> None:
        for sql in self._sql(schema_editor.connection.vendor):
            schema_editor.execute(sql)

    def drop(self, apps: Any, schema_editor: Any) -> None:
        vendor, p = schema_editor.connection.vendor, self.prefix
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {p}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {p}_no_delete")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {p}_no_change ON {self.table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {p}_no_truncate ON {self.table}")
