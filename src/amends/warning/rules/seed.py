"""The shipped rule configurations (`defaults.json`): seeded by a data migration, and again by tests that
flush the database. Existing rows are left as the insurer edited them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULTS = Path(__file__).with_name("defaults.json")


def seed_rule_configs(model: Any) -> int:
    rows = json.loads(DEFAULTS.read_text(encoding="utf-8"))["rules"]
    existing = set(model.objects.values_list("key", flat=True))
    new = [model(**row) for row in rows if row["key"] not in existing]
    model.objects.bulk_create(new)
    return len(new)
