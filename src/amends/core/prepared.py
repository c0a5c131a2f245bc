"""A query run on every request, compiled once per process: the ORM describes it, the SQL is kept.

Django compiles a queryset into SQL each time it runs; for a look-up made on every API call (the bearer
token) that compilation costs more CPU than the database spends answering. `Prepared(build, "name")` builds
the queryset once with a marker for each named string value, keeps the SQL and where the markers landed in
its parameters, and `first(name=value)` runs that SQL with the values, giving the model (and the
`select_related` rows, and its annotations) as `.first()` would. A value is a string, or an integer when its
name is given in `numbers` (its marker is then an integer no row has: a negative id). A name may appear more
than once in the SQL (a policy number filtered on and read in a subquery). The queryset must not depend on
anything but the named values (order it if more than one row may match: `.first()` orders by the key).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, models
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

from .markers import Markers


class Prepared:
    def __init__(self, build: Callable[..., models.QuerySet[Any]], *names: str, numbers: tuple[str, ...] = ()) -> None:
        self.build = build
        self.names = names
        self.numbers = numbers
        self._compiled: dict[str, tuple[Any, str, list[Any], list[tuple[int, str]]]] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple[Any, str, list[Any], list[tuple[int, str]]]:
        with self._lock:
            if alias not in self._compiled:
                markers = Markers("prepared", {**dict.fromkeys(self.names, str), **dict.fromkeys(self.numbers, int)})
                qs = self.build(**markers.values)[:1]
                compiler = qs.query.get_compiler(using=alias)
                sql, params = compiler.as_sql()
                self._compiled[alias] = (compiler, sql, list(params), markers.slots(params))
            return self._compiled[alias]

    def first(self, alias: str = "default", **values: str | int) -> models.Model | None:
        compiler, sql, params, slots = self._compile(alias)
        params = list(params)
        for i, name in slots:
            params[i] = values[name]
        db = connections[alias]
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        (row,) = compiler.results_iter([[row]])  # the fields' converters, as a queryset applies them
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in compiler.select[start:end]]
        obj = info["model"].from_db(alias, names, row[start:end])
        for populator in get_related_populators(info, compiler.select, alias):
            populator.populate(row, obj)
        for name, at in compiler.annotation_col_map.items():
            setattr(obj, name, row[at])
        return obj
