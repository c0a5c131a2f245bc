"""`complaints_import`: a history file in, closed cases out, batch by batch, each batch all or nothing.

Rows stream from the file through the mapping; good ones gather into batches, each written in its own
transaction together with one audit entry (source, file, rows, rejects), so a run stopped at any point
leaves whole batches only, and running the same command again skips every complaint already present and
carries on. Rows that cannot be imported go to the reject file (row, field, reason) and never stop the run.
"""

from __future__ import annotations

import csv
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.db import DatabaseError, connection, transaction
from django.utils.timezone import get_default_timezone
from django.utils.translation import gettext as _

from amends.accounts.access import RECEIVES_COMPLAINTS, in_scope, require
from amends.accounts.models import OrgUnit, User
from amends.audit.models import AuditEntry
from amends.core import audit, clock
from amends.core.errors import AmendsError, Forbidden, InvalidInput
from amends.journeys.models import Touchpoint

from ..services.clock import clock_config
from . import references
from .mapping import Mapping
from .reading import open_table
from .transform import Record, Reject, Transformer
from .writing import Context, Prepared, prepare, present_refs, write_batch

DEFAULT_BATCH = 10_000


class ImportStopped(AmendsError):
    code = "import_stopped"
    status = 500


@dataclass
class ImportResult:
    source: str
    file: str
    records: int = 0  # data records read, blank ones included (what the progress bar counts)
    rows: int = 0  # data rows read
    imported: int = 0
    present: int = 0  # already imported by an earlier run
    repeated: int = 0  # a later row of a complaint already seen in this file
    rejected: int = 0
    batches: int = 0
    reject_path: Path | None = None
    seconds: float = 0.0
    foreign_keys: str = "per row"  # or "per batch": checked set-wise (PostgreSQL, where the role may)
    complaint_ids: list[int] = field(default_factory=list, repr=False)


Progress = Callable[[int], None]


def complaints_import(
    *,
    actor: User,
    path: Path,
    mapping: Mapping,
    unit: OrgUnit | None = None,
    batch_size: int = DEFAULT_BATCH,
    reject_path: Path | None = None,
    progress: Progress | None = None,
    on_total: Callable[[int | None], None] | None = None,
    keep_ids: bool = False,
) -> ImportResult:
    require(actor, RECEIVES_COMPLAINTS)
    unit = unit or actor.org_unit
    if unit is None or not in_scope(actor, unit.pk):
        raise Forbidden(_("Imported complaints belong to an org unit in your scope; name one with --unit."))
    started = time.perf_counter()
    now = clock.now()
    touchpoints = dict(Touchpoint.objects.filter(active=True).values_list("code", "pk"))
    ctx = Context(
        source=mapping.source,
        org_unit_id=unit.pk,
        actor_id=actor.pk,
        now=now,
        decide_within=timedelta(days=clock_config().base_days),
        touchpoint_ids=touchpoints,
        set_wise_checks=_may_check_set_wise(),
    )
    result = ImportResult(source=mapping.source, file=path.name)
    result.foreign_keys = "per batch" if ctx.set_wise_checks else "per row"
    rejects = _RejectFile(reject_path or default_reject_path(path))
    seen: set[str] = set()
    pending: list[Record] = []
    consumed = 0

    writer = _Writer(ctx, result, actor=actor, keep_ids=keep_ids)

    def flush() -> None:
        nonlocal consumed
        if pending:
            writer.put(list(pending), rejected_so_far=result.rejected)
            pending.clear()
        if progress and consumed:
            progress(consumed)
        consumed = 0

    finished = False
    try:
        with open_table(path, mapping.needed_columns(), encoding=mapping.encoding, sheet=mapping.sheet) as table:
            if on_total:
                on_total(table.estimated_rows)
            transform = Transformer(
                mapping, table.header, now=now, touchpoints=set(touchpoints), day_zone=get_default_timezone()
            )
            for number, cells in table.rows:
                consumed += 1
                result.records += 1
                out = transform(number, cells)
                if isinstance(out, list):
                    if out:
                        result.rows += 1
                        result.rejected += 1
                        rejects.write(out)
                    continue
                result.rows += 1
                if out.external_ref in seen:
                    result.repeated += 1
                    continue
                seen.add(out.external_ref)
                pending.append(out)
                if len(pending) >= batch_size:
                    flush()
            flush()
        finished = True
    finally:
        writer.close(discard=not finished)
        rejects.close()
    result.reject_path = rejects.path if rejects.count else None
    result.seconds = time.perf_counter() - started
    return result


def _may_check_set_wise() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return references.may_skip_row_checks(cursor)


