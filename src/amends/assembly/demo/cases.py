"""The demo's case histories, planned as scripts of service calls at relative times.

Each case gets a scenario: the state it must be in *today* (just received, recovering, due soon, overdue,
extended, awaiting follow-up, closed, reopened…). Its script is a list of actions — receive a complaint,
record a step, decide, extend, follow up — at minutes since the plan's epoch, midnight `EPOCH_DAYS`
before today. Planning is pure and draws only from the seeded random stream, never from the date, so
every run gives the same cases; `replay` turns the minutes into datetimes and calls the services.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

from django.conf import settings

from amends.text.corpus import CLAIMS, SERVICE, TouchpointText

from . import notes
from .org import nearest, province_of
from .people import COMPANIES, CustomerPlan

EPOCH_DAYS = 400
DAY = 1440
NOW_T = EPOCH_DAYS * DAY  # midnight at the start of the demo's today
TOUCHPOINTS: dict[str, TouchpointText] = {**CLAIMS, **SERVICE}
# Touchpoints where the person at the counter or on the phone can put things right there and then.
ON_THE_SPOT_TOUCHPOINTS = (
    "auto_claim.documents",
    "auto_claim.report",
    "health_claim.documents",
    "renewal.notice",
    "renewal.quote",
    "sale.delivery",
)
CHANNELS = (
    ("hotline", 38),
    ("counter", 12),
    ("app", 12),
    ("portal", 7),
    ("email", 4),
    ("letter", 2),
    ("regulator", 9),
    ("social", 4),
    ("staff", 3),
    ("survey", 4),
    ("callback", 3),
    ("warning", 2),
)
FRONTLINE_AT = {"GD-SZ-NS": "frontline", "GD-SZ-FT": "ft_frontline", "GD-GZ-TH": "th_frontline",
                "BJ-CY-WJ": "wj_frontline", "JS-NJ-XJK": "xjk_frontline", "SC-CD-JJ": "jj_frontline"}  # fmt: skip
PROVINCE_HOTLINE = {"GD": "gd_hotline", "BJ": "bj_hotline", "JS": "js_hotline", "SC": "sc_hotline"}

# scenario: (weight, youngest and oldest age in days of the first complaint). The overdue ones are old enough
# to be overdue on any day the demo loads: a period ending in a holiday (春节, 国庆) rolls on by up to 9 days.
SCENARIOS: dict[str, tuple[int, int, int]] = {
    "new": (8, 1, 2),
    "started": (12, 2, 10),
    "due_soon": (5, 12, 14),
    "overdue": (6, 26, 40),
    "extended": (4, 16, 28),
    "extended_overdue": (2, 41, 46),
    "extension_pending": (2, 26, 29),
    "extension_approved": (2, 35, 55),
    "follow_up": (10, 4, 25),
    "follow_up_attempt": (3, 6, 25),
    "closed": (28, 20, 360),
    "closed_late": (3, 40, 360),
    "unreachable": (4, 25, 300),
    "reopened": (4, 14, 60),
    "reopened_closed": (3, 40, 300),
    "on_the_spot": (3, 1, 6),
    "on_the_spot_closed": (4, 10, 300),
}


@dataclass(frozen=True)
class Action:
    t: int  # minutes since the epoch
    kind: str  # receive | assign | step | on_the_spot | decide | extend | extension_decide
    args: dict


@dataclass
class CasePlan:
    key: str
    scenario: str
    customer: int  # index into the customer plan
    touchpoint: str
    policy: int | None  # index into the customer's policies
    claim_seq: int | None
    t0: int
    actions: list[Action] = field(default_factory=list)


def working(rng: random.Random, t: int) -> int:
    """Move a time into staff hours (08:30–18:30): staff do not record steps at three in the morning."""
    minute = t % DAY
    if minute < 510:
        return t - minute + 510 + rng.randrange(0, 90)
    if minute > 1110:
        return t - minute + DAY + 510 + rng.randrange(0, 90)
    return t


def receiver(channel: str, unit: str) -> str:
    """Who records a complaint arriving on `channel` for a customer served by `unit`."""
    if channel in {"counter", "staff"} and unit in FRONTLINE_AT:
        return FRONTLINE_AT[unit]
    if channel in {"regulator", "letter", "counter"}:
        return nearest(unit, "handler")
    return PROVINCE_HOTLINE[province_of(unit)]


class Script:
    """Builds one case's actions; `t` moves forward as actions are added."""

    def __init__(self, rng: random.Random, plan: CasePlan, customer: CustomerPlan):
        self.rng, self.plan, self.customer, self.t = rng, plan, customer, plan.t0
        self.fill = {"title": customer.title, "touch": ""}

    def add(self, kind: str, **args: object) -> None:
        self.plan.actions.append(Action(self.t, kind, args))

    def wait(self, low: int, high: int) -> None:
        self.t = working(self.rng, self.t + self.rng.randint(low, high))

    def note(self, choices: tuple[str, ...]) -> str:
        return self.rng.choice(choices).format(**self.fill)

    def step(self, step: str, text: str, **args: object) -> None:
        self.add("step", actor="owner", step=step, note=text, **args)

    def apology(self, *, first: bool = True) -> None:
        self.wait(20, 240) if first else self.wait(10, 120)
        self.step("apology", self.note(notes.APOLOGY))

    def rest_of_round(self, fixes: tuple[str, ...]) -> None:
        """Fix, empathy and atonement: the steps between the apology and the follow-up, in their order."""
        self.fix(fixes)
        self.wait(5, 90)
        self.step("empathy", self.note(notes.EMPATHY))
        self.wait(60, 3 * DAY)
        if self.rng.random() < 0.2:
            self.add("step", actor="owner", step="atonement", skipped_reason=self.note(notes.ATONEMENT_SKIPPED))
        else:
            self.step("atonement", self.note(notes.ATONEMENT))

    def fix(self, fixes: tuple[str, ...]) -> None:
        if self.rng.random() < 0.12:
            self.wait(5, 30)
            self.add("step", actor="owner", step="fix", skipped_reason=self.note(notes.FIX_SKIPPED))
        else:
            self.wait(30, 2 * DAY)
            self.step("fix", self.note(fixes))

    def decide(self, low: int = 30, high: int = 3 * DAY, actor: str = "owner") -> None:
        self.wait(low, high)
        self.add("decide", actor=actor, text=self.note(notes.DECISIONS))

    def follow_up(self, outcome: str, low: int = DAY, high: int = 7 * DAY) -> None:
        self.wait(low, high)
        texts = {
            "recovered": notes.FOLLOW_UP_RECOVERED,
            "not_recovered": notes.FOLLOW_UP_NOT_RECOVERED,
            "unreachable": notes.FOLLOW_UP_UNREACHABLE,
        }[outcome]
        self.step("follow_up", self.note(texts), outcome=outcome)

    def extend(self, level: int, at_day: tuple[int, int]) -> None:
        self.t = max(self.t, working(self.rng, self.plan.t0 + self.rng.randint(*at_day) * DAY))
        reasons = notes.EXTENSION_LEVEL_1 if level == 1 else notes.EXTENSION_LEVEL_2
        self.add("extend", actor="owner", level=level, reason=self.rng.choice(reasons))

    def maybe_join(self, unit: str, probability: float = 0.06) -> None:
        if self.rng.random() >= probability:
            return
        self.wait(DAY, 3 * DAY)
        channel = self.rng.choice(("regulator", "hotline", "social"))
        days = max(1, (self.t - self.plan.t0) // DAY)
        description, request = self.rng.choice(notes.JOINED)
        if channel == "regulator":
            description = notes.REGULATOR_PREFIX + description
        self.add(
            "receive",
            actor=receiver(channel, unit),
            channel=channel,
            description=description.format(days=days),
            request=request,
            loss=None,
        )


def _script(rng: random.Random, plan: CasePlan, customer: CustomerPlan, touch_name: str) -> None:
    s = Script(rng, plan, customer)
    s.fill["touch"] = touch_name
    tp = TOUCHPOINTS[plan.touchpoint]
    scenario = plan.scenario
    first = plan.actions[0]
    if scenario.startswith("on_the_spot"):
        # Inside the encounter itself: minutes later, whatever the hour, by the person who took the complaint.
        s.t += rng.randint(5, 20)
        spot = {k: v.format(**s.fill) for k, v in notes.ON_THE_SPOT[first.args["channel"]].items()}
        spot["fix"] = "当场处理：" + s.note(tp.fixes)
        s.add("on_the_spot", actor=first.args["actor"], notes=spot)
        s.t += rng.randint(3, 10)
        s.add("decide", actor=first.args["actor"], text=spot["decision"])
        if scenario == "on_the_spot_closed":
            s.follow_up("recovered", 2 * DAY, 6 * DAY)
        return
    if scenario == "new":
        return
    s.apology()
    extending = scenario in {"extended", "extended_overdue", "extension_pending", "extension_approved"}
    if not extending:
        # A second complaint on the same claim joins the case; extension scenarios stay single so their
        # deadline is the extended one.
        s.maybe_join(customer.unit)
    if scenario in {"started", "due_soon"}:
        if rng.random() < 0.6:
            s.fix(tp.fixes)
        return
    if scenario == "overdue":
        return
    if extending:
        s.fix(tp.fixes)
        s.extend(1, (8, 12))
        if scenario == "extension_pending":
            s.t = max(s.t, NOW_T - DAY + rng.randint(600, 1000))  # yesterday, during the day
            s.add("extend", actor="owner", level=2, reason=rng.choice(notes.EXTENSION_LEVEL_2))
        elif scenario == "extension_approved":
            s.extend(2, (24, 27))
            s.wait(60, DAY)
            # The measure: a further extension is approved by the superior institution or head-office seniors.
            s.add("extension_decide", actor="ho_senior", approve=True, note=notes.EXTENSION_APPROVED)
        return
    # The rest complete a first round and tell the customer the decision.
    s.rest_of_round(tp.fixes)
    if scenario == "closed_late":
        s.t = max(s.t, plan.t0 + 15 * DAY)  # the decision reaches the customer after the 15 days
        s.decide(DAY, 6 * DAY)
    else:
        s.decide()
    if scenario == "follow_up":
        return
    if scenario == "follow_up_attempt":
        s.follow_up("unreachable")
    elif scenario in {"closed", "closed_late"}:
        s.follow_up("recovered")
    elif scenario == "unreachable":
        s.follow_up("unreachable")
        for _ in range(settings.AMENDS_FOLLOW_UP_MAX_ATTEMPTS - 1):
            s.follow_up("unreachable", 240, DAY)
    elif scenario == "reopened":
        s.follow_up("not_recovered")
        s.apology(first=False)
        if rng.random() < 0.5:
            s.fix(notes.ROUND_2_FIX)
    elif scenario == "reopened_closed":
        s.follow_up("not_recovered")
        s.apology(first=False)
        s.rest_of_round(notes.ROUND_2_FIX)
        s.follow_up("recovered", 2 * DAY, 7 * DAY)


def fit(plan: CasePlan) -> None:
    """Squeeze a script that would run past today into the time it has, keeping its order. It then ends
    yesterday between 13:00 and 19:00 (spread by the case's key), never at the same minute for every case."""
    horizon = max(plan.t0 + 30, NOW_T - 300 - zlib.crc32(plan.key.encode()) % 360)
    last = plan.actions[-1].t
    if last <= horizon or last == plan.t0:
        return
    scale = (horizon - plan.t0) / (last - plan.t0)
    plan.actions[:] = [Action(plan.t0 + int((a.t - plan.t0) * scale), a.kind, a.args) for a in plan.actions]


def _scenarios(rng: random.Random, count: int) -> list[str]:
    """Every scenario at least once, the rest by weight: a small demo still has every state."""
    names = list(SCENARIOS)
    chosen = names[: min(count, len(names))]
    chosen += rng.choices(names, weights=[SCENARIOS[n][0] for n in names], k=max(0, count - len(names)))
    return chosen


def _touchpoint(rng: random.Random, customer: CustomerPlan, scenario: str, repeat: bool) -> tuple[str, int]:
    lines = [p.line for p in customer.policies]
    pool = ON_THE_SPOT_TOUCHPOINTS if scenario.startswith("on_the_spot") else tuple(TOUCHPOINTS)
    fits = [c for c in pool if set(TOUCHPOINTS[c].lines) & set(lines) and (not repeat or TOUCHPOINTS[c].claim)]
    if not fits:
        fits = [c for c in TOUCHPOINTS if set(TOUCHPOINTS[c].lines) & set(lines)]
    code = rng.choices(fits, weights=[TOUCHPOINTS[c].weight for c in fits])[0]
    policy = rng.choice([i for i, line in enumerate(lines) if line in TOUCHPOINTS[code].lines])
    return code, policy


def plan_cases(
    rng: random.Random, customers: list[CustomerPlan], count: int, touch_names: dict[str, str]
) -> list[CasePlan]:
    """`count` random cases in the order their first complaint arrives; claim numbers 1…n are theirs."""
    plans = []
    for i, scenario in enumerate(_scenarios(rng, count)):
        _, youngest, oldest = SCENARIOS[scenario]
        age = rng.randint(youngest, oldest)
        minute = rng.choice((rng.randint(510, 720), rng.randint(720, 1080), rng.randint(1080, 1290)))
        plans.append(CasePlan(f"R{i:04d}", scenario, -1, "", None, None, (EPOCH_DAYS - age) * DAY + minute))
    plans.sort(key=lambda p: (p.t0, p.key))

    pool = list(range(len(customers)))
    rng.shuffle(pool)
    reserved = {1, 2, 3}  # the seed stories' customers keep to their own stories
    pool = [c for c in pool if c not in reserved]
    claim_lines = {"auto", "health", "accident"}
    claim_seq = 0
    for plan in plans:
        repeat = False
        earlier = [p for p in plans if p.customer >= 0 and 2 * DAY <= plan.t0 - p.t0 <= 80 * DAY]
        if earlier and rng.random() < 0.08:
            prior = rng.choice(earlier)
            if {p.line for p in customers[prior.customer].policies} & claim_lines:
                plan.customer, repeat = prior.customer, True
        if not repeat:
            plan.customer = pool.pop() if pool else rng.choice(range(len(customers)))
        customer = customers[plan.customer]
        plan.touchpoint, plan.policy = _touchpoint(rng, customer, plan.scenario, repeat)
        tp = TOUCHPOINTS[plan.touchpoint]
        if tp.claim:
            claim_seq += 1
            plan.claim_seq = claim_seq
        if plan.scenario.startswith("on_the_spot"):
            channel = "counter" if customer.unit in FRONTLINE_AT else "hotline"
        else:
            channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
        if channel in {"counter", "staff"} and not 540 <= plan.t0 % DAY <= 1020:
            # Counters are open 09:00–17:00: move the visit into opening hours, same day.
            plan.t0 = plan.t0 - plan.t0 % DAY + 540 + (plan.t0 % DAY * 7) % 480
        said = tp.complaints + (tp.by_companies if customer.segment in COMPANIES else ())
        description, request = rng.choice(said)
        loss = rng.randint(*tp.loss) if tp.loss[1] and rng.random() < 0.8 else None
        if loss and loss > 1000:
            loss = round(loss, -1)
        description = description.format(amount=f"{loss or 300:,}", days=rng.randint(8, 25))
        if rng.random() < 0.1:
            description += rng.choice(notes.ESCALATIONS)
        if channel == "regulator":
            description = notes.REGULATOR_PREFIX + description
        plan.actions.append(
            Action(
                plan.t0,
                "receive",
                {
                    "actor": receiver(channel, customer.unit),
                    "channel": channel,
                    "description": description,
                    "request": request,
                    "loss": loss,
                    "confirmed": rng.random() < 0.85,
                },
            )
        )
        _script(rng, plan, customer, touch_names.get(plan.touchpoint, plan.touchpoint))
        fit(plan)
    return plans
