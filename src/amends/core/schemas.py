"""What the API answers, described: the base of every response schema (`Out`), the one error shape
(`ErrorOut`) and the types of values that leave already rendered by the queries (times, days, money, labels).

The queries build plain dicts and the tests read them; a response schema describes those dicts rather than
rebuilding them. So `Out` validates a dict as it is (ninja's attribute reading would drop any key a schema
does not name) and lets through keys it does not name (additive fields stay backward compatible; every key a
client relies on is named). Times, days and money are described as strings with their format and left as
the query made them, so the JSON is the same with or without the schema.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, ValidationInfo, WithJsonSchema, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler
from pydantic_core import PydanticCustomError

# An aware datetime rendered in the insurer's zone: 2026-11-16T09:30:00+08:00.
Time = Annotated[Any, WithJsonSchema({"type": "string", "format": "date-time"})]
# A calendar day: 2026-11-16.
Day = Annotated[Any, WithJsonSchema({"type": "string", "format": "date"})]
# Yuan as a decimal string: "300.00".
Money = Annotated[Any, WithJsonSchema({"type": "string", "example": "300.00"})]
# Text in the request's language (a label, a title).
Text = Annotated[Any, WithJsonSchema({"type": "string"})]
# A JSON object whose keys depend on its kind (a timeline entry's data, a report's row).
Object = dict[str, Any]


# What a client may send as a time or a day: within this century (a year 269 is a typing slip, and times before
# 1901 render with the zone's local mean time, +08:05:43, which no client reads). Times of things that already
# happened are held tighter by `core.inputs.moment_problem` where the service knows which they are.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _sane_day(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError(
            "date_range", _("Enter a date from %(first)s to %(last)s.") % {"first": FIRST_DAY, "last": LAST_DAY}
        )
    return value


InstantIn = Annotated[datetime, AfterValidator(_sane_day)]
DayIn = Annotated[date, AfterValidator(_sane_day)]


class Out(Schema):
    """The base of every response schema."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if isinstance(values, dict):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


class ErrorOut(Schema):
    """Every error: a code, a readable text and the offending fields (dotted names) with their messages."""

    error: str
    detail: str
    fields: dict[str, list[str]]


class IdName(Out):
    id: int
    name: str


class PersonOut(Out):
    """A staff member: id, user name and full name."""

    id: int
    username: str
    name: str
