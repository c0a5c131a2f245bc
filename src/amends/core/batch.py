"""Holding the writes of one use case and sending them together (a unit of work).

Inside `with batch.collect():` rows given to `add` (audit and timeline entries, a complaint's reading…) or to
`create`, and changes given to `save`, are held and written when the block ends, still inside the caller's
transaction — or earlier, just before any other statement the block sends, so whatever runs inside the block
(a read, a savepoint, another app's hook) sees the database as if every write had gone out at once.

On PostgreSQL everything held goes out as one statement, each INSERT and UPDATE a data-modifying CTE
(`WITH w0 AS (INSERT …), w1 AS (UPDATE …) SELECT 1`): the foreign keys are deferred to the commit, so the
order inside does not matter, and a unique index still refuses the whole statement (an IntegrityError, as
before). Elsewhere (SQLite) it is one INSERT per model and one UPDATE per row, in order.

A row others point at before the write (a new case a complaint belongs to) needs its id first: `create` takes
one reserved with `reserve` (PostgreSQL: `nextval`, read together with the use case's other reads through
`next_id_sql`), and without one it saves the row at once. A row `create`d and then `save`d is written once,
with its values as they are at the write: no INSERT followed by an UPDATE.

Blocks nest; the outermost one writes. Outside a block everything is written at once.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, models
from django.db.models import Q, QuerySet, sql

from .markers import Markers

_local = threading.local()


@dataclass
class _Held:
    inserts: list[models.Model] = field(default_factory=list)
    created: set[int] = field(default_factory=set)  # id() of the rows in `inserts` given to `create`
    updates: dict[tuple[type[models.Model], Any], tuple[models.Model, list[str]]] = field(default_factory=dict)
    ids: dict[type[models.Model], list[int]] = field(default_factory=dict)
    known: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # rows read ahead (`remember`)
    writing: bool = False
    failed: IntegrityError | None = None  # a held write refused before another statement (see collect)

    def __bool__(self) -> bool:
        return bool(self.inserts or self.updates)


def _held() -> _Held | None:
    return getattr(_local, "held", None)


@contextlib.contextmanager
def collect() -> Iterator[None]:
    if _held() is not None:
        yield
        return
    held = _Held()
    _local.held = held
    try:
        with connection.execute_wrapper(_write_first):
            yield
            _write(held)
        if held.failed is not None:
            raise held.failed
    except DatabaseError as exc:
        # A held write refused (a unique index: a replayed idempotency key) surfaces at whatever statement came
        # next, maybe inside code that catches IntegrityError for its own reasons and then meets an aborted
        # transaction: the caller sees the refusal itself, as if the row had been written at once.
        if held.failed is not None and exc is not held.failed:
            raise held.failed from exc
        raise
    finally:
        _local.held = None


def _write_first(execute: Any, sql_text: str, params: Any, many: bool, context: Any) -> Any:
    held = _held()
    if held and not held.writing:
        try:
            _write(held)
        except IntegrityError as exc:
            held.failed = exc
            raise
    return execute(sql_text, params, many, context)


def add(*rows: models.Model) -> None:
    """Insert these rows (nothing reads their ids back)."""
    held = _held()
    if held is None:
        for row in rows:
            type(row)._default_manager.bulk_create([row])
    else:
        held.inserts.extend(rows)


def create(obj: models.Model) -> models.Model:
    """Insert this row, keeping its id usable at once: a reserved id makes it wait for the write, else it is
    saved now."""
    held = _held()
    if held is not None and obj.pk is None:
        pool = held.ids.get(type(obj))
        if pool:
            obj.pk = pool.pop(0)
    if held is None:
        obj.save(force_insert=True)
        return obj
    if obj.pk is None:
        # Its INSERT need not wait for the held rows (foreign keys are checked at the commit), nor send them.
        held.writing = True
        try:
            obj.save(force_insert=True)
        finally:
            held.writing = False
        return obj
    held.inserts.append(obj)
    held.created.add(id(obj))
    return obj


def save(obj: models.Model, fields: Iterable[str]) -> None:
    """Save these fields of a row that exists (or is held by `create`)."""
    held = _held()
    names = list(dict.fromkeys(fields))
    if held is None:
        obj.save(update_fields=names)
        return
    if id(obj) in held.created:
        return  # its INSERT carries the values as they are when it is written
    key = (type(obj), obj.pk)
    _, before = held.updates.get(key, (obj, []))
    held.updates[key] = (obj, list(dict.fromkeys([*before, *names])))


def next_id_sql(model: type[models.Model]) -> str | None:
    """The SQL expression giving a new id for `model` (PostgreSQL), to read with other things; None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    table = model._meta.db_table
    return f"nextval(pg_get_serial_sequence('{table}', '{model._meta.pk.column}'))"


