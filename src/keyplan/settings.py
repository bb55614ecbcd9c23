"""Django settings for keyplan, read from environment variables.

Every setting that differs between a laptop demo and a production install is
an environment variable (see README.md, "Configuration"). Production mode
(``KEYPLAN_DEBUG`` off, the default) refuses to start without a real secret key.
"""

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from keyplan.env import env_bool, env_int, env_list, env_seconds, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("KEYPLAN_DATA_DIR", str(BASE_DIR.parent.parent / "var")))

DEBUG = env_bool("KEYPLAN_DEBUG", False)

_INSECURE_KEY = "insecure-keyplan-development-key"
# Commands that only read the code — they serve no request and sign nothing — run
# without a key, so `keyplan makemigrations --check` works in a bare checkout or CI;
# they get a throwaway one. Everything else in production mode needs the real key.
_KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "help"}
_COMMAND = sys.argv[1] if len(sys.argv) > 1 else ""
# Without the variable, the key is read from the data directory's key file (`make demo`
# writes one), so the `keyplan` command works after `make demo` with nothing exported.
SECRET_KEY_FILE = DATA_DIR / "secret-key"
SECRET_KEY = env_str("KEYPLAN_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    try:
        SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(
            f"The key file {SECRET_KEY_FILE} cannot be read ({error.__class__.__name__}); "
            "fix its permissions or set KEYPLAN_SECRET_KEY instead."
        ) from None
if not SECRET_KEY and DEBUG:
    SECRET_KEY = _INSECURE_KEY
if not SECRET_KEY and not DEBUG and _COMMAND in _KEYLESS_COMMANDS:
    SECRET_KEY = secrets.token_urlsafe(50)
if not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY == _INSECURE_KEY):
    raise ImproperlyConfigured(
        "KEYPLAN_SECRET_KEY must be set to a random value of at least 32 characters "
        f"(or written to {SECRET_KEY_FILE}) when KEYPLAN_DEBUG is off (production mode). "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("KEYPLAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("KEYPLAN_CSRF_TRUSTED_ORIGINS", [])
HTTPS = env_bool("KEYPLAN_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and replaces
    # any such header a client sent): a request that came in over plain HTTP is sent to
    # HTTPS, and browsers are told to use HTTPS only (HSTS) for a year by default.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("KEYPLAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("KEYPLAN_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KEYPLAN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("KEYPLAN_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a decision about the whole domain that
        # cannot be undone quickly, not keyplan's to take: opt in with KEYPLAN_HSTS_PRELOAD.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (keyplan/core/security.py): scripts, styles, fonts and
# connections from keyplan itself only, no inline script and no eval. Inline style
# *attributes* are allowed (style-src-attr): the templates set widths and colours with
# them in many places, and the charts' tooltips (ECharts) are styled that way; a <style>
# element or style sheet from elsewhere is not. Images may also be data: and blob: URLs
# (the relationship map's PNG and SVG exports).
KEYPLAN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features keyplan never uses, switched off for its pages and anything they embed.
KEYPLAN_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

# The one currency of this installation: every amount in keyplan is in it.
KEYPLAN_CURRENCY = env_str("KEYPLAN_CURRENCY", "USD")
# The sales period: the month the fiscal year starts (1 = January ... 12 = December). A
# fiscal year is named by the calendar year it ends in (April start: FY 2027 = April 2026
# to March 2027); quarters count from its first month.
KEYPLAN_FISCAL_YEAR_START_MONTH = env_int("KEYPLAN_FISCAL_YEAR_START_MONTH", 1)
if not 1 <= KEYPLAN_FISCAL_YEAR_START_MONTH <= 12:
    raise ImproperlyConfigured(
        f"KEYPLAN_FISCAL_YEAR_START_MONTH={KEYPLAN_FISCAL_YEAR_START_MONTH} is not a month: "
        "give 1 (January) to 12 (December)."
    )
# An account whose goal for the period is above this amount (in the currency) but that
# has no account plan is flagged "goal without a plan" on the account goals page.
KEYPLAN_GOAL_WITHOUT_PLAN_THRESHOLD = env_int("KEYPLAN_GOAL_WITHOUT_PLAN_THRESHOLD", 250_000)
# A territory plan's revenue objectives should add up to at least this many times the
# rep's quota (the method's rule of thumb: 20% over); below it the realism check says so.
KEYPLAN_OBJECTIVE_OVER_QUOTA = env_str("KEYPLAN_OBJECTIVE_OVER_QUOTA", "1.2")
try:
    if not 0 < float(KEYPLAN_OBJECTIVE_OVER_QUOTA) <= 5:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        f"KEYPLAN_OBJECTIVE_OVER_QUOTA={KEYPLAN_OBJECTIVE_OVER_QUOTA} is not a multiple of "
        "the quota: give a number such as 1.2 (at most 5)."
    ) from None
# An account plan whose health is below this score (0-100) is "at risk" on the team board
# and the company view (40 is where health turns poor).
KEYPLAN_AT_RISK_HEALTH = env_int("KEYPLAN_AT_RISK_HEALTH", 40)
# The roll-ups' won, forecast and pipeline per account (salesplan.period_arrays) are
# computed by the worker after a sales change; a territory up to this many accounts also
# computes them on the page that finds them missing (a fraction of a second).
KEYPLAN_ROLLUP_INLINE_ACCOUNTS = env_int("KEYPLAN_ROLLUP_INLINE_ACCOUNTS", 5_000)
# Quarterly reviews (README, "Quarterly reviews"): minutes per plan in a rep's sitting,
# and the working hours sittings are proposed in (the installation's time zone).
KEYPLAN_REVIEW_MINUTES_PER_PLAN = env_int("KEYPLAN_REVIEW_MINUTES_PER_PLAN", 30)
if not 5 <= KEYPLAN_REVIEW_MINUTES_PER_PLAN <= 240:
    raise ImproperlyConfigured(
        f"KEYPLAN_REVIEW_MINUTES_PER_PLAN={KEYPLAN_REVIEW_MINUTES_PER_PLAN} is not a review's "
        "length: give 5 to 240 minutes per plan."
    )
KEYPLAN_REVIEW_HOURS = env_str("KEYPLAN_REVIEW_HOURS", "09:00-17:00")

# Limits of an import, so that a hostile or broken file cannot exhaust memory, disk or
# time (README, "Limits of an import"). Each refusal names its setting.
KEYPLAN_IMPORT_MAX_UPLOAD_BYTES = env_int("KEYPLAN_IMPORT_MAX_UPLOAD_BYTES", 256 << 20)
KEYPLAN_IMPORT_MAX_UNZIPPED_BYTES = env_int("KEYPLAN_IMPORT_MAX_UNZIPPED_BYTES", 1 << 30)
KEYPLAN_IMPORT_MAX_ZIP_ENTRIES = env_int("KEYPLAN_IMPORT_MAX_ZIP_ENTRIES", 1000)
KEYPLAN_IMPORT_MAX_CELL_CHARS = env_int("KEYPLAN_IMPORT_MAX_CELL_CHARS", 32767)
KEYPLAN_IMPORT_MAX_COLUMNS = env_int("KEYPLAN_IMPORT_MAX_COLUMNS", 500)
KEYPLAN_IMPORT_MAX_ROWS = env_int("KEYPLAN_IMPORT_MAX_ROWS", 10_000_000)
KEYPLAN_IMPORT_STOP_AFTER_INVALID_ROWS = env_int("KEYPLAN_IMPORT_STOP_AFTER_INVALID_ROWS", 1000)
# An upload past KEYPLAN_IMPORT_MAX_UPLOAD_BYTES is stopped as it streams in, never stored.
FILE_UPLOAD_HANDLERS = [
    "keyplan.imports.uploads.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "axes",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before django_tasks_db: its `db_worker` command is replaced by one that retries
    # transient database errors instead of exiting.
    "keyplan.operations",
    "django_tasks",
    "django_tasks_db",
    "keyplan.core",
    "keyplan.people",
    "keyplan.accounts",
    "keyplan.catalog",
    "keyplan.sales",
    "keyplan.territory",
    "keyplan.forecast",
    "keyplan.imports",
    "keyplan.plans",
    "keyplan.salesplan",
    "keyplan.rhythm",
    "keyplan.outputs",
    "keyplan.reviews",
    "keyplan.mutual",
    "keyplan.ui",
    "keyplan.api",
    "keyplan.audit",
    "keyplan.crm",
]

MIDDLEWARE = [
    # First: /healthz answers probes before the host check and the HTTPS redirect.
    "keyplan.operations.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "keyplan.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "keyplan.core.middleware.LoginRequiredMiddleware",
    # A save that could not get the database's lock in time: 503, not a 500.
    "keyplan.core.middleware.DatabaseBusyMiddleware",
    "keyplan.audit.context.AuditContextMiddleware",
    # A read while the facts' warm-up runs may show the figures before it, said so.
    "keyplan.territory.middleware.EarlierFiguresMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "keyplan.people.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the flag the lockout backend set while the login view ran.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keyplan.urls"
WSGI_APPLICATION = "keyplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keyplan.core.context_processors.keyplan",
            ],
            # Django's ``date`` and ``truncatechars`` with the same output at a fraction
            # of the cost (a plan page formats ~120 dates and truncates ~200 texts).
            "builtins": ["keyplan.core.fast_filters"],
        },
    }
]


