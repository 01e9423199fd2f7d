"""RunRecord JSON: a full round trip, and clear errors for what is not a record."""

import json

import pytest

from tests.builders import full_record
from uxmon.records import SCHEMA_VERSION
from uxmon.records.serial import RecordFormatError, record_from_json, record_to_json


def test_round_trip_keeps_every_field() -> None:
    record = full_record()
    text = record_to_json(record)
    again = record_from_json(text)
    assert again == record
    assert record_from_json(record_to_json(again)) == again
    assert record_to_json(record_from_json(record_to_json(again))) == record_to_json(again)


def test_json_carries_version_and_summary() -> None:
    data = json.loads(record_to_json(full_record()))
    assert data["schema"] == SCHEMA_VERSION
    assert data["summary"] == {"steps": 1, "clicks": 1, "keystrokes": 19, "fields": 1,
                               "time_to_complete_ms": None}


def test_a_newer_schema_is_refused_with_advice() -> None:
    data = json.loads(record_to_json(full_record()))
    data["schema"] = SCHEMA_VERSION + 1
    with pytest.raises(RecordFormatError, match="newer than this uxmon understands.*upgrade"):
        record_from_json(json.dumps(data))


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2]", "must be a JSON object"),
    ("{}", "no schema version"),
    ("not json", "not JSON"),
])
def test_non_records_are_refused(text: str, message: str) -> None:
    with pytest.raises(RecordFormatError, match=message):
        record_from_json(text)


def test_missing_required_field_is_named() -> None:
    data = json.loads(record_to_json(full_record()))
    del data["viewport"]
    with pytest.raises(RecordFormatError, match="missing required field 'viewport'"):
        record_from_json(json.dumps(data))


def test_wrong_type_is_located() -> None:
    data = json.loads(record_to_json(full_record()))
    data["steps"][0]["index"] = "one"
    with pytest.raises(RecordFormatError, match=r"record.steps\[0\].index: expected int"):
        record_from_json(json.dumps(data))
