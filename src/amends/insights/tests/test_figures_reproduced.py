"""Each report's figures computed again in plain Python from the rows the services wrote (`story`), and
compared: the SQL over facts and this independent reading must agree, on SQLite and PostgreSQL alike."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.customers.models import Policy, ProductLine
from amends.insights import facts, queries
from amends.intake.models import Complaint, ComplaintReason, Pause, Review
from amends.recovery.models import CaseStep, Failure
from amends.text import services as text
from amends.text.models import ComplaintCode

from . import story
from .story import PERIOD


@pytest.fixture
def built(world, now):
    return story.build(world)


def run(world, name, **params):
    return queries.run(world.admin, name, {**PERIOD, **params})


def in_period(day: date) -> bool:
    return date.fromisoformat(PERIOD["since"]) <= day <= date.fromisoformat(PERIOD["until"])


def local_day(moment) -> date:
    return timezone.localtime(moment).date()


def rate(part, whole, digits=4):
    return round(part / whole, digits) if whole else None


def test_recovery_counts_every_round_s_outcome(world, built):
    steps = [s for s in CaseStep.objects.filter(step="follow_up", skipped=False) if in_period(local_day(s.at))]
    outcomes = Counter(s.outcome for s in steps)
    expected = {
        "follow_ups": len(steps),
        "recovered": outcomes["recovered"],
        "not_recovered": outcomes["not_recovered"],
        "unreachable": outcomes["unreachable"],
        "recovery_rate": rate(outcomes["recovered"], outcomes["recovered"] + outcomes["not_recovered"]),
    }
    totals = run(world, "recovery").section("trend").totals
    assert totals == expected
    # The story's own count: 4 reopened rounds, 6 recovered, 1 unreachable (closed after three attempts).
    assert (totals["not_recovered"], totals["recovered"], totals["unreachable"]) == (4, 6, 1)


LIMITS = (15, 30, 60)


def quantile(values, q):
    """Linear interpolation between the nearest ranks (NumPy's default), written out."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 2)


def expected_timeliness(complaints, now):
    """From the rows: a withdrawn complaint is not decided and not due; the days each pause left out (its own
    row's `days`) are taken off the time to decide; reviews are read from their rows."""
    paused = Counter()
    for p in Pause.objects.all():
        paused[p.complaint_id] += p.days
    reviews = {r.complaint_id: r for r in Review.objects.all()}
    received = [c for c in complaints if in_period(local_day(c.received_at))]
    decided = [c for c in received if c.decided_at is not None and c.withdrawn_at is None]
    seconds = {c.pk: (c.decided_at - c.received_at).total_seconds() - paused[c.pk] * 86400 for c in decided}
    days = [(local_day(c.decided_at) - local_day(c.received_at)).days - paused[c.pk] for c in decided]
    due = [
        c
        for c in complaints
        if in_period(local_day(c.due_at)) and c.withdrawn_at is None and (c.decided_at is not None or c.due_at < now)
    ]
    asked = [reviews[c.pk] for c in received if c.pk in reviews]
    reviewed = [r for r in asked if r.decided_at is not None]
    out = {
        "received": len(received),
        "decided": len(decided),
        "undecided_overdue": sum(1 for c in received if c.decided_at is None and c.due_at < now),
        "median_days": quantile(days, 0.5),
        "p90_days": quantile(days, 0.9),
        "resolution_days": round(sum(seconds.values()) / len(decided) / 86400, 2) if decided else None,
        "due": len(due),
        "withdrawn": sum(1 for c in received if c.withdrawn_at is not None),
        "reviews": len(asked),
        "reviews_decided": len(reviewed),
        "reviews_on_time": sum(1 for r in reviewed if r.decided_at <= r.due_at),
        "review_on_time_share": rate(sum(1 for r in reviewed if r.decided_at <= r.due_at), len(reviewed)),
        "reviews_overdue": sum(1 for r in asked if r.decided_at is None and r.due_at < now),
        "review_days": (
            round(sum((r.decided_at - r.requested_at).total_seconds() for r in reviewed) / len(reviewed) / 86400, 2)
            if reviewed
            else None
        ),
    }
    for n in LIMITS:
        out[f"within_{n}"] = sum(1 for c in decided if seconds[c.pk] <= n * 86400)
        out[f"share_{n}"] = rate(out[f"within_{n}"], len(decided))
        out[f"due_within_{n}"] = sum(
            1
            for c in due
            if c.decided_at is not None
            and (c.decided_at - c.received_at).total_seconds() - paused[c.pk] * 86400 <= n * 86400
        )
        out[f"due_share_{n}"] = rate(out[f"due_within_{n}"], len(due))
    return out


def test_timeliness_on_the_decided_and_the_due_basis(world, built, now):
    complaints = list(Complaint.objects.all())
    totals = run(world, "timeliness").section("trend").totals
    expected = expected_timeliness(complaints, now)
    assert {k: totals[k] for k in expected} == expected
    # By hand: 7 decided of 9 received; within 15 days: 3, 12.5, 1, 14.9 (≤ 15 × 24 h) and 6 days → 5 of 7.
    assert (totals["decided"], totals["within_15"], totals["share_15"]) == (7, 5, round(5 / 7, 4))
    # Due in Sept–Oct: all but the one received 10-25 (due 11-09); the 10-10 one is late, undecided.
    assert totals["due"] == 8 and totals["due_within_15"] == 5
    trend = {r["period"]: r for r in run(world, "timeliness").section("trend").rows}
    for month in ("2026-09", "2026-10"):
        in_month = [c for c in complaints if local_day(c.received_at).strftime("%Y-%m") == month]
        decided = [(local_day(c.decided_at) - local_day(c.received_at)).days for c in in_month if c.decided_at]
        assert (trend[month]["median_days"], trend[month]["p90_days"]) == (
            quantile(decided, 0.5),
            quantile(decided, 0.9),
        )


def _procedures(world) -> dict[str, Complaint]:
    """Four more complaints in the period, through the services: one paused 8 days for an appraisal and decided
    20 days after receipt (12 once the pause is left out), one withdrawn the next day, one whose review was
    decided in its period and one whose review is still open past its deadline."""
    from amends.assembly.testing import at, receive
    from amends.core import clock
    from amends.intake import services as intake

    handler, customer = world.handler, world.individual

    def decide(c, when, result="not_upheld"):
        with clock.frozen(at(when)):
            intake.complaint_decide(
                actor=handler, complaint_id=c.pk, decision="不支持。", result=result, facts="事实", reasons="依据"
            )

    out = {}
    with clock.frozen(at("2026-10-05 10:00")):
        out["paused"] = receive(handler, customer)
    with clock.frozen(at("2026-10-06 09:00")):
        intake.complaint_pause(actor=handler, complaint_id=out["paused"].pk, reason="车损鉴定")
    with clock.frozen(at("2026-10-14 09:00")):
        intake.complaint_resume(actor=handler, complaint_id=out["paused"].pk)
    decide(out["paused"], "2026-10-25 11:00")
    with clock.frozen(at("2026-10-08 10:00")):
        out["withdrawn"] = receive(handler, customer)
    with clock.frozen(at("2026-10-09 10:00")):
        intake.complaint_withdraw(actor=handler, complaint_id=out["withdrawn"].pk, reason="已协商解决")
    for name, received, decided, asked, review_decided in (
        ("reviewed", "2026-09-10 10:00", "2026-09-15 10:00", "2026-09-20 10:00", "2026-09-30 10:00"),
        ("review_open", "2026-09-12 10:00", "2026-09-14 10:00", "2026-09-16 10:00", None),
    ):
        with clock.frozen(at(received)):
            out[name] = receive(handler, customer)
        decide(out[name], decided)
        with clock.frozen(at(asked)):
            review = intake.review_request(actor=handler, complaint_id=out[name].pk, grounds="不服")
        if review_decided:
            with clock.frozen(at(review_decided)):
                intake.review_decide(actor=world.senior, review_id=review.pk, outcome="confirmed", decision="维持")
    return out


def test_timeliness_and_regulator_leave_out_pauses_and_withdrawals_and_count_reviews(world, built, now):
    added = _procedures(world)
    complaints = list(Complaint.objects.all())
    expected = expected_timeliness(complaints, now)
    totals = run(world, "timeliness").section("trend").totals
    assert {k: totals[k] for k in expected} == expected
    # By hand: the story's 7 decided and 9 received, with the four added: 10 decided (not the withdrawn one),
    # 13 received, 1 withdrawn; the paused one decided within 15 days once its 8 paused days are left out.
    assert (totals["received"], totals["decided"], totals["withdrawn"]) == (13, 10, 1)
    assert Pause.objects.get(complaint=added["paused"]).days == 8
    assert totals["within_15"] == 5 + 3  # the paused one (12 days), the two reviewed ones (5 and 2 days)
    assert (totals["reviews"], totals["reviews_decided"], totals["reviews_on_time"], totals["reviews_overdue"]) == (
        2,
        1,
        1,
        1,
    )
    assert totals["review_days"] == 10.0
    regulator = run(world, "regulator").section("by_category").totals
    for key in ("received", "decided", "due", "withdrawn", "reviews", "reviews_on_time", "share_15", "due_share_15"):
        assert regulator[key] == expected[key], key


def test_regulator_and_volume_carry_the_outcome(world, built, now):
    complaints = [c for c in Complaint.objects.all() if in_period(local_day(c.received_at))]
    decided = [c for c in complaints if c.decided_at is not None]
    upheld = sum(1 for c in complaints if c.result in ("upheld", "partly_upheld"))
    regulator = run(world, "regulator").section("by_category").totals
    assert (regulator["upheld"], regulator["upheld_share"]) == (upheld, rate(upheld, len(decided)))
    expected = expected_timeliness(list(Complaint.objects.all()), now)
    for key in ("received", "decided", "due", *[f"{p}_{n}" for n in LIMITS for p in ("share", "due_share")]):
        assert regulator[key] == expected[key], key
    volume = run(world, "volume").section("trend").totals
    assert (volume["upheld"], volume["upheld_share"]) == (upheld, rate(upheld, len(decided)))
    assert upheld == 4  # upheld ×3 and partly upheld ×1 (one decision recorded no result)


def _more_policies(world):
    """Beside the world's auto policy (2026-03-01 … 2027-02-28, one insured person): a family health policy
    written in the period (three insured), a company's group accident policy written before it and in force
    (40 insured), one that ended before the period and one that starts after it (neither counts)."""
    rows = [
        ("PH-FAMILY", world.individual, "health", "2400.00", date(2026, 9, 15), date(2027, 9, 14), 3),
        ("PA-GROUP", world.key_account, "accident", "18000.00", date(2026, 1, 1), date(2026, 12, 31), 40),
        ("PP-ENDED", world.online, "property", "900.00", date(2025, 6, 1), date(2026, 5, 31), 2),
        ("PP-LATER", world.online, "property", "700.00", date(2026, 11, 1), date(2027, 10, 31), 5),
    ]
    for no, customer, line, premium, start, end, insured in rows:
        Policy.objects.create(
            policy_no=no,
            customer=customer,
            line=line,
            premium=Decimal(premium),
            start_date=start,
            end_date=end,
            insured_persons=insured,
            org_unit=world.nanshan,
        )


def test_regulator_rates_per_policy_premium_and_insured_person(world, built, now):
    _more_policies(world)
    since, until = date.fromisoformat(PERIOD["since"]), date.fromisoformat(PERIOD["until"])
    policies = [p for p in Policy.objects.all() if p.start_date <= until and p.end_date >= since]
    written = sum((p.premium for p in Policy.objects.all() if since <= p.start_date <= until), Decimal("0"))
    insured = sum(p.insured_persons for p in policies)
    holders = len({p.customer_id for p in policies})
    premium = sum((p.premium for p in policies), Decimal("0"))
    received = [c for c in Complaint.objects.all() if in_period(local_day(c.received_at))]
    rows = {r["basis"]: r for r in run(world, "regulator").section("rates").rows}
    for basis, complaints in (("all", received), ("regulator", [c for c in received if c.channel == "regulator"])):
        n = len(complaints)
        got = rows[basis]
        assert (got["complaints"], got["policies"], got["customers"], got["insured"]) == (
            n,
            len(policies),
            holders,
            insured,
        )
        assert got["per_10k_policies"] == round(n * 10_000 / len(policies), 2)
        assert got["per_10k_customers"] == round(n * 10_000 / holders, 2)
        assert got["per_10k_insured"] == round(n * 10_000 / insured, 2)
        assert got["per_100m_premium"] == round(n * 100_000_000 / float(premium), 2)
        assert got["per_100m_premium_written"] == round(n * 100_000_000 / float(written), 2)
    # By hand: the auto policy (1), the family health policy (3) and the group accident policy (40) are in
    # force; 44 insured persons against 2 policyholders (张伟 holds two). Two complaints came from the regulator.
    assert (rows["all"]["insured"], rows["all"]["customers"], rows["regulator"]["complaints"]) == (44, 2, 2)
    assert rows["regulator"]["per_10k_insured"] == round(2 * 10_000 / 44, 2)


# Coded by staff on the story's complaints, in order of receipt: (reason, product line), "" left uncoded.
CODED = [("claims-delay", "commercial_property"), ("claims-amount", ""), ("sales-misleading", "")]


def test_regulator_by_reason_and_product_line_from_the_rows(world, built, now):
    complaints = sorted(Complaint.objects.select_related("policy"), key=lambda c: (c.received_at, c.pk))
    for complaint, (reason, product) in zip(complaints, CODED, strict=False):
        for field, code in (("reason", reason), ("product_line", product)):
            if code:
                text.complaint_code(actor=world.admin, complaint_id=complaint.pk, field=field, code=code, version=None)
    category_of = dict(ComplaintReason.objects.values_list("code", "category__code"))
    default = dict(ProductLine.objects.filter(default_for_line=True).values_list("line", "code"))
    codes = {(c.complaint_id, c.field): c.code for c in ComplaintCode.objects.all()}
    received = [c for c in Complaint.objects.select_related("policy") if in_period(local_day(c.received_at))]
    by_reason, by_product = Counter(), Counter()
    for c in received:
        reason = codes.get((c.pk, "reason"), "")
        by_reason[(category_of[reason] if reason else c.category or "-", reason or "-")] += 1
        line = c.line or (c.policy.line if c.policy else "")
        by_product[codes.get((c.pk, "product_line")) or default.get(line, "-")] += 1
    facts.bring_up_to_date()  # the codes' facts, written before a report runs, not part of the report itself
    with CaptureQueriesContext(connection) as queries:
        result = run(world, "regulator")
    got = {(r["category"], r["code"]): r["received"] for r in result.section("by_reason").rows if r["received"]}
    assert got == dict(by_reason)
    got = {r["code"]: r["received"] for r in result.section("by_product_line").rows if r["received"]}
    assert got == dict(by_product)
    # Coding a reason moved the complaint to its category; the taxonomy lists every reason, zeros included.
    assert Complaint.objects.get(pk=complaints[2].pk).category == "sales"
    assert len(result.section("by_reason").rows) >= ComplaintReason.objects.filter(active=True).count()
    # The story's complaints name no policy: only the one coded has a product line.
    assert by_product["-"] == len(received) - 1 and by_product["commercial_property"] == 1
    # One scan of the facts for both the received and the due basis, the reference data read once.
    scans = [q for q in queries.captured_queries if "insights_complaint_fact" in q["sql"]]
    assert len(scans) == 1
    for table in ("intake_complaintreason", "customers_productline"):
        assert sum(table in q["sql"] for q in queries.captured_queries) == 1, table


def _events(now):
    """Failures and complaints as (kind, row, at, case, touchpoint code, cause, dimension), from the rows."""
    codes = {(c.complaint_id, c.field): c.code for c in ComplaintCode.objects.all()}
    out = [
        (
            "failure",
            f.pk,
            f.occurred_at,
            f.case_id,
            f.customer_id,
            f.touchpoint.code if f.touchpoint else "",
            f.cause,
            f.dimension,
        )
        for f in Failure.objects.select_related("touchpoint")
    ]
    out += [
        (
            "complaint",
            c.pk,
            c.received_at,
            c.case_id,
            c.customer_id,
            c.touchpoint.code if c.touchpoint else "",
            codes.get((c.pk, "cause"), ""),
            codes.get((c.pk, "dimension"), ""),
        )
        for c in Complaint.objects.select_related("touchpoint")
    ]
    return out


def test_pareto_counts_failures_and_the_codes_confirmed_on_complaints(world, built, now):
    events = [e for e in _events(now) if in_period(local_day(e[2]))]
    result = run(world, "pareto")
    for section, index in (("by_touchpoint", 5), ("by_cause", 6), ("by_dimension", 7)):
        expected = Counter((e[index], e[0]) for e in events)
        got = {}
        key = section.removeprefix("by_")
        for r in result.section(section).rows:
            got[(r[key], "failure")] = r["failures"]
            got[(r[key], "complaint")] = r["complaints"]
        assert {k: v for k, v in got.items() if v} == dict(expected), section
    totals = result.section("by_cause").totals
    assert totals["complaints"] == 9 and totals["failures"] == Failure.objects.count()
    company = next(r for r in result.section("by_cause").rows if r["cause"] == "company")
    assert company["complaints"] == 2  # the two complaints staff coded as the company's doing


def test_repeat_counts_failures_and_complaints_within_the_window(world, built, now):
    window = timedelta(days=90)
    events = _events(now)

    def repeats(e):
        kind, _pk, at_, case_id, customer = e[:5]
        for o in events:
            if o[4] != customer or not (at_ - window <= o[2] < at_):
                continue
            if o[0] != kind and o[3] == case_id:  # the other kind on the same case: one episode
                continue
            return True
        return False

    in_it = [e for e in events if in_period(local_day(e[2]))]
    flagged = [e for e in in_it if repeats(e)]
    totals = run(world, "repeat").section("trend").totals
    assert totals["failures"] == sum(1 for e in in_it if e[0] == "failure")
    assert totals["complaints"] == sum(1 for e in in_it if e[0] == "complaint")
    assert totals["repeats"] == len(flagged)
    assert totals["repeat_share"] == rate(len(flagged), len(in_it))
    assert totals["repeats"] > 0


def test_gaps_count_what_staff_coded_on_failures_and_complaints(world, built, now):
    from amends.recovery import services as recovery
    from amends.text import services as text

    first, second = built.complaints[0], built.complaints[1]
    text.complaint_code(actor=world.handler, complaint_id=first.pk, field="gap", code="3", version=None)
    text.complaint_code(actor=world.handler, complaint_id=second.pk, field="gap", code="1", version=None)
    failure = Failure.objects.order_by("pk").first()
    recovery.failure_code(actor=world.handler, failure_id=failure.pk, gap=3)
    coded = {(c.complaint_id): c.code for c in ComplaintCode.objects.filter(field="gap")}
    expected = Counter()
    for c in Complaint.objects.all():
        if in_period(local_day(c.received_at)):
            expected[(coded.get(c.pk, "") or "-", "complaints")] += 1
    for f in Failure.objects.all():
        if in_period(local_day(f.occurred_at)):
            expected[(str(f.gap) if f.gap else "-", "failures")] += 1
    rows = run(world, "pareto").section("gaps").rows
    assert [r["gap"] for r in rows] == ["1", "2", "3", "4", "-"]
    got = Counter()
    for r in rows:
        for kind in ("failures", "complaints"):
            if r[kind]:
                got[(r["gap"], kind)] = r[kind]
    assert got == expected
    assert got[("3", "complaints")] == 1 and got[("1", "complaints")] == 1


def test_recovery_by_timing_with_wilson_intervals(world, built, now):
    from amends.insights.stats import wilson

    steps = [s for s in CaseStep.objects.filter(step="follow_up").select_related("case") if in_period(local_day(s.at))]
    rows = {r["timing"]: r for r in run(world, "recovery").section("by_timing").rows}
    assert list(rows) == ["immediate", "in_process", "after_process"]
    for timing, row in rows.items():
        mine = Counter(s.outcome for s in steps if s.case.timing == timing)
        reached = mine["recovered"] + mine["not_recovered"]
        ci = wilson(mine["recovered"], reached)
        assert (row["follow_ups"], row["recovered"], row["not_recovered"]) == (
            sum(mine.values()),
            mine["recovered"],
            mine["not_recovered"],
        )
        assert (row["ci_low"], row["ci_high"]) == ((round(ci[0], 4), round(ci[1], 4)) if ci else (None, None))
    assert rows["after_process"]["follow_ups"] == len(steps)  # the story records every step after the process


def test_any_span_and_yearly_buckets(world, built):
    result = queries.run(world.admin, "volume", {"since": "2016-01-01", "until": "2026-12-31", "bucket": "year"})
    trend = result.section("trend").rows
    assert [r["period"] for r in trend] == [str(y) for y in range(2016, 2027)]
    assert trend[-1]["complaints"] == Complaint.objects.count() and sum(r["complaints"] for r in trend[:-1]) == 0
    timeliness = queries.run(
        world.admin, "timeliness", {"since": "2016-01-01", "until": "2026-12-31", "bucket": "year"}
    )
    assert timeliness.section("trend").rows[-1]["decided"] == Complaint.objects.exclude(decided_at=None).count()


def test_the_texas_sample_s_confirmed_share_median_and_p90_from_its_rows(world, now, tmp_path):
    """The Texas sample through the importer; the confirmed share, median and p90 of calendar days to close
    and the 30-day share computed again from the CSV rows themselves."""
    import csv
    import gzip

    from amends.intake.importing import mapping as mappings
    from amends.intake.importing.run import complaints_import

    from .test_imported_history import TEXAS

    complaints_import(actor=world.admin, path=TEXAS, mapping=mappings.load("tx-tdi"), reject_path=tmp_path / "r.csv")
    with gzip.open(TEXAS, "rt") as f:
        rows = list(csv.DictReader(f))
    days = [(date.fromisoformat(r["closed_date"]) - date.fromisoformat(r["received_date"])).days for r in rows]
    span = {"since": min(r["received_date"] for r in rows), "until": max(r["received_date"] for r in rows)}
    totals = queries.run(world.admin, "timeliness", {**span, "bucket": "year"}).section("trend").totals
    assert (totals["received"], totals["decided"]) == (len(rows), len(rows))
    assert (totals["median_days"], totals["p90_days"]) == (quantile(days, 0.5), quantile(days, 0.9))
    assert totals["share_30"] == rate(sum(1 for d in days if d <= 30), len(rows))
    confirmed = sum(1 for r in rows if r["is_confirmed"] == "True")
    regulator = queries.run(world.admin, "regulator", {**span, "bucket": "year"}).section("by_line").totals
    assert (regulator["upheld"], regulator["upheld_share"]) == (confirmed, rate(confirmed, len(rows)))
