"""A per-process copy: read once, checked by its stamp, dropped on request, and never read under a lock."""

import threading

from amends.core.kept_copy import KeptCopy


class Source:
    def __init__(self) -> None:
        self.version = 1
        self.loads = 0
        self.stamps = 0

    def stamp(self) -> int:
        self.stamps += 1
        return self.version

    def load(self, stamp: int) -> str:
        self.loads += 1
        return f"v{self.version}"


def test_the_copy_is_read_once_and_again_only_when_its_stamp_changes():
    source = Source()
    kept = KeptCopy(source.stamp, source.load, lambda: 0)
    assert [kept.get(), kept.get()] == ["v1", "v1"] and source.loads == 1 and source.stamps == 2
    source.version = 2
    assert kept.get() == "v2" and source.loads == 2


def test_within_the_interval_no_stamp_is_read_and_invalidate_drops_the_copy():
    source = Source()
    kept = KeptCopy(source.stamp, source.load, lambda: 3600)
    kept.get()
    source.version = 2
    assert kept.get() == "v1" and source.stamps == 1  # trusted for the interval
    kept.invalidate()
    assert kept.get() == "v2"


def test_other_threads_are_served_while_one_reads_the_source():
    """The reader may be waiting on a row lock inside its transaction: nobody else may wait for it."""
    reading, release = threading.Event(), threading.Event()
    source = Source()
    kept = KeptCopy(source.stamp, source.load, lambda: 0)
    kept.get()

    def slow_stamp() -> int:
        reading.set()
        release.wait(10)
        return source.version

    kept._read_stamp = slow_stamp
    slow = threading.Thread(target=kept.get)
    slow.start()
    assert reading.wait(10)
    kept._read_stamp = source.stamp
    answered: list[str] = []
    other = threading.Thread(target=lambda: answered.append(kept.get()))
    other.start()
    other.join(5)
    release.set()
    slow.join(5)
    assert answered == ["v1"], "a second thread waited for the first one's database read"


def test_a_read_that_raced_an_invalidation_does_not_replace_the_newer_copy():
    source = Source()
    kept = KeptCopy(source.stamp, source.load, lambda: 0)
    kept.get()
    source.version = 2

    def load_then_invalidate(stamp: int) -> str:
        value = source.load(stamp)
        kept.invalidate()  # an edit committed in this process while this read was under way
        return value

    kept._load = load_then_invalidate
    assert kept.get() == "v2"
    kept._load = source.load
    source.version = 3
    assert kept.get() == "v3" and kept._stamp == 3
