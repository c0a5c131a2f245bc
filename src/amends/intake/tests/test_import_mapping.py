"""Mapping files are checked before any row is read, and a row's values are mapped or rejected field by field.

Pure: no database. The shipped mappings must load; a broken mapping is refused with a sentence naming the
setting; value maps, multi-value cells, several date formats and templates behave as docs/operations.md says.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation

from amends.intake.importing import mapping as mappings
from amends.intake.importing.mapping import MappingError, parse
from amends.intake.importing.transform import Record, Reject, Transformer

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
TOUCHPOINTS = {"auto_claim.payment", "health_claim.review"}

BASE = {
    "source": "test-src",
    "timezone": "America/Chicago",
    "fields": {
        "external_ref": "ref",
        "received_at": {"column": "received", "date_format": ["%Y-%m-%d", "%m/%d/%y"]},
        "closed_at": {"column": "closed", "date_format": "%Y-%m-%d"},
        "channel": {"value": "regulator"},
        "description": {"template": ["Kind: {kind}", "Notes: {notes}"]},
        "category": {"column": "tags", "split": ";", "default": "other", "map": {"CLAIM": "claims", "SALE": "sales"}},
        "touchpoint": {"column": "tags", "split": ";", "default": "", "map": {"CLAIM": "auto_claim.payment"}},
        "result": {"column": "finding", "map": {"Yes": "upheld", "No": "not_upheld"}, "default": ""},
        "segment": {"column": "who", "map": {"INDV": "individual", "ORG": "group"}},
    },
}
HEADER = ["ref", "received", "closed", "kind", "notes", "tags", "finding", "who"]


def mapping_with(**changes):
    data = {**BASE, "fields": {**BASE["fields"]}}
    for key, value in changes.items():
        if key.startswith("field_"):
            name = key.removeprefix("field_")
            if value is None:
                data["fields"].pop(name)
            else:
                data["fields"][name] = value
        else:
            data[key] = value
    return parse(data, Path("test.toml"))


def transform(cells, **changes):
    return Transformer(mapping_with(**changes), HEADER, now=NOW, touchpoints=TOUCHPOINTS)(2, cells)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


ROW = ["A1", "2024-03-01", "2024-03-20", "Auto", "", "NOISE; CLAIM; SALE", "Yes", "INDV"]


@pytest.mark.parametrize("name", ["tx-tdi", "ct-cid", "cfpb"])
def test_every_shipped_mapping_loads(name):
    loaded = mappings.load(name)
    assert loaded.source == name
    assert {"external_ref", "received_at", "closed_at", "channel", "description"} <= set(loaded.fields)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "Texas TDI"}, "source"),
        ({"timezone": "Mars/Olympus"}, "Mars/Olympus"),
        ({"colour": "blue"}, "colour"),
        ({"field_received_at": None}, "received_at"),
        ({"field_mood": {"column": "x"}}, "mood"),
        ({"field_closed_at": {"column": "closed"}}, "date_format"),
        ({"field_channel": {"value": "pigeon"}}, "pigeon"),
        ({"field_category": {"column": "tags", "map": {"CLAIM": "claimz"}}}, "claimz"),
        ({"field_at_fault": {"column": "finding", "map": {"Yes": "yes"}}}, "true or false"),
        ({"field_region": {"column": "a", "value": "b"}}, "exactly one"),
        ({"field_region": {"column": "a", "lower": True}}, "lower"),
        ({"open_when": {"column": "status"}}, "open_when"),
    ],
)
def test_a_broken_mapping_is_refused_with_a_sentence_naming_the_setting(changes, message):
    with pytest.raises(MappingError, match=message):
        mapping_with(**changes)


def test_an_unknown_mapping_name_lists_the_shipped_ones():
    with pytest.raises(MappingError, match="cfpb, ct-cid, tx-tdi"):
        mappings.load("tx-tdx")


def test_a_mapping_file_that_is_not_toml_is_refused(tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text("source = [unclosed\n")
    with pytest.raises(MappingError, match="not valid TOML"):
        mappings.load(str(bad))


def test_a_row_becomes_plain_values_through_the_maps():
    record = transform(list(ROW))
    assert isinstance(record, Record)
    assert record.external_ref == "A1"
    # Chicago midnight is 06:00 UTC in March (CST).
    assert record.received_at == datetime(2024, 3, 1, 6, 0, tzinfo=UTC)
    assert record.values["channel"] == "regulator"
    assert record.values["category"] == "claims"  # the first part the map knows; NOISE is skipped
    assert record.values["touchpoint"] == "auto_claim.payment"
    assert record.values["result"] == "upheld"
    assert record.values["segment"] == "individual"
    assert record.values["description"] == "Kind: Auto"  # the notes line is left out: its column is empty


def test_unmapped_values_take_the_default_or_are_left_blank():
    record = transform(["A1", "2024-03-01", "2024-03-20", "Auto", "x", "NOISE", "Perhaps", "INDV"])
    assert isinstance(record, Record)
    assert record.values["category"] == "other"
    assert record.values["touchpoint"] == ""
    assert record.values["result"] == ""  # neither yes nor no, and the mapping says to leave it unknown


def test_a_second_date_format_is_tried_when_the_first_does_not_fit():
    record = transform(["A1", "03/01/24", "2024-03-20", "", "", "", "", "INDV"], field_description={"value": "x"})
    assert isinstance(record, Record)
    assert record.received_at.date().isoformat() == "2024-03-01"


def test_every_bad_field_of_a_row_is_rejected_and_the_row_is_not_imported():
    out = transform(["A1", "1 March", "2024-03-20", "Auto", "", "CLAIM", "Yes", "ALIEN"])
    assert out == [
        Reject(2, "received_at", "“1 March” does not match the date format %Y-%m-%d | %m/%d/%y."),
        Reject(2, "segment", "“ALIEN” is not in the mapping and there is no default."),
    ]


@pytest.mark.parametrize(
    ("received", "closed", "field"),
    [
        ("2024-03-20", "2024-03-01", "closed_at"),
        ("2027-01-01", "2027-01-02", "received_at"),
        ("", "2024-03-01", "received_at"),
    ],
)
def test_impossible_dates_are_rejected(received, closed, field):
    out = transform(["A1", received, closed, "Auto", "", "CLAIM", "Yes", "INDV"])
    assert isinstance(out, list) and [r.field for r in out] == [field]


def test_a_row_of_the_wrong_width_is_rejected_and_a_blank_line_is_skipped():
    assert transform(["A1", "2024-03-01"]) == [Reject(2, "", "The row has 2 fields; the header has 8.")]
    assert transform(["", ""]) == []


def test_a_row_still_open_in_the_source_is_rejected():
    out = transform(list(ROW), open_when={"column": "finding", "values": ["Yes"]})
    assert isinstance(out, list) and out[0].field == "finding" and "Not closed" in out[0].reason


def test_a_day_starts_in_amends_zone_and_a_time_is_the_sources():
    from zoneinfo import ZoneInfo

    formats = {"column": "received", "date_format": ["%Y-%m-%d %H:%M", "%Y-%m-%d"]}
    transformer = Transformer(
        mapping_with(field_received_at=formats),
        HEADER,
        now=NOW,
        touchpoints=TOUCHPOINTS,
        day_zone=ZoneInfo("Asia/Shanghai"),
    )
    day = transformer(2, ["A1", "2024-03-01", "2024-03-20", "Auto", "", "", "", "INDV"])
    timed = transformer(2, ["A1", "2024-03-01 09:30", "2024-03-20", "Auto", "", "", "", "INDV"])
    assert isinstance(day, Record) and isinstance(timed, Record)
    assert day.received_at == datetime(2024, 2, 29, 16, 0, tzinfo=UTC)  # 2024-03-01 00:00 in Shanghai
    assert timed.received_at == datetime(2024, 3, 1, 15, 30, tzinfo=UTC)  # 09:30 in Chicago (CST)
