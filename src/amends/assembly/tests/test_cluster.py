"""Two web nodes behind HAProxy on one PostgreSQL (directly or through PgBouncer) and one Redis: a staff
session goes on from node to node, an edit of the lexicon on one node is in force on the other, and a node
killed mid-load loses nothing — every complaint acknowledged is stored once.

Real programs from Debian's packages (scripts/cluster-tools.sh installs them): HAProxy, PgBouncer, gunicorn
nodes started with `amends serve`, the shared PostgreSQL server and Redis of this machine.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import io
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
    tmp_path: Path, *, through_pgbouncer: bool = False, shared: dict[str, str] | None = None, own_media: bool = False
) -> Iterator[tuple[cluster.Balancer, list[cluster.Node]]]:
    """`shared`: more settings every node has (a file store's); `own_media`: each node a local media folder of
    its own, as on separate machines, so that only a shared store can give one node's files to the other."""
    with ExitStack() as stack:
        extra = {"REDIS_URL": REDIS_URL, "AMENDS_TEXT_CHECK_SECONDS": "1", **(shared or {})}
        url = _database_url()
        if through_pgbouncer:
            bouncer = stack.enter_context(cluster.pgbouncer())
            url, extra["AMENDS_PGBOUNCER"] = _database_url(bouncer.port), "1"
        env = cluster.node_env(os.environ, url, **extra)
        nodes = []
        for name in ("web1", "web2"):
            media = {"AMENDS_MEDIA_ROOT": str(tmp_path / name / "media")} if own_media else {}
            nodes.append(stack.enter_context(cluster.web_node(name, {**env, **media})))
        yield stack.enter_context(cluster.balancer(nodes, tmp_path)), nodes


class Client:
    """A browser or an API client of its own: cookies kept, the node that answered noted."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(
        self, method: str, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, str, str]:
        status, node, body = self.fetch(method, path, data, headers)
        return status, node, body.decode()

    def fetch(
        self, method: str, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, str, bytes]:
        """As `call`, the answer's bytes as they came (a downloaded file)."""
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers.get("X-Served-By", ""), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("X-Served-By", ""), exc.read()
        except (OSError, http.client.HTTPException):
            # No whole answer (the node died with the connection open or mid-body, a reset, a timeout): status
            # 0. A client cannot tell whether the write happened, so it asks again with the same key.
            return 0, "", b""

    def upload(self, path: str, name: str, content: bytes, fields: dict[str, str]) -> tuple[int, str, dict]:
        """A multipart form with one file in `file`, as a browser or an API client sends it."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        head += "Content-Type: application/octet-stream\r\n\r\n"
        body = b"".join(parts) + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        status, node, text = self.call(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        return status, node, (json.loads(text) if text.startswith("{") else {})

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
        customer: dict[str, object] = (
            {"id": customer_id} if customer_id else {"name": f"客户{key}", "phone": "13800000000"}
        )
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
        try:
            return status, node, (json.loads(text) if text.startswith("{") else {})
        except ValueError:  # a body cut short: no answer
            return 0, node, {}


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
    unanswered: list[str] = []
    lock, stop, killed = threading.Lock(), threading.Event(), threading.Event()
    token = world.token(world.frontline)

    def writer(lb_url: str, n: int) -> None:
        client = Client(lb_url, token=token)
        i = 0
        while not stop.is_set():
            key = f"w{n}-{i}"
            give_up = time.monotonic() + 90
            # A client retries with the same key until it is answered (also after `stop`: it finishes its key).
            while time.monotonic() < give_up:
                status, _, answer = client.complaint(key, f"第{n}号坐席的第{i}件投诉")
                if status in (200, 201):
                    with lock:
                        acknowledged[key] = answer["id"]
                        if killed.is_set():
                            after_the_kill.append(key)
                    break
                time.sleep(0.2)
            else:
                with lock:
                    unanswered.append(key)
            i += 1

    with two_nodes(tmp_path, through_pgbouncer=through_pgbouncer) as (lb, (web1, _web2)):
        # Daemon threads, stopped however the test ends: a failed wait must not leave writers keeping pytest alive.
        threads = [threading.Thread(target=writer, args=(lb.url, n), daemon=True) for n in range(6)]
        for t in threads:
            t.start()
        try:
            _wait_for(lambda: len(acknowledged) >= 12)  # under way on both nodes (however busy the machine)
            web1.kill()  # mid-load, without warning
            killed.set()
            _wait_for(lambda: len(after_the_kill) >= 12)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=120)
    assert not unanswered, f"never answered in 90 s of retries: {unanswered}"
    stored = dict(Complaint.objects.filter(idempotency_key__isnull=False).values_list("idempotency_key", "pk"))
    assert {k: stored.get(k) for k in acknowledged} == acknowledged  # every acknowledged one, with its id
    assert set(stored) - set(acknowledged) == set()  # and nothing stored that no one was told of


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


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_an_attachment_uploaded_through_one_node_is_downloaded_through_the_other(world, tmp_path):
    """Files on the shared S3 store (moto's server): each node has a local media folder of its own, as separate
    machines would, so the download on the second node can only come from the store. The download stays
    scope-checked there, and a decision letter issued on one node prints on the other."""
    pytest.importorskip("storages", reason="the s3 extra is installed by the README's setup")
    import boto3

    from amends.assembly.testing import receive
    from amends.intake.models import DecisionLetter

    complaint = receive(world.handler, world.individual)
    photo = _photo()
    with cluster.s3_store() as store, two_nodes(tmp_path, shared=store.env(), own_media=True) as (_lb, (web1, web2)):
        on_web1 = Client(web1.url, token=world.token(world.handler))
        status, node, added = on_web1.upload(
            f"/api/v1/cases/{complaint.case_id}/attachments", "定损照片.jpg", photo, {"note": "前保险杠"}
        )
        assert (status, node) == (201, "web1"), added
        download = f"/api/v1/cases/{complaint.case_id}/attachments/{added['id']}"
        on_web2 = Client(web2.url, token=world.token(world.handler2))  # a colleague of the same centre
        got = on_web2.fetch("GET", download)
        outsider = Client(web2.url, token=world.token(world.beijing_handler)).fetch("GET", download)
        browser = Client(web2.url)  # the staff page's own download link, with a session
        browser.sign_in(world.supervisor.username)
        page_download = browser.fetch("GET", f"/attachments/{added['id']}/")
        thumbnail = browser.fetch("GET", f"/attachments/{added['id']}/thumbnail/")
        decision = {"decision": "部分赔付", "result": "partly_upheld", "at_fault": True, "facts": "残件已交齐。"}
        decided = on_web1.call(
            "POST",
            f"/api/v1/complaints/{complaint.pk}/decision",
            json.dumps(decision).encode(),
            {"Content-Type": "application/json"},
        )
        letter = DecisionLetter.objects.get(complaint=complaint)
        printed = browser.call("GET", f"/letters/{letter.pk}/")
        keys = boto3.client("s3", endpoint_url=store.endpoint, **_credentials(store)).list_objects_v2(
            Bucket=store.bucket
        )
    assert got[:2] == (200, "web2") and got[2] == photo  # the same bytes, from the other node
    assert outsider[0] == 404 and outsider[2] != photo  # out of scope on that node too: as if it did not exist
    assert page_download[:2] == (200, "web2") and page_download[2] == photo
    assert thumbnail[0] == 200 and thumbnail[2][:3] == b"\xff\xd8\xff"
    assert not any((tmp_path / name / "media").exists() for name in ("web1", "web2"))  # nothing kept locally
    stored = {item["Key"] for item in keys.get("Contents", [])}
    assert len(stored) == 2 and all(key.startswith("evidence/") for key in stored)  # the file and its thumbnail
    assert decided[:2] == (200, "web1"), decided
    assert printed[:2] == (200, "web2") and "残件已交齐" in printed[2]


def _credentials(store: cluster.S3Store) -> dict[str, str]:
    env = store.env()
    return {
        "region_name": env["AMENDS_S3_REGION"],
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
    }
