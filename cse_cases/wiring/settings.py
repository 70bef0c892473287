"""Harbour's only settings module: everything that varies comes from the environment
(read and checked by cse_cases/wiring/environment.py).

``HARBOUR_ENV`` selects the mode: ``production`` (the default, so a forgotten
variable fails safe), ``development`` (``make run``) or ``test`` (the suite).
Production refuses to start without the settings it cannot guess; the error
names the variable. See docs/deployment.md for every variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cse_cases.wiring import embedded
from cse_cases.wiring.environment import (
    celery_url,
    database_from_url,
    env,
    harbour_env,
    required,
)

# The checkout: this file is cse_cases/wiring/settings.py.
BASE_DIR = Path(__file__).resolve().parents[2]

HARBOUR_ENV = harbour_env()
PRODUCTION = HARBOUR_ENV == "production"

DEBUG = env.bool("DEBUG", default=HARBOUR_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when HARBOUR_ENV is production.")

if PRODUCTION:
    SECRET_KEY = required(
        "SECRET_KEY",
        "Harbour will not start in production without a secret key: generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`.",
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. List the host names Harbour is served on, "
            "comma-separated (for example harbour.example.gov.uk)."
        )
else:
    SECRET_KEY = env.str("SECRET_KEY", default="harbour-development-only-not-a-secret")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    # API tokens (hashed, expiring); our model is cse_cases.ApiToken.
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "cse_cases",
    "referrals",
    "assessments",
    "supervision",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cse_cases.sessions.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Nothing a signed-in person is sent, and no API answer, is cached.
    "cse_cases.middleware.NoStoreMiddleware",
    # Input PostgreSQL cannot store is refused before CSRF checks, sign-in or any view.
    "cse_cases.input_middleware.InputCleanerMiddleware",
    "cse_cases.audit.AuditAddressMiddleware",
    "cse_cases.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After a save, text still flagged by the language check is counted.
    "assessments.language.middleware.LanguageOnSaveMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected, compressed static files itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "cse_cases.wiring.urls"
WSGI_APPLICATION = "cse_cases.wiring.wsgi.application"
ASGI_APPLICATION = "cse_cases.wiring.asgi.application"

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
                "cse_cases.context_processors.harbour",
            ],
        },
    },
]

# --- Data stores --------------------------------------------------------------

_services = embedded.default_services()
if PRODUCTION:
    # The embedded servers are for development and tests only.
    required("DATABASE_URL", "Name the PostgreSQL server: postgres://USER:PASSWORD@HOST:5432/NAME.")
    required("REDIS_URL", "Name the Redis server: redis://HOST:6379/0.")
DATABASES = {
    "default": database_from_url(env.str("DATABASE_URL", default=_services.database_url())),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The record page's heavy SELECTs run as prepared statements (cse_cases/prepared.py),
# which live on one server session: off behind a transaction-pooling pgbouncer,
# and pointless when connections are not kept.
DATABASE_PREPARED_STATEMENTS = (
    env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
    and DATABASES["default"]["CONN_MAX_AGE"] != 0
)
if env.str("DATABASE_REPLICA_URL", default=""):
    # Read-only replica for commissioner reports (docs/deployment.md).
    DATABASES["replica"] = database_from_url(env.str("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # Kept open and checked like the main database's: a report reads for minutes.
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
REPORTS_DATABASE = "replica" if "replica" in DATABASES else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default=_services.redis_url())
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "harbour",
    }
}

CELERY_BROKER_URL = celery_url(REDIS_URL)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Tasks are safe to run twice, so acknowledge after running: a worker that
# dies mid-task leaves it for another worker instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seeds the schedule from CELERY_BEAT_SCHEDULE, then keeps the admin's (wiring/beat.py).
CELERY_BEAT_SCHEDULER = "cse_cases.wiring.beat:HarbourScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "cse_cases.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=1),
    },
    "clear-expired-api-tokens": {
        "task": "cse_cases.tasks.clear_expired_api_tokens",
        "schedule": timedelta(days=1),
    },
    "clear-expired-drafts": {
        "task": "cse_cases.tasks.clear_expired_drafts",
        "schedule": timedelta(days=1),
    },
    # The drift engine: every rule, every quarter of an hour (each run is
    # idempotent, and a run beside another raises nothing twice).
    "sweep-flags": {
        "task": "supervision.tasks.sweep_flags",
        "schedule": timedelta(minutes=15),
    },
    "flag-digests": {
        "task": "supervision.tasks.send_flag_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "expire-reports": {"task": "reports.tasks.expire_reports", "schedule": timedelta(days=1)},
    "requeue-reports": {"task": "reports.tasks.requeue_reports", "schedule": timedelta(minutes=5)},
}

# --- Sign-in and sessions -------------------------------------------------------

AUTH_USER_MODEL = "cse_cases.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "cse_cases.auth_backends.HarbourModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
# Idle timeout, slid by cse_cases.sessions at most once a SESSION_REFRESH_SECONDS
# (not a write per page): a session ends up to that much before the timeout.
SESSION_ENGINE = "cse_cases.sessions"
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "harbour_session"
SESSION_COOKIE_SAMESITE = "Lax"
# A password step that is not followed by a two-factor code within this time
# has to start again.
SIGN_IN_PENDING_SECONDS = 300

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Lock the account, whatever address the guesses come from. Not by address:
# a council's staff share a few outbound addresses, and one person's typos
# must not lock out a whole office (hence axes.W006 is silenced below).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cse_cases.views.auth.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# How many reverse proxies (each appending to X-Forwarded-For) stand in front.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "cse_cases.network.client_ip"
AXES_VERBOSE = False
# Failed sign-ins from one address (any usernames) before it must wait.
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=50)
SIGN_IN_ADDRESS_WINDOW_SECONDS = 15 * 60
# Keep every failed attempt, for information governance's sign-in activity page.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # W021 asks for HSTS preload, a commitment for a council's whole domain that
    # the deployment makes (SECURE_HSTS_PRELOAD), not the code.
    "security.W021",
]
CSRF_FAILURE_VIEW = "cse_cases.views.errors.csrf_failure"

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Harbour")
# Administrators may remove someone's authenticator (a lost phone), never read
# its secret: that would let them pass anyone's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-guardian must not create an anonymous user: nobody anonymous sees anything.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# --- API ------------------------------------------------------------------------

# API tokens live this many days (the most a person may choose; 90 by default).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
if not 1 <= API_TOKEN_DAYS <= 366:
    raise ImproperlyConfigured(
        f"API_TOKEN_DAYS is {API_TOKEN_DAYS}; give a number of days from 1 to 366."
    )
KNOX_TOKEN_MODEL = "cse_cases.ApiToken"  # noqa: S105 (a model name, not a secret)
# Knox's own migrations would create its unused (swapped-out) token table,
# with a foreign key to users that Django's flush does not know to empty.
# With no migrations, Django creates tables only for its models that are not
# swapped: none.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    # Stated, not left to knox's defaults: migration 0020 hashed the old
    # plain-text keys with this same algorithm.
    "SECURE_HASH_ALGORITHM": "hashlib.sha512",
    "AUTH_TOKEN_CHARACTER_LENGTH": 64,
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
    # Recognisable in a leaked file or a secret scanner's report.
    "TOKEN_PREFIX": "harbour_",
}
# Requests allowed to one token, and to one person or service account over all
# their tokens and sessions, in DRF's "number/period" form (s, m, h or d).
# The suite makes many requests as one person in one test: its defaults are
# loose, and the throttle tests set their own.
_loose = HARBOUR_ENV == "test"
API_THROTTLE_TOKEN_RATE = env.str(
    "API_THROTTLE_TOKEN_RATE", default="100000/minute" if _loose else "300/minute"
)
API_THROTTLE_USER_RATE = env.str(
    "API_THROTTLE_USER_RATE", default="100000/minute" if _loose else "600/minute"
)

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate challenge makes an anonymous request a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cse_cases.api.auth.HarbourTokenAuthentication",
        "cse_cases.api.auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "cse_cases.api.auth.TokenRateThrottle",
        "cse_cases.api.auth.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": API_THROTTLE_TOKEN_RATE,
        "user": API_THROTTLE_USER_RATE,
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        # Size, depth and character limits on every JSON body.
        "cse_cases.api.parsers.HarbourJSONParser",
        "cse_cases.api.parsers.HarbourMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "cse_cases.api.pagination.HarbourPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "cse_cases.api.errors.exception_handler",
    # Error answers, blank enums and hidden fields documented for every operation.
    "DEFAULT_SCHEMA_CLASS": "cse_cases.api.schema.HarbourAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Harbour API",
    "DESCRIPTION": (
        "Multi-agency CSE case management. Every endpoint applies the same access "
        "policy as the web pages; records you may not see answer 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set used by several fields (a case's risk level, a
    # referral's risk as referred and as screened).
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "cse_cases.models.RiskLevel",
        "AssessedLevelEnum": "assessments.models.ASSESSED_LEVELS",
        "AssessmentStatusEnum": "assessments.models.AssessmentStatus",
        "TemplateStatusEnum": "assessments.models.TemplateStatus",
        "DomainKindEnum": "assessments.models.DomainKind",
        "MeetingKindEnum": "assessments.models.MeetingKind",
        "MeetingStatusEnum": "assessments.models.MeetingStatus",
        # Two different "decision" fields: a chair's yes/no and a referral's outcome.
        "MeetingDecisionEnum": "assessments.models.Decision",
        "ReferralDecisionEnum": "referrals.models.Decision",
        "ActionStatusEnum": "assessments.models.ActionStatus",
        "AttendanceEnum": "assessments.models.Attendance",
        "DistributionKindEnum": "assessments.models.DistributionKind",
        # A link's kind, on context links and on the network map's edges.
        "LinkKindEnum": "cse_cases.models.LinkKind",
    },
}

# --- Security -------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    if env.bool("TRUST_X_FORWARDED_PROTO", default=True):
        # gunicorn sits behind a TLS-terminating proxy that sets this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is hard to undo for a whole domain: the council opts in.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # The load balancer's health probe talks plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- Static files, email, locale -----------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The network map's graph library (reports/network/), pinned in package.json.
    ("cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media")))
# Files about children (referral attachments) live outside every served folder
# and reach a browser only through a view that asks the access policy.
PRIVATE_MEDIA_ROOT = Path(
    env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / ".data" / "private-media"))
)
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": str(PRIVATE_MEDIA_ROOT),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
REFERRAL_ATTACHMENT_MAX_BYTES = env.int("REFERRAL_ATTACHMENT_MAX_MB", default=10) * 1024 * 1024
REFERRAL_ATTACHMENTS_PER_REFERRAL = 10
# Links in emails point here (emails carry links, never a child's details).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# The clocks and limits of the work itself (DESIGN.md section 5), the caseload
# and report rules: their own module, so this one stays about the wiring.
from cse_cases.wiring.domain_settings import *  # noqa: E402, F403

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Harbour <harbour@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Axes logs every attempt with the username: keep that at warning level.
        "axes": {"level": "WARNING"},
    },
}
