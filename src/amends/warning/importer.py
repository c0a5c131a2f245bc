"""`amends import events FILE`: events from another system's export, as JSON lines or CSV.

Read in chunks of 10,000 and stored through `event_ingest`, exactly as the API would (idempotent per
event_id, the on-ingest rules included), each chunk its own transaction. Rejected lines are reported by line
number; valid ones are kept. CSV columns: event_id, type, occurred_at, customer_ref, policy_no, claim_no,
touchpoint, attributes (a JSON object); any other column becomes an attribute.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from rich.console import Console

from amends.core.errors import InvalidInput
from amends.core.importing import Importer, progress_bar

from .validation import FIELDS, MAX_BATCH

SHOWN_REJECTS = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a .jsonl (one JSON event per line) or .csv file")
    parser.add_argument("--format", choices=["jsonl", "csv"], help="default: from the file's extension")
    parser.add_argument("--no-rules", action="store_true", help="store only; do not run the on-ingest rules")


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8-sig") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError:
                yield number, None


def _csv(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "event_id" not in reader.fieldnames:
            raise InvalidInput(_("%(file)s has no header row with event_id.") % {"file": path.name})
        for row in reader:
            number = reader.line_num
            event: dict[str, Any] = {}
            attributes: dict[str, Any] = {}
            for name, value in row.items():
                if name is None or value is None or value == "":
                    continue
                if name == "attributes":
                    try:
                        attributes.update(json.loads(value))
                    except (ValueError, TypeError):
                        yield number, None
                        break
                elif name in FIELDS:
                    event[name] = value
                else:
                    attributes[name] = value
            else:
                if attributes:
                    event["attributes"] = attributes
                yield number, event


def run(options: dict[str, Any], console: Console) -> None:
    from .services import event_ingest

    path = Path(options["file"])
    if not path.is_file():
        raise InvalidInput(_("No such file: %(file)s") % {"file": path})
    kind = options.get("format") or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    if kind == "jsonl" and path.suffix.lower() not in {".jsonl", ".ndjson", ".json", ".txt"}:
        raise InvalidInput(_("Give --format jsonl or csv for %(file)s.") % {"file": path.name})
    rows = _csv(path) if kind == "csv" else _jsonl(path)
    accepted = duplicates = 0
    rejects: list[tuple[int, dict[str, list[str]]]] = []
    bar_total = max(_lines(path) - (kind == "csv"), 0)
    with progress_bar(console, _("events"), total=bar_total) as bar:
        chunk: list[Any] = []
        numbers: list[int] = []
        shown = 0  # lines the bar has counted (blank ones included)

        def flush(upto: int) -> None:
            nonlocal accepted, duplicates, shown
            if chunk:
                result = event_ingest(actor=None, events=chunk, run_rules=not options.get("no_rules"))
                accepted += result.accepted
                duplicates += result.duplicates
                rejects.extend((numbers[r["index"]], r["fields"]) for r in result.rejected)
            bar.advance(upto - shown)
            shown = upto
            chunk.clear()
            numbers.clear()

        last = 0
        for number, event in rows:
            last = number
            if event is None:
                rejects.append((number, {"": [_("Not a valid event line.")]}))
                continue
            chunk.append(event)
            numbers.append(number)
            if len(chunk) == MAX_BATCH:
                flush(number - (kind == "csv"))
        flush(max(bar_total, last - (kind == "csv")))
    console.print(
        _("%(accepted)s events stored, %(duplicates)s already there, %(rejected)s rejected.")
        % {"accepted": accepted, "duplicates": duplicates, "rejected": len(rejects)}
    )
    for number, fields in rejects[:SHOWN_REJECTS]:
        problems = "; ".join(f"{name}: {' '.join(m)}" if name else " ".join(m) for name, m in fields.items())
        console.print(_("line %(line)s: %(problems)s") % {"line": number, "problems": problems})
    if len(rejects) > SHOWN_REJECTS:
        console.print(_("… and %(n)s more rejected lines.") % {"n": len(rejects) - SHOWN_REJECTS})


IMPORTER = Importer(
    name="events",
    help="events from another system (JSON lines or CSV), idempotent per event_id",
    add_arguments=add_arguments,
    run=run,
)
