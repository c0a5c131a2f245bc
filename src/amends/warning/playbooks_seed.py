"""The shipped playbooks (`playbooks.json`, Chinese wording as insurers use it): seeded by a data migration
for the auto-claim touchpoints; quality managers edit them and add others on /playbooks/."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULTS = Path(__file__).with_name("playbooks.json")


def seed_playbooks(playbook_model: Any, touchpoint_model: Any) -> int:
    rows = json.loads(DEFAULTS.read_text(encoding="utf-8"))["playbooks"]
    touchpoints = {t.code: t for t in touchpoint_model.objects.filter(code__in=[r["touchpoint"] for r in rows])}
    have = set(playbook_model.objects.values_list("touchpoint__code", flat=True))
    new = [
        playbook_model(
            touchpoint=touchpoints[r["touchpoint"]],
            apology=r["apology"],
            fix_actions=r["fix_actions"],
            atonement=r["atonement"],
            atonement_limit=Decimal(r["atonement_limit"]),
            follow_up_days=r["follow_up_days"],
        )
        for r in rows
        if r["touchpoint"] in touchpoints and r["touchpoint"] not in have
    ]
    playbook_model.objects.bulk_create(new)
    return len(new)
