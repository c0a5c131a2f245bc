"""The promises panel of the case page, the kept-rate hint, and the promises page, through the test client."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amends.assembly.testing import PASSWORD, receive
from amends.core import clock
from amends.promises import services
from amends.promises.models import Promise, PromiseRevision


@pytest.fixture
def client_(client, world):
    client.cookies["django_language"] = "en"
    assert client.login(username="handler", password=PASSWORD)
    return client


@pytest.fixture
def case(world, now):
    return receive(world.handler, world.individual).case


def local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def make(world, case, due_at, **kw):
    return services.promise_make(
        actor=world.handler,
        customer_id=world.individual.pk,
        case_id=case.pk if case else None,
        text=kw.pop("text", "定损员明天上午9点到现场"),
        due_at=due_at,
        channel="hotline",
        touchpoint=kw.pop("touchpoint", "auto_claim.salvage"),
        **kw,
    )


def test_a_promise_made_on_the_case_page_is_listed(client_, world, case, now):
    page = client_.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Make a promise" in html and 'type="datetime-local"' in html
    assert 'value="hotline" selected' in html and 'value="auto_claim.salvage" selected' in html

    due = now + timedelta(hours=23)
    answer = client_.post(
        f"/cases/{case.pk}/promises/",
        {
            "text": "明天上午9点前回电告知定损结果",
            "due_at": local(due),
            "channel": "hotline",
            "touchpoint": "auto_claim.salvage",
        },
        follow=True,
    )
    assert answer.status_code == 200
    promise = Promise.objects.get()
    assert (promise.due_at, promise.case_id, promise.touchpoint.code) == (due, case.pk, "auto_claim.salvage")
    html = answer.content.decode()
    assert "Promise recorded" in html and "明天上午9点前回电告知定损结果" in html
    assert f'id="promise-{promise.pk}"' in html and "Renegotiate the due time" in html


def test_a_promise_in_the_past_is_refused_on_the_form(client_, world, case, now):
    answer = client_.post(
        f"/cases/{case.pk}/promises/",
        {"text": "马上回电", "due_at": local(now - timedelta(hours=1)), "channel": "hotline", "touchpoint": ""},
    )
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "A promise is due in the future." in html and "马上回电" in html
    assert not Promise.objects.exists()


def test_renegotiation_without_consent_is_refused_and_writes_nothing(client_, world, case, now):
    promise = make(world, case, now + timedelta(hours=23))
    answer = client_.post(
        f"/cases/{case.pk}/promises/{promise.pk}/settle/",
        {"outcome": "renegotiated", "new_due_at": local(now + timedelta(days=2)), "version": promise.version},
    )
    assert answer.status_code == 422
    assert "A new due time needs the customer&#x27;s consent." in answer.content.decode()
    promise.refresh_from_db()
    assert (promise.status, promise.due_at, promise.renegotiations) == ("open", now + timedelta(hours=23), 0)
    assert PromiseRevision.objects.filter(promise=promise).count() == 1


def test_renegotiation_with_consent_and_kept(client_, world, case, now):
    promise = make(world, case, now + timedelta(hours=23))
    new_due = now + timedelta(days=2)
    answer = client_.post(
        f"/cases/{case.pk}/promises/{promise.pk}/settle/",
        {
            "outcome": "renegotiated",
            "new_due_at": local(new_due),
            "customer_consent": "on",
            "version": promise.version,
        },
        follow=True,
    )
    assert "renegotiated 1×" in answer.content.decode()
    promise.refresh_from_db()
    assert (promise.due_at, promise.renegotiations) == (new_due, 1)
    stale = client_.post(f"/cases/{case.pk}/promises/{promise.pk}/settle/", {"outcome": "kept", "version": 1})
    assert stale.status_code == 409
    client_.post(f"/cases/{case.pk}/promises/{promise.pk}/settle/", {"outcome": "kept", "version": promise.version})
    promise.refresh_from_db()
    assert promise.status == "kept"


def test_the_hint_shows_the_kept_rate_of_similar_promises(client_, world, case, now):
    for days, kept in [(d, d != 15) for d in range(10, 20)]:
        made = now - timedelta(days=days)
        with clock.frozen(made):
            promise = make(world, None, made + timedelta(hours=23))
        with clock.frozen(made + timedelta(hours=4 if kept else 30)):
            services.promise_settle(actor=world.handler, promise_id=promise.pk, outcome="kept" if kept else "broken")
    answer = client_.get(
        "/promises/hint/", {"touchpoint": "auto_claim.salvage", "due_at": local(now + timedelta(hours=23))}
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Similar promises by your unit in the last 90 days: 10, kept 90%" in html
    assert "a due time of 11-02 14:00 would have been kept 90% of the time" in html

    few = client_.get(
        "/promises/hint/", {"touchpoint": "auto_claim.assessment", "due_at": local(now + timedelta(hours=23))}
    )
    assert "not enough history yet (0 similar)" in few.content.decode()


def test_the_promises_page_lists_a_promise_due_today(client_, world, case, now):
    make(world, case, now + timedelta(hours=3), text="下午一点前回电")
    make(world, case, now + timedelta(days=3), text="三天后寄出函件")
    page = client_.get("/promises/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "My promises due today" in html and "下午一点前回电" in html
    assert "三天后寄出函件" not in html
    assert "Kept rate by touchpoint" in html and "Kept rate by unit" in html


class TestCustomerPage:
    def test_a_promise_made_on_the_customer_page_is_listed_there(self, client_, world, now):
        url = f"/customers/{world.individual.pk}/"
        assert b"Make a promise" in client_.get(url).content
        response = client_.post(
            f"{url}promises/",
            {
                "text": "下周一前寄回体检报告原件",
                "due_at": local(now + timedelta(days=3)),
                "channel": "counter",
                "touchpoint": "",
            },
        )
        assert response.status_code == 302
        promise = Promise.objects.get()
        assert (promise.customer, promise.case, promise.channel) == (world.individual, None, "counter")
        assert "下周一前寄回体检报告原件" in client_.get(url).content.decode()

    def test_a_refused_promise_keeps_what_was_typed(self, client_, world, now):
        response = client_.post(
            f"/customers/{world.individual.pk}/promises/",
            {"text": "回电说明扣款原因", "due_at": local(now - timedelta(hours=1)), "channel": "hotline"},
        )
        assert response.status_code == 422
        body = response.content.decode()
        assert "回电说明扣款原因" in body and "A promise is due in the future." in body
        assert not Promise.objects.exists()

    def test_another_branchs_customer_is_404(self, client_, world, now):
        response = client_.post(
            f"/customers/{world.beijing_customer.pk}/promises/",
            {"text": "x", "due_at": local(now + timedelta(days=1)), "channel": "hotline"},
        )
        assert response.status_code == 404
