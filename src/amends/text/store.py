"""Which classifier suggests codes in this process: the newest `TextModel` row, else the starter model.

Models live in the database (not a file) so every web process and host behind the load balancer reads the
same one without a shared disk, and a model and the codes it was trained on are backed up together. The
loaded model is kept per process; the newest id is looked up at most every AMENDS_TEXT_CHECK_SECONDS.
"""

from __future__ import annotations

from django.conf import settings

from amends.core.kept_copy import KeptCopy

from .classifier import Classifier, loads
from .models import TextModel
from .starter import starter_model


def _newest() -> int | None:
    return TextModel.objects.order_by("-id").values_list("id", flat=True).first()


def _load(newest: int | None) -> Classifier:
    if newest is None:
        return starter_model()
    blob = TextModel.objects.values_list("blob", flat=True).get(pk=newest)
    return loads(bytes(blob), f"model:{newest}")


_kept: KeptCopy[Classifier] = KeptCopy(_newest, _load, lambda: settings.AMENDS_TEXT_CHECK_SECONDS)


def current() -> Classifier:
    return _kept.get()


def forget() -> None:
    _kept.invalidate()
