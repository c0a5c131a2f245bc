"""Loading the shipped journey catalogue (catalogue.json): used by a data migration and by `amends demo`.

Loading is idempotent: journeys and touchpoints are matched on their codes, and an admin's later edits to
criticality or focus points are kept unless `overwrite` is asked for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).with_name("catalogue.json")


def load(journey_model: Any, touchpoint_model: Any, *, overwrite: bool = False) -> int:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    count = 0
    for jpos, j in enumerate(data["journeys"]):
        journey, _ = journey_model.objects.get_or_create(
            code=j["code"], defaults={"names": j["names"], "position": jpos}
        )
        for tpos, t in enumerate(j["touchpoints"]):
            values = {
                "journey": journey,
                "names": t["names"],
                "criticality": t["criticality"],
                "encounter": t["encounter"],
                "focus_points": t["focus_points"],
                "position": tpos,
            }
            code = f"{j['code']}.{t['moment']}"
            if overwrite:
                touchpoint_model.objects.update_or_create(code=code, defaults=values)
            else:
                touchpoint_model.objects.get_or_create(code=code, defaults=values)
            count += 1
    return count
