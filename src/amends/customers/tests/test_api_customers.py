"""GET /api/v1/customers and /api/v1/customers/{id}: find a customer, see policies and cases, in scope only."""

import pytest

from amends.assembly.testing import receive
from amends.core.tests.api_client import Api


@pytest.fixture
def handler_api(world):
    return Api(world.token(world.handler))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("张", ["张伟"]),
        ("13900139000", ["李娜"]),
        ("c0003", ["深圳市华运物流有限公司"]),
        ("PA2026440300000001", ["张伟"]),
    ],
)
def test_search_by_name_prefix_phone_customer_number_or_policy(handler_api, q, expected):
    names = [c["name"] for c in handler_api.get("/customers", q=q).json()["items"]]
    assert names == expected


def test_search_never_reaches_another_branch(handler_api):
    assert handler_api.get("/customers", q="王强").json()["items"] == []


def test_an_empty_search_finds_nothing(handler_api):
    assert handler_api.get("/customers", q="  ").json()["items"] == []


def test_a_customer_comes_with_policies_and_cases(world, handler_api, now):
    case = receive(world.frontline, world.individual).case
    data = handler_api.get(f"/customers/{world.individual.pk}").json()
    assert [p["policy_no"] for p in data["policies"]] == ["PA2026440300000001"]
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    assert data["phone"] == "13800138000" and data["masked"] is False


def test_contacts_are_masked_for_a_quality_manager(world):
    data = Api(world.token(world.quality)).get(f"/customers/{world.individual.pk}").json()
    assert (data["phone"], data["email"], data["masked"]) == ("138****8000", "c***@example.cn", True)


def test_another_branchs_customer_is_404(world, handler_api):
    response = handler_api.get(f"/customers/{world.beijing_customer.pk}")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_a_searcher_who_sees_phones_masked_cannot_find_a_customer_by_phone(world):
    frontline = Api(world.token(world.frontline))
    for guess in ("13800138000", "+86 138 0013 8000"):
        assert frontline.get("/customers", q=guess).json()["items"] == []  # no oracle for the hidden digits
    assert [c["name"] for c in frontline.get("/customers", q="张").json()["items"]] == ["张伟"]


def test_a_handler_finds_a_phone_however_it_is_written(handler_api):
    assert [c["name"] for c in handler_api.get("/customers", q="+86 139-0013-9000").json()["items"]] == ["李娜"]


def test_searches_are_rate_limited_per_person(world, handler_api, settings):
    settings.AMENDS_SEARCH_PER_MINUTE = 3
    assert all(handler_api.get("/customers", q="张").status_code == 200 for _ in range(3))
    refused = handler_api.get("/customers", q="张")
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert Api(world.token(world.supervisor)).get("/customers", q="张").status_code == 200  # someone else's count
