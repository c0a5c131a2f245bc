"""Closed-loop HTTP load from aiohttp: `clients` coroutines each send one request, wait for the answer, send
the next, until the time is up. Every request and its answer are kept (key, body, status, id), so the run can
be checked afterwards for lost or duplicated complaints. Traffic goes to the loopback server only.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from .stats import Summary, rate, summarize

# One request to send: its Idempotency-Key and its JSON body.
RequestFactory = Callable[[], tuple[str, bytes]]


@dataclass
class Sent:
    key: str
    body: bytes
    status: int
    complaint_id: int | None
    latency: float


@dataclass
class LoadResult:
    clients: int
    elapsed: float
    sent: list[Sent] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def statuses(self) -> Counter[int]:
        return Counter(s.status for s in self.sent)

    @property
    def created(self) -> int:
        return sum(1 for s in self.sent if s.status == 201)

    @property
    def errors(self) -> int:
        return sum(1 for s in self.sent if s.status not in (200, 201))

    def latency(self) -> Summary:
        return summarize(s.latency for s in self.sent if s.status in (200, 201))

    def throughput(self) -> float:
        return rate(self.created, self.elapsed)

    def as_dict(self) -> dict[str, object]:
        return {
            "clients": self.clients,
            "seconds": round(self.elapsed, 3),
            "requests": len(self.sent),
            "created": self.created,
            "complaints_per_s": round(self.throughput(), 1),
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "failures": dict(self.failures.most_common(5)),
            "latency": self.latency().as_dict(),
        }


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


async def _post(
    session: aiohttp.ClientSession, url: str, token: str, key: str, body: bytes, result: LoadResult
) -> Sent:
    started = time.perf_counter()
    status, complaint_id = 0, None
    try:
        async with session.post(url, data=body, headers={**_headers(token), "Idempotency-Key": key}) as answer:
            status = answer.status
            payload = await answer.json(content_type=None)
            if status in (200, 201):
                complaint_id = int(payload["id"])
            else:
                result.failures[f"{status} {payload.get('error', '')}"] += 1
    except (TimeoutError, aiohttp.ClientError, ValueError, KeyError) as exc:
        result.failures[type(exc).__name__] += 1
    return Sent(key, body, status, complaint_id, time.perf_counter() - started)


async def _drive(
    base_url: str, token: str, factory: RequestFactory, clients: int, seconds: float, path: str
) -> LoadResult:
    url = base_url + path
    result = LoadResult(clients=clients, elapsed=0.0)
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        deadline = started + seconds

        async def client() -> None:
            while time.perf_counter() < deadline:
                key, body = factory()
                result.sent.append(await _post(session, url, token, key, body, result))

        await asyncio.gather(*(client() for _ in range(clients)))
        result.elapsed = time.perf_counter() - started
    return result


def drive(
    base_url: str,
    token: str,
    factory: RequestFactory,
    *,
    clients: int,
    seconds: float,
    path: str = "/api/v1/complaints",
) -> LoadResult:
    return asyncio.run(_drive(base_url, token, factory, clients, seconds, path))


async def _replay(base_url: str, token: str, sample: list[Sent]) -> list[Sent]:
    url = base_url + "/api/v1/complaints"
    scratch = LoadResult(clients=1, elapsed=0.0)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=4)) as session:
        return [await _post(session, url, token, s.key, s.body, scratch) for s in sample]


def replay(base_url: str, token: str, sample: list[Sent]) -> list[Sent]:
    """Send the same keys and bodies again: each must answer 200 with the id it was first given."""
    return asyncio.run(_replay(base_url, token, sample))


def get(base_url: str, paths: list[str], headers: dict[str, str], runs: int) -> tuple[int, list[float]]:
    """GET the paths in turn, `runs` times in all, one at a time (keep-alive where the server allows it).
    Returns the last status and the latencies; stops at the first answer that is not 200."""
    return asyncio.run(_get(base_url, paths, headers, runs))


async def _get(base_url: str, paths: list[str], headers: dict[str, str], runs: int) -> tuple[int, list[float]]:
    latencies: list[float] = []
    status = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:
        for i in range(runs):
            started = time.perf_counter()
            async with session.get(base_url + paths[i % len(paths)], headers=headers, allow_redirects=False) as answer:
                await answer.read()
                status = answer.status
            if status != 200:
                return status, latencies
            latencies.append(time.perf_counter() - started)
    return status, latencies
