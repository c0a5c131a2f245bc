"""The API answers carry `flags` (DESIGN §5): the complaint just received and its case."""

import pytest

from amends.core.tests.api_client import Api
from amends.intake.tests.test_api_complaints import body


@pytest.fixture
def api(world):
    return Api(world.token(world.frontline))


def test_the_complaint_answer_carries_its_flags(api, world, now):
    response = api.post("/complaints", body(world, description="第二次投诉了！再拖我就去消協和12378。"))
    assert response.status_code == 201, response.content
    flags = response.json()["flags"]
    assert {f["code"]: f["evidence"] for f in flags} == {
        "repeat": "第二次投诉",
        "consumer_body": "消協",
        "regulator": "12378",
    }


def test_the_case_answer_carries_the_flags_of_its_complaints(api, world, now):
    first = api.post("/complaints", body(world, description="我要找律师。")).json()
    api.post("/complaints", body(world, description="我已经发了微博。"))
    case = Api(world.token(world.handler)).get(f"/cases/{first['case']['id']}").json()
    assert [(f["code"], f["evidence"]) for f in case["flags"]] == [("legal", "律师"), ("media", "微博")]
    assert case["flags"][0]["complaint"] == first["id"]


def test_a_replayed_key_answers_with_the_same_flags(api, world, now):
    payload = body(world, description="我要找律师。")
    first = api.post("/complaints", payload, headers={"Idempotency-Key": "k1"})
    second = api.post("/complaints", payload, headers={"Idempotency-Key": "k1"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["flags"] == first.json()["flags"] == [{"code": "legal", "evidence": "律师"}]
