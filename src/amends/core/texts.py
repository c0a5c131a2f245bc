"""Text written into the data now and read later, perhaps by someone reading another language (an alert raised
by a request in Chinese and read in English): stored as its message id and parameters, rendered at read time.

`Message(gettext_noop("Claim %(claim)s: …"), claim=…)` is a `str` in the language active now (so code that
takes a title keeps working) that also knows how to be stored: `stored(message)` is JSON, `render(stored)` the
text in the reader's language. A parameter that is itself translatable (a choice's label, another Message) is
stored by its message id and translated when read, a list of them joined by commas; anything else (names,
numbers, references) stays as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext


class Message(str):
    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Message:
        text = _interpolate(gettext(msgid), {k: _now(v) for k, v in params.items()})
        made = super().__new__(cls, text)
        made.msgid, made.params = msgid, params
        return made

    def stored(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {k: _store(v) for k, v in self.params.items()}}


def stored(text: str) -> dict[str, Any]:
    """What to keep beside the rendered text: the message id and parameters, or {} for text of no message."""
    return text.stored() if isinstance(text, Message) else {}


def render(kept: dict[str, Any] | None, fallback: str = "") -> str:
    """The stored message in the language active now; the fallback (the text as first written) when nothing
    was stored or the message no longer takes these parameters."""
    if not kept or not isinstance(kept.get("msgid"), str):
        return fallback
    params = {k: _read(v) for k, v in (kept.get("params") or {}).items()}
    try:
        return _interpolate(gettext(kept["msgid"]), params)
    except (KeyError, TypeError, ValueError):
        return fallback or kept["msgid"]


def _interpolate(text: str, params: dict[str, Any]) -> str:
    return text % params if params else text


def _now(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value) if isinstance(value, Promise) else value


def _store(value: Any) -> Any:
    if isinstance(value, Message):
        return value.stored()
    if isinstance(value, Promise):
        with translation.override(None):  # no language: a lazy text is its message id
            return {"msgid": str(value), "params": {}}
    if isinstance(value, list | tuple):
        return {"list": [_store(v) for v in value]}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _read(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("list"), list):
        return ", ".join(str(_read(v)) for v in value["list"])
    return render(value, "") if isinstance(value, dict) else value
