"""What the case page says when there is no complaint, and after a case closed without a survey answer."""

import pytest

from amends.assembly.testing import case


@pytest.fixture
def en(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(world.handler)
    return client


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
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("zh-hans"):
        assert gettext("not recovered") == "未挽回"
