"""A per-process copy of something read from the database (the lexicon, the text model, the message
templates), checked against a cheap stamp at most every few seconds and dropped at once by `invalidate`.

No lock is held while the database is read. The reader is often inside a transaction (intake's), and any
statement it sends may first have to write the rows held back for one statement (`core.batch`), which can wait
for another transaction's row lock. A process-wide lock held across that wait stops every other thread of the
process; if one of them holds the row being waited for and wants the copy, neither ever goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class KeptCopy(Generic[T]):
    def __init__(self, stamp: Callable[[], Any], load: Callable[[Any], T], seconds: Callable[[], float]) -> None:
        """`stamp()` is cheap and changes whenever the source does; `load(stamp)` reads the whole copy;
        `seconds()` is how long a copy is trusted without a stamp check (0: checked on every use)."""
        self._read_stamp = stamp
        self._load = load
        self._seconds = seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._stamp: Any = None
        self._checked = 0.0
        self._generation = 0

    def get(self) -> T:
        now = time.monotonic()
        with self._lock:
            value, stamp, generation = self._value, self._stamp, self._generation
            due = value is None or now - self._checked >= self._seconds()
            if due:
                self._checked = now  # the others keep using the copy while this thread checks
        if not due:
            assert value is not None
            return value
        fresh = self._read_stamp()
        if value is not None and fresh == stamp:
            return value
        value = self._load(fresh)
        with self._lock:
            if self._generation == generation:  # not dropped meanwhile: an older read never replaces a newer
                self._value, self._stamp = value, fresh
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._value, self._stamp, self._checked = None, None, 0.0
            self._generation += 1
