"""`field__any=[...]`: the same rows as `__in`, on both databases, sent as one value."""

import pytest
from django.db import connection

from amends.customers.models import Customer


@pytest.mark.django_db
def test_any_finds_what_in_finds(world):
    numbers = list(Customer.objects.values_list("customer_no", flat=True)[:3])
    wanted = [*numbers, "no such customer", "引号'与中文"]
    assert set(Customer.objects.filter(customer_no__any=wanted)) == set(Customer.objects.filter(customer_no__in=wanted))
    pks = list(Customer.objects.values_list("pk", flat=True)[:2])
    assert set(Customer.objects.filter(pk__any=pks).values_list("pk", flat=True)) == set(pks)


@pytest.mark.django_db
def test_an_empty_list_matches_nothing(world):
    assert not Customer.objects.filter(customer_no__any=[]).exists()


def test_a_thousand_values_are_one_parameter():
    query = Customer.objects.filter(customer_no__any=[f"C{i}" for i in range(1000)]).query
    _sql, params = query.get_compiler(connection=connection).as_sql()
    assert len(params) == 1
