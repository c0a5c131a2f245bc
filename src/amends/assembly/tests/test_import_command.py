"""`amends import KIND …` dispatches to the importer of the app that owns the data, and refuses what it does not
know."""

from __future__ import annotations

import importlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amends.core import importing
from amends.core.errors import InvalidInput

IMPORTERS = importlib.import_module("amends.assembly.management.commands.import").IMPORTERS


@pytest.fixture
def fake_importer(monkeypatch):
    seen: dict = {}

    def add_arguments(parser):
        parser.add_argument("file")
        parser.add_argument("--strict", action="store_true")

    def run(options, console):
        if options["file"] == "bad.csv":
            raise InvalidInput("bad.csv has no header row")
        with importing.progress_bar(console, "rows", total=3) as bar:
            bar.advance(3)
        seen.update(file=options["file"], strict=options["strict"])

    importer = importing.Importer("fake", "a test importer", add_arguments, run)
    monkeypatch.setitem(IMPORTERS, "fake", importer)
    return seen


def test_the_named_importer_gets_its_own_arguments(fake_importer):
    err = io.StringIO()
    call_command("import", "fake", "rows.csv", "--strict", stderr=err)
    assert fake_importer == {"file": "rows.csv", "strict": True}
    assert "3/3" in err.getvalue()


def test_an_importers_refusal_is_one_sentence_for_the_operator(fake_importer):
    with pytest.raises(CommandError, match=r"bad\.csv has no header row"):
        call_command("import", "fake", "bad.csv")


def test_an_unknown_kind_is_refused(fake_importer):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import", "nonsense", "x.csv")


def test_complaints_and_events_are_the_kinds_shipped():
    assert set(IMPORTERS) == {"complaints", "events"}
