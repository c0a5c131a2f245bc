"""The filters every report takes: period and bucket, org unit (scope-checked), line, segment, channel and
touchpoint, parsed once from a query string and applied to each report's rows through that report's own
field paths (a complaint's unit is its case's unit; a policy has no channel).

Parsing refuses unknown values with the fields named (422), and a unit outside the actor's subtree with 403:
a supervisor sees their own branch, the head office everything. Nothing here counts rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.access import SEES_INSIGHTS, in_scope, require, scope_unit_ids, subtree_ids
from amends.accounts.models import OrgUnit, User
from amends.core.errors import Forbidden, InvalidInput
from amends.customers.models import Line, Segment
from amends.intake.models import Channel
from amends.journeys.models import Touchpoint
from amends.journeys.queries import touchpoint_by_code

BUCKETS = ("day", "week", "month", "year")
DEFAULT_MONTHS = 12
MAX_DAY_BUCKETS = 400


@dataclass(frozen=True)
class Filters:
    since: date
    until: date  # inclusive
    bucket: str = "month"
    unit: OrgUnit | None = None
    unit_ids: list[int] | None = None  # None: everything (head office)
    line: str = ""
    segment: str = ""
    channel: str = ""
    touchpoint: Touchpoint | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def start(self) -> datetime:
        """Local midnight at the start of `since`."""
        return timezone.make_aware(datetime.combine(self.since, time.min))

    @property
    def end(self) -> datetime:
        """Local midnight after `until` (exclusive)."""
        return timezone.make_aware(datetime.combine(self.until + timedelta(days=1), time.min))

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "bucket": self.bucket,
            "unit": self.unit.pk if self.unit else None,
            "line": self.line or None,
            "segment": self.segment or None,
            "channel": self.channel or None,
            "touchpoint": self.touchpoint.code if self.touchpoint else None,
        }

    def query_string(self) -> str:
        from urllib.parse import urlencode

        pairs = {k: v for k, v in self.as_dict().items() if v is not None}
        return urlencode(pairs)

    def where(self, paths: Mapping[str, str | Callable[[Any], Q] | None]) -> Q:
        """One Q for the filters set, through `paths`: filter name → lookup path, a function of the value
        returning a Q, or None where the filter does not apply to these rows."""
        q = Q()
        values: dict[str, Any] = {
            "unit": self.unit_ids,
            "line": self.line,
            "segment": self.segment,
            "channel": self.channel,
            "touchpoint": self.touchpoint.pk if self.touchpoint else None,
        }
        for name, value in values.items():
            if value is None or value == "":
                continue
            path = paths.get(name)
            if path is None:
                continue
            if callable(path):
                q &= path(value)
            elif name == "unit":
                q &= Q(**{f"{path}__in": value})
            else:
                q &= Q(**{path: value})
        return q

    def apply(self, qs: QuerySet[Any], paths: Mapping[str, str | Callable[[Any], Q] | None]) -> QuerySet[Any]:
        return qs.filter(self.where(paths))


def _date(text: str, name: str, errors: dict[str, list[str]]) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = [_("Enter a date, e.g. 2026-11-01.")]
        return None


def _choice(params: Mapping[str, str], name: str, allowed: list[str], errors: dict[str, list[str]]) -> str:
    value = (params.get(name) or "").strip()
    if value and value not in allowed:
        errors[name] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)}]
        return ""
    return value


def parse(
    actor: User, params: Mapping[str, str], *, today: date, extra: Mapping[str, list[str]] | None = None
) -> Filters:
    """Filters from a query string (the API's and the dashboard's alike), checked against the actor's scope.

    `extra` names report-specific parameters and their allowed values (the first is the default)."""
    require(actor, SEES_INSIGHTS)
    errors: dict[str, list[str]] = {}
    until = _date(params["until"], "until", errors) if params.get("until") else today
    if params.get("since"):
        since = _date(params["since"], "since", errors)
    else:
        base = until or today
        since = (base.replace(day=1) - timedelta(days=1)).replace(day=1)
        for _month in range(DEFAULT_MONTHS - 2):
            since = (since - timedelta(days=1)).replace(day=1)
    bucket = _choice(params, "bucket", list(BUCKETS), errors) or "month"
    if since and until:
        if since > until:
            errors["since"] = [_("The period starts after it ends.")]
        elif bucket == "day" and (until - since).days >= MAX_DAY_BUCKETS:
            errors["bucket"] = [_("Daily figures cover at most 400 days; choose weeks or months.")]
    line = _choice(params, "line", list(Line.values), errors)
    segment = _choice(params, "segment", list(Segment.values), errors)
    channel = _choice(params, "channel", list(Channel.values), errors)
    touchpoint = None
    if params.get("touchpoint"):
        touchpoint = touchpoint_by_code(params["touchpoint"])
        if touchpoint is None:
            errors["touchpoint"] = [_("Unknown touchpoint.")]
    unit, unit_ids = None, scope_unit_ids(actor)
    if params.get("unit"):
        unit = _unit(actor, params["unit"], errors)
        if unit is not None:
            unit_ids = subtree_ids(unit)
    chosen: dict[str, str] = {}
    for name, allowed in (extra or {}).items():
        chosen[name] = _choice(params, name, allowed, errors) or allowed[0]
    if errors:
        raise InvalidInput(_("The report's filters are not valid."), fields=errors)
    assert since is not None and until is not None
    return Filters(
        since=since,
        until=until,
        bucket=bucket,
        unit=unit,
        unit_ids=unit_ids,
        line=line,
        segment=segment,
        channel=channel,
        touchpoint=touchpoint,
        extra=chosen,
    )


def _unit(actor: User, text: str, errors: dict[str, list[str]]) -> OrgUnit | None:
    try:
        unit_id = int(text)
    except ValueError:
        errors["unit"] = [_("Enter a whole number.")]
        return None
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors["unit"] = [_("Unknown org unit.")]
        return None
    if not in_scope(actor, unit.pk):
        raise Forbidden(
            _("That org unit is outside your part of the organisation."), fields={"unit": [_("Outside your scope.")]}
        )
    return unit
