"""The `amends` commands: token, demo, check-deploy, and serve under a real gunicorn."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.test import Client

from amends.accounts.models import ApiToken, User
from amends.cli import ALIASES, SUMMARY
from amends.core.management.commands import check_deploy
from amends.core.management.commands.serve import bind_address, default_workers, gunicorn_options
from amends.customers.models import Customer
from amends.recovery.models import Case


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_token_prints_a_token_that_opens_the_api(world):
    token = run("token", "handler").strip()
    assert token.startswith("amd_") and "\n" not in token
    response = Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert "items" in response.json()
    assert ApiToken.objects.filter(user=world.handler).count() == 1


@pytest.mark.django_db
def test_token_for_an_unknown_user_is_a_readable_error(world):
    with pytest.raises(CommandError, match="No user named “nosuchuser”"):
        run("token", "nosuchuser")


@pytest.mark.django_db
def test_token_is_refused_for_a_deactivated_user(world):
    User.objects.filter(pk=world.handler2.pk).update(is_active=False)
    with pytest.raises(CommandError, match="deactivated"):
        run("token", "handler2")


@pytest.mark.django_db
def test_demo_loads_once_and_prints_the_logins():
    first = run("demo", "--no-serve", "--customers", "200")
    assert "Loaded the demo insurer" in first
    for username in ("frontline", "handler", "supervisor", "quality", "admin", "amends-demo"):
        assert username in first
    counts = (Customer.objects.count(), Case.objects.count())
    second = run("demo", "--no-serve", "--customers", "200")
    assert "already loaded" in second
    assert (Customer.objects.count(), Case.objects.count()) == counts


def test_demo_refuses_a_port_that_is_not_a_number():
    with pytest.raises(CommandError, match="“notaport” is not a port number"):
        run("demo", "--port", "notaport")


@pytest.mark.django_db
def test_check_deploy_fails_in_test_mode_and_says_why():
    out = StringIO()
    with pytest.raises(CommandError, match="Not ready to go live"):
        call_command("check_deploy", stdout=out)
    text = out.getvalue()
    assert "AMENDS_MODE is 'test'" in text
    assert "SECRET_KEY is not set" in text
    assert "database reachable" in text


@pytest.mark.django_db
def test_check_deploy_passes_a_production_configuration(settings, monkeypatch):
    key = "k" * 20 + "Zq9!x" * 8
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("ALLOWED_HOSTS", "amends.example.cn")
    monkeypatch.setattr(check_deploy, "VENDOR_ASSETS", ("amends/amends.css",))
    settings.MODE, settings.SECRET_KEY, settings.DEBUG = "production", key, False
    settings.ALLOWED_HOSTS = ["amends.example.cn"]
    text = run("check_deploy")
    assert "Ready to go live: 0 error(s)" in text
    assert "✘" not in text


REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
def test_check_deploy_says_what_several_web_nodes_still_lack(settings):
    settings.AMENDS_NODE_NAME, settings.REDIS_URL = "web1", "redis://127.0.0.1:6379/15"
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": settings.REDIS_URL}}
    settings.AMENDS_PUBLIC_URL = "http://127.0.0.1:8000"
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_deploy", stdout=out)
    text = out.getvalue()
    assert "Redis reachable: one cache for every web node" in text
    assert "several web nodes with files on this node's disk" in text
    assert "links sent to customers would not reach you" in text


@pytest.mark.django_db
def test_check_deploy_reports_an_unreachable_redis(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": settings.REDIS_URL}}
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_deploy", stdout=out)
    assert "Redis at REDIS_URL unreachable" in out.getvalue()


def _findings(**kwargs: bool) -> str:
    return "\n".join(f"{f.level}: {f.text}" for f in check_deploy.several_machines_findings(**kwargs))


@pytest.mark.django_db
def test_check_deploy_says_whether_a_worker_runs_the_schedule():
    from datetime import timedelta

    from amends.core import clock, schedule, tasks

    assert "warning: no worker has run the schedule yet" in _findings()
    entry = schedule.Entry(tasks.purge_throttles, timedelta(minutes=1))
    assert schedule.claim(entry, clock.now() - timedelta(minutes=25))  # a worker that stopped 25 minutes ago
    assert "warning: no worker has claimed the schedule for 25 minutes" in _findings()
    assert schedule.claim(entry, clock.now())
    assert f"ok: a worker runs the schedule (last claimed 0 s ago by {schedule.WORKER})" in _findings()


@pytest.mark.django_db
def test_check_deploy_on_redis_counts_the_rq_workers_listening(settings):
    redis = pytest.importorskip("redis", reason="the rq extra is installed by the README's setup")
    from rq import Worker

    url = os.environ.get("AMENDS_TEST_CHECK_REDIS_URL", "redis://127.0.0.1:6379/11")
    settings.AMENDS_TASK_BACKEND, settings.REDIS_URL = "rq", url
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": url}}
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    assert "warning: no RQ worker is listening on Redis" in _findings()
    worker = Worker(["default"], connection=connection, name=f"check-deploy-{os.getpid()}")
    worker.register_birth()  # as `amends worker` does when it starts
    try:
        assert "ok: 1 RQ worker(s) listening on Redis" in _findings()
    finally:
        worker.register_death()
        connection.flushdb()


@pytest.mark.django_db
def test_check_deploy_refuses_a_public_url_this_installation_does_not_answer_to(settings):
    settings.ALLOWED_HOSTS = ["amends.example.cn"]
    settings.AMENDS_PUBLIC_URL = "https://tousu.example.cn"
    assert "error: AMENDS_PUBLIC_URL's host tousu.example.cn is not in ALLOWED_HOSTS" in _findings()
    settings.ALLOWED_HOSTS = ["amends.example.cn", ".example.cn"]
    assert "ok: links sent to customers point to https://tousu.example.cn" in _findings()


@pytest.mark.django_db
def test_check_deploy_on_a_named_node_shows_the_key_fingerprint_and_refuses_sqlite(settings):
    import hashlib

    from django.db import connection

    settings.AMENDS_NODE_NAME, settings.SECRET_KEY = "web2", "a" * 60
    text = _findings()
    assert f"ok: node web2; SECRET_KEY fingerprint {hashlib.sha256(b'a' * 60).hexdigest()[:12]}:" in text
    assert "a" * 60 not in text
    assert ("several web nodes on SQLite" in text) == (connection.vendor == "sqlite")


def test_gunicorn_gets_a_sensible_configuration():
    options = gunicorn_options(host="::1", port=8011, workers=None, threads=4, worker_class="gthread", access_log=False)
    assert options["bind"] == ["[::1]:8011"]
    assert 1 < options["workers"] == default_workers("gunicorn") <= 8
    assert 2 <= default_workers("granian") <= min(8, max(2, os.cpu_count() or 1))
    assert options["accesslog"] is None and options["preload_app"]
    assert bind_address("127.0.0.1", 80) == "127.0.0.1:80"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("server", "arguments"), [("granian", []), ("gunicorn", ["--server", "gunicorn"])])
def test_serve_runs_a_real_server_that_answers_healthz(tmp_path, server, arguments):
    port = _free_port()
    env = {
        **os.environ,
        "AMENDS_MODE": "dev",
        "AMENDS_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    command = [sys.executable, "-m", "amends.cli", "serve", "--port", str(port), "--workers", "1", "--threads", "2"]
    process = subprocess.Popen(
        [*command, *arguments], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        # Generous: this checks that serve starts the server, not how fast; a busy 2-core CI machine needs >10 s.
        deadline, answer = time.monotonic() + 45, None
        while time.monotonic() < deadline and answer is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    answer = (response.status, response.headers.get("Server", ""), json.load(response))
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                time.sleep(0.1)
        assert answer is not None, f"{server} did not answer /healthz within 45 s"
        status, server_header, body = answer
        assert status == 200 and body["database"] == "ok"
        assert server in server_header.lower()
        # A load balancer's health check (HAProxy's `option httpchk`) is HTTP/1.0 and names no host.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as bare:
            bare.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
            assert bare.makefile("rb").readline().split()[1] == b"200"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0


def test_a_refused_configuration_is_a_sentence_not_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "AMENDS_MODE", "DJANGO_SETTINGS_MODULE"}}
    env["AMENDS_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "amends.cli", "check-deploy"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "configuration refused: SECRET_KEY must be set" in done.stderr
    assert "Traceback" not in done.stderr


def production(*args: str) -> subprocess.CompletedProcess[str]:
    """`amends ARGS` with production settings and no secret key, as an operator's first try may be."""
    env = {k: v for k, v in os.environ.items() if k not in {"AMENDS_MODE", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "-m", "amends.cli", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_an_unknown_command_is_said_before_the_missing_secret_key():
    done = production("nosuchcommand")
    assert done.returncode == 1
    assert "Unknown command: 'nosuchcommand'" in done.stderr and "SECRET_KEY" not in done.stderr


def test_missing_arguments_are_said_before_the_missing_secret_key():
    done = production("token")
    assert done.returncode == 2
    assert "required: username" in done.stderr and "SECRET_KEY" not in done.stderr
    done = production("insights", "frobnicate")
    assert done.returncode == 2 and "invalid choice: 'frobnicate'" in done.stderr


def test_a_command_with_good_arguments_still_needs_the_secret_key():
    done = production("token", "alice")
    assert done.returncode == 1 and "configuration refused: SECRET_KEY must be set" in done.stderr


def summary_usages() -> dict[str, str]:
    """The usage part of each `amends NAME …` line of the help summary, by command name."""
    lines = re.findall(r"^  amends ([a-z-]+)(.*?)(?:\s{2,}|$)", SUMMARY, flags=re.MULTILINE)
    return {name: usage for name, usage in lines}


def test_the_help_summary_names_every_command_of_ours_and_its_subcommands():
    usages = summary_usages()
    shown = {module: dashed for dashed, module in ALIASES.items()}
    ours = {name: app for name, app in get_commands().items() if app.startswith("amends.")}
    assert {"demo", "serve", "worker", "token", "import", "text", "bench", "check_deploy"} <= set(ours)
    for name, app in ours.items():
        assert shown.get(name, name) in usages, f"amends.cli.SUMMARY does not mention `amends {shown.get(name, name)}`"
        words = set(re.split(r"[\s|\[\]]+", usages[shown.get(name, name)]))
        parser = load_command_class(app, name).create_parser("amends", name)
        for action in parser._actions:
            if not action.option_strings and action.choices:
                missing = {str(choice) for choice in action.choices} - words
                assert not missing, f"amends.cli.SUMMARY: `amends {name}` lacks {sorted(missing)}"


def test_help_lists_our_commands_without_any_configuration():
    env = {k: v for k, v in os.environ.items() if k not in {"AMENDS_MODE", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    done = subprocess.run(
        [sys.executable, "-m", "amends.cli", "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "amends token USERNAME" in done.stdout and "check_deploy" in done.stdout
    serve = subprocess.run(
        [sys.executable, "-m", "amends.cli", "serve", "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert serve.returncode == 0 and "--port" in serve.stdout
