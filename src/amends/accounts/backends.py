"""The login throttle: django-axes counts failed logins per account and per client address and refuses
further tries for a cool-off period (AXES_* in settings; docs/decisions/0041-login-throttle.md).

A sign-in without a request (the test client's `login`, a management command) has no address to count and
is not a person at the login page: it is passed on to the model backend unthrottled instead of refused.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottle(AxesStandaloneBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