def reserve(model: type[models.Model], ids: Iterable[int | None]) -> None:
    """Ids read with `next_id_sql`, for the next rows of `model` given to `create` in this block."""
    held = _held()
    if held is not None:
        held.ids.setdefault(model, []).extend(i for i in ids if i is not None)


def remember(name: str, rows: list[dict[str, Any]]) -> None:
    """Rows read ahead for code further down this block (another app's, which asked for them through a hook):
    `recalled(name)` gives them instead of a statement of its own. Nothing outside a block."""
    held = _held()
    if held is not None:
        held.known[name] = rows


def recalled(name: str) -> list[dict[str, Any]] | None:
    """The rows `remember`ed under `name` in this block; None if none were (read them yourself)."""
    held = _held()
    return None if held is None else held.known.get(name)


@dataclass(frozen=True)
class NewId:
    """Reserve an id of `model` with a `read` (PostgreSQL); only if `when` (a queryset) finds a row, and not if
    `unless` does: a case's id is wanted only when there is no open case to join."""

    model: type[models.Model]
    unless: QuerySet[Any] | Bound | None = None  # a Bound's query is `.values("pk")` already
    when: QuerySet[Any] | Bound | None = None


def reads_together() -> bool:
    """Whether `read` sends its querysets in one statement (PostgreSQL) rather than one by one."""
    return connection.vendor == "postgresql"


class Kept:
    """A `.values()` read whose SQL and parameters never change (the handlers above one unit, with their open
    cases counted in the statement), compiled once and kept by its owner: building and compiling such a
    queryset costs more CPU than the database spends on it. `read` takes it where it takes a queryset."""

    def __init__(self, qs: QuerySet[Any]) -> None:
        self.qs = qs
        self._compiled: dict[str, tuple[str, tuple[Any, ...], list[str], list[Any]]] = {}
        self._lock = threading.Lock()

    def compiled(self, db: Any) -> tuple[str, tuple[Any, ...], list[str], list[Any]]:
        with self._lock:
            if db.alias not in self._compiled:
                self._compiled[db.alias] = _compile(self.qs.all(), db)
            return self._compiled[db.alias]


