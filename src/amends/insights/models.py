"""Facts: one narrow row per complaint, case, failure and follow-up, with everything a report filters and counts
already joined and computed (the org unit, segment and line; the first response and the decision in seconds;
whether a failure repeats one). Reports group these rows instead of joining five tables and running a subquery
per row, so a report over a million cases is one scan of one narrow table.

Facts are derived, never edited: `insights.facts` writes them from the source tables. Database triggers (see
`facts_triggers`) note in `Stale` what changed in those tables, whichever code path wrote it; before a report
runs, and in the worker every minute, the noted rows' facts are recomputed (`facts.bring_up_to_date`).

A case's channels and lines are bit sets (`channels`, `lines`): a case matches a channel filter when any of its
complaints came by that channel, which one integer answers without a join.
"""

from __future__ import annotations

from django.db import models


class Stale(models.Model):
    """A source row whose facts need recomputing: `kind` says what `ref` is (see `facts.KINDS`)."""

    kind = models.CharField(max_length=24)
    ref = models.BigIntegerField()

    class Meta:
        db_table = "insights_stale"

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class Freshness(models.Model):
    """When the worker last brought the facts up to date (one row): what a report read from a replica is as
    fresh as, at best (`facts.freshness`)."""

    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M:%S}"


class Memo(models.Model):
    """A figure a report computed that no fact holds and that changes seldom (the policies in force over a
    period, their premium and holders), kept until the rows it was computed from change. `key` carries the
    generation it was computed in (see `facts.memo`), so a figure computed across a change is never read."""

    key = models.CharField(max_length=200, primary_key=True)
    value = models.JSONField()

    class Meta:
        db_table = "insights_memo"

    def __str__(self) -> str:
        return self.key


RECEIVED_COUNTED = [
    *["channel", "resolution_s", "resolution_days", "result"],  # volume, timeliness
    *["touchpoint_id", "cause", "dimension", "gap", "repeat"],  # Pareto, repeat
]
DUE_COUNTED = ["withdrawn", "resolution_s", "due_at", "complaint_id"]


