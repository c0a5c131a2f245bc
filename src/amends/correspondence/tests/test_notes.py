"""Internal notes: @mentions notify the colleagues named who may see the case, followers hear of notes and of
the customer's messages, the author follows what they wrote on, nothing leaks outside the case's scope."""

import pytest
from django.test import Client

from amends.assembly.testing import PASSWORD, receive
from amends.audit.models import AuditEntry
from amends.core.errors import InvalidInput
from amends.correspondence import notes, rules
from amends.correspondence.models import Follower, Notification
from amends.correspondence.services import message_receive
from amends.recovery.models import Case, TimelineEntry


@pytest.fixture
def case(world, now):
    return Case.objects.select_related("customer").get(pk=receive(world.handler, world.individual).case_id)


def test_mentioned_names_are_read_by_username_or_full_name():
    assert rules.mentioned_names("@supervisor 请看，@投诉专员陈刚。也请 @supervisor") == ["supervisor", "投诉专员陈刚"]


def test_a_mention_notifies_the_colleague_named_and_the_author_follows(world, case):
    note, mentioned = notes.note_add(
        actor=world.handler, case=case, body="客户情绪激动，@supervisor 请关注；@投诉专员陈刚 明早回电。"
    )
    assert {u.username for u in mentioned} == {"supervisor", "handler2"}
    assert set(Notification.objects.values_list("user__username", "kind")) == {
        ("supervisor", "mention"),
        ("handler2", "mention"),
    }
    assert Follower.objects.filter(case=case, user=world.handler).exists()
    assert TimelineEntry.objects.filter(case=case, kind="note", data__note=note.pk).exists()
    assert AuditEntry.objects.filter(action="note.add").count() == 1


def test_a_colleague_outside_the_cases_scope_is_not_told(world, case):
    _note, mentioned = notes.note_add(actor=world.handler, case=case, body="@bj_handler 你们那边有类似的吗？")
    assert mentioned == [] and not Notification.objects.exists()


def test_followers_hear_of_notes_and_the_owner_of_the_customers_messages(world, case):
    notes.case_follow(actor=world.supervisor, case=case, follow=True)
    notes.note_add(actor=world.handler, case=case, body="已约定明早回电。")
    assert list(Notification.objects.values_list("user__username", "kind")) == [("supervisor", "note")]
    Notification.objects.all().delete()
    message_receive(actor=None, case=case, channel="portal", body="我补充一张照片。")
    told = set(Notification.objects.values_list("user__username", "kind"))
    assert told == {("supervisor", "message"), ("handler", "message")}
    notes.case_follow(actor=world.supervisor, case=case, follow=False)
    assert not Follower.objects.filter(user=world.supervisor).exists()


def test_an_empty_note_is_refused(world, case):
    with pytest.raises(InvalidInput):
        notes.note_add(actor=world.handler, case=case, body="   ")


def test_notes_on_the_page_and_the_api(world, case):
    client = Client()
    client.login(username="handler", password=PASSWORD)
    answer = client.post(f"/cases/{case.pk}/notes/", {"body": "@supervisor 需要审批。"})
    assert answer.status_code == 302 and answer["Location"].endswith("#notes")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert '<span class="mention">@supervisor</span>' in page and 'id="notes"' in page
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token(world.supervisor)}"}
    listed = client.get(f"/api/v1/cases/{case.pk}/notes", **headers).json()
    assert [n["body"] for n in listed["items"]] == ["@supervisor 需要审批。"] and listed["following"] is False
    added = client.post(
        f"/api/v1/cases/{case.pk}/notes", {"body": "@handler 已批。"}, content_type="application/json", **headers
    )
    assert added.status_code == 201 and [m["username"] for m in added.json()["mentioned"]] == ["handler"]
    followed = client.post(
        f"/api/v1/cases/{case.pk}/follow", {"follow": True}, content_type="application/json", **headers
    )
    assert followed.json() == {"following": True}
    empty = client.post(f"/api/v1/cases/{case.pk}/notes", {"body": ""}, content_type="application/json", **headers)
    assert empty.status_code == 422
    other = {"HTTP_AUTHORIZATION": f"Bearer {world.token(world.beijing_handler)}"}
    assert client.get(f"/api/v1/cases/{case.pk}/notes", **other).status_code == 404
