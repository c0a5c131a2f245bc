"""What the case page says when there is no complaint, and after a case closed without a survey answer."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from amends.assembly.testing import case, decide, receive
from amends.followup.services.outcome import apply_to_case
from amends.recovery import services as recovery


@pytest.fixture
def en(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(world.handler)
    return client


def _answered_not_solved(world, language):
    """A complaint's case taken through the four steps, then answered "not solved" by survey while the request
    is in `language`: the system writes the follow-up note in that language."""
    complaint = receive(world.frontline, world.individual, description="定损员一直没来。")
    decide(world.handler, complaint)
    for step in ("apology", "fix", "empathy", "atonement"):
        recovery.step_record(actor=world.handler, case_id=complaint.case_id, step=step, note="已处理")
    with translation.override(language):
        apply_to_case(
            actor=world.handler,
            case_id=complaint.case_id,
            round=1,
            answer={"solved": False, "satisfaction": 1},
            source="survey",
            source_ref="t1",
            heard=gettext_lazy("Follow-up survey answered by the customer"),
        )
    return complaint


def test_a_case_with_no_complaint_has_no_regulatory_deadline_rather_than_every_complaint_decided(en, world, now):
    c = case(world, world.individual, "2026-11-01 09:00")
    page = en.get(f"/cases/{c.pk}/").content.decode()
    assert "No complaint: no regulatory deadline" in page
    assert "Every complaint decided" not in page


def test_a_closed_recovered_case_says_how_it_closed_not_that_a_survey_will_go(en, world, now):
    c = case(world, world.individual, "2026-10-01 09:00", closed="2026-10-10 09:00")
    page = en.get(f"/cases/{c.pk}/").content.decode()
    assert "on the handler&#x27;s follow-up; no survey was sent." in page or "follow-up; no survey was sent" in page
    assert "Not asked yet" not in page


def test_the_follow_up_note_not_recovered_is_translated():
    from django.utils.translation import gettext

    with translation.override("zh-hans"):
        assert gettext("not recovered") == "未挽回"


def test_a_not_recovered_follow_up_reads_in_the_readers_language(client, world):
    """The note the system writes when a customer says they are not recovered is kept as its message: a survey
    answered through an English request still reads 未挽回 on a Chinese case page, and back."""
    complaint = _answered_not_solved(world, "en")
    client.force_login(world.handler)
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(f"/cases/{complaint.case_id}/").content.decode()
    with translation.override("zh-hans"):
        heard = str(gettext_lazy("Follow-up survey answered by the customer"))
    assert f"{heard}：未挽回" in chinese and "not recovered" not in chinese
    client.cookies["django_language"] = "en"
    english = client.get(f"/cases/{complaint.case_id}/").content.decode()
    assert "Follow-up survey answered by the customer: not recovered" in english


def test_a_step_note_the_system_wrote_in_chinese_reads_in_english_on_the_page_and_api(client, world):
    """The follow-up step's own note (API `steps[].note`) is kept as its message too: written while answering
    in Chinese, it reads in English for an English reader; a note staff typed stays as typed."""
    from amends.recovery.models import CaseStep

    complaint = _answered_not_solved(world, "zh-hans")
    row = CaseStep.objects.get(case_id=complaint.case_id, step="follow_up")
    assert "未挽回" in row.note  # the text as first written stays (search, audit)
    english = "Follow-up survey answered by the customer: not recovered"
    token = world.token(world.handler)

    def step_notes(language):
        response = client.get(
            f"/api/v1/cases/{complaint.case_id}",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
        )
        return {s["step"]: s["note"] for s in response.json()["steps"]}

    notes = step_notes("en")
    assert notes["follow_up"] == english and notes["apology"] == "已处理"
    assert step_notes("zh-CN")["follow_up"] == row.note
    client.force_login(world.handler)
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{complaint.case_id}/").content.decode()
    assert english in page and "未挽回" not in page


def test_a_call_not_reached_is_noted_in_the_readers_language():
    from django.utils import translation

    from amends.core import texts
    from amends.recovery.models import CaseStep

    with translation.override("zh-hans"):
        note = texts.Message("Follow-up call: not reached.")
        row = CaseStep(note=note, note_text=texts.stored(note))
    assert row.note != "Follow-up call: not reached."  # written in Chinese
    with translation.override("en"):
        assert row.shown_note == "Follow-up call: not reached."
    assert CaseStep(note="客户说已满意").shown_note == "客户说已满意"