def _database() -> dict:
    default_sqlite = f"sqlite:///{DATA_DIR / 'keyplan.sqlite3'}"
    url = env_str("DATABASE_URL", "") or default_sqlite
    conn_max_age = env_int("KEYPLAN_DB_CONN_MAX_AGE", 60)
    # Errors show the scheme only: the rest of the URL may hold a password.
    shown = "DATABASE_URL=" + (url.split("://")[0] + "://..." if "://" in url else "...")
    supported = "keyplan supports sqlite:/// and postgres:// databases."
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    except ValueError:  # a scheme dj-database-url does not know, or a URL it cannot read
        raise ImproperlyConfigured(
            f"{shown} is not a database URL keyplan can read; {supported}"
        ) from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # A file database served to several people at once: write-ahead log so
            # readers never block the writer, IMMEDIATE transactions so two writers
            # queue instead of failing half-way, and a busy timeout to wait in.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
        # Without it libpq waits for an unreachable server as long as the operating system
        # does (minutes): every request would hang instead of failing. A connect_timeout
        # in the URL's query wins.
        connect_timeout = env_int("KEYPLAN_DB_CONNECT_TIMEOUT", 10)
        if connect_timeout < 1:
            raise ImproperlyConfigured(
                f"KEYPLAN_DB_CONNECT_TIMEOUT={connect_timeout} must be at least 1 (seconds); "
                "0 would wait for an unreachable database for ever."
            )
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", connect_timeout)
    else:
        raise ImproperlyConfigured(f"{shown}: {supported}")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The lockout backend first: it refuses a locked-out username and address before the
