"""Who is asking: the API's bearer token (`BearerToken`, `actor_of`) and a staff page's signed-in user
(`staff_page`, `staff`).

A token is checked with one indexed look-up of its digest (`tokens.user_for_token`), never a password hash per
request. Pages leave permission to the access helpers: their NotFound becomes a 404 and Forbidden a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja.security import HttpBearer

from amends.core.errors import Forbidden, NotFound

from .models import User
from .tokens import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def actor_of(request: HttpRequest) -> User:
    """The authenticated staff member of an API request (set by `BearerToken`)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for signed-in staff: anonymous visitors go to the login page; a NotFound from an access helper
    becomes a 404 and a Forbidden a 403, so pages never decide permission themselves."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.detail) from exc

    return login_required(wrapper)


def staff(request: HttpRequest) -> User:
    """The signed-in staff member of a page request (`staff_page` has already sent anonymous visitors away)."""
    return cast(User, request.user)
