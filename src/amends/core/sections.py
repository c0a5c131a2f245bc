"""Sections of a lower app's page and API answer that apps above it contribute (the case page, the customer
page), so the lower app never imports them.

A section has a name (its key in the detail the API returns and the page reads), a reader that gives its data
for one object, and the template that draws it in one of the page's slots; a section without a template is
data the API alone shows. `assembly.wiring` adds every section, in the order the page shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    name: str
    read: Callable[[Any, Any], Any]  # (actor, the page's object) → the section's data
    template: str = ""
    slot: str = ""


class Sections:
    """The sections of one page, by the slots its template has."""

    def __init__(self, page: str, slots: tuple[str, ...]) -> None:
        self.page, self.slots = page, slots
        self._all: list[Section] = []

    def add(self, section: Section) -> None:
        if any(s.name == section.name for s in self._all):
            raise RuntimeError(f"two sections of the {self.page} page are named {section.name!r}")
        if section.template and section.slot not in self.slots:
            raise RuntimeError(f"the {self.page} page has no slot {section.slot!r} (slots: {', '.join(self.slots)})")
        self._all.append(section)

    def read(self, actor: Any, obj: Any) -> dict[str, Any]:
        """Every section's data for `obj`, by name."""
        return {s.name: s.read(actor, obj) for s in self._all}

    def by_slot(self) -> dict[str, list[Section]]:
        """The sections the page draws, in order, per slot (the template includes each one's own template)."""
        return {slot: [s for s in self._all if s.template and s.slot == slot] for slot in self.slots}