# password is even checked (django-axes; see "Sign-in and sessions" below).
AUTHENTICATION_BACKENDS = [
    "keyplan.people.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("KEYPLAN_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One way to write a date everywhere (pages, tables, activity, notifications):
# keyplan/formats/en/formats.py, which wins over Django's English formats.
FORMAT_MODULE_PATH = ["keyplan.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The data directory holds the SQLite database and collected static files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders directly: no collectstatic step is
# needed for the demo or the tests, and nothing comes from a CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Sign-in and sessions. After KEYPLAN_LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, the web form and the API token endpoint refuse that pair for
# KEYPLAN_LOGIN_LOCKOUT_MINUTES (an admin can unlock it earlier on the People page).
AXES_FAILURE_LIMIT = env_int("KEYPLAN_LOGIN_FAILURE_LIMIT", 5)
KEYPLAN_LOGIN_LOCKOUT_MINUTES = env_int("KEYPLAN_LOGIN_LOCKOUT_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=KEYPLAN_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A lock ends when its time is up, not later: more tries while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "keyplan.people.lockout.lockout_response"
# Behind reverse proxies the client's address is in X-Forwarded-For: say how many proxies
# append to it, so a lock is per real address and not per proxy.
KEYPLAN_TRUSTED_PROXIES = env_int("KEYPLAN_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "keyplan.people.lockout.client_address"
# Failed attempts are kept (they are the lock); successful sign-ins are not logged here.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# A session ends after this long without a request, and in any case this long after
# signing in; the user is sent to the sign-in page with a message saying so.
KEYPLAN_SESSION_IDLE_MINUTES = env_int("KEYPLAN_SESSION_IDLE_MINUTES", 60)
KEYPLAN_SESSION_MAX_HOURS = env_int("KEYPLAN_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = KEYPLAN_SESSION_MAX_HOURS * 3600
# API tokens expire this many days after they were issued.
KEYPLAN_API_TOKEN_DAYS = env_int("KEYPLAN_API_TOKEN_DAYS", 30)
for _name, _value in (
    ("KEYPLAN_LOGIN_FAILURE_LIMIT", AXES_FAILURE_LIMIT),
    ("KEYPLAN_LOGIN_LOCKOUT_MINUTES", KEYPLAN_LOGIN_LOCKOUT_MINUTES),
    ("KEYPLAN_SESSION_IDLE_MINUTES", KEYPLAN_SESSION_IDLE_MINUTES),
    ("KEYPLAN_SESSION_MAX_HOURS", KEYPLAN_SESSION_MAX_HOURS),
    ("KEYPLAN_API_TOKEN_DAYS", KEYPLAN_API_TOKEN_DAYS),
):
    if _value < 1:
        raise ImproperlyConfigured(f"{_name}={_value} must be at least 1.")
if KEYPLAN_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"KEYPLAN_TRUSTED_PROXIES={KEYPLAN_TRUSTED_PROXIES} is below 0.")

REST_FRAMEWORK = {
    # Token first: an unauthenticated request gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "keyplan.people.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "keyplan.api.pagination.KeyplanPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "keyplan.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "keyplan API",
    "DESCRIPTION": (
        "Strategic account planning: accounts, contacts, interactions, products, sale lines "
        "and opportunities. Every endpoint shows only what the signed-in user may see."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator badge: the docs page must not call swagger.io (nothing is
    # loaded from the internet at run time).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's refusals (400/401/403/404/406, 409/415/428 on writes, 503 with
    # Retry-After) with their bodies.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "keyplan.api.schema.document_refusals",
    ],
}

# The cache holds live progress of background imports, shared by the web server and the
# worker: a folder under the data directory by default, so no server is needed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        # Django's default (300 files, then a third dropped at random) would drop the
        # last learned white-space model and everyone's analyses on a territory of a few
        # hundred users; each entry is one file, listed when the cache is full.
        "OPTIONS": {"MAX_ENTRIES": env_int("KEYPLAN_CACHE_MAX_ENTRIES", 50_000)},
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Background workers (`keyplan db_worker`) write a heartbeat every KEYPLAN_WORKER_HEARTBEAT
# seconds, naming the task they run. A task left running by a worker that stopped (killed,
# machine restarted) is recovered by another worker: at once when that worker ran on the
# same machine and its process is gone, else once its worker has not been heard from for
# KEYPLAN_WORKER_GRACE seconds (keyplan.operations.recovery).
WORKER_HEARTBEAT_SECONDS = env_seconds("KEYPLAN_WORKER_HEARTBEAT", 30)
WORKER_GRACE_SECONDS = env_seconds("KEYPLAN_WORKER_GRACE", 300)
# The background worker lowers its own CPU priority by this much (Unix ``nice``): its
# analyses and model learning take a CPU for seconds to minutes, and a person waiting for a
# page comes first. 0 keeps the priority it was started with.
WORKER_NICE = env_int("KEYPLAN_WORKER_NICE", 10)
if not 0 <= WORKER_NICE <= 19:
    raise ImproperlyConfigured(
        f"KEYPLAN_WORKER_NICE={WORKER_NICE}: give a number from 0 (as started) to 19 (lowest)."
    )
if WORKER_GRACE_SECONDS < 3 * WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        f"KEYPLAN_WORKER_GRACE ({WORKER_GRACE_SECONDS:g} s) must be at least three "
        f"heartbeats (3 × KEYPLAN_WORKER_HEARTBEAT = {3 * WORKER_HEARTBEAT_SECONDS:g} s), so "
        "that a worker that misses a beat or two is not taken for stopped."
    )

# `keyplan serve`, the production web server (gunicorn): the address it listens on and
# how many processes (0: two per CPU, plus one) and threads each answer requests.
SERVE_BIND = env_str("KEYPLAN_BIND", "127.0.0.1:8000")
SERVE_WORKERS = env_int("KEYPLAN_WEB_WORKERS", 0)
SERVE_THREADS = env_int("KEYPLAN_WEB_THREADS", 2)

# Email (keyplan.rhythm): printed to the console unless KEYPLAN_EMAIL_HOST names an SMTP
# server. Every email links to keyplan at KEYPLAN_BASE_URL (no request to take the host
# from in a background task); its host also names the calendar feed's event UIDs.
EMAIL_HOST = env_str("KEYPLAN_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("KEYPLAN_EMAIL_PORT", 587 if env_bool("KEYPLAN_EMAIL_USE_TLS", False) else 25)
EMAIL_HOST_USER = env_str("KEYPLAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KEYPLAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KEYPLAN_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("KEYPLAN_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("KEYPLAN_EMAIL_FROM", "keyplan <keyplan@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
KEYPLAN_BASE_URL = env_str("KEYPLAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
if not KEYPLAN_BASE_URL.startswith(("http://", "https://")) or KEYPLAN_BASE_URL.endswith("://"):
    raise ImproperlyConfigured(
        f"KEYPLAN_BASE_URL={KEYPLAN_BASE_URL!r} is not a web address; write it as "
        "https://keyplan.example.com (the address people open keyplan at)."
    )
# The hour of the morning (in each person's time zone) their daily digest is sent at,
# how often the worker looks for email to send, and how many days an investment case
# waits for its decision before the decision shows as due in the deciders' calendars.
KEYPLAN_DIGEST_HOUR = env_int("KEYPLAN_DIGEST_HOUR", 7)
if not 0 <= KEYPLAN_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"KEYPLAN_DIGEST_HOUR={KEYPLAN_DIGEST_HOUR} is not an hour (0-23).")
KEYPLAN_EMAIL_EVERY = env_seconds("KEYPLAN_EMAIL_EVERY", 300)
KEYPLAN_DECISION_DAYS = env_int("KEYPLAN_DECISION_DAYS", 7)

DJANGO_TABLES2_TEMPLATE = "ui/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KEYPLAN_LOG_LEVEL", "WARNING")},
}

# A list filter left empty does not filter: its menu says "Any", not Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = "Any"

# The installation's name, as the customer reads it on the plan shared with them and in
# the one-time code's email (keyplan.mutual).
KEYPLAN_SITE_NAME = env_str("KEYPLAN_SITE_NAME", "keyplan")
