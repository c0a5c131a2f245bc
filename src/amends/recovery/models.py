"""Recovery cases (补救案件): one customer's episode, its five steps and its timeline.

A case moves open → in_progress → follow_up → closed. The five steps (道歉 → 紧急修复 → 表示同情 → 象征性补偿 →
补救跟踪) are recorded in order in a *round*; a follow-up that finds the customer not recovered reopens the
case in a new round, so history is never rewritten. `version` guards against two people overwriting each
other; the rules themselves are in `recovery.rules`, the writes in `recovery.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit
from amends.core import texts
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint

from . import rules


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Recovering")
    FOLLOW_UP = "follow_up", _("Awaiting follow-up")
    CLOSED = "closed", _("Closed")


IS_OPEN = ~Q(status=CaseStatus.CLOSED)


class Step(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    FIX = "fix", _("Fix")
    EMPATHY = "empathy", _("Empathy")
    ATONEMENT = "atonement", _("Atonement")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Timing(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (on the spot)")
    IN_PROCESS = "in_process", _("In process")
    AFTER_PROCESS = "after_process", _("After the process")


class FollowUpOutcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered: the customer confirms")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    UNREACHABLE = "unreachable", _("Could not reach the customer")


class Closure(models.TextChoices):
    RECOVERED = "recovered", _("Recovered")
    UNREACHABLE = "unreachable", _("Customer unreachable")
    # History brought in from another system: closed there; its recovery steps were never recorded in Amends.
    IMPORTED = "imported", _("Imported history")
    MERGED = "merged", _("Merged into another case")


class OwnerLoad(models.Model):
    """Open cases a person owns, kept by database triggers on `Case` (`recovery.owner_load`): the assignment rule
    reads a few rows per handler instead of counting their open cases, which grows with the table. Triggers,
    not service calls, so that bulk updates, imports and admin edits are counted as well.

    A person's count is the sum of their rows. Each row is a slot: a transaction adds to a slot no other
    transaction holds (PostgreSQL's SKIP LOCKED) and makes a new one when all are held, so complaints assigned
    to one handler at the same moment never queue behind each other's commit. Slots per person stay at most
    the number of transactions that ever wrote to them at once."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    open_cases = models.IntegerField(_("open cases"), default=0)

    class Meta:
        verbose_name = _("open-case load")
        verbose_name_plural = _("open-case loads")

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.open_cases}"


class Priority(models.IntegerChoices):
    URGENT = 1, _("P1 urgent")
    HIGH = 2, _("P2 high")
    NORMAL = 3, _("P3 normal")
    LOW = 4, _("P4 low")


