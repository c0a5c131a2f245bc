"""A thin JSON client over Django's test client: the full request stack, with a bearer token."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class Api:
    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None):
        raw = body if isinstance(body, str | bytes) else json.dumps(body, default=str)
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        return self.client.post(f"/api/v1{path}", raw, content_type="application/json", **self.headers, **extra)
