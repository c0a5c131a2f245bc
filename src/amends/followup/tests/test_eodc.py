"""Explore · offer · do · confirm on the case page and in the case API, from existing data and the answer."""

from django.test import Client

from amends.assembly.testing import receive
from amends.core.tests.api_client import Api
from amends.followup import links
from amends.followup.models import Survey

from .helpers import send_surveys, to_follow_up


def test_the_case_shows_eodc_from_request_to_the_customers_answer(world, now):
    complaint = receive(world.handler, world.individual, request="退还被扣的残值款")
    api = Api(world.token(world.handler))
    eodc = api.get(f"/cases/{complaint.case_id}").json()["eodc"]
    assert eodc["explore"] == [{"request": "退还被扣的残值款", "confirmed": True}]
    assert eodc["do"] == [] and eodc["confirm"]["answer"] is None

    to_follow_up(world.handler, complaint.case_id)
    send_surveys()
    eodc = api.get(f"/cases/{complaint.case_id}").json()["eodc"]
    assert [s["step"] for s in eodc["do"]] == ["apology", "fix", "empathy", "atonement"]
    assert eodc["offer"]["decisions"] == ["同意赔付，三日内到账。"]
    assert eodc["confirm"]["survey_waiting"]["reminders"] == 0

    survey = Survey.objects.get()
    Api(None).post(f"/surveys/{links.survey_token(survey.pk)}", {"solved": True, "satisfaction": 5, "comment": "满意"})
    eodc = api.get(f"/cases/{complaint.case_id}").json()["eodc"]
    assert eodc["confirm"]["recovered"] is True and eodc["confirm"]["via"] == "survey"
    assert eodc["confirm"]["answer"]["comment"] == "满意"

    client = Client()
    client.force_login(world.handler)
    page = client.get(f"/cases/{complaint.case_id}/").content.decode()
    assert "探索 · 提议 · 执行 · 确认" in page and "退还被扣的残值款" in page and "已挽回" in page
