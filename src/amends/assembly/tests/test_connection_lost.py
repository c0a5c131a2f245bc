"""A database connection killed while a request is served (PostgreSQL's pg_terminate_backend from another
connection, as a failover or PgBouncer would) never answers 500: before the write committed it answers 503
with Retry-After and keeps nothing, after it the write's own answer; a retry with the same Idempotency-Key
returns the stored complaint. Pages answer a readable 503 page."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import psycopg
import pytest
from django.db import connection
from django.test import Client

from amends.core.tests.api_client import Api
from amends.correspondence.models import Message
from amends.intake.models import Complaint

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"),
]


@pytest.fixture(autouse=True)
def fresh_connection_after():
    """The test's own connection is the request's, killed: the next statement (the flush after the test) opens a
    new one."""
    yield
    connection.close()


class Killer:
    """Kills the request's database backend from a connection of its own at the first statement `when` picks
    (given the SQL and whether a transaction is open), before that statement runs."""

    def __init__(self, when: Callable[[str, bool], bool]):
        self.when = when
        self.killed = False
        self.seen: list[tuple[bool, str]] = []

    def __call__(self, execute, sql, params, many, context):
        in_atomic = connection.in_atomic_block
        self.seen.append((in_atomic, sql[:60]))
        if not self.killed and self.when(sql, in_atomic):
            self.killed = True
            pid = connection.connection.info.backend_pid
            settings = connection.settings_dict
            with psycopg.connect(
                host=settings["HOST"] or "127.0.0.1",
                port=settings["PORT"] or 5432,
                user=settings["USER"],
                password=settings["PASSWORD"] or None,
                dbname=settings["NAME"],
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)


def complaint(world):
    return {
        "channel": "hotline",
        "customer": {"id": world.individual.pk},
        "description": "换件清单未注明须交残，理赔时却扣残值300元。",
        "request": "全额赔付",
    }


def post_killing(api: Api, body, key: str, killer: Killer):
    with connection.execute_wrapper(killer):
        return api.post("/complaints", body, headers={"Idempotency-Key": key})


def test_killed_in_the_work_after_commit_answers_the_write(world):
    """The receipt notice leaves after commit (`on_commit`): its first statement runs on a killed connection.
    The complaint stands and is answered; the message stays queued for the worker's retry."""
    api, key = Api(world.token(world.frontline)), uuid.uuid4().hex

    def sending_the_notice(sql: str, in_atomic: bool) -> bool:
        return '"correspondence_message"' in sql and "FOR UPDATE" in sql

    killer = Killer(sending_the_notice)
    response = post_killing(api, complaint(world), key, killer)
    assert killer.killed, killer.seen
    assert response.status_code == 201, response.content
    stored = Complaint.objects.get()
    assert response.json()["id"] == stored.pk
    again = api.post("/complaints", complaint(world), headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.json()["id"] == stored.pk
    assert Complaint.objects.count() == 1
    assert Message.objects.get(complaint_id=stored.pk).status == "queued"


def test_killed_before_the_write_committed_answers_503_and_keeps_nothing(world):
    api, key = Api(world.token(world.frontline)), uuid.uuid4().hex

    def inside(sql: str, in_atomic: bool) -> bool:
        return in_atomic and 'INSERT INTO "intake_complaint"' in sql

    killer = Killer(inside)
    response = post_killing(api, complaint(world), key, killer)
    assert killer.killed, killer.seen
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["error"] == "database_unavailable" and body["detail"] and body["fields"] == {}
    assert not Complaint.objects.exists()
    again = api.post("/complaints", complaint(world), headers={"Idempotency-Key": key})
    assert again.status_code == 201
    assert Complaint.objects.get().pk == again.json()["id"]


def test_a_page_whose_connection_is_killed_answers_a_readable_503(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.handler)
    killer = Killer(lambda sql, in_atomic: "recovery_case" in sql)
    with connection.execute_wrapper(killer):
        response = client.get("/")
    assert killer.killed, killer.seen
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "text/html" in response["Content-Type"]
    assert "Try again" in response.content.decode() or "重试" in response.content.decode()


def test_a_session_read_on_a_killed_connection_answers_503_not_500(world):
    """Killed before any view runs (the session middleware's read): `handler500` still answers 503."""
    client = Client(raise_request_exception=False)
    client.force_login(world.handler)
    killer = Killer(lambda sql, in_atomic: "django_session" in sql)
    with connection.execute_wrapper(killer):
        response = client.get("/")
    assert killer.killed, killer.seen
    assert response.status_code == 503 and response["Retry-After"] == "5"
