"""Every input is checked before the database sees it (issue 17's findings, run on SQLite and PostgreSQL):
a NUL byte or an unpaired surrogate anywhere answers 422, a body sent to the API must be JSON, numbers,
keys and dates stay within bounds — and nothing answers 500."""

import json

import pytest
from django.test import Client

from amends.core.tests.api_client import Api
from amends.intake.models import Complaint


@pytest.fixture
def api(world):
    return Api(world.token(world.frontline))


def complaint(world, **overrides):
    return {
        "channel": "hotline",
        "customer": {"id": world.individual.pk},
        "description": "换件清单未注明须交残，理赔时却扣残值300元。",
        "request": "全额赔付",
        **overrides,
    }


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b"])
def test_a_json_body_with_a_nul_or_a_lone_surrogate_is_refused(world, api, bad):
    raw = json.dumps(complaint(world, description=bad))  # escaped as \u0000 / \ud800, as a client sends it
    response = api.post("/complaints", raw)
    assert response.status_code == 422 and response.json()["error"] == "invalid"
    assert "description" in response.json()["fields"] and not Complaint.objects.exists()


def test_the_unauthenticated_survey_answer_refuses_a_nul(world):
    response = Api(None).post("/surveys/1:forged", '{"comment": "\\u0000"}')
    assert response.status_code == 422 and "comment" in response.json()["fields"]


def test_a_query_parameter_with_a_nul_is_refused(world, api):
    response = api.get("/cases", owner="a\x00")
    assert response.status_code == 422 and "owner" in response.json()["fields"]


def test_a_page_form_with_a_nul_is_refused_with_a_readable_page(world):
    response = Client().post("/complain/", {"name": "周\x00敏", "description": "x", "request": "y"})
    assert response.status_code == 422 and "NUL" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_complaint_sent_as_something_other_than_json_is_refused(world, api):
    response = api.client.post(
        "/api/v1/complaints", json.dumps(complaint(world)), content_type="text/plain", **api.headers
    )
    assert response.status_code == 415 and response.json()["error"] == "unsupported_media_type"
    assert not Complaint.objects.exists()


def test_an_overlong_idempotency_key_is_refused(world, api):
    response = api.post("/complaints", complaint(world), headers={"Idempotency-Key": "k" * 300})
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["fields"]


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+08:00", "1999-12-31T23:59:00+08:00", "2099-01-01T00:00:00Z"])
def test_a_receipt_time_before_2000_or_in_the_future_is_refused(world, api, now, when):
    response = api.post("/complaints", complaint(world, received_at=when))
    assert response.status_code == 422 and "received_at" in response.json()["fields"]


@pytest.mark.parametrize("path", ["/cases?page=99999999999999999999", "/rectifications?page=10000000000000"])
def test_a_huge_page_number_is_refused(world, api, path):
    response = api.client.get(f"/api/v1{path}", **api.headers)
    assert response.status_code == 422


def test_a_huge_id_is_simply_not_found(world, api):
    assert api.get(f"/cases/{2**63}").status_code in (404, 422)
    response = api.post("/complaints", complaint(world, customer={"id": 2**70}))
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("path", "field", "params"),
    [
        ("/discretion/report", "since", {"since": "0269-01-18T08:00:00+08:00"}),
        ("/promise-hint", "due_at", {"due_at": "2100-01-01T09:00:00+08:00"}),
    ],
)
def test_a_date_outside_this_century_is_refused_with_its_field(world, path, field, params):
    """Found by schemathesis: a year-269 `since` was echoed as 0269-01-18T16:23:04+08:05:43 (local mean time)."""
    response = Api(world.token(world.admin)).get(path, **params)
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    assert "2000-01-01" in response.json()["fields"][field][0]
