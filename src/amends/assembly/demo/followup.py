"""Demo follow-up: surveys sent to the cases waiting for their follow-up (some answered well, some badly, some
not at all), three complaints filed on the portal this morning, and yesterday's callback sample with a few
calls made.

Everything goes through `followup.services` with the clock frozen at each moment, after the cases and
promises are loaded. Its own random stream (`SEED + 6`), so adding it changes nothing in the cases.
Messages go where the settings send them: in the demo, to files under var/ (mail/ and sms.log), where the
survey links can be opened.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db.models import Max

from amends.accounts.models import User
from amends.core import clock
from amends.followup import links, services
from amends.followup.models import Callback, Survey
from amends.recovery.models import Case, CaseStatus

GOOD = [
    "处理得很及时，谢谢。",
    "专员态度很好，问题解决了。",
    "",
    "赔款已到账，满意。",
]
BAD = [
    "说好三天到账，现在还没到。",
    "道歉了，但问题没有解决。",
    "还是要我自己跑好几趟。",
]
PORTAL = [
    (
        "刘洋",
        "13912340001",
        "",
        "sms",
        "车辆定损后一周没有任何消息，打客服电话一直排队。",
        "请尽快安排定损结果并告诉我赔付时间。",
    ),
    (
        "黄丽",
        "",
        "huangli@example.cn",
        "email",
        "续保时保费比去年贵了很多，业务员解释不清楚。",
        "请说明涨价原因，并按规定重新核算。",
    ),
    ("郑凯", "13912340003", "", "phone", "退保申请提交半个月了还没有到账，也没人联系我。", "尽快办理退保到账。"),
]


def seed_followup(*, seed: int, staff: dict[str, User], today: datetime) -> dict[str, int]:
    rng = random.Random(seed)
    counts = {"surveys": 0, "answered": 0, "portal": 0, "callbacks": 0}
    counts.update(_surveys(rng, today))
    counts["portal"] = _portal(today)
    counts["callbacks"] = _callbacks(rng, staff, today)
    return counts


def _surveys(rng: random.Random, today: datetime) -> dict[str, int]:
    waiting = (
        Case.objects.filter(status=CaseStatus.FOLLOW_UP, due_at__isnull=True)
        .annotate(last=Max("timeline__at"))
        .order_by("pk")
        .values_list("pk", "last")
    )
    sent = answered = 0
    for case_id, last in list(waiting):
        at = max(last or today, today - timedelta(days=12)) + timedelta(hours=rng.uniform(2, 20))
        if at >= today:
            continue
        with clock.frozen(at):
            if services.survey_send(case_id=case_id, now=at) != "sent":
                continue
        sent += 1
        survey = Survey.objects.get(case_id=case_id, round=Case.objects.get(pk=case_id).round)
        if rng.random() < 0.35:
            continue  # not answered (yet): reminders, then a callback, on the sweep below
        good = answered % 4 != 1  # one answer in four says it is not put right: the case reopens
        answer = _answer(rng, good)
        answered_at = at + timedelta(hours=rng.uniform(1, 30))
        if answered_at >= today:
            continue
        with clock.frozen(answered_at):
            services.survey_answer(token=links.survey_token(survey.pk), answer=answer)
        answered += 1
    # The worker's daily rounds: reminders, and callbacks for surveys still unanswered after the last one.
    for days in range(12, 0, -1):
        moment = today - timedelta(days=days) + timedelta(hours=9)
        with clock.frozen(moment):
            services.surveys_chase(now=moment)
    return {"surveys": sent, "answered": answered}


def _answer(rng: random.Random, good: bool) -> dict:
    if good:
        score = lambda: rng.choice((4, 4, 5, 5, 3))  # noqa: E731
        return {
            "solved": True,
            "satisfaction": score(),
            "reliability": score(),
            "responsiveness": score(),
            "competence": score(),
            "attitude": score(),
            "standards": score(),
            "renew": rng.randint(7, 10),
            "recommend": rng.randint(6, 10),
            "comment": rng.choice(GOOD),
        }
    return {
        "solved": rng.random() < 0.3,
        "satisfaction": rng.choice((1, 2, 2)),
        "reliability": rng.choice((1, 2)),
        "responsiveness": rng.choice((1, 2, 3)),
        "attitude": rng.choice((2, 3, 4)),
        "renew": rng.randint(0, 5),
        "recommend": rng.randint(0, 4),
        "comment": rng.choice(BAD),
    }


def _portal(today: datetime) -> int:
    for i, (name, phone, email, pref, description, request) in enumerate(PORTAL):
        at = today - timedelta(hours=14 - 3 * i)
        with clock.frozen(at):
            services.portal_submit(
                data=services.PortalInput(
                    name=name,
                    phone=phone,
                    email=email,
                    contact_preference=pref,
                    description=description,
                    request=request,
                    language="zh-hans",
                ),
                client_address=f"198.51.100.{10 + i}",
                idempotency_key=f"demo-portal-{i}",
            )
    return len(PORTAL)


def _callbacks(rng: random.Random, staff: dict[str, User], today: datetime) -> int:
    morning = today - timedelta(hours=16)  # yesterday, 08:00
    with clock.frozen(morning):
        sampled = services.callbacks_sample(now=morning, seed="demo", rates={"default": 0.4})
    caller = staff["handler"]
    from amends.accounts.access import in_scope

    mine = [c for c in sampled if in_scope(caller, c.org_unit_id)]
    outcomes = ["reached_good", "reached_good", "reached_bad", "no_answer", "wrong_number"]
    for i, (callback, what) in enumerate(zip(mine, outcomes, strict=False)):
        with clock.frozen(morning + timedelta(hours=2 + i)):
            if what.startswith("reached"):
                services.callback_record(
                    actor=caller,
                    callback_id=callback.pk,
                    outcome="reached",
                    answer=_answer(rng, what == "reached_good"),
                    note="",
                )
            else:
                services.callback_record(actor=caller, callback_id=callback.pk, outcome=what, note="")
    return Callback.objects.count()
