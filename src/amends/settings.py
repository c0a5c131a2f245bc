"""Django settings for Amends, read from environment variables.

SQLite is the embedded default (WAL, busy timeout, IMMEDIATE transactions so concurrent writers queue);
PostgreSQL by `DATABASE_URL`. Insecure defaults (the development secret key, DEBUG) are refused unless
`AMENDS_MODE` is `demo`, `dev` or `test`; `amends demo` and the test suite set it themselves.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.dateparse import parse_date

from amends.core.environment import env_bool, env_choice, env_float, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent
REPO_DIR = SRC_DIR.parent.parent
DATA_DIR = Path(env_str("AMENDS_DATA_DIR", str(REPO_DIR / "var")))

MODE = env_str("AMENDS_MODE", "production")
if MODE not in {"production", "demo", "dev", "test"}:
    raise ImproperlyConfigured(f"AMENDS_MODE must be production, demo, dev or test, not {MODE!r}")
RELAXED = MODE != "production"

_INSECURE_KEY = "amends-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured("SECRET_KEY must be set outside the demo (AMENDS_MODE=production)")
    SECRET_KEY = _INSECURE_KEY
elif not RELAXED and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY is too short or is the published development key")

DEBUG = env_bool("AMENDS_DEBUG")
if DEBUG and not RELAXED:
    raise ImproperlyConfigured("AMENDS_DEBUG=1 is refused outside the demo (AMENDS_MODE=production)")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", str, expected="host names")
if not ALLOWED_HOSTS:
    if not RELAXED:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set outside the demo")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", str, expected="origins")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "amends.core",
    "amends.audit",
    "amends.accounts",
    "amends.customers",
    "amends.journeys",
    "amends.recovery",
    "amends.correspondence",
    "amends.intake",
    "amends.warning",
    "amends.discretion",
    "amends.promises",
    "amends.followup",
    "amends.text",
    "amends.improvement",
    "amends.insights",
    "amends.search",
    "amends.assembly",
    "amends.bench",
    "axes",
    # django-ninja's bundled Swagger UI and ReDoc, served from our own static files (no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "amends.core.headers.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF and every view: refuses what no database may store, and non-JSON bodies on the API.
    "amends.core.hygiene.input_hygiene",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a login refused by the throttle into a 429 page.
    "axes.middleware.AxesMiddleware",
    # A view that lost its database connection answers 503 with Retry-After, not 500 (core.unavailable).
    "amends.core.unavailable.DatabaseUnavailable",
]

# The login throttle (django-axes): after AMENDS_LOGIN_FAILURES wrong passwords for one account, or from one
# address, further tries are refused for AMENDS_LOGIN_COOLOFF_MINUTES; a right password resets the count.
AUTHENTICATION_BACKENDS = ["amends.accounts.backends.LoginThrottle", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AMENDS_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AMENDS_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "amends.core.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Paths whose views refuse NUL bytes and lone surrogates item by item (core.hygiene checks every other one).
AMENDS_INPUT_CHECKED_BY_VIEW = ["/api/v1/events"]

# Which web node this is (several behind a balancer): each answer says so in `X-Served-By`.
AMENDS_NODE_NAME = env_str("AMENDS_NODE_NAME")
if AMENDS_NODE_NAME:
    MIDDLEWARE.insert(0, "amends.core.middleware.served_by")

ROOT_URLCONF = "amends.urls"
WSGI_APPLICATION = "amends.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _database(url: str = "") -> dict[str, Any]:
    url = url or env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'amends.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # Writers queue on the database lock instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
            ),
        }
        if config["NAME"] not in ("", ":memory:"):
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # A file, not memory, so live-server threads share it; per process, so concurrent runs don't collide.
        config["TEST"] = {"NAME": str(DATA_DIR / f"test-amends-{os.getpid()}.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        if env_bool("AMENDS_PGBOUNCER"):
            # Behind PgBouncer in transaction mode a connection is another client's between transactions:
            # no statement prepared on it and no cursor held open across transactions may be relied on.
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
        else:
            # Server-side binding, and psycopg preparing a statement once it has run `prepare_threshold` times on
            # a connection (Django turns preparing off unless asked, for poolers): PostgreSQL then keeps its plan
            # instead of planning on every execution (half the database's time for intake's case read).
            config.setdefault("OPTIONS", {})["server_side_binding"] = True
            threshold = env_int("AMENDS_PG_PREPARE_THRESHOLD", 5, minimum=0)
            config["OPTIONS"].setdefault("prepare_threshold", threshold or None)
        if MODE == "test":
            config["TEST"] = {"NAME": f"test_{config['NAME']}_{os.getpid()}"}
    return config


DATABASES = {"default": _database()}
# Reports may read from a streaming replica (`amends.insights.replica`): the worker then keeps the report facts
# current on the primary, and the dashboard says how fresh the replica's copy is.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = _database(env_str("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["amends.insights.replica.ReportsOnReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
if MODE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("AMENDS_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide assets (our CSS, and vendor/ filled by `npm install` from package.json) live beside settings.
STATICFILES_DIRS = [SRC_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (attachments, letters) go through Django's storage API: this machine's disk by default, an
# S3-compatible store where several web nodes must see the same files (AMENDS_STORAGE=s3, the `s3` extra).
# Files are private: no public ACL, and downloads go through our views, which check scope and audit them.
MEDIA_ROOT = env_str("AMENDS_MEDIA_ROOT", str(DATA_DIR / "media"))
AMENDS_ATTACHMENT_MAX_BYTES = env_int("AMENDS_ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024
AMENDS_STORAGE = env_choice("AMENDS_STORAGE", "local", {"local", "s3"})
AMENDS_S3_BUCKET = env_str("AMENDS_S3_BUCKET")
if AMENDS_STORAGE == "s3":
    if not AMENDS_S3_BUCKET:
        raise ImproperlyConfigured("AMENDS_STORAGE=s3 needs AMENDS_S3_BUCKET, the bucket that holds the files")
    from botocore.config import Config as S3ClientConfig  # the s3 extra; imported only when it is used

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AMENDS_S3_BUCKET,
            # Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role).
            "endpoint_url": env_str("AMENDS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AMENDS_S3_REGION") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            # A store that does not answer fails a request in seconds, not after botocore's minute of retries.
            "client_config": S3ClientConfig(connect_timeout=3, read_timeout=20, retries={"max_attempts": 2}),
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not RELAXED
CSRF_COOKIE_SECURE = not RELAXED
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("AMENDS_BEHIND_TLS_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
# HSTS only when requests really arrive over TLS (through the proxy): a browser told so over plain HTTP
# would refuse the site afterwards.
SECURE_HSTS_SECONDS = env_int("AMENDS_HSTS_SECONDS", 31536000, minimum=0) if SECURE_PROXY_SSL_HEADER else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
# Content-Security-Policy (core.headers): on unless turned off to debug a browser extension.
AMENDS_CSP = env_bool("AMENDS_CSP", True)
# A staff session ends after this long without a request (each request renews it).
SESSION_COOKIE_AGE = env_int("AMENDS_SESSION_IDLE_HOURS", 8, minimum=1) * 3600
SESSION_SAVE_EVERY_REQUEST = True

# Background work: the database backend by default (`amends worker`), RQ on Redis where several workers run
# (`AMENDS_TASK_BACKEND=rq`, the `rq` extra). Redis, when configured, also holds the cache every web node shares.
REDIS_URL = env_str("REDIS_URL")
AMENDS_TASK_BACKEND = env_choice("AMENDS_TASK_BACKEND", "db", {"db", "rq"})
# The database queue writes a task enqueued inside a collecting transaction with its other rows (core.task_queue).
TASKS: dict[str, Any] = {"default": {"BACKEND": "amends.core.task_queue.DatabaseQueue"}}
if AMENDS_TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("AMENDS_TASK_BACKEND=rq needs REDIS_URL, e.g. redis://127.0.0.1:6379/0")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        raise ImproperlyConfigured(
            "AMENDS_TASK_BACKEND=rq is for workers on several machines, which need a shared database: "
            "set DATABASE_URL to PostgreSQL (the database backend serves one machine with SQLite)"
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
if MODE == "test":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("AMENDS_LOG_LEVEL", "WARNING")},
}

# The regulatory clock (银行业保险业消费投诉处理管理办法, 2020): days counted as 《民法典》 counts them (from the day
# after receipt; a last day off moves to the next working day of AMENDS_WORKING_CALENDAR; the period ends at
# AMENDS_CLOCK_DAY_ENDS). AMENDS_CLOCK_COUNTING=elapsed counts exact durations instead (e.g. UK FCA DISP: 56 days).
AMENDS_CLOCK: dict[str, Any] = {
    "base_days": env_int("AMENDS_CLOCK_BASE_DAYS", 15, minimum=0),
    "extended_days": env_int("AMENDS_CLOCK_EXTENDED_DAYS", 30, minimum=0),
    "further_days": env_int("AMENDS_CLOCK_FURTHER_DAYS", 30, minimum=0),
    "counting": env_choice("AMENDS_CLOCK_COUNTING", "days", {"days", "elapsed"}),
    "roll_to_working_day": env_bool("AMENDS_CLOCK_ROLL_TO_WORKING_DAY", True),
    "day_ends": env_str("AMENDS_CLOCK_DAY_ENDS", "23:59:59"),
    "min_reason_chars": env_int("AMENDS_EXTENSION_MIN_REASON_CHARS", 5, minimum=1),
    # 核查: asked within this many days of the decision, decided within `review_days` of the request.
    "review_request_days": env_int("AMENDS_REVIEW_REQUEST_DAYS", 30, minimum=0),
    "review_days": env_int("AMENDS_REVIEW_DAYS", 30, minimum=1),
}
# A decision letter waits for a second person's check when the offer exceeds this amount (yuan; empty: never
# for the amount) or when the complaint was transferred by the regulator (AMENDS_LETTER_CHECK_REGULATOR).
AMENDS_LETTER_CHECK_ABOVE = env_str("AMENDS_LETTER_CHECK_ABOVE", "")
AMENDS_LETTER_CHECK_REGULATOR = env_bool("AMENDS_LETTER_CHECK_REGULATOR", True)
# The decision letter's PDF (intake.letter_pdf): an OpenType/TrueType font or collection with the CJK glyphs
# (Debian's fonts-noto-cjk, which scripts/bootstrap.sh installs where it can), regular and bold; a collection's
# face is chosen by the letter's language (Noto Serif CJK, as the printable page: 2 Simplified, 3 Traditional).
AMENDS_LETTER_FONT = env_str("AMENDS_LETTER_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
AMENDS_LETTER_FONT_BOLD = env_str("AMENDS_LETTER_FONT_BOLD", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")
AMENDS_LETTER_FONT_FACES = {"zh-hans": 2, "zh-hant": 3, "en": 2}
# Days before a regulator transfer's feedback deadline that its alert is raised.
AMENDS_REGULATOR_WARN_DAYS = env_int("AMENDS_REGULATOR_WARN_DAYS", 2, minimum=0)
# Channels on which the complainant is sent a receipt notice (the portal acknowledges on its own page; early
# warnings, surveys and staff reports are not the customer's own complaint).
AMENDS_RECEIPT_NOTICE_CHANNELS = env_list(
    "AMENDS_RECEIPT_NOTICE_CHANNELS", str, default="hotline,counter,email,app,letter,regulator,social"
)
# What the portal publishes about complaints besides AMENDS_HOTLINE (the measure: channels and rules made public).
AMENDS_COMPLAINT_OFFICE = {
    "counter": env_str("AMENDS_OFFICE_COUNTER", ""),
    "address": env_str("AMENDS_OFFICE_ADDRESS", ""),
    "email": env_str("AMENDS_OFFICE_EMAIL", ""),
    "regulator_hotline": env_str("AMENDS_OFFICE_REGULATOR_HOTLINE", "12378"),
    "mediation": env_str("AMENDS_OFFICE_MEDIATION", ""),
}
# Follow-up attempts that fail to reach the customer before a case may close without confirmation.
AMENDS_FOLLOW_UP_MAX_ATTEMPTS = env_int("AMENDS_FOLLOW_UP_MAX_ATTEMPTS", 3, minimum=0)
# A complaint joins the customer's open case on the same episode; failures within this window count as repeats.
AMENDS_REPEAT_WINDOW_DAYS = 90
# A complaint about the same claim or policy (another customer record) or with near-duplicate text joins an
# open case opened within this many days; a customer back this soon after a case closed is a repeat failure.
AMENDS_RELATED_DAYS = env_int("AMENDS_RELATED_DAYS", 30, minimum=0)
# A complaint joining its open case at least this many hours after the previous one is the customer coming
# back (a repeat failure); sooner, it is the same contact twice.
AMENDS_REPEAT_CONTACT_HOURS = env_int("AMENDS_REPEAT_CONTACT_HOURS", 24, minimum=0)
# Failures are compared over this many days before and after a rectification takes effect (at most).
AMENDS_RECTIFICATION_WINDOW_DAYS = env_int("AMENDS_RECTIFICATION_WINDOW_DAYS", 90, minimum=0)
# How often the worker looks for promises past their due time.
AMENDS_PROMISE_SWEEP_SECONDS = env_int("AMENDS_PROMISE_SWEEP_SECONDS", 60, minimum=1)
# How often the worker takes the daily callback sample, and brings the report facts up to date.
AMENDS_CALLBACK_SAMPLE_SECONDS = env_int("AMENDS_CALLBACK_SAMPLE_SECONDS", 86400, minimum=1)
AMENDS_FACTS_REFRESH_SECONDS = env_int("AMENDS_FACTS_REFRESH_SECONDS", 60, minimum=1)
# How often the worker runs the scheduled early-warning rules (stage durations, deadlines, spikes…).
AMENDS_WARNING_SWEEP_SECONDS = env_int("AMENDS_WARNING_SWEEP_SECONDS", 300, minimum=1)
# The largest POST /api/v1/events body (a full batch of 10,000 events is a few MB).
AMENDS_EVENTS_MAX_BYTES = env_int("AMENDS_EVENTS_MAX_BYTES", 32 * 2**20, minimum=0)
# A promise due within this many minutes raises an alert to the person who made it (the default when the
# promise_due_soon rule configuration does not say).
AMENDS_PROMISE_ALERT_MINUTES = env_int("AMENDS_PROMISE_ALERT_MINUTES", 120, minimum=0)

# The customer's side (followup): the public portal, follow-up surveys, callbacks, notifications.
# Where links in messages to customers point (the portal's public address).
AMENDS_PUBLIC_URL = env_str("AMENDS_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The insurer's own complaint hotline, shown on the portal beside the regulator's 12378.
AMENDS_HOTLINE = env_str("AMENDS_HOTLINE", "400-100-2026")
# The system account the portal and customers' own survey answers act as (created on first use).
AMENDS_PORTAL_USERNAME = env_str("AMENDS_PORTAL_USERNAME", "customer-self-service")
# Portal rate limits: submissions per client address and per phone/email within the window (seconds).
AMENDS_PORTAL_LIMITS = {
    "address": (env_int("AMENDS_PORTAL_PER_ADDRESS", 5, minimum=0), 3600),
    "contact": (env_int("AMENDS_PORTAL_PER_CONTACT", 3, minimum=0), 86400),
}
# What a complainant may add on the status page in a day (messages with files).
AMENDS_PORTAL_ADDITIONS_PER_DAY = env_int("AMENDS_PORTAL_ADDITIONS_PER_DAY", 10, minimum=0)
# Searches one staff member may run per minute: the search box, GET /api/v1/search and the customer search
# (each matches phone numbers: no enumerating them).
AMENDS_SEARCH_PER_MINUTE = env_int("AMENDS_SEARCH_PER_MINUTE", 60, minimum=1)
# How long a search may spend looking for words (PostgreSQL): beyond it that kind of result is left out.
AMENDS_SEARCH_TEXT_MS = env_int("AMENDS_SEARCH_TEXT_MS", 1000, minimum=1)
# How long a complainant's private status link works.
AMENDS_PORTAL_LINK_DAYS = env_int("AMENDS_PORTAL_LINK_DAYS", 365, minimum=0)
# One-time codes that link a portal complaint to the customer on file: minutes valid, wrong tries before
# the code dies, codes sent per complaint within the window (seconds).
AMENDS_PORTAL_CODE_MINUTES = env_int("AMENDS_PORTAL_CODE_MINUTES", 10, minimum=1)
AMENDS_PORTAL_CODE_ATTEMPTS = env_int("AMENDS_PORTAL_CODE_ATTEMPTS", 5, minimum=1)
AMENDS_PORTAL_CODE_LIMIT = (env_int("AMENDS_PORTAL_CODES_PER_HOUR", 3, minimum=1), 3600)
# Text messages: a dotted path to a backend class with send(to, text); the default writes them to the log.
AMENDS_SMS_BACKEND = env_str("AMENDS_SMS_BACKEND", "amends.correspondence.sms.LogBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "service@amends.invalid")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo keeps customers' messages in files under the data folder, where their links can be opened.
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
AMENDS_SMS_FILE = str(DATA_DIR / "sms.log")
if MODE in {"demo", "dev"}:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    AMENDS_SMS_BACKEND = env_str("AMENDS_SMS_BACKEND", "amends.correspondence.sms.FileBackend")
if MODE == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    AMENDS_SMS_BACKEND = "amends.correspondence.sms.MemoryBackend"
# Correspondence: tries per message before it is marked failed, the first retry's wait (doubling after each
# try), how often the worker looks for messages to retry, and where customers' replies to e-mail go.
AMENDS_MESSAGE_MAX_ATTEMPTS = env_int("AMENDS_MESSAGE_MAX_ATTEMPTS", 5, minimum=1)
AMENDS_MESSAGE_RETRY_SECONDS = env_int("AMENDS_MESSAGE_RETRY_SECONDS", 60, minimum=1)
AMENDS_MESSAGE_SWEEP_SECONDS = env_int("AMENDS_MESSAGE_SWEEP_SECONDS", 60, minimum=1)
AMENDS_REPLY_TO = env_str("AMENDS_REPLY_TO", "")
# Follow-up surveys: how long a link works, reminders before a callback takes over, how often the worker looks.
AMENDS_SURVEY_VALID_DAYS = env_int("AMENDS_SURVEY_VALID_DAYS", 14, minimum=0)
AMENDS_SURVEY_REMINDERS = env_int("AMENDS_SURVEY_REMINDERS", 2, minimum=0)
AMENDS_SURVEY_REMINDER_HOURS = env_int("AMENDS_SURVEY_REMINDER_HOURS", 72, minimum=0)
AMENDS_SURVEY_SWEEP_SECONDS = env_int("AMENDS_SURVEY_SWEEP_SECONDS", 300, minimum=1)
# Callbacks (主动回访): the share of recent passages called per touchpoint or journey ("default" for the rest),
# weighted by the touchpoint's criticality (3 = as given); a fixed seed makes each day's sample reproducible.
AMENDS_CALLBACK_RATES = {"default": env_float("AMENDS_CALLBACK_RATE", 0.05, minimum=0)}
AMENDS_CALLBACK_SEED = env_str("AMENDS_CALLBACK_SEED", "amends")
AMENDS_CALLBACK_LOOKBACK_DAYS = env_int("AMENDS_CALLBACK_LOOKBACK_DAYS", 7, minimum=0)
AMENDS_CALLBACK_MAX_PER_DAY = env_int("AMENDS_CALLBACK_MAX_PER_DAY", 200, minimum=0)
AMENDS_CALLBACK_MAX_ATTEMPTS = env_int("AMENDS_CALLBACK_MAX_ATTEMPTS", 3, minimum=0)
# The token of thanks granted when a portal complaint is accepted (seeds: 给投诉顾客以奖赏): kind voucher or
# upgrade, amount in yuan; 0 turns it off.
AMENDS_THANKS = {
    "kind": env_str("AMENDS_THANKS_KIND", "voucher"),
    "amount": env_str("AMENDS_THANKS_AMOUNT", "20.00"),
}
# Text intelligence: how often another process's lexicon edits and newly trained models are looked for
# (seconds), and the confidence a suggested code needs before it is pre-filled.
AMENDS_TEXT_CHECK_SECONDS = env_float("AMENDS_TEXT_CHECK_SECONDS", 10.0, minimum=0)
if MODE == "test":
    # Tests flush and re-seed the lexicon and train models inside rolled-back transactions: look every time,
    # so no test reads a lexicon or model cached from another test's database state.
    AMENDS_TEXT_CHECK_SECONDS = 0.0
# Message templates are kept per process; another process's edit is looked for this often (seconds).
AMENDS_TEMPLATE_CHECK_SECONDS = env_float("AMENDS_TEMPLATE_CHECK_SECONDS", 10.0, minimum=0)
if MODE == "test":
    AMENDS_TEMPLATE_CHECK_SECONDS = 0.0  # tests change templates inside rolled-back transactions: read each time
AMENDS_TEXT_PREFILL_THRESHOLD = env_float("AMENDS_TEXT_PREFILL_THRESHOLD", 0.6, minimum=0)
# Where the public datasets used to prove the classifier live (`amends text eval --dataset …`).
# Default: ../shared/data/real beside the checkout (or beside the folder of worktrees).
AMENDS_REAL_DATA_DIR = env_str(
    "AMENDS_REAL_DATA_DIR",
    str(
        next((p for p in (REPO_DIR.parent, REPO_DIR.parent.parent) if (p / "shared").is_dir()), REPO_DIR.parent)
        / "shared"
        / "data"
        / "real"
    ),
)

# Approvals of discretion (应变权): how long an approver has, in working hours, before it escalates one level.
AMENDS_APPROVAL_HOURS = env_float("AMENDS_APPROVAL_HOURS", 4.0, minimum=0)
# How often the worker looks for approvals past their deadline.
AMENDS_APPROVAL_SWEEP_SECONDS = env_int("AMENDS_APPROVAL_SWEEP_SECONDS", 60, minimum=1)


def _weekday(text: str) -> int:
    if int(text) not in range(7):
        raise ValueError(text)
    return int(text)


def _iso_date(text: str) -> str:
    # Kept as text (discretion parses the calendar when it uses it), but checked here: a mistyped holiday
    # would otherwise be skipped in silence and approvals would fall due on it.
    if parse_date(text) is None:
        raise ValueError(text)
    return text


# The working calendar, in TIME_ZONE: weekdays (Monday = 0) between the opening hours. Public holidays and the
# weekend days worked instead (调休) change every year by State Council notice: list them as ISO dates.
AMENDS_WORKING_CALENDAR = {
    "start": env_str("AMENDS_WORKDAY_START", "09:00"),
    "end": env_str("AMENDS_WORKDAY_END", "18:00"),
    "weekdays": env_list("AMENDS_WORKDAYS", _weekday, default="0,1,2,3,4", expected="weekdays, 0 (Monday) to 6"),
    "holidays": env_list("AMENDS_HOLIDAYS", _iso_date, expected="ISO dates (2026-10-01)"),
    "workdays": env_list("AMENDS_MAKEUP_WORKDAYS", _iso_date, expected="ISO dates (2026-10-11)"),
}