class ComplaintFact(models.Model):
    complaint_id = models.BigIntegerField(primary_key=True)
    case_id = models.BigIntegerField()
    customer_id = models.BigIntegerField()
    received_on = models.DateField()  # local date
    unit_id = models.BigIntegerField()  # the case's org unit
    segment = models.CharField(max_length=16)
    channel = models.CharField(max_length=16)
    line = models.CharField(max_length=16)  # the complaint's own (imported), else its policy's
    region = models.CharField(max_length=50)  # the complaint's own (imported), else its case's unit's
    category = models.CharField(max_length=16)
    touchpoint_id = models.BigIntegerField(null=True)
    due_at = models.DateTimeField()
    due_on = models.DateField()  # local date of the deadline: what places it in a period on the due basis
    decided_on = models.DateField(null=True)  # local date of the decision told to the complainant
    first_response_s = models.FloatField(null=True)  # received → the case's first step after it
    # received → decided, less the days the clock was paused for an outside appraisal (the law leaves them
    # out); null while undecided and for a withdrawn complaint (its procedure ended without a decision)
    resolution_s = models.FloatField(null=True)
    resolution_days = models.IntegerField(null=True)  # calendar days received → decided (local dates), less paused
    withdrawn = models.BooleanField(default=False)  # withdrawn (撤回): in no decided or due denominator
    paused_days = models.IntegerField(default=0)  # whole days left out of the period for outside appraisals
    # The review (核查) of the decision, if asked: its own deadline, when it was decided, and requested → decided.
    review_due_at = models.DateTimeField(null=True)
    review_decided_at = models.DateTimeField(null=True)
    review_resolution_s = models.FloatField(null=True)
    result = models.CharField(max_length=16)  # upheld / partly_upheld / not_upheld, "" when not recorded
    # What staff confirmed on the complaint (text.ComplaintCode), "" while uncoded: a complaint is the
    # customer's own report of a failure, and counts in the root-cause reports beside recorded failures.
    cause = models.CharField(max_length=16)
    dimension = models.CharField(max_length=16)
    repeat = models.BooleanField()  # the customer had a failure or complaint within the repeat window before
    previous_on = models.DateField(null=True)  # the local date of the customer's failure or complaint before it
    gap = models.CharField(max_length=1)  # the service quality gap staff coded, "1"…"4"; "" while uncoded
    # The regulator's reason and product line staff coded (intake.ComplaintReason, customers.ProductLine
    # codes), "" while uncoded: the report maps an uncoded product line from `line` by the reference data.
    reason = models.CharField(max_length=32, default="")
    product_line = models.CharField(max_length=24, default="")
    coverage = models.CharField(max_length=60, default="")  # the source's own product name (imported), else ""

    class Meta:
        db_table = "insights_complaint_fact"
        # The days a report counts, for the whole table and for a subtree of units. With what they carry, the
        # volume report's count per day and channel, the timeliness report's days-to-decide histogram, the
        # Pareto and repeat reports' counts are index-only scans by receipt, and the due-basis counts
        # index-only scans by deadline. Those following another in a period start from `previous_on`.
        indexes = [
            models.Index(fields=["received_on"], include=RECEIVED_COUNTED, name="complaint_fact_day_idx"),
            models.Index(
                fields=["unit_id", "received_on"], include=RECEIVED_COUNTED, name="complaint_fact_unit_day_idx"
            ),
            models.Index(fields=["due_on"], include=DUE_COUNTED, name="complaint_fact_due_idx"),
            models.Index(fields=["unit_id", "due_on"], include=DUE_COUNTED, name="complaint_fact_unit_due_idx"),
            models.Index(
                fields=["previous_on"],
                include=["received_on", "unit_id", "customer_id"],
                condition=models.Q(previous_on__isnull=False),
                name="complaint_fact_previous_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"ComplaintFact {self.complaint_id}"


class CaseFact(models.Model):
    case_id = models.BigIntegerField(primary_key=True)
    customer_id = models.BigIntegerField()
    opened_on = models.DateField()
    closed_on = models.DateField(null=True)
    unit_id = models.BigIntegerField()
    segment = models.CharField(max_length=16)
    touchpoint_id = models.BigIntegerField(null=True)
    channels = models.IntegerField(default=0)  # bit set of its complaints' channels
    lines = models.IntegerField(default=0)  # bit set of its complaints' lines

    class Meta:
        db_table = "insights_case_fact"
        indexes = [
            models.Index(fields=["opened_on"], name="case_fact_opened_idx"),
            models.Index(fields=["closed_on"], name="case_fact_closed_idx"),
            models.Index(fields=["unit_id", "opened_on"], name="case_fact_unit_opened_idx"),
            models.Index(fields=["unit_id", "closed_on"], name="case_fact_unit_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"CaseFact {self.case_id}"


COUNTED = ["touchpoint_id", "cause", "dimension", "gap", "repeat"]


class FailureFact(models.Model):
    failure_id = models.BigIntegerField(primary_key=True)
    case_id = models.BigIntegerField()
    customer_id = models.BigIntegerField()
    occurred_on = models.DateField()
    unit_id = models.BigIntegerField()
    segment = models.CharField(max_length=16)
    touchpoint_id = models.BigIntegerField(null=True)
    cause = models.CharField(max_length=16)
    dimension = models.CharField(max_length=16)
    gap = models.CharField(max_length=1)  # the service quality gap, "1"…"4"; "" while uncoded
    repeat = models.BooleanField()  # the customer had a failure or complaint within the repeat window before it
    # The local date of the customer's failure or complaint just before this one: a customer failed twice or
    # more in a period exactly when one of their failures or complaints in it has a previous one in it too
    # (`previous_on >= since`).
    previous_on = models.DateField(null=True)
    channels = models.IntegerField(default=0)
    lines = models.IntegerField(default=0)

    class Meta:
        db_table = "insights_failure_fact"
        # With what the Pareto and repeat reports group by, they read these indexes alone; the customers who
        # failed twice in a period start from `previous_on` (only the failures that follow another).
        indexes = [
            models.Index(fields=["occurred_on"], include=COUNTED, name="failure_fact_day_idx"),
            models.Index(fields=["unit_id", "occurred_on"], include=COUNTED, name="failure_fact_unit_day_idx"),
            models.Index(
                fields=["previous_on"],
                include=["occurred_on", "unit_id", "customer_id"],
                condition=models.Q(previous_on__isnull=False),
                name="failure_fact_previous_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"FailureFact {self.failure_id}"


FOLLOW_UP_COUNTED = ["touchpoint_id", "outcome", "timing"]


class FollowUpFact(models.Model):
    """A follow-up step that was not skipped (补救跟踪), with its case's unit, segment and touchpoint."""

    step_id = models.BigIntegerField(primary_key=True)
    case_id = models.BigIntegerField()
    customer_id = models.BigIntegerField()
    on = models.DateField()
    unit_id = models.BigIntegerField()
    segment = models.CharField(max_length=16)
    touchpoint_id = models.BigIntegerField(null=True)
    outcome = models.CharField(max_length=16)
    timing = models.CharField(max_length=16)  # the case's timing: immediate / in_process / after_process
    channels = models.IntegerField(default=0)
    lines = models.IntegerField(default=0)

    class Meta:
        db_table = "insights_follow_up_fact"
        # The days a report counts, for the whole table and for a subtree of units (a supervisor's); with what the
        # recovery report counts, it reads these indexes alone.
        indexes = [
            models.Index(fields=["on"], include=FOLLOW_UP_COUNTED, name="follow_up_fact_day_idx"),
            models.Index(fields=["unit_id", "on"], include=FOLLOW_UP_COUNTED, name="follow_up_fact_unit_day_idx"),
        ]

    def __str__(self) -> str:
        return f"FollowUpFact {self.step_id}"


TERM_COUNTED = ["cohort", "renewed", "premium_cents", "given_cents"]


class TermFact(models.Model):
    """A policy term (one `Policy` row) with what its customer lived through during it and whether it was
    renewed: the retention report's population, one row per term instead of six subqueries per term."""

    policy_id = models.BigIntegerField(primary_key=True)
    customer_id = models.BigIntegerField()
    end_date = models.DateField()
    unit_id = models.BigIntegerField()
    line = models.CharField(max_length=16)
    segment = models.CharField(max_length=16)
    # Money in whole cents (fen): the retention report sums them over a million terms, and integer sums cost a
    # fraction of numeric ones.
    premium_cents = models.BigIntegerField()
    renewed = models.BooleanField()  # a later term points at it, or policy admin reported `policy.renewed`
    decided = models.BooleanField()  # renewed, or lapsed (its status, or a reported `policy.lapsed`)
    failed = models.BooleanField()  # a failure of the customer during the term
    complained = models.BooleanField()  # a complaint of the customer during the term
    closure = models.CharField(max_length=16, null=True)  # how the customer's last case in the term ended
    recover_s = models.FloatField(null=True)  # that case: opened → closed
    given_cents = models.BigIntegerField()  # discretion granted to the customer in it
    # The retention report's groups, decided once here rather than by three CASEs per row per report:
    recovery_time = models.CharField(max_length=8)  # "0-1d" … "15d+" when recovered, else ""
    recovery_outcome = models.CharField(max_length=16)  # recovered / not_recovered / unreachable, else ""
    timing = models.CharField(max_length=16)  # that case's timing (immediate / in_process / after_process), else ""
    experience = models.CharField(max_length=24)  # no_recorded_failure / failure_no_complaint / complained
    # The four groups above as one small number (`facts.COHORTS` encodes and decodes it): the report groups by
    # it, as hashing four strings per term was most of its time.
    cohort = models.SmallIntegerField()

    class Meta:
        db_table = "insights_term_fact"
        # The terms decided, by end date, for the whole table and for a subtree of units: with what the retention
        # report sums, its one GROUP BY is an index-only scan.
        indexes = [
            models.Index(
                fields=["end_date"], include=TERM_COUNTED, condition=models.Q(decided=True), name="term_fact_end_idx"
            ),
            models.Index(
                fields=["unit_id", "end_date"],
                include=TERM_COUNTED,
                condition=models.Q(decided=True),
                name="term_fact_unit_end_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"TermFact {self.policy_id}"