class KeptWith:
    """A `.values()` read whose SQL changes only with some values (a customer's id, an episode, a moment):
    `build(**markers)` makes it once with a marker for each, it is compiled once per connection with the
    markers' places in its parameters kept, and `bind(**values)` gives what `read` (and `NewId`) take. `kinds`
    names each value's type: str, int or datetime (aware). `build` must depend on nothing but its values."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        self.build = build
        self.markers = Markers("kept", kinds)
        self._compiled: dict[str, tuple[str, tuple[Any, ...], list[str], list[Any], list[tuple[int, str]]]] = {}
        self._lock = threading.Lock()

    def bind(self, **values: Any) -> Bound:
        return Bound(self, values)

    def compiled(self, db: Any) -> tuple[str, tuple[Any, ...], list[str], list[Any], list[tuple[int, str]]]:
        with self._lock:
            if db.alias not in self._compiled:
                text, params, names, fields = _compile(self.build(**self.markers.values), db)
                self._compiled[db.alias] = (text, params, names, fields, self.markers.slots(params))
            return self._compiled[db.alias]


@dataclass(frozen=True)
class Bound:
    """A `KeptWith` read with its values."""

    kept: KeptWith
    values: dict[str, Any]

    def queryset(self) -> QuerySet[Any]:
        return self.kept.build(**self.values)

    def compiled(self, db: Any) -> tuple[str, tuple[Any, ...], list[str], list[Any]]:
        text, params, names, fields, slots = self.kept.compiled(db)
        bound = list(params)
        for i, name in slots:
            bound[i] = self.values[name]
        return text, tuple(bound), names, fields


def _compile(qs: QuerySet[Any], db: Any) -> tuple[str, tuple[Any, ...], list[str], list[Any]]:
    compiler = qs.query.get_compiler(connection=db)
    text, p = compiler.as_sql()
    names = [*qs.query.extra_select, *qs.query.values_select, *qs.query.annotation_select]
    return text, tuple(p), names, [col[0].output_field for col in compiler.select]


def read(
    queries: dict[str, QuerySet[Any] | Kept | Bound], ids: Iterable[NewId] = ()
) -> dict[str, list[dict[str, Any]]]:
    """The rows of several `.values()` querysets, as `list(qs)` gives them, and reserved ids for `create`.

    On PostgreSQL in one statement: each queryset a JSON-aggregated subquery (a `select_for_update()` one
    locks its rows as it would alone), each id a `nextval`. Elsewhere one query per queryset and no ids.
    """
    wanted = list(ids)
    if not reads_together():
        return {name: list(_queryset(qs)) for name, qs in queries.items()}
    db = _db()
    columns: list[str] = []
    params: list[Any] = []
    shapes: list[tuple[list[str], list[Any]]] = []
    for qs in queries.values():
        text, p, names, fields = qs.compiled(db) if isinstance(qs, Kept | Bound) else _compile(qs, db)
        shapes.append((names, fields))
        columns.append(f"(SELECT json_agg(q)::text FROM ({text}) q)")
        params.extend(p)
    for new in wanted:
        nextval = next_id_sql(new.model)
        conditions = []
        for condition, test in ((new.when, "EXISTS"), (new.unless, "NOT EXISTS")):
            if isinstance(condition, Bound):
                text, p, _, _ = condition.compiled(db)
                conditions.append(f"{test} ({text})")
                params.extend(p)
            elif condition is not None:
                text, p = condition.values("pk").query.get_compiler(connection=db).as_sql()
                conditions.append(f"{test} ({text})")
                params.extend(p)
        columns.append(f"CASE WHEN {' AND '.join(conditions)} THEN {nextval} END" if conditions else str(nextval))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    out: dict[str, list[dict[str, Any]]] = {}
    for i, (name, (names, fields)) in enumerate(zip(queries, shapes, strict=True)):
        # json, not jsonb: the keys keep their order (and repeats), so values are matched by position.
        items = json.loads(row[i], object_pairs_hook=_Pairs, parse_float=Decimal) if row[i] else []
        out[name] = [{n: _from_json(f, v) for n, f, (_, v) in zip(names, fields, item, strict=True)} for item in items]
    for new, pk in zip(wanted, row[len(queries) :], strict=True):
        reserve(new.model, [pk])
    return out


def _queryset(qs: QuerySet[Any] | Kept | Bound) -> QuerySet[Any]:
    if isinstance(qs, Kept):
        return qs.qs.all()
    if isinstance(qs, Bound):
        return qs.queryset()
    return qs


class _Pairs(list):
    """A JSON object as its (key, value) pairs in order."""


def _plain(value: Any) -> Any:
    """A value inside a row (a JSONField's) as json.loads gives it: objects as dicts, numbers as floats."""
    if isinstance(value, _Pairs):
        return {k: _plain(v) for k, v in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def _from_json(field: Any, value: Any) -> Any:
    """A column's value as the database driver gives it (numbers are read as Decimal, so money stays exact)."""
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DecimalField":
        return Decimal(value)
    value = _plain(value)
    if kind == "DateTimeField":
        return datetime.fromisoformat(value)
    if kind == "DateField":
        return date.fromisoformat(value)
    return value


def reserve_ids(*models_: type[models.Model]) -> None:
    """Reserve one id for each of `models_` in one statement (PostgreSQL; nothing elsewhere)."""
    if _held() is None or connection.vendor != "postgresql" or not models_:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(str(next_id_sql(m)) for m in models_))
        row = cursor.fetchone()
    for model, pk in zip(models_, row, strict=True):
        reserve(model, [pk])


def _write(held: _Held) -> None:
    if not held:
        return
    held.writing = True
    try:
        inserts, updates = held.inserts, list(held.updates.values())
        held.inserts, held.created, held.updates = [], set(), {}
        if connection.vendor == "postgresql":
            _write_one_statement(inserts, updates)
        else:
            for model, rows in _by_model(inserts).items():
                model._default_manager.bulk_create(rows)
            for obj, names in updates:
                obj.save(update_fields=names)
    finally:
        held.writing = False


def _db() -> Any:
    """The connection itself, not the `django.db.connection` proxy: a compiler asks its connection for
    operations and quoting thousands of times per statement, each a thread-local look-up through the proxy."""
    return connections[DEFAULT_DB_ALIAS]


def _by_model(rows: list[models.Model]) -> dict[type[models.Model], list[models.Model]]:
    out: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        out.setdefault(type(row), []).append(row)
    return out


# A field's fast way for plain values: the exact types it takes that way, and the function turning such a value
# into what `get_db_prep_save` gives (None: the value itself).
Fast = tuple[tuple[type, ...], Callable[[Any], Any] | None]

_insert_heads: dict[tuple[str, type[models.Model], tuple[str, ...]], tuple[str, str, list[Fast]]] = {}

# Fields whose `get_db_prep_save` on PostgreSQL gives a value of these exact types back unchanged, or (integers)
# wrapped in psycopg's sized integer type, and None as None; any other value takes Django's own path. Exact
# classes only, so a subclass with its own conversion is never skipped (`test_batch_values` checks each field of
# every model against Django).
_AS_IS: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.UUIDField: (uuid.UUID,),
    models.DateTimeField: (datetime,),  # aware ones only (checked per value): a naive one is warned about
}


