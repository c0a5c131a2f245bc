"""Words in complaints and notes, found by substring through the database's own trigram index.

PostgreSQL: `pg_trgm` GIN indexes on the existing columns answer `ILIKE '%词%'` (the C.UTF-8 and other UTF-8
locales hash Chinese characters into trigrams, so text without spaces works). SQLite: FTS5 tables with the
trigram tokenizer, kept by triggers. Either way the database maintains the index inside the writer's own
statement, so intake sends no extra statement (docs/decisions/0063-search.md). Terms of two characters have
no trigram: they are a plain substring test on the rows the other filters leave.

Newest first, and bounded (PostgreSQL): the newest `RECENT_ROWS` rows of a table are read first in the primary
key's order, stopping at the last hit wanted, so a phrase that one complaint in twelve says costs the same at a
million complaints as at ten thousand; only when they hold too few hits does the trigram index look through the
older rows, which then are few for that phrase (a common one has filled the page already). That second read
is held to `AMENDS_SEARCH_TEXT_MS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from . import rules

T = TypeVar("T")

# How many of a table's newest rows are read in key order before the trigram index is asked (PostgreSQL).
RECENT_ROWS = 5000

# How many older rows with the indexed terms are looked at when the newest held too few hits (PostgreSQL).
OLDER_CANDIDATES = 2000

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


def newest_matching(
    qs: QuerySet[Any],
    base: QuerySet[Any],
    columns: tuple[str, ...],
    terms: tuple[str, ...],
    limit: int,
    shape: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda q: q,
    recent: int = RECENT_ROWS,
    candidates: int = OLDER_CANDIDATES,
) -> tuple[list[Any], bool]:
    """The newest `limit` rows of `qs` (`base` narrowed to the actor's scope) with every term in one of
    `columns`, shaped by `shape` (joins, columns); and False when the older rows were not all searched: more
    than `candidates` of them have the indexed terms (a common word beside a two-character one, or a scope
    that holds few of its hits), or the read ran out of `AMENDS_SEARCH_TEXT_MS` (PostgreSQL)."""

    def read(rows: QuerySet[Any], n: int, words: tuple[str, ...] = terms) -> list[Any]:
        return list(shape(matching(rows, columns, words)).order_by("-pk")[:n])

    if connection.vendor != "postgresql":
        return read(qs, limit), True
    # The key that starts the newest `recent` rows: read from the primary key's index alone (no scope, no text).
    edge = list(base.model._default_manager.order_by("-pk").values_list("pk", flat=True)[recent - 1 : recent])
    if not edge:  # a small table: the index answers in one read
        small = _within_budget(lambda: read(qs, limit))
        return (small, True) if small is not None else ([], False)
    # A literal bound, so the planner knows the range is small: an index scan backwards over it, stopping early.
    found = read(qs.filter(pk__gte=edge[0]), limit)
    if len(found) >= limit:
        return found, True
    wanted = limit - len(found)
    indexed = tuple(t for t in terms if len(t) >= rules.MIN_INDEXED_TERM) or terms

    def older() -> tuple[list[Any], bool]:
        # The newest `candidates` older rows with the indexed terms, whatever their scope; then scope, the short
        # terms and the shape on those alone. Either read is bounded, however many rows say the words.
        keys = list(
            matching(base.filter(pk__lt=edge[0]), columns, indexed)
            .order_by("-pk")
            .values_list("pk", flat=True)[:candidates]
        )
        # Those keys have the indexed terms already: asking again would send the planner back to the trigram
        # index (and every row it holds for a common word); the short terms are tested on these rows alone.
        short = tuple(t for t in terms if t not in indexed)
        rows = read(qs.filter(pk__in=keys), wanted, short) if keys else []
        return rows, len(rows) >= wanted or len(keys) < candidates

    more = _within_budget(older)
    if more is None:
        return found, False
    return found + more[0], more[1]


def _within_budget(read: Callable[[], T]) -> T | None:
    """`read()` within `AMENDS_SEARCH_TEXT_MS`: a word found in very many old rows is rechecked row by row, and
    one slow box must not hold a worker. None when it ran out of time."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (before,) = cursor.fetchone()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(settings.AMENDS_SEARCH_TEXT_MS)])
            found = read()
            # Inside a request's own transaction the setting would outlive this block: put it back.
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
            return found
    except OperationalError:  # canceled by the timeout; the savepoint rolled back
        return None
