"""`amends import events FILE`: JSON lines or CSV, through the same ingestion as the API."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from amends.warning.models import Event


def run(path, *args):
    err = io.StringIO()
    with translation.override("en"):
        call_command("import", "events", str(path), *args, stderr=err)
    return err.getvalue()


def test_json_lines_with_a_bad_line_reported_by_number(world, now, tmp_path):
    at = (now - timedelta(hours=1)).isoformat()
    lines = [
        json.dumps({"event_id": "j1", "type": "claim.reported", "occurred_at": at, "claim_no": "CL1"}),
        "{broken",
        "",
        json.dumps({"event_id": "j2", "type": "claim.paid", "occurred_at": "soon"}),
        json.dumps(
            {"event_id": "j3", "type": "contact.inbound", "occurred_at": at, "attributes": {"channel": "hotline"}}
        ),
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run(path)
    assert sorted(Event.objects.values_list("event_id", flat=True)) == ["j1", "j3"]
    assert "line 2" in out and "line 4" in out and "occurred_at" in out
    assert "5/5" in out
    run(path)  # again: nothing new
    assert Event.objects.count() == 2


def test_csv_with_extra_columns_as_attributes(world, now, tmp_path):
    at = (now - timedelta(hours=1)).isoformat()
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,type,occurred_at,claim_no,touchpoint,part,attributes\n"
        f'c1,salvage.required,{at},CL300,auto_claim.salvage,尾灯总成,"{{""amount"": ""300.00""}}"\n'
        f"c2,claim.paid,{at},CL300,,,\n",
        encoding="utf-8",
    )
    run(path)
    stored = Event.objects.get(event_id="c1")
    assert stored.attributes == {"part": "尾灯总成", "amount": "300.00"} and stored.touchpoint == "auto_claim.salvage"
    assert Event.objects.get(event_id="c2").attributes == {}


def test_wrong_arguments_are_refused_in_a_sentence(world, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.jsonl")
    headless = tmp_path / "x.csv"
    headless.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="event_id"):
        run(headless)
    odd = tmp_path / "x.xlsx"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="--format"):
        run(odd)
