"""Settings, read from the environment.

Defaults are the embedded, safe ones: SQLite, in-process tasks, DEBUG off. The quick start
(`make run`) turns DEBUG on explicitly; production sets SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Years a reporting period may have (kpis.periods): outside them a period is refused as input.
PERIOD_MIN_YEAR = int(os.environ.get("PERIOD_MIN_YEAR", 2000))
PERIOD_MAX_YEAR = int(os.environ.get("PERIOD_MAX_YEAR", 2100))
# A fixed key is acceptable only for local development (DEBUG on). With DEBUG off the key must
# come from the environment and must not be one of the keys written in this repository (the
# development key, the image build's, the example env file's); there is no switch around it. The
# image build's two file-generating commands are the one exception: they serve nothing.
DEVELOPMENT_SECRET_KEY = "insecure-dev-key-" + "x" * 40
PUBLISHED_SECRET_KEYS = frozenset({DEVELOPMENT_SECRET_KEY, "build-only", "change-me-to-a-long-random-string"})
BUILD_COMMANDS = (["compile_translations"], ["collectstatic", "--noinput"])
SECRET_KEY = os.environ.get("SECRET_KEY") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (SECRET_KEY in PUBLISHED_SECRET_KEYS or not SECRET_KEY) and sys.argv[1:] not in BUILD_COMMANDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off (a published key is refused)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tracker",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "provinces",
    "kpis",
    "seeds",
    "tracker.accounts",
    "tracker.reporting",
    "tracker.progress",
    "tracker.dashboards",
    "tracker.exports",
    "tracker.third_party_apps.AxesConfig",  # django-axes, titled in both languages
    "csp",
    "tracker.security",
    "tracker.ops",
    "tracker.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First, so that even the earliest refusals (size, characters) speak the user's language.
    "tracker.middleware.LanguageMiddleware",
    "tracker.security.middleware.RefusedRequestLogMiddleware",
    "tracker.security.middleware.RequestSizeLimitMiddleware",
    "tracker.security.middleware.InvalidCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.security.middleware.AdminAccessMiddleware",
    "tracker.security.middleware.LoginRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracker.ops.middleware.DatabaseUnavailableMiddleware",
    "tracker.ops.middleware.ApiJsonErrorsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent web + in-process tasks on SQLite need a busy timeout instead of instant failures.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# "Nulls not distinct" unique constraints (national rows have no province) are enforced on
# PostgreSQL; SQLite, the embedded default, cannot express them and says so at every start.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
# Day-first date input on Vietnamese pages (tracker/formats/vi: Django's "vi" locale has none).
FORMAT_MODULE_PATH = ["tracker.formats"]
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "tracker" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Production serves collected, hashed files (collectstatic in the image); the quick start and the
# tests serve straight from the apps' static folders, so they need no collectstatic step.
STATIC_FROM_APPS = DEBUG or env_bool("STATIC_FROM_APPS")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_APPS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_APPS
WHITENOISE_AUTOREFRESH = STATIC_FROM_APPS

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.security.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON bounded in size and depth before parsing, strings checked (tracker.api_parsers).
    "DEFAULT_PARSER_CLASSES": [
        "tracker.api_parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "tracker.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "tracker.api_pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    # Per address for anonymous callers, per account for signed-in ones, per address for logins
    # (tracker.security.throttling reads the rates on every request).
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.security.throttling.AnonRateThrottle",
        "tracker.security.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
        "login": os.environ.get("API_THROTTLE_LOGIN", "10/min"),
    },
}
API_THROTTLE_ENABLED = env_bool("API_THROTTLE_ENABLED", True)
# API tokens expire this many days after they are issued (tracker.security.tokens).
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", 30))
SPECTACULAR_SETTINGS = {
    "TITLE": "KPI chuyển đổi số cấp tỉnh / Provincial digital-transformation KPI tracker",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema describes the API's shape only; data endpoints still require a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI and ReDoc assets come from drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"SubmissionStatusEnum": "tracker.reporting.models.Submission.Status"},
    # Every refusal and download type documented (tracker.api_schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api_schema.add_error_responses",
    ],
}

# Celery: without REDIS_URL tasks run in-process, eagerly, so the embedded default needs no broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # a host, or kombu warns on every enqueue
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True  # a worker killed half-way leaves the message for another run
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker outage must not block or fail the web request that enqueues: publish gives up fast and
# the dirty-row sweep catches up later.
# A broker that hangs (accepts connections, never answers) is cut off by the socket timeouts: a
# web request waits at most a few seconds, its committed action stands and the sweep follows up.
BROKER_TIMEOUT_SECONDS = float(os.environ.get("BROKER_TIMEOUT_SECONDS", 1))
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    # A message taken by a worker that died is handed out again after this many seconds.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 3600)),
}
# Crontab hours below are Vietnam's, not UTC.
CELERY_TIMEZONE = TIME_ZONE
HEARTBEAT_SECONDS = int(os.environ.get("HEARTBEAT_SECONDS", 60))
# Each Redis look-up of /health/ gives up after this long, so that the page answers within a second.
HEALTH_DEPENDENCY_TIMEOUT_SECONDS = float(os.environ.get("HEALTH_DEPENDENCY_TIMEOUT_SECONDS", 0.2))
# Monitoring that sends this in X-Health-Token reads each check's details (staff do when signed in).
HEALTH_DETAILS_TOKEN = os.environ.get("HEALTH_DETAILS_TOKEN", "")
HEALTH_MAX_PENDING_ROLLUPS = int(os.environ.get("HEALTH_MAX_PENDING_ROLLUPS", 1000))
# A change not rolled up after this long means the sweep is not running.
HEALTH_MAX_ROLLUP_DELAY_SECONDS = int(os.environ.get("HEALTH_MAX_ROLLUP_DELAY_SECONDS", 15 * 60))
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "ops-heartbeat": {"task": "tracker.ops.tasks.worker_heartbeat", "schedule": timedelta(seconds=HEARTBEAT_SECONDS)},
    # Report jobs whose publication failed (broker down or hung at the time) are published again.
    "ops-republish-exports": {"task": "tracker.ops.tasks.republish_queued_exports", "schedule": timedelta(minutes=5)},
    "notifications-reminders": {
        "task": "tracker.notifications.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-digest": {
        "task": "tracker.notifications.tasks.send_weekly_digest",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Retries e-mail that could not go out at once (mail server or broker down).
    "notifications-deliver": {"task": "tracker.notifications.tasks.deliver_emails", "schedule": timedelta(minutes=5)},
    "progress-sweep": {"task": "tracker.progress.tasks.sweep_dirty", "schedule": timedelta(seconds=30)},
    "exports-purge": {"task": "tracker.exports.tasks.purge_expired_exports", "schedule": crontab(minute=15)},
    "progress-nightly": {"task": "tracker.progress.tasks.recompute_all", "schedule": crontab(hour=1, minute=30)},
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Rate-limit counters live here: a hung Redis must not hold requests (throttles then let through).
            "OPTIONS": {"socket_timeout": BROKER_TIMEOUT_SECONDS, "socket_connect_timeout": BROKER_TIMEOUT_SECONDS},
        }
        if REDIS_URL and env_bool("USE_REDIS_CACHE")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Console e-mail in the quick start; SMTP as soon as EMAIL_HOST is set (or EMAIL_BACKEND names one).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# Without a broker e-mail goes out inside the request that caused it: a hung mail server must not hold it.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 5))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kpi-cds@localhost")
# Links in e-mails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Reminders: days before the due date, and days late before the approver, then the ministry, hear.
NOTIFICATIONS = {
    "REMIND_DAYS_BEFORE": [int(d) for d in env_list("NOTIFY_REMIND_DAYS_BEFORE", "5,1")],
    "ESCALATE_TO_APPROVER_AFTER_DAYS": int(os.environ.get("NOTIFY_ESCALATE_APPROVER_DAYS", 3)),
    "ESCALATE_TO_REVIEWER_AFTER_DAYS": int(os.environ.get("NOTIFY_ESCALATE_REVIEWER_DAYS", 7)),
    "EMAIL_MAX_ATTEMPTS": 5,
}

# Uploads: evidence files and Excel templates.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
# Any request body (from its Content-Length): one evidence file plus the form around it.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", EVIDENCE_MAX_BYTES + 1024 * 1024))

# Security: strict unless DEBUG.
AUTHENTICATION_BACKENDS = [
    "tracker.security.lockout.LockoutBackend",  # refuses locked-out logins first (django-axes)
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failed logins, per (user name, address), on the web, admin and API token logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.security.lockout.lockout_response"
AXES_VERBOSE = False
# Content Security Policy: only the app's own assets. Inline <script> needs the per-request nonce
# (`nonce="{{ request.csp_nonce }}"`); inline styles stay allowed because plotly.js injects <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Demo users exist only where the quick start asks for them.
DEMO_MODE = env_bool("TRACKER_DEMO")
# Public read-only portal of approved dashboard figures, without signing in (off by default).
PUBLIC_PORTAL = env_bool("PUBLIC_PORTAL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tracker.ops.jsonlog.JsonFormatter"},  # LOG_FORMAT=json: one JSON object per line
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # tracker.security logs logins and refusals itself; axes' own lines would repeat them.
    "loggers": {"axes": {"level": "WARNING"}},
}
