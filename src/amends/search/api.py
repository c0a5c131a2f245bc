"""`GET /api/v1/search?q=`: the top bar's search for other systems and scripts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from amends.accounts.http import actor_of

from . import queries
from .limits import search_allow

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field("", max_length=200, description="a reference, name, phone, customer/policy/claim number or words")


class ResultOut(Schema):
    kind: str = Field(description="case, complaint, customer or note")
    id: int
    reference: str
    title: str
    url: str
    snippet: str


class SearchOut(Schema):
    results: list[ResultOut]
    partial: bool = Field(description="a word search ran out of time: add or lengthen a word")


@router.get("/search", response=SearchOut)
def search(request: HttpRequest, params: Query[SearchIn]) -> Any:
    """Cases, complaints, customers and notes in the caller's org subtree; rate-limited per person."""
    actor = actor_of(request)
    search_allow(actor)
    found = queries.search_all(actor, params.q)
    return {"results": [r.as_dict() for r in found.results], "partial": found.partial}
