"""Configuration from the environment: safe defaults, insecure ones refused outside the demo; /healthz."""

import os
import subprocess
import sys

import pytest

BASE_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"AMENDS_MODE", "SECRET_KEY", "ALLOWED_HOSTS", "AMENDS_DEBUG", "DJANGO_SETTINGS_MODULE"}
}


def load_settings(**env):
    code = "import amends.settings as s; print(s.TIME_ZONE, s.LANGUAGE_CODE, s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], env={**BASE_ENV, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(ALLOWED_HOSTS="amends.example.cn")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_published_development_key():
    result = load_settings(
        SECRET_KEY="amends-insecure-development-key-do-not-use-in-production", ALLOWED_HOSTS="amends.example.cn"
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="a.example.cn", AMENDS_DEBUG="1")
    assert result.returncode != 0 and "AMENDS_DEBUG" in result.stderr


def test_production_needs_allowed_hosts():
    result = load_settings(SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_proper_settings_and_safe_defaults():
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="amends.example.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Asia/Shanghai", "zh-hans", "False"]


def test_the_demo_needs_no_configuration():
    result = load_settings(AMENDS_MODE="demo")
    assert result.returncode == 0, result.stderr


def test_the_time_zone_is_configurable():
    result = load_settings(AMENDS_MODE="demo", AMENDS_TIME_ZONE="Europe/London")
    assert result.stdout.split()[0] == "Europe/London"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AMENDS_CLOCK_BASE_DAYS", "abc", "AMENDS_CLOCK_BASE_DAYS must be a whole number, not 'abc'"),
        ("AMENDS_APPROVAL_HOURS", "-4", "AMENDS_APPROVAL_HOURS must be a number of at least 0, not '-4'"),
        ("AMENDS_WORKDAYS", "0,1,7", "AMENDS_WORKDAYS must be a comma-separated list of weekdays, 0 (Monday) to 6"),
        ("AMENDS_HOLIDAYS", "2026-10-01,2026-13-01", "AMENDS_HOLIDAYS must be a comma-separated list of ISO dates"),
    ],
)
def test_a_malformed_value_is_refused_with_its_name_not_a_value_error(variable, value, message):
    result = load_settings(AMENDS_MODE="demo", **{variable: value})
    assert result.returncode != 0 and message in result.stderr
    assert "ValueError" not in result.stderr


def test_valid_values_are_read_as_they_always_were():
    code = (
        "import amends.settings as s; "
        "print(s.AMENDS_CLOCK, s.AMENDS_CALLBACK_RATES, s.AMENDS_WORKING_CALENDAR, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {
        **BASE_ENV,
        "AMENDS_MODE": "demo",
        "AMENDS_CLOCK_BASE_DAYS": "56",
        "AMENDS_CLOCK_FURTHER_DAYS": "0",
        "AMENDS_CALLBACK_RATE": "0.2",
        "AMENDS_WORKDAYS": "0,1,2,3,4,5",
        "AMENDS_HOLIDAYS": "2026-10-01,2026-10-02,",
        "AMENDS_BEHIND_TLS_PROXY": "1",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "{'base_days': 56, 'extended_days': 30, 'further_days': 0, 'counting': 'days', "
        "'roll_to_working_day': True, 'day_ends': '23:59:59', 'min_reason_chars': 5, 'review_request_days': 30, "
        "'review_days': 30} {'default': 0.2} "
        "{'start': '09:00', 'end': '18:00', 'weekdays': [0, 1, 2, 3, 4, 5], "
        "'holidays': ['2026-10-01', '2026-10-02'], 'workdays': []} ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AMENDS_TASK_BACKEND": "celery"}, "AMENDS_TASK_BACKEND must be one of db, rq, not 'celery'"),
        ({"AMENDS_TASK_BACKEND": "rq"}, "AMENDS_TASK_BACKEND=rq needs REDIS_URL"),
        (
            {"AMENDS_TASK_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/0", "DATABASE_URL": "sqlite:///x.db"},
            "need a shared database: set DATABASE_URL to PostgreSQL",
        ),
    ],
)
def test_tasks_on_redis_are_refused_without_what_they_need(env, message):
    result = load_settings(AMENDS_MODE="demo", **env)
    assert result.returncode != 0 and message in result.stderr


def test_redis_gives_every_web_node_one_cache_and_rq_the_task_queue():
    code = "import amends.settings as s; print(s.TASKS['default']['BACKEND'], s.CACHES['default']['BACKEND'])"
    env = {
        **BASE_ENV,
        "AMENDS_MODE": "demo",
        "AMENDS_TASK_BACKEND": "rq",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/amends",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["django_tasks_rq.RQBackend", "django.core.cache.backends.redis.RedisCache"]


@pytest.mark.parametrize(
    ("env", "threshold"),
    [
        ({}, "5"),  # Django's default is never to prepare
        ({"AMENDS_PG_PREPARE_THRESHOLD": "0"}, "None"),
        ({"AMENDS_PGBOUNCER": "1"}, "-"),  # a pooler's connection is another client's between transactions
    ],
)
def test_postgresql_statements_are_prepared_unless_behind_pgbouncer(env, threshold):
    code = "import amends.settings as s; print(s.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold', '-'))"
    env = {**BASE_ENV, "AMENDS_MODE": "demo", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/amends", **env}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [threshold], result.stderr


def test_an_unknown_mode_is_refused():
    result = load_settings(AMENDS_MODE="yolo")
    assert result.returncode != 0 and "AMENDS_MODE" in result.stderr


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert client.head("/healthz").status_code == 200  # a balancer's or monitor's HEAD check
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    from django.db import connections

    broken = dict(connections["default"].settings_dict)
    if broken["ENGINE"].endswith("sqlite3"):
        broken["NAME"] = "/nonexistent-dir/amends.sqlite3"
    else:
        broken["PORT"] = "1"
    connections["default"].close()
    original = connections["default"].settings_dict
    connections["default"].settings_dict = broken
    try:
        response = client.get("/healthz")
    finally:
        connections["default"].close()
        connections["default"].settings_dict = original
    assert response.status_code == 503 and response.json()["database"] == "unreachable"
