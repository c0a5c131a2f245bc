"""What a figure was measured on: the machine, the Python and Django versions, the PostgreSQL server and its
settings. Every run prints this first, because a figure without its machine cannot be compared."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

import django

PG_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "synchronous_commit",
    "fsync",
    "max_connections",
    "jit",
)


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def database(connection: Any) -> dict[str, Any]:
    """The server behind a Django connection: vendor, version and the settings that move the figures."""
    if connection.vendor != "postgresql":
        import sqlite3

        return {"vendor": connection.vendor, "version": sqlite3.sqlite_version, "settings": {}}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s)", [list(PG_SETTINGS)])
        found = {name: _with_unit(setting, unit) for name, setting, unit in cursor.fetchall()}
    return {"vendor": "postgresql", "version": version, "settings": {k: found.get(k) for k in PG_SETTINGS}}


def _with_unit(setting: str, unit: str | None) -> str:
    if unit == "8kB" and setting.isdigit():
        return f"{int(setting) * 8 // 1024}MB"
    if unit == "kB" and setting.isdigit():
        return f"{int(setting) // 1024}MB" if int(setting) >= 1024 else f"{setting}kB"
    return setting + (unit or "")
