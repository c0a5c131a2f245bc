"""Collecting the append-only rows of one use case (audit entries, timeline entries) into one INSERT each.

Inside `with batch.collect():` every `batch.add(row)` is held and bulk-inserted, model by model in
order, when the block ends, still inside the caller's transaction. Outside a block `add` saves at once.
Blocks nest; the outermost one writes. Only for rows nothing reads back before the block ends.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.db import models

_local = threading.local()


@contextlib.contextmanager
def collect() -> Iterator[None]:
    if getattr(_local, "rows", None) is not None:
        yield
        return
    _local.rows = []
    try:
        yield
        rows: list[models.Model] = _local.rows
        by_model: dict[type[models.Model], list[models.Model]] = {}
        for row in rows:
            by_model.setdefault(type(row), []).append(row)
        for model, items in by_model.items():
            model._default_manager.bulk_create(items)
    finally:
        _local.rows = None


def add(*rows: models.Model) -> None:
    pending = getattr(_local, "rows", None)
    if pending is None:
        for row in rows:
            type(row)._default_manager.bulk_create([row])
    else:
        pending.extend(rows)
