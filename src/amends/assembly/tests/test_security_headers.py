"""Headers and sessions as a bank's web team expects (issue 17): CSP with our own scripts only, no framing,
Permissions-Policy, Referrer-Policy, nosniff, HSTS behind TLS, an idle timeout, and Swagger UI served from our
own static files."""

from django.test import Client, override_settings


def test_every_answer_carries_the_security_headers(world):
    for path in ("/accounts/login/", "/complain/", "/api/v1/openapi.json", "/healthz"):
        response = Client().get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=31536000)
def test_behind_the_tls_proxy_answers_carry_hsts(world):
    response = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_no_page_has_an_inline_script_or_handler(world):
    import re

    client = Client()
    client.force_login(world.admin)
    for path in ("/", "/complain/", "/insights/", "/discretion/report/", "/api/v1/docs", "/accounts/login/"):
        html = client.get(path).content.decode()
        inline = [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s and "application/json" not in s]
        assert inline == [], path
        assert not re.search(r"\son[a-z]+=", html), path
        assert "cdn." not in html and "unpkg" not in html, path


def test_swagger_ui_is_served_locally(world):
    client = Client()
    client.force_login(world.admin)
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_a_staff_session_ends_after_eight_idle_hours_and_each_request_renews_it(world, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    client = Client()
    client.force_login(world.handler)
    response = client.get("/")
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
