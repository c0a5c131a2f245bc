"""The ground floor's one table: which scheduled task was enqueued for which period (`core.schedule`).

A period is the task's interval counted from the epoch; the unique (task, period) pair is the lock that makes
a scheduled task run once per period however many workers and web nodes schedule it.
"""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    task = models.CharField(max_length=200)
    period = models.BigIntegerField()  # floor(epoch seconds / interval seconds)
    enqueued_at = models.DateTimeField()
    by = models.CharField(max_length=100, blank=True)  # the worker that took it: host:pid

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="scheduled_run_once")]
        indexes = [models.Index(fields=["enqueued_at"], name="scheduled_run_at_idx")]

    def __str__(self) -> str:
        return f"{self.task} #{self.period}"


class Throttle(models.Model):
    """One counter per limited key and fixed window (`core.throttle`): counted by one atomic upsert, so
    simultaneous requests cannot all read "under the limit" before any of them is counted."""

    key = models.CharField(max_length=100)
    period = models.BigIntegerField()  # floor(epoch seconds / window seconds)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "period"], name="throttle_key_period")]
        indexes = [models.Index(fields=["expires_at"], name="throttle_expires_idx")]

    def __str__(self) -> str:
        return f"{self.key} #{self.period}: {self.hits}"
