"""Where the machine's CPU went during a measurement: the application server, PostgreSQL, this process (the
load generator) and everything else. On a shared 2-core machine a figure means little without the last one,
so every HTTP run reports it. Reads /proc only (Linux); elsewhere it reports nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: str) -> tuple[str, int, int] | None:
    """(command name, parent pid, user+system ticks) of one process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw.rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if int(pid) == os.getpid():
        # Children this process ran and reaped (pgbench) are accounted to it here.
        ticks += int(fields[13]) + int(fields[14])
    return name, int(fields[1]), ticks


def _snapshot() -> tuple[int, int, dict[int, tuple[str, int, int]]]:
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return 0, 0, {}
    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(entry)) is not None:
            procs[int(entry)] = stat
    return sum(values), values[3] + values[4], procs


def _descendants(root: int, procs: dict[int, tuple[str, int, int]]) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (_, ppid, _) in procs.items() if ppid == parent and pid not in found]
        found.update(children)
        frontier += children
    return found


@dataclass
class CpuUse:
    """Cores used on average over the interval, by whom."""

    seconds: float
    busy: float
    server: float
    postgres: float
    bench: float
    other: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in self.__dict__.items()}


class CpuMeter:
    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid
        self.start = _snapshot()

    def stop(self, seconds: float, foreign_pids: set[int] | frozenset[int] = frozenset()) -> CpuUse | None:
        """`foreign_pids`: PostgreSQL backends serving other databases, counted as other work."""
        total0, idle0, before = self.start
        total1, idle1, after = _snapshot()
        if not total1 or total1 == total0 or seconds <= 0:
            return None
        cores = os.cpu_count() or 1
        busy = (1 - (idle1 - idle0) / (total1 - total0)) * cores
        server = _descendants(self.server_pid, after) if self.server_pid else set()
        mine = os.getpid()
        used = {"server": 0, "postgres": 0, "load": 0, "other": 0}
        for pid, (name, _, ticks) in after.items():
            delta = ticks - before[pid][2] if pid in before else ticks
            if pid in server:
                used["server"] += delta
            elif name.startswith("postgres") and pid not in foreign_pids:
                used["postgres"] += delta
            elif pid == mine:
                used["load"] += delta
            else:
                used["other"] += delta

        def cores_of(ticks: int) -> float:
            return ticks / TICKS / seconds

        return CpuUse(
            seconds,
            busy,
            cores_of(used["server"]),
            cores_of(used["postgres"]),
            cores_of(used["load"]),
            cores_of(used["other"]),
        )
