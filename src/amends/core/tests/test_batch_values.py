"""The one write passes strings, numbers, ids and aware times on as they are: for every field of every model
that it does this for, Django's own conversion on PostgreSQL gives the very same value."""

import uuid
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.db import connection

from amends.core.batch import fast_way

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one write is PostgreSQL's")

SAMPLES = {
    str: ["", "投诉 complaint", "x" * 300],
    bool: [True, False],
    int: [0, 7, -3, 2**40],
    uuid.UUID: [uuid.UUID(int=12345)],
    datetime: [datetime(2026, 12, 6, 9, 30, 1, 123456, tzinfo=UTC)],
}


def fields_with_a_fast_way():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            kinds, convert = fast_way(field, connection)
            if kinds:
                yield field, kinds, convert


def test_the_common_fields_take_the_fast_way():
    kinds = {type(f).__name__ for f, _, _ in fields_with_a_fast_way()}
    assert {"CharField", "TextField", "BigAutoField", "ForeignKey", "DateTimeField", "BooleanField"} <= kinds


def test_it_gives_what_djangos_own_conversion_gives_for_every_field():
    checked = 0
    for field, kinds, convert in fields_with_a_fast_way():
        for kind in kinds:
            for value in [None, *SAMPLES[kind]]:
                fast = value if convert is None or value is None else convert(value)
                django = field.get_db_prep_save(value, connection=connection)
                assert fast == django and type(fast) is type(django), (field, value, fast, django)
                checked += 1
    assert checked > 500
