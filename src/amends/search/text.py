"""Words in complaints and notes, found by substring through the database's own trigram index.

PostgreSQL: `pg_trgm` GIN indexes on the existing columns answer `ILIKE '%词%'` (the C.UTF-8 and other UTF-8
locales hash Chinese characters into trigrams, so text without spaces works). SQLite: FTS5 tables with the
trigram tokenizer, kept by triggers. Either way the database maintains the index inside the writer's own
statement, so intake sends no extra statement (docs/decisions/0063-search.md). Terms of two characters have
no trigram: they are a plain substring test on the rows the other filters leave.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from . import rules

# (FTS5 table, its columns) per source, for SQLite; created by migration 0001.
FTS = {
    "intake_complaint": ("search_complaint_text", ("description", "request")),
    "recovery_casestep": ("search_step_note", ("note",)),
    "recovery_timelineentry": ("search_timeline_note", ("text",)),
}


class _Like(Func):
    """`column ILIKE %term%` (PostgreSQL, served by pg_trgm) or `instr(column, term) > 0` (SQLite)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, term: str) -> None:
        super().__init__(F(column), Value(term))
        self.term = term

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} ILIKE %s", [*params, rules.like_pattern(self.term)]

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        return f"instr(lower({column}), %s) > 0", [*params, self.term.lower()]


def matching(qs: QuerySet[Any], columns: tuple[str, ...], terms: tuple[str, ...]) -> QuerySet[Any]:
    """Rows of `qs` where every term appears in one of `columns`."""
    table = qs.model._meta.db_table
    if connection.vendor == "sqlite" and table in FTS:
        fts, _ = FTS[table]
        long = [t for t in terms if len(t) >= 3]
        if long:
            query = " AND ".join(rules.fts_phrase(t) for t in long)
            qs = qs.filter(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query]))
        terms = tuple(t for t in terms if len(t) < 3)
    for term in terms:
        any_column = Q()
        for column in columns:
            any_column |= Q(_Like(column, term))
        qs = qs.filter(any_column)
    return qs