class Case(models.Model):
    # customer and owner: indexed by case_customer_opened_idx and case_owner_status_idx, which lead with them.
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="cases", verbose_name=_("customer"), db_index=False
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("owner"),
        db_index=False,
    )
    subjects = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("staff complained about"),
        help_text=_("They may never own this case (回避)."),
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("touchpoint"),
    )
    episode_key = models.CharField(max_length=80)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    priority_score = models.PositiveSmallIntegerField(_("priority score"), default=0)
    # What the priority was computed from (`rules.Severity.as_data()`); the explanation is derived from it.
    severity = models.JSONField(_("severity"), default=dict)
    timing = models.CharField(_("timing"), max_length=16, choices=Timing.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure = models.CharField(_("closure"), max_length=16, choices=Closure.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["owner", "due_at"], condition=IS_OPEN, name="case_open_owner_due_idx"),
            models.Index(fields=["org_unit", "due_at"], condition=IS_OPEN, name="case_open_unit_due_idx"),
            models.Index(fields=["due_at"], condition=IS_OPEN, name="case_open_due_idx"),
            models.Index(fields=["-priority_score", "due_at"], condition=IS_OPEN, name="case_open_priority_idx"),
            # Cases are looked up by an owner, never by having none (open ones are, through the index above):
            # closed cases nobody owned (all imported history) stay out of it.
            models.Index(fields=["owner", "status"], condition=Q(owner__isnull=False), name="case_owner_status_idx"),
            models.Index(fields=["customer", "episode_key"], condition=IS_OPEN, name="case_open_episode_idx"),
            models.Index(fields=["customer", "opened_at"], name="case_customer_opened_idx"),
            models.Index(fields=["status", "-id"], name="case_status_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_at__isnull=False) | ~Q(status=CaseStatus.CLOSED),
                name="case_closed_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return reference("BJ", self.opened_at, self.pk)

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def priority_factors(self) -> list[dict]:
        """Why the case has its priority: each factor with its points, derived from the stored severity."""
        if not self.severity:
            return []
        return rules.priority(rules.Severity.from_data(self.severity)).factors


def reference(prefix: str, at, pk: int | None) -> str:
    """A human reference such as BJ-2026-000045: the year (local time) and the row's own id, so it costs no
    counter row and no extra statement, and stays unique."""
    year = timezone.localtime(at).year if at else 0
    return f"{prefix}-{year}-{pk or 0:06d}"


class CaseStep(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(default=1)
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    skipped = models.BooleanField(_("skipped"), default=False)
    skipped_reason = models.TextField(_("reason for skipping"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # A note the system wrote (a survey answer, a call not reached): its message id and parameters, rendered
    # in the reader's language (docs/decisions/0065); {} for what staff typed and for rows kept before.
    note_text = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=FollowUpOutcome.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("recovery step")
        verbose_name_plural = _("recovery steps")
        ordering = ["round", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round", "step"], name="step_once_per_round"),
            models.CheckConstraint(condition=Q(skipped=False) | ~Q(skipped_reason=""), name="skipped_step_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.round}:{self.step}"

    @property
    def shown_note(self) -> str:
        """The note in the reader's language when the system wrote it; as written otherwise."""
        return texts.render(self.note_text, self.note)


class TimelineKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint received")
    STEP = "step", _("Step recorded")
    STEP_SKIPPED = "step_skipped", _("Step skipped")
    FOLLOW_UP_ATTEMPT = "follow_up_attempt", _("Follow-up attempt")
    ASSIGNED = "assigned", _("Owner assigned")
    DECIDED = "decided", _("Decision communicated")
    EXTENSION = "extension", _("Deadline extended")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    PROMISE = "promise", _("Promise")
    DISCRETION = "discretion", _("Discretion")
    FAILURE = "failure", _("Service failure")
    NOTE = "note", _("Note")
    MESSAGE = "message", _("Message to the customer")
    MESSAGE_IN = "message_in", _("Message from the customer")
    MESSAGE_FAILED = "message_failed", _("Message not sent")
    ATTACHMENT = "attachment", _("Evidence attached")
    SPLIT = "split", _("Complaint split out")
    MERGED = "merged", _("Cases merged")
    REPEAT = "repeat", _("Customer came back (repeat failure)")
    PAUSED = "paused", _("Clock paused")
    RESUMED = "resumed", _("Clock resumed")
    WITHDRAWN = "withdrawn", _("Complaint withdrawn")
    LETTER = "letter", _("Decision letter")
    REVIEW = "review", _("Review")
    REGULATOR = "regulator", _("Regulator feedback")


class TimelineEntry(models.Model):
    """What happened on a case, in the order it happened; written only by services, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=24, choices=TimelineKind.choices)
    round = models.PositiveSmallIntegerField(default=1)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="timeline_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Dimension(models.TextChoices):
    """感知五度: how the customer perceives what went wrong."""

    RELIABILITY = "reliability", _("Reliability (promise kept)")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    COMPETENCE = "competence", _("Competence")
    ATTITUDE = "attitude", _("Attitude")
    STANDARDS = "standards", _("Standards")


class Cause(models.TextChoices):
    COMPANY = "company", _("The company")
    UNCONTROLLABLE = "uncontrollable", _("Uncontrollable")
    CUSTOMER = "customer", _("The customer")


class FailureSource(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    PROMISE = "promise", _("Broken promise")
    WARNING = "warning", _("Early warning")
    SURVEY = "survey", _("Follow-up survey")
    CALLBACK = "callback", _("Callback")
    STAFF = "staff", _("Staff report")


class Failure(models.Model):
    """A service failure (服务失败): something that fell short of what the customer was led to expect.

    A case recovers one customer from one or more related failures. `source` and `source_ref` say where it
    was noticed (e.g. "promise:12"); together they are unique, so noticing the same thing twice records it
    once.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="failures", verbose_name=_("case"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="failures")
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices, blank=True)
    gap = models.PositiveSmallIntegerField(_("service quality gap"), null=True, blank=True)
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices, blank=True)
    source = models.CharField(_("noticed through"), max_length=16, choices=FailureSource.choices)
    source_ref = models.CharField(max_length=64, blank=True)
    description = models.TextField(_("what went wrong"))
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("service failure")
        verbose_name_plural = _("service failures")
        indexes = [models.Index(fields=["customer", "occurred_at"], name="failure_customer_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~Q(source_ref=""), name="failure_noticed_once"
            ),
            models.CheckConstraint(condition=Q(gap__isnull=True) | Q(gap__gte=1, gap__lte=4), name="failure_gap_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_ref or self.pk}"


class QueueView(models.Model):
    """A queue's filters saved under a name: a person's own, or shared by a supervisor with everyone in their
    part of the organisation."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=1000)
    shared = models.BooleanField(_("shared with my team"), default=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("saved queue view")
        verbose_name_plural = _("saved queue views")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="queue_view_name_once_per_owner")]

    def __str__(self) -> str:
        return self.name
