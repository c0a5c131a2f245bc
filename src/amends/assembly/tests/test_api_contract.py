"""The API against its own OpenAPI document, with schemathesis: every operation, generated inputs (bounded in
number so CI stays within its time), as a handler and as an admin. No answer may be a server error, a status
the document does not declare, a content type it does not declare or a body that does not match the response
schema declared for its status. Each generated call is made twice where its path names a case, complaint or
customer: as generated (mostly unknown ids: 404) and with the id of one the world holds, so the answers that
carry data are checked against their schemas too."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.failures: Counter[str] = Counter()
        self.calls = 0


def _exercise(operation, headers: dict[str, str], known: dict[str, int], tally: Tally) -> None:
    names = {p.name for p in operation.path_parameters}
    substitute = {name: value for name, value in known.items() if name in names}

    @given(operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def call(case):
        variants = [dict(case.path_parameters or {})]
        if substitute:
            variants.append({**(case.path_parameters or {}), **substitute})
        for path_parameters in variants:
            case.path_parameters = path_parameters
            response = case.call(headers=headers)
            tally.calls += 1
            tally.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except BaseExceptionGroup as exc:  # schemathesis raises a group of the failed checks
                first = str(exc).strip().splitlines()[:6]
                tally.failures[f"{case.method} {operation.path} {response.status_code}: {' | '.join(first)}"] += 1

    call()


@pytest.fixture
def connections_kept_open():
    """The WSGI handler closes the connection after each request; the test's transaction must survive it (as
    Django's own test client arranges)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["handler", "admin"])
def test_every_operation_answers_as_its_document_says(world, role, capsys, connections_kept_open):
    from amends.assembly.testing import receive

    complaint = receive(world.handler, world.individual)
    known = {"case_id": complaint.case_id, "complaint_id": complaint.pk, "customer_id": world.individual.pk}
    headers = {"Authorization": f"Bearer {world.token(getattr(world, role))}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), headers=headers)
    tally = Tally()
    operations = 0
    for result in schema.get_all_operations():
        operations += 1
        assert isinstance(result, Ok), result  # an operation the document describes wrongly fails here
        _exercise(result.ok(), headers, known, tally)
    with capsys.disabled():
        print(
            f"\nschemathesis as {role}: {operations} operations, {tally.calls} calls, statuses "
            f"{dict(sorted(tally.statuses.items()))}, {sum(tally.failures.values())} failed checks"
        )
        for failure, count in tally.failures.most_common(40):
            print(f"  {count}× {failure}")
    assert operations >= 56
    assert dict(tally.failures) == {}


def test_every_answer_with_a_body_is_a_named_schema(client):
    """No operation answers `response=dict` (an object the document says nothing about): each JSON answer is a
    named schema in components, and each error the one `ErrorOut`."""
    document = client.get("/api/v1/openapi.json").json()
    bare = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, answer in operation.get("responses", {}).items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema is None:
                    continue  # a file download (attachments) declares no JSON body
                ref = schema.get("$ref", "")
                if not ref.startswith("#/components/schemas/") or (int(status) >= 400 and not ref.endswith("ErrorOut")):
                    bare.append(f"{method.upper()} {path} {status}: {schema}")
    assert bare == []
