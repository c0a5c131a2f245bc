import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
django_application = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django's application, with a request that names no host (an HTTP/1.0 health check from a load balancer)
    treated as WSGI says: granian passes an empty `Host`, which Django would refuse as invalid, where gunicorn
    leaves it out and Django falls back to the server's name."""
    if not environ.get("HTTP_HOST"):
        environ.pop("HTTP_HOST", None)
    return django_application(environ, start_response)
