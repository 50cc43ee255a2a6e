"""Django settings for PIMH Pathway, all read from the environment.

Every value comes through the typed helpers in ``pimh.config.env`` so that a
malformed value stops start-up with a clear message. See docs/configuration.md.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from pimh.config.env import ConfigError, env_bool, env_int, env_list, env_origins, env_str
from pimh.core.logging import logging_config
from pimh.screening import thresholds as screening_thresholds

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("PIMH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else None)
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only")):
    raise ConfigError("SECRET_KEY must be a random string of at least 50 characters when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "pgtrigger",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "pimh.core",
    "pimh.families",
    "pimh.contacts",
    "pimh.diary",
    "pimh.screening",
    "pimh.referrals",
    "pimh.workforce",
    "pimh.interop",
]

MIDDLEWARE = [
    "pimh.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pimh.core.middleware.ContentSecurityPolicyMiddleware",
    "pimh.core.middleware.AssetsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pimh.core.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pimh.core.middleware.InactivityTimeoutMiddleware",
    "pimh.core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pimh.config.urls"
WSGI_APPLICATION = "pimh.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "src" / "pimh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "pimh.config.jinja.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pimh.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0, maximum=3600))
}
# SQLite's page cache per connection, in MB (its own default is 2 MB): at trust size the pages a view
# reads no longer fit in 2 MB, and every miss is a read from the file (docs/performance.md, "Scale").
SQLITE_CACHE_MB = env_int("SQLITE_CACHE_MB", 128, minimum=2, maximum=4096)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Team-wide and service-wide counts (team view, service overview) are recounted at most this often (core/recent.py).
AGGREGATE_CACHE_SECONDS = env_int("AGGREGATE_CACHE_SECONDS", 60, minimum=0, maximum=3600)

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (username + address) after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1, maximum=20)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1, maximum=24 * 60) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address: REMOTE_ADDR, or, behind this many trusted proxies, the entry of
# X-Forwarded-For that the outermost trusted proxy added (see pimh.core.client_address).
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0, minimum=0, maximum=5
)
AXES_CLIENT_IP_CALLABLE = "pimh.core.client_address.from_request"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.jinja"
AXES_VERBOSE = False

# Sessions end after this many minutes without a request.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1, maximum=8 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12, minimum=1, maximum=24) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "PIMH Pathway"
# An administrator's second-factor enrolment link works once, for this many hours.
SECOND_FACTOR_LINK_HOURS = env_int("SECOND_FACTOR_LINK_HOURS", 24, minimum=1, maximum=7 * 24)

# Break-glass access to another team's family lasts this long.
BREAK_GLASS_HOURS = env_int("BREAK_GLASS_HOURS", 4, minimum=1, maximum=72)

# The analytics snapshot the commissioner's workforce page reads (empty: the page says how to set it).
WORKFORCE_SNAPSHOT_DIR = env_str("WORKFORCE_SNAPSHOT_DIR", "")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0, maximum=63_072_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Fonts may come from the NHS font host; everything else only from this service.
CSP_FONT_HOSTS = env_origins("CSP_FONT_HOSTS", ["https://assets.nhs.uk"])

# Analytics snapshot (pimh snapshot, the analyst pages): identifiers are keyed hashes with this key,
# never written into the snapshot. Required in production to build a snapshot (at least 32 characters).
SNAPSHOT_PSEUDONYM_KEY = env_str(
    "SNAPSHOT_PSEUDONYM_KEY", "dev-only-snapshot-pseudonym-key-not-secret" if DEBUG else ""
)
if (
    SNAPSHOT_PSEUDONYM_KEY
    and not DEBUG
    and (len(SNAPSHOT_PSEUDONYM_KEY) < 32 or SNAPSHOT_PSEUDONYM_KEY.startswith("dev-only"))
):
    raise ConfigError("SNAPSHOT_PSEUDONYM_KEY must be a random string of at least 32 characters when DEBUG is off")
# The analyst pages' snapshot of the live database, rebuilt on demand.
ANALYTICS_SNAPSHOT_DIR = Path(env_str("ANALYTICS_SNAPSHOT_DIR", str(VAR_DIR / "analytics")))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

NHSUK_DIST = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("nhsuk", NHSUK_DIST)]
# Serve straight from the source folders in development and tests; run collectstatic in production.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("STATIC_FROM_FINDERS", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed names (cached for ever by browsers) and gzip/brotli copies, made by collectstatic.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if WHITENOISE_USE_FINDERS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Screening cut-offs and pathway numbers: one versioned set per deployment (docs/configuration.md).
SCREENING_THRESHOLDS_FILE = env_str("SCREENING_THRESHOLDS_FILE", "")
# A CSV of postcodes and their LSOA codes: families' LSOA derived from their postcode (docs/configuration.md).
POSTCODE_LSOA_CSV = env_str("POSTCODE_LSOA_CSV", "")
try:
    SCREENING_THRESHOLDS = (
        screening_thresholds.load(SCREENING_THRESHOLDS_FILE)
        if SCREENING_THRESHOLDS_FILE
        else screening_thresholds.DEFAULT_THRESHOLDS
    )
except screening_thresholds.ThresholdsError as error:
    raise ConfigError(f"SCREENING_THRESHOLDS_FILE: {error}") from None

# Patient data never goes to logs: only the request path and status are logged,
# and exceptions are summarised without local variables.
# Every handler, Django's own (django, django.server) and gunicorn's included, has the filter.
LOGGING = logging_config(env_str("LOG_LEVEL", "WARNING"))

# The UK Core 2.0.0 profiles, value sets and code systems the FHIR import checks against (docs/api.md).
# Empty: the first `shared/fixtures/uk-core` found beside the checkout or above it.
UK_CORE_DIR = env_str("UK_CORE_DIR", "")
