"""`amends import complaints FILE --mapping NAME` as an operator runs it, wrong arguments included."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from amends.intake.models import Complaint

SAMPLE = str(Path(__file__).parent / "data" / "tx-tdi-sample.csv.gz")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_command_imports_with_a_progress_bar_and_says_what_it_did(world, now, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    call_command("import", "complaints", SAMPLE, "--mapping", "tx-tdi", "--actor", "admin", stderr=err)
    text = " ".join(err.getvalue().split())
    assert "300/300" in text
    assert "300 rows read, 300 complaints imported, 0 already present" in text
    assert Complaint.objects.count() == 300
    assert not (tmp_path / "tx-tdi-sample.rejects.csv").exists()  # nothing rejected, no file


def test_rejects_are_written_to_the_current_directory_by_default(world, now, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "old.csv"
    data.write_text("Complaint ID,Date received,Date sent to company,Company response to consumer\n1,2020-01-02,,x\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'source = "m"\n[fields]\nexternal_ref = "Complaint ID"\n'
        'received_at = { column = "Date received", date_format = "%Y-%m-%d" }\n'
        'closed_at = { column = "Date sent to company", date_format = "%Y-%m-%d" }\n'
        'channel = { value = "email" }\ndescription = { template = ["{Company response to consumer}"] }\n'
    )
    err = io.StringIO()
    call_command("import", "complaints", str(data), "--mapping", str(mapping), stderr=err)
    assert "1 rejected" in err.getvalue()
    assert (tmp_path / "old.rejects.csv").read_text().splitlines() == [
        "row,field,reason",
        '2,closed_at,"Empty, but this field is required."',
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nowhere/h.csv", "--mapping", "tx-tdi"], "No file at /nowhere/h.csv"),
        ([SAMPLE, "--mapping", "texas"], "Unknown mapping “texas”: use one of cfpb, ct-cid, tx-tdi"),
        ([SAMPLE, "--mapping", "ct-cid"], "has no column(s) “closed”, “company”"),
        ([SAMPLE, "--mapping", "tx-tdi", "--unit", "NOPE"], "No org unit with code “NOPE”"),
        ([SAMPLE, "--mapping", "tx-tdi", "--actor", "ghost"], "No active user “ghost”"),
        ([SAMPLE, "--mapping", "tx-tdi", "--batch-size", "0"], "--batch-size must be at least 1"),
        (["notes.txt", "--mapping", "tx-tdi"], "No file at notes.txt"),
        ([SAMPLE, "--mapping", "tx-tdi", "--rejects", "/no/such/dir/r.csv"], "Cannot write the reject file"),
    ],
)
def test_a_wrong_argument_is_refused_in_one_line(world, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("import", "complaints", *args, stderr=io.StringIO())
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert Complaint.objects.count() == 0


def test_an_unsupported_file_kind_is_refused(world, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    with pytest.raises(CommandError, match=r"reads \.csv, \.csv\.gz and \.xlsx"):
        call_command("import", "complaints", str(notes), "--mapping", "tx-tdi", stderr=io.StringIO())


def test_an_importer_outside_the_unit_is_refused(world, now):
    with pytest.raises(CommandError, match="in your scope"):
        call_command(
            "import",
            "complaints",
            SAMPLE,
            "--mapping",
            "tx-tdi",
            "--actor",
            "bj_handler",
            "--unit",
            "GD",
            stderr=io.StringIO(),
        )
