"""What waits on me: the top bar's badge counts approvals, live alerts I own, my promises due today and unread
mentions, each linking to its list; opening a mention marks it read; the daily digest goes to those who ask."""

from datetime import timedelta

from django.core import mail
from django.test import Client

from amends.accounts.models import User
from amends.assembly.testing import PASSWORD, receive
from amends.assembly.waiting import counts, digests_send
from amends.core import clock
from amends.correspondence import notes
from amends.correspondence.models import Notification
from amends.promises.services import promise_make


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_badge_counts_what_waits_and_the_page_links_each_list(world, now):
    case = receive(world.handler, world.individual).case
    notes.note_add(actor=world.supervisor, case=case, body="@handler 请今天回电。")
    promise_make(
        actor=world.handler,
        customer_id=world.individual.pk,
        case_id=case.pk,
        text="今天下午五点前回电",
        due_at=clock.now() + timedelta(hours=2),
        channel="hotline",
        touchpoint="",
    )
    found = counts(world.handler, clock.now())
    assert found["mentions"] == 1 and found["promises"] == 1
    client = login(world.handler)
    badge = client.get("/waiting/badge/").content.decode()
    assert 'href="/waiting/"' in badge and f'<span class="count">{sum(found.values())}</span>' in badge
    page = client.get("/waiting/").content.decode()
    for link in ('href="/approvals/"', 'href="/alerts/?mine=1"', 'href="/promises/"', case.reference):
        assert link in page
    assert 'hx-get="/waiting/badge/"' in client.get("/").content.decode()  # in the top bar of every page
    notification = Notification.objects.get()
    opened = client.get(f"/waiting/{notification.pk}/")
    assert opened["Location"] == f"/cases/{case.pk}/#notes"
    assert counts(world.handler, clock.now())["mentions"] == 0


def test_the_daily_digest_goes_to_those_who_asked_and_have_something_waiting(world, now):
    case = receive(world.handler, world.individual).case
    User.objects.filter(pk=world.handler.pk).update(email="wangfang@insurer.example.cn")
    world.handler.refresh_from_db()
    client = login(world.handler)
    assert client.post("/waiting/digest/", {"digest": "daily"}).status_code == 302
    assert digests_send() == 0  # nothing waits yet
    notes.note_add(actor=world.supervisor, case=case, body="@handler 请看一下。")
    assert digests_send() == 1
    (sent,) = mail.outbox
    assert sent.to == [world.handler.email] and "1" in sent.subject
    assert digests_send() == 0  # once a day
    assert digests_send(now=clock.now() + timedelta(days=1)) == 1
    assert client.post("/waiting/digest/", {"digest": "weekly"}).status_code == 302  # refused with a message