def default_reject_path(path: Path) -> Path:
    """Beside the current directory, not the input (which may be read-only): NAME.rejects.csv."""
    name = path.name
    for suffix in (".csv.gz", ".csv", ".xlsx"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return Path.cwd() / f"{name}.rejects.csv"


@dataclass
class _Batch:
    number: int
    records: list[Record]  # every row of the batch, the audit names their range
    present: int  # of them already imported
    rejected_so_far: int
    prepared: Prepared


class _Writer:
    """Writes the batches in order. On PostgreSQL, unless the caller already holds a transaction, it writes in
    a thread of its own with its own connection, so that reading, transforming and preparing the next batch
    (Python, on the caller's connection) overlaps the database's work on this one (the PostgreSQL backend):
    two cores, both busy. The writing thread's own Python is kept to the COPY: it shares the interpreter."""

    def __init__(self, ctx: Context, result: ImportResult, *, actor: User, keep_ids: bool) -> None:
        self.ctx, self.result, self.actor, self.keep_ids = ctx, result, actor, keep_ids
        self.error: BaseException | None = None
        self.batches = 0
        self.created: dict[str, int] = {}  # keyed customers given an id by this run
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        if self.threaded:
            self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._loop, name="import-writer", daemon=True)
            self.thread.start()

    def put(self, records: list[Record], *, rejected_so_far: int) -> None:
        if self.error is not None:
            raise self.error
        self.batches += 1
        batch = self._prepare(records, self.batches, rejected_so_far)
        if self.threaded:
            self.queue.put(batch)
        else:
            self._write(batch)

    def _prepare(self, records: list[Record], number: int, rejected_so_far: int) -> _Batch:
        # Already-present complaints are dropped before the batch's transaction; a complaint imported by
        # someone else in between is refused by the unique (source, reference) index, which stops the run.
        try:
            present = present_refs(self.ctx.source, [r.external_ref for r in records])
            fresh = [r for r in records if r.external_ref not in present] if present else records
            prepared = prepare(fresh, self.ctx, self.created)
        except DatabaseError as exc:
            raise _stopped(records, number, self.result, exc) from exc
        return _Batch(number, records, len(present), rejected_so_far, prepared)

    def _loop(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        self._write(item)
                    except BaseException as exc:  # handed to the reading thread, which stops the run
                        self.error = exc
        finally:
            connection.close()  # this thread's own connection

    def close(self, *, discard: bool) -> None:
        if self.threaded:
            if discard and self.error is None:
                self.error = ImportStopped(_("The import was interrupted."))  # queued batches are not written
            self.queue.put(None)
            self.thread.join()
        if self.error is not None and not discard:
            raise self.error

    def _write(self, batch: _Batch) -> None:
        ctx, result, records = self.ctx, self.result, batch.records
        try:
            with transaction.atomic():
                ids = write_batch(batch.prepared, ctx)
                audit.record(
                    AuditEntry(
                        at=ctx.now,
                        actor=self.actor,
                        action="complaint.import",
                        object_type="intake.complaint",
                        object_id=f"{ctx.source}:{records[0].row}-{records[-1].row}",
                        after={
                            "source": ctx.source,
                            "file": result.file,
                            "batch": batch.number,
                            "rows": [records[0].row, records[-1].row],
                            "imported": len(ids),
                            "already_present": batch.present,
                            "rejected_so_far": batch.rejected_so_far,
                            "complaint_ids": [ids[0], ids[-1]] if ids else [],
                        },
                    )
                )
        except DatabaseError as exc:
            raise _stopped(records, batch.number, result, exc) from exc
        result.batches = batch.number
        result.imported += len(ids)
        result.present += batch.present
        if self.keep_ids:
            result.complaint_ids.extend(ids)


def _stopped(records: list[Record], number: int, result: ImportResult, exc: DatabaseError) -> ImportStopped:
    return ImportStopped(
        _(
            "Stopped at batch %(batch)s (rows %(first)s–%(last)s), which was not imported: %(error)s. "
            "The %(done)s complaints before it are imported; run the same command again to resume."
        )
        % {
            "batch": number,
            "first": records[0].row,
            "last": records[-1].row,
            "error": str(exc).strip().splitlines()[0],
            "done": result.imported,
        }
    )


class _RejectFile:
    """The reject file (row, field, reason), opened before the first row so that an unwritable place is refused
    before anything is imported; removed at the end when nothing was rejected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        try:
            self._stream: IO[str] = path.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise InvalidInput(
                _("Cannot write the reject file %(path)s (%(error)s): name another with --rejects.")
                % {"path": path, "error": exc.strerror or exc}
            ) from exc
        self._writer = csv.writer(self._stream)
        self._writer.writerow(["row", "field", "reason"])

    def write(self, rejects: list[Reject]) -> None:
        self.count += 1
        self._writer.writerows((r.row, r.field, r.reason) for r in rejects)

    def close(self) -> None:
        self._stream.close()
        if not self.count:
            self.path.unlink(missing_ok=True)
