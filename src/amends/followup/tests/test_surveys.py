"""Follow-up surveys: sent after the atonement step and the decision, answered through a signed link (page and
API), a good answer closing the case, a bad one reopening it with a second failure and an alert; reminders,
then a callback when nobody answers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings

from amends.assembly.testing import receive
from amends.core import clock
from amends.core.tests.api_client import Api
from amends.correspondence import sms
from amends.followup import links
from amends.followup.models import Callback, Survey
from amends.recovery.models import Case, Failure
from amends.warning.models import Alert

from .helpers import send_surveys, survey_link, to_follow_up

GOOD = {
    "solved": True,
    "satisfaction": 4,
    "reliability": 4,
    "attitude": 5,
    "renew": 9,
    "recommend": 8,
    "comment": "处理得很及时，谢谢。",
}
BAD = {"solved": False, "satisfaction": 2, "reliability": 1, "responsiveness": 2, "comment": "还是没到账"}


@pytest.fixture
def case(world, now):
    complaint = receive(world.handler, world.individual, touchpoint="auto_claim.payment")
    to_follow_up(world.handler, complaint.case_id)
    return Case.objects.get(pk=complaint.case_id)


def test_a_survey_goes_out_once_the_case_awaits_its_follow_up(world, case):
    assert case.status == "follow_up"
    result = send_surveys()
    assert result.sent == 1
    survey = Survey.objects.get()
    assert survey.case_id == case.pk and survey.round == 1 and survey.channel == "email"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.individual.email]
    assert survey_link(survey).startswith("/survey/")
    assert send_surveys().sent == 0  # once per round


def test_no_survey_while_a_complaint_is_undecided(world, now):
    complaint = receive(world.handler, world.online)
    for step in ("apology", "fix", "empathy", "atonement"):
        from amends.recovery.services import step_record

        step_record(actor=world.handler, case_id=complaint.case_id, step=step, note="ok")
    assert send_surveys().sent == 0 and not Survey.objects.exists()


def test_a_good_answer_on_the_page_completes_the_follow_up_and_closes_the_case(world, case):
    send_surveys()
    path = survey_link(Survey.objects.get())
    client = Client()
    assert client.get(path).status_code == 200
    page = client.post(
        path,
        {"solved": "yes", "satisfaction": "4", "reliability": "5", "renew": "9", "recommend": "10", "comment": "满意"},
    )
    assert page.status_code == 200
    case.refresh_from_db()
    assert case.status == "closed" and case.closure == "recovered"
    assert case.steps.filter(step="follow_up", outcome="recovered").exists()
    survey = Survey.objects.get()
    assert survey.status == "answered" and survey.recovered is True and survey.recommend == 10
    # A second answer through the same link changes nothing.
    assert client.post(path, {"solved": "no", "satisfaction": "1"}).status_code == 200
    assert Survey.objects.get().satisfaction == 4


def test_a_bad_answer_reopens_the_case_with_a_second_failure_and_an_alert(world, case):
    send_surveys()
    survey = Survey.objects.get()
    response = Api(None).post(f"/surveys/{links.survey_token(survey.pk)}", BAD)
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == "in_progress" and case.round == 2
    failure = Failure.objects.get(source="survey")
    assert failure.case_id == case.pk and failure.dimension == "reliability" and "还是没到账" in failure.description
    alert = Alert.objects.get(rule="follow_up_not_recovered")
    assert alert.case_id == case.pk and alert.severity == 3 and alert.owner_id == case.owner_id


def test_satisfied_but_not_solved_is_not_recovered(world, case):
    send_surveys()
    survey = Survey.objects.get()
    Api(None).post(f"/surveys/{links.survey_token(survey.pk)}", {"solved": False, "satisfaction": 5})
    case.refresh_from_db()
    assert case.round == 2 and Survey.objects.get().recovered is False


def test_the_api_refuses_bad_answers_forged_and_expired_links(world, case, now):
    send_surveys()
    survey = Survey.objects.get()
    token = links.survey_token(survey.pk)
    api = Api(None)
    off_scale = api.post(f"/surveys/{token}", {"solved": True, "satisfaction": 6, "renew": 11})
    assert off_scale.status_code == 422
    assert off_scale.json()["error"] == "invalid" and set(off_scale.json()["fields"]) == {"satisfaction", "renew"}
    missing = api.post(f"/surveys/{token}", {"comment": "hi"})
    assert missing.status_code == 422 and {"solved", "satisfaction"} <= set(missing.json()["fields"])
    assert api.post(f"/surveys/{token}", "{not json").json()["error"] == "bad_json"
    other = links.survey_token(survey.pk + 1)
    forged = token.split(":")[0] + ":" + other.split(":")[1]
    assert api.post(f"/surveys/{forged}", GOOD).status_code == 404
    assert api.post(f"/surveys/{survey.pk + 1}:abc", GOOD).json()["error"] == "not_found"
    with clock.frozen(now + timedelta(days=15)):
        expired = api.post(f"/surveys/{token}", GOOD)
    assert expired.status_code == 403 and expired.json()["error"] == "link_expired"
    assert Survey.objects.get().status == "sent"  # nothing written by any of these
    assert api.post(f"/surveys/{token}", GOOD).status_code == 200
    again = api.post(f"/surveys/{token}", GOOD)
    assert again.status_code == 409 and again.json()["error"] == "survey_closed"


@override_settings(AMENDS_SURVEY_REMINDERS=2, AMENDS_SURVEY_REMINDER_HOURS=72)
def test_unanswered_surveys_are_reminded_then_handed_to_a_callback(world, case, now):
    send_surveys()
    assert send_surveys(now=now + timedelta(hours=71)).reminded == 0
    assert send_surveys(now=now + timedelta(hours=72)).reminded == 1
    assert send_surveys(now=now + timedelta(hours=144)).reminded == 1
    assert len(mail.outbox) == 3 and len({m.body for m in mail.outbox[1:]}) == 1  # the same link each time
    result = send_surveys(now=now + timedelta(hours=216))
    assert result.to_callback == 1
    callback = Callback.objects.get()
    assert callback.reason == "survey_unanswered" and callback.case_id == case.pk
    assert Survey.objects.get().status == "no_answer"
    assert send_surveys(now=now + timedelta(hours=300)).to_callback == 0


def test_a_customer_without_email_gets_a_text_message_and_one_without_contact_a_call(world, now):
    world.online.email = ""
    world.online.save()
    world.key_account.email, world.key_account.phone = "", ""
    world.key_account.save()
    ids = []
    for customer in (world.online, world.key_account):
        complaint = receive(world.handler, customer)
        to_follow_up(world.handler, complaint.case_id)
        ids.append(complaint.case_id)
    result = send_surveys()
    assert result.sent == 1 and result.no_contact == 1
    assert Survey.objects.get().channel == "sms" and len(sms.outbox) == 1
    assert Callback.objects.get().case_id == ids[1]


def test_a_survey_is_withdrawn_when_the_follow_up_is_done_by_phone(world, case):
    send_surveys()
    from amends.recovery.services import step_record

    step_record(actor=world.handler, case_id=case.pk, step="follow_up", note="电话确认已解决", outcome="recovered")
    assert send_surveys().withdrawn == 1
    token = links.survey_token(Survey.objects.get().pk)
    assert Api(None).post(f"/surveys/{token}", GOOD).status_code == 409
