"""Which classifier suggests codes in this process: the newest `TextModel` row, else the starter model.

Models live in the database (not a file) so every web process and host behind the load balancer reads the
same one without a shared disk, and a model and the codes it was trained on are backed up together. The
loaded model is kept per process; the newest id is looked up at most every AMENDS_TEXT_CHECK_SECONDS.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings

from .classifier import Classifier, loads
from .models import TextModel
from .starter import starter_model

_lock = threading.Lock()
_state: dict[str, Any] = {"id": None, "model": None, "checked": 0.0}


def current() -> Classifier:
    with _lock:
        now = time.monotonic()
        if _state["model"] is not None and now - _state["checked"] < settings.AMENDS_TEXT_CHECK_SECONDS:
            return _state["model"]
        newest = TextModel.objects.order_by("-id").values_list("id", flat=True).first()
        if newest is None:
            _state["id"], _state["model"] = None, starter_model()
        elif newest != _state["id"]:
            blob = TextModel.objects.values_list("blob", flat=True).get(pk=newest)
            _state["id"], _state["model"] = newest, loads(bytes(blob), f"model:{newest}")
        _state["checked"] = now
        return _state["model"]


def forget() -> None:
    with _lock:
        _state.update(id=None, model=None, checked=0.0)
