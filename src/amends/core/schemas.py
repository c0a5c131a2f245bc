"""What the API answers, described: the base of every response schema (`Out`), the one error shape
(`ErrorOut`) and the types of values that leave already rendered by the queries (times, days, money, labels).

The queries build plain dicts and the tests read them; a response schema describes those dicts rather than
rebuilding them. So `Out` validates a dict as it is (ninja's attribute reading would drop any key a schema
does not name) and lets through keys it does not name (additive fields stay backward compatible; every key a
client relies on is named). Times, days and money are described as strings with their format and left as
the query made them, so the JSON is the same with or without the schema.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, ValidationInfo, WithJsonSchema, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler

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
