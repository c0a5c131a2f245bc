"""The Chinese catalogues are complete, and the committed .mo files say what their .po files say.

Fresh machines may lack GNU gettext, so compiled catalogues are committed beside their sources; these tests
catch a message added to a template or a service without its translation, a fuzzy guess left behind, and a
.po edited without recompiling. The .po reader below is deliberately small: it reads what makemessages writes.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[2]
LOCALE = SRC / "locale"
# The project catalogue plus any app that keeps its own (`<app>/locale/`, which makemessages fills for that app).
CATALOGUES = [LOCALE, *sorted(p for p in SRC.glob("*/locale") if p.is_dir())]
TRANSLATED = ["zh_Hans", "zh_Hant"]
ALL = [*TRANSLATED, "en"]
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current, target = Entry(), None

    def flush() -> None:
        nonlocal current
        if current.msgid or current.msgstr:
            entries.append(current)
        current = Entry()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            target = None
        elif line.startswith("#~"):
            continue  # obsolete
        elif line.startswith("#,"):
            current.fuzzy = current.fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            kind, index = target  # type: ignore[misc]
            if kind == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, kind, (getattr(current, kind) or "") + _unquote(line))
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match or keyword == "msgstr":
                index = int(match.group(1)) if match else 0
                current.msgstr[index] = _unquote(value)
                target = ("msgstr", index)
            else:
                setattr(current, keyword, _unquote(value))
                target = (keyword, 0)
    flush()
    return [e for e in entries if e.msgid]  # the header has an empty msgid


def catalogue(lang: str, base: Path = LOCALE) -> list[Entry]:
    return read_po(base / lang / "LC_MESSAGES" / "django.po")


def all_catalogues(lang: str) -> list[Entry]:
    return [e for base in CATALOGUES for e in catalogue(lang, base)]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    assert len(catalogue(lang)) > 100, "the catalogue looks truncated"
    entries = all_catalogues(lang)
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert not untranslated, f"{lang}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_survive_translation(lang):
    placeholder = re.compile(r"%\(\w+\)s|\{\{ ?\w+ ?\}\}")
    for e in all_catalogues(lang):
        for text in e.msgstr.values():
            assert sorted(placeholder.findall(text)) == sorted(set(placeholder.findall(e.msgid))) or (
                e.msgid_plural and sorted(placeholder.findall(text)) == sorted(placeholder.findall(e.msgid_plural))
            ), f"{lang}: {e.msgid!r} → {text!r}"


@pytest.mark.parametrize("lang", ALL)
def test_no_translation_says_itself_twice(lang):
    """Catalogues merged by concatenation once left a translation written twice over (the search page's
    introduction read twice in every language)."""

    def doubled(text: str) -> bool:
        half = len(text) // 2
        return len(text) >= 4 and len(text) % 2 == 0 and text[:half] == text[half:]

    twice = [e.msgid for e in all_catalogues(lang) for text in e.msgstr.values() if doubled(text)]
    assert not twice, f"{lang}: {twice[:5]}"


@pytest.mark.parametrize("base", CATALOGUES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("lang", ALL)
def test_compiled_catalogue_matches_its_source(lang, base):
    with open(base / lang / "LC_MESSAGES" / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    stale = []
    for e in catalogue(lang, base):
        if e.fuzzy or not any(e.msgstr.values()):
            continue
        if e.msgid_plural is None:
            if compiled.get(e.key) != e.msgstr[0]:
                stale.append(e.msgid)
        elif any(compiled.get((e.key, i)) != text for i, text in e.msgstr.items()):
            stale.append(e.msgid)
    assert not stale, f"{lang}: django.mo is older than django.po; run compilemessages. Differs: {stale[:5]}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "象征性补偿"), ("zh-hant", "象徵性補償"), ("en", "Atonement")],
)
def test_django_loads_the_committed_catalogues(language, expected):
    from amends.recovery.models import Step

    with translation.override(language):
        assert str(Step.ATONEMENT.label) == expected
