"""The demo's rectification (整改): the root cause the demo's year keeps returning to — salvage parts the stamped
parts list never named — fixed at the touchpoint, done long enough ago that the before/after comparison of
failures and complaints at that touchpoint has months on both sides."""

from __future__ import annotations

from datetime import datetime, timedelta

from amends.accounts.models import User
from amends.core import clock
from amends.improvement import services as improvement

DAY = timedelta(days=1)


def seed_rectification(*, staff: dict[str, User], today: datetime) -> int:
    quality = staff["quality"]
    opened = today - 170 * DAY + timedelta(hours=10)
    with clock.frozen(opened):
        rectification = improvement.rectification_open(
            actor=quality,
            touchpoint="auto_claim.salvage",
            cause="company",
            title="换件清单须列明全部交残零件，理赔系统只认清单",
            action="定损员出具换件清单时逐项勾选是否交残；理赔系统的残值扣款只依据盖章清单，清单外零件不得扣款。",
            owner=quality.username,
            due_date=(opened + 30 * DAY).date(),
        )
    with clock.frozen(opened + 5 * DAY):
        improvement.rectification_update(
            actor=quality, rectification_id=rectification.pk, version=rectification.version, status="in_progress"
        )
    done = opened + 25 * DAY
    with clock.frozen(done):
        improvement.rectification_update(
            actor=quality,
            rectification_id=rectification.pk,
            version=rectification.version + 1,
            status="done",
            note="新版换件清单与理赔系统校验规则已上线。",
            effective_at=done,
        )
    return 1
