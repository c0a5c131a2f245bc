"""psycopg turns a statement's `%s` placeholders into PostgreSQL's `$n` with a regular-expression pass in Python
over the whole text, and keeps the result in an LRU cache, but only for statements of at most 4 KB with at most
50 parameters (ORMs' `INSERT … VALUES (…), (…)` rarely repeat). Intake's one read and one write
(`core.batch`) are 5–7 KB with 60–150 parameters and come in a few dozen shapes, so every complaint parsed both
again: about a tenth of the application's CPU per complaint (docs/decisions/0080). The limits are raised and
the cache given room for the statements a process repeats: at most `ENTRIES` each for server- and client-side
binding, each at most `LONGEST` bytes (kept about twice: the converted text and its parts), so at worst about
16 MB, in practice well under one (the application's statements average about a kilobyte).
"""

from __future__ import annotations

from functools import lru_cache

# A statement longer than this, or with more parameters, is converted each time as before.
LONGEST = 16 * 1024
MOST_PARAMETERS = 600
ENTRIES = 256


def widen() -> bool:
    """Raise psycopg's limits on the statements it keeps converted (once per process; True if applied).

    psycopg reads both limits and the cache from its `_queries` module at each execution; if a release moves
    them, nothing is changed here and statements are converted as psycopg does by default
    (`test_psycopg_cache` then fails, so the loss is seen)."""
    try:
        from psycopg import _queries
    except ImportError:  # psycopg not installed: SQLite only
        return False
    # Server-side binding (our default) and client-side binding (behind PgBouncer) each have their cache.
    caches = (("_query2pg", "_query2pg_nocache"), ("_query2pg_client", "_query2pg_client_nocache"))
    needed = ["MAX_CACHED_STATEMENT_LENGTH", "MAX_CACHED_STATEMENT_PARAMS", *(n for pair in caches for n in pair)]
    if not all(hasattr(_queries, name) for name in needed):
        return False
    if getattr(_queries, "_amends_widened", False):
        return True
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, MOST_PARAMETERS)
    for cached, converter in caches:
        setattr(_queries, cached, lru_cache(maxsize=ENTRIES)(getattr(_queries, converter)))
    _queries._amends_widened = True  # type: ignore[attr-defined]
    return True
