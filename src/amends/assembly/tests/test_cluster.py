"""Two web nodes behind HAProxy on one PostgreSQL (directly or through PgBouncer) and one Redis: a staff
session goes on from node to node, an edit of the lexicon on one node is in force on the other, and a node
killed mid-load loses nothing — every complaint acknowledged is stored once.

Real programs from Debian's packages (scripts/cluster-tools.sh installs them): HAProxy, PgBouncer, gunicorn
nodes started with `amends serve`, the shared PostgreSQL server and Redis of this machine.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.db import connection

from amends.assembly import cluster
from amends.assembly.testing import PASSWORD, World, make_world
from amends.intake.models import Complaint

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several web nodes share a PostgreSQL server"),
    pytest.mark.skipif(bool(cluster.missing_tools()), reason=f"needs {', '.join(cluster.missing_tools())}"),
    pytest.mark.django_db(transaction=True),
]
REDIS_URL = os.environ.get("AMENDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _database_url(port: int | None = None) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@127.0.0.1:{port or s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def two_nodes(
    tmp_path: Path, *, through_pgbouncer: bool = False
) -> Iterator[tuple[cluster.Balancer, list[cluster.Node]]]:
    with ExitStack() as stack:
        extra = {"REDIS_URL": REDIS_URL, "AMENDS_TEXT_CHECK_SECONDS": "1"}
        url = _database_url()
        if through_pgbouncer:
            bouncer = stack.enter_context(cluster.pgbouncer())
            url, extra["AMENDS_PGBOUNCER"] = _database_url(bouncer.port), "1"
        env = cluster.node_env(os.environ, url, **extra)
        nodes = [stack.enter_context(cluster.web_node(name, env)) for name in ("web1", "web2")]
        yield stack.enter_context(cluster.balancer(nodes, tmp_path)), nodes


class Client:
    """A browser or an API client of its own: cookies kept, the node that answered noted."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(
        self, method: str, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, str, str]:
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers.get("X-Served-By", ""), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("X-Served-By", ""), exc.read().decode()

    def sign_in(self, username: str) -> None:
        _, _, page = self.call("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        form = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        self.form("/accounts/login/", form)

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(fields).encode()
        return self.call("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def csrf(self, path: str) -> str:
        _, _, page = self.call("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

    def complaint(self, key: str, description: str, customer_id: int | None = None) -> tuple[int, str, dict]:
        # A new customer of their own unless one is named: writers do not queue on one customer's lock.
        customer = {"id": customer_id} if customer_id else {"name": f"客户{key}", "phone": "13800000000"}
        body = {
            "channel": "hotline",
            "customer": customer,
            "description": description,
            "request": "请尽快处理",
            "touchpoint": "auto_claim.assessment",
        }
        status, node, text = self.call(
            "POST",
            "/api/v1/complaints",
            json.dumps(body).encode(),
            {"Content-Type": "application/json", "Idempotency-Key": key},
        )
        return status, node, (json.loads(text) if text.startswith("{") else {})


@pytest.fixture
def world() -> World:
    return make_world()


def test_a_staff_session_goes_on_from_node_to_node(world, tmp_path):
    with two_nodes(tmp_path) as (lb, _nodes):
        browser = Client(lb.url)
        browser.sign_in(world.handler.username)
        served = [browser.call("GET", "/") for _ in range(6)]
    assert {status for status, _, _ in served} == {200}
    assert {node for _, node, _ in served} == {"web1", "web2"}  # round robin: both nodes knew the session
    assert all("投诉专员王芳" in page or world.handler.display_name in page for _, _, page in served)


def test_a_lexicon_edit_on_one_node_is_in_force_on_the_other_within_the_check_interval(world, tmp_path):
    term, sentence = "拿喇叭去你们门口喊", "再不赔我就拿喇叭去你们门口喊，让大家都知道"
    with two_nodes(tmp_path) as (_lb, (web1, web2)):
        api = Client(web2.url, token=world.token(world.frontline))
        _, _, before = api.complaint(str(uuid.uuid4()), sentence, world.individual.pk)
        quality = Client(web1.url)
        quality.sign_in(world.quality.username)
        fields = {"csrfmiddlewaretoken": quality.csrf("/lexicon/"), "kind": "trigger", "flag": "media", "term": term}
        assert quality.form("/lexicon/", fields)[0] in (200, 302)
        time.sleep(1 + 0.5)  # AMENDS_TEXT_CHECK_SECONDS=1: any request that starts later sees the edit
        after = [api.complaint(str(uuid.uuid4()), sentence, world.individual.pk) for _ in range(4)]
    assert not any(f["code"] == "media" for f in before.get("flags", []))
    assert {node for _, node, _ in after} == {"web2"}
    assert all(any(f["code"] == "media" for f in answer.get("flags", [])) for _, _, answer in after)


def _wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert condition(), "the load did not get there in time"


@pytest.mark.parametrize("through_pgbouncer", [False, True], ids=["direct", "pgbouncer"])
def test_a_node_killed_mid_load_loses_nothing(world, tmp_path, through_pgbouncer):
    acknowledged: dict[str, int] = {}
    after_the_kill: list[str] = []
    lock, stop, killed = threading.Lock(), threading.Event(), threading.Event()
    token = world.token(world.frontline)

    def writer(lb_url: str, n: int) -> None:
        client = Client(lb_url, token=token)
        i = 0
        while not stop.is_set():
            key = f"w{n}-{i}"
            for _attempt in range(20):  # a client retries with the same key until it is answered
                status, _, answer = client.complaint(key, f"第{n}号坐席的第{i}件投诉")
                if status in (200, 201):
                    with lock:
                        acknowledged[key] = answer["id"]
                        if killed.is_set():
                            after_the_kill.append(key)
                    break
                time.sleep(0.2)
            i += 1

    with two_nodes(tmp_path, through_pgbouncer=through_pgbouncer) as (lb, (web1, _web2)):
        threads = [threading.Thread(target=writer, args=(lb.url, n)) for n in range(6)]
        for t in threads:
            t.start()
        _wait_for(lambda: len(acknowledged) >= 12)  # under way on both nodes (however busy the machine)
        web1.kill()  # mid-load, without warning
        killed.set()
        _wait_for(lambda: len(after_the_kill) >= 12)
        stop.set()
        for t in threads:
            t.join(timeout=120)
    stored = dict(Complaint.objects.filter(idempotency_key__isnull=False).values_list("idempotency_key", "pk"))
    assert {k: stored.get(k) for k in acknowledged} == acknowledged  # every acknowledged one, with its id
    assert len(stored) == len(acknowledged)  # and nothing stored twice or unanswered


def test_a_message_a_request_writes_goes_through_redis_when_tasks_are_on_rq(world, tmp_path):
    """AMENDS_TASK_BACKEND=rq: the request only queues the message; it waits on Redis until a worker sends it."""
    redis = pytest.importorskip("redis", reason="the rq extra is installed by the README's setup")
    from rq import Queue

    from amends.assembly.testing import receive
    from amends.correspondence.models import Message

    url = os.environ.get("AMENDS_TEST_RQ_REDIS_URL", "redis://127.0.0.1:6379/12")
    conn = redis.Redis.from_url(url)
    conn.flushdb()
    case_id = receive(world.handler, world.individual).case_id
    sms = {"AMENDS_DATA_DIR": str(tmp_path), "AMENDS_SMS_BACKEND": "amends.correspondence.sms.FileBackend"}
    rq = {"REDIS_URL": url, "AMENDS_TASK_BACKEND": "rq", "AMENDS_MODE": "dev"}  # the test mode runs tasks at once
    env = cluster.node_env(os.environ, _database_url(), **rq, **sms)
    body = json.dumps({"channel": "sms", "body": "您好，您的理赔已进入复核，三个工作日内给您答复。"}).encode()
    with cluster.web_node("web1", env) as node:
        api = Client(node.url, token=world.token(world.admin))
        status, _, answer = api.call(
            "POST", f"/api/v1/cases/{case_id}/messages", body, {"Content-Type": "application/json"}
        )
    assert status == 201, answer
    message = Message.objects.get(pk=json.loads(answer)["id"])
    assert message.status == "queued" and Queue("default", connection=conn).count == 1  # on Redis, not yet sent
    worker = [sys.executable, "-m", "amends.cli", "worker", "--batch", "--verbosity", "0"]
    subprocess.run(worker, env=env, check=True, timeout=300)
    message.refresh_from_db()
    assert message.status == "sent" and Queue("default", connection=conn).count == 0
    assert "三个工作日内给您答复" in (tmp_path / "sms.log").read_text(encoding="utf-8")
    conn.flushdb()