def fast_way(field: models.Field, db: Any) -> Fast:
    """How `field`'s plain values reach PostgreSQL without `get_db_prep_save`, learnt from it: ((), None) when
    they must go through it."""
    related = type(field) in (models.ForeignKey, models.OneToOneField)
    target = getattr(field, "target_field", field) if related else field
    kinds = _AS_IS.get(type(target), ())
    if kinds != (int,):
        return kinds, None
    sized = type(field.get_db_prep_save(1, connection=db))  # int, or psycopg's Int2 / Int4 / Int8
    return kinds, None if sized is int else sized


def _insert_plain(
    db: Any, model: type[models.Model], fields: list[Any], rows: list[models.Model]
) -> tuple[str, list[Any]] | None:
    """The INSERT of plain values as Django's compiler would write it (`field.pre_save`, then
    `get_db_prep_save`, one `%s` each), its head kept per model: the compiler spends more on each field than
    the value costs, and so does `get_db_prep_save` on a string or a number (`fast_way`). None when a value is
    an expression or a field places its own (the compiler does those)."""
    key = (db.alias, model, tuple(f.attname for f in fields))
    head = _insert_heads.get(key)
    if head is None:
        if any(hasattr(f, "get_placeholder") for f in fields):
            return None
        qn = db.ops.quote_name
        columns = ", ".join(qn(f.column) for f in fields)
        row_of = "(" + ", ".join(["%s"] * len(fields)) + ")"
        ways = [fast_way(f, db) for f in fields]
        head = (f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ", row_of, ways)
        _insert_heads[key] = head
    params: list[Any] = []
    ways = head[2]
    for row in rows:
        for f, (kinds, convert) in zip(fields, ways, strict=True):
            value = f.pre_save(row, True)
            if kinds and (value is None or (type(value) in kinds and (kinds[0] is not datetime or value.tzinfo))):
                params.append(value if convert is None or value is None else convert(value))
                continue
            if hasattr(value, "resolve_expression"):
                return None
            params.append(f.get_db_prep_save(value, connection=db))
    return head[0] + ", ".join([head[1]] * len(rows)), params


def _write_one_statement(inserts: list[models.Model], updates: list[tuple[models.Model, list[str]]]) -> None:
    db = _db()
    parts: list[tuple[str, list[Any]]] = []
    for model, rows in _by_model(inserts).items():
        opts = model._meta
        for with_pk in (True, False):
            group = [r for r in rows if (r.pk is not None) == with_pk]
            if not group:
                continue
            for row in group:
                row._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
            fields = [f for f in opts.concrete_fields if not f.generated and (with_pk or f is not opts.pk)]
            plain = _insert_plain(db, model, fields, group)
            if plain is not None:
                parts.append(plain)
                continue
            query = sql.InsertQuery(model)
            query.insert_values(fields, group)
            parts.extend((s, list(p)) for s, p in query.get_compiler(connection=db).as_sql())
    for obj, names in updates:
        chosen = [f for f in obj._meta.concrete_fields if f.name in names or f.attname in names]
        update = sql.UpdateQuery(type(obj))
        update.add_update_fields([(f, None, f.pre_save(obj, False)) for f in chosen])
        update.add_q(Q(pk=obj.pk))
        s, p = update.get_compiler(connection=db).as_sql()
        parts.append((s, list(p)))
    if len(parts) == 1:
        statement, params = parts[0]
    else:
        ctes = ", ".join(f"w{i} AS ({s})" for i, (s, _) in enumerate(parts))
        statement, params = f"WITH {ctes} SELECT 1", [p for _, ps in parts for p in ps]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
    for row in inserts:
        row._state.adding, row._state.db = False, connection.alias
