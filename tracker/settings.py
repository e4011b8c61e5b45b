"""Settings for the reporting-cycle tracker, read from environment variables.

Every value has a safe default for a developer's machine; production sets DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README, "Deployment").
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tracker.accounts.roles import Role

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1 (or true/false), not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value!r}.")
    return number


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-secret-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "django_filters",
    "django_tables2",
    "simple_history",
    # Background jobs (large imports): django-tasks, with their queue in the database.
    "django_tasks",
    "django_tasks_db",
    "tracker",
    # People and permissions: memberships, roles, the allauth adapters, MFA, the audit log.
    "tracker.accounts",
    "recommendations",
    # The JSON API (README, "The API"): Django REST framework, its schema by drf-spectacular and
    # the documentation's Swagger UI served from the sidecar's static files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tracker.api",
    # Accounts: sign-in, e-mail and password changes, re-authentication and MFA (TOTP with
    # recovery codes) by django-allauth; lock-out after repeated failures by django-axes.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sends anonymous visitors to sign in unless TRACKER_PUBLIC_READ is on.
    "tracker.middleware.PublicReadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: signs out an idle or too old session and says so on the sign-in page.
    "tracker.middleware.SessionTimeoutMiddleware",
    # Cache-Control: no-store on every page that may show non-public data.
    "tracker.middleware.NoStoreMiddleware",
    # Records who made each change in the models' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sends reviewers, data entry and staff without an authenticator to set up TOTP.
    "tracker.middleware.MFARequiredMiddleware",
    # Last, as axes asks: turns a lock-out during sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite file by default so a fresh clone runs with no set-up; PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let a reader and a writer work at once without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache, where allauth counts its rate limits (two-factor codes among them), must be one
# that every worker and app server shares: a table of this database by default ("db://", created
# by migration accounts 0002_cache_table, or `manage.py createcachetable`), Redis when CACHE_URL
# names one ("redis://host:6379/0", needs the redis package).
CACHE_URL = os.environ.get("CACHE_URL", "") or "db://"
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL}}
elif CACHE_URL == "db://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "tracker_cache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://… or db://, not {CACHE_URL!r}.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 8 characters and no maximum (OWASP ASVS 2.1.1-2.1.2); no forced rotation.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
# Where collectstatic writes the files WhiteNoise serves, with their manifest (DEBUG=0).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files: MEDIA_ROOT on this machine, or, with several app servers, a storage they all
# reach (README, "Deployment"): MEDIA_STORAGE_BACKEND names its class (e.g. django-storages'
# "storages.backends.s3.S3Storage") and MEDIA_STORAGE_OPTIONS its options as a JSON object.
try:
    MEDIA_STORAGE_OPTIONS = json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}")
except json.JSONDecodeError:
    MEDIA_STORAGE_OPTIONS = None
if not isinstance(MEDIA_STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured(
        "MEDIA_STORAGE_OPTIONS must be a JSON object, such as {\"location\": \"/srv/media\"}."
    )
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": MEDIA_STORAGE_OPTIONS,
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The app's own sign-in page (django-allauth's, with templates/account/); after signing in or
# out, the dashboard or the sign-in page again.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "recommendations:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Accounts (README, "Accounts and security"). Administrators create them: nobody signs up.
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before any password check.
    "axes.backends.AxesBackend",
    # By username or by e-mail address (allauth's, reading the membership with the user).
    "tracker.accounts.adapters.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "tracker.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "tracker.accounts.adapters.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# A new address replaces the old one once the link sent to it is followed: one address per user.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
# The password is asked again (or the TOTP code) before the e-mail, the password or MFA changes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# A session lasts SESSION_COOKIE_AGE whatever the visitor ticks: no "remember me".
ACCOUNT_SESSION_REMEMBER = True
MFA_ADAPTER = "tracker.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Administrators create accounts with addresses they know, often never verified by a link.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "Reporting cycle tracker"
# A code of the 30-second period before or after is accepted too: a phone's clock drifts, and a
# code typed at the end of its period arrives in the next one.
MFA_TOTP_TOLERANCE = 1
# Members of these groups, staff and superusers must set up TOTP before anything else
# (tracker.middleware.MFARequiredMiddleware); everyone else may.
TRACKER_MFA_REQUIRED_GROUPS = [Role.REVIEWER, Role.DATA_ENTRY]

# Lock-out: AXES_FAILURE_LIMIT failed sign-ins for one username from one address lock that pair
# for AXES_COOLOFF_MINUTES; a successful sign-in clears the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.accounts.adapters.locked_out"
# "H_Lock", " h_lock" and h_lock's e-mail address count as h_lock.
AXES_USERNAME_CALLABLE = "tracker.accounts.adapters.username_for_lockout"
# Failed passwords are axes' to count (tracker.accounts.adapters.AccountAdapter); wrong two-factor
# codes allauth's, as many per user in as long (and 10 a minute from one address), in the shared
# cache: a stolen password does not give unlimited guesses of the code.
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{AXES_FAILURE_LIMIT}/{int(AXES_COOLOFF_TIME.total_seconds())}s/key"
}
# Behind reverse proxies every request comes from the nearest proxy's address, and a lock-out
# would lock a username for everyone: TRACKER_PROXY_COUNT proxies that append to X-Forwarded-For
# make axes read the client's address there. Without proxies the header is the client's to forge,
# so only the connection's address counts (axes' default).
AXES_IPWARE_PROXY_COUNT = env_int("TRACKER_PROXY_COUNT", 0, minimum=0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Whether anonymous visitors may read the app's pages; off, every page but the sign-in page, the
# language switch and token-protected feeds sends them to sign in (tracker.middleware.
# PublicReadMiddleware). Nobody anonymous writes anything either way.
TRACKER_PUBLIC_READ = env_bool("TRACKER_PUBLIC_READ", False)
# How many days a calendar feed address opens its feed (tracker.accounts.tokens); the deadlines
# page always shows a fresh one.
TRACKER_CALENDAR_TOKEN_DAYS = env_int("TRACKER_CALENDAR_TOKEN_DAYS", 365, minimum=1)
# The largest evidence file (PDF, Word, Excel, image) a follow-up entry accepts, in bytes.
TRACKER_MAX_UPLOAD_BYTES = env_int("TRACKER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# What an Office file (.xlsx, .docx) may unpack to, checked before it is read (zip bombs); the
# defaults let the whole UHRI export through.
TRACKER_OFFICE_MAX_UNCOMPRESSED_BYTES = env_int("TRACKER_OFFICE_MAX_UNCOMPRESSED_BYTES", 1 << 30)
TRACKER_OFFICE_MAX_ENTRIES = env_int("TRACKER_OFFICE_MAX_ENTRIES", 10_000)
TRACKER_OFFICE_MAX_CELLS = env_int("TRACKER_OFFICE_MAX_CELLS", 20_000_000)
TRACKER_OFFICE_MAX_STRING_BYTES = env_int("TRACKER_OFFICE_MAX_STRING_BYTES", 1 << 20)
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Background jobs are queued in the project's own database and run by `manage.py db_worker`, so
# they need no other service (README, "Background jobs").
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# An admin import of a file larger than this many bytes runs in the background rather than while
# the browser waits (and the proxy or the browser gives up).
TRACKER_BACKGROUND_IMPORT_BYTES = env_int("TRACKER_BACKGROUND_IMPORT_BYTES", 2 * 1024 * 1024)
# An export of the recommendations list with more rows than this is written in the background
# (an XLSX file of 100,000 rows takes a minute); 0 writes every export while the browser waits.
TRACKER_BACKGROUND_EXPORT_ROWS = env_int("TRACKER_BACKGROUND_EXPORT_ROWS", 20_000, minimum=0)

# An admin upload of a large export must not be refused by Django's default 2.5 MB form limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 50 * 1024 * 1024)

# Production hardening: on whenever DEBUG is off; each can be switched off for a plain-HTTP
# deployment behind a trusted proxy that already does it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# A sign-in ends after TRACKER_SESSION_IDLE_MINUTES without a request and, however active,
# TRACKER_SESSION_MAX_HOURS after it began (tracker.middleware.SessionTimeoutMiddleware).
TRACKER_SESSION_IDLE_MINUTES = env_int("TRACKER_SESSION_IDLE_MINUTES", 30, minimum=1)
TRACKER_SESSION_MAX_HOURS = env_int("TRACKER_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = TRACKER_SESSION_MAX_HOURS * 60 * 60
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only this site's own files: no inline script, style or on…= handler (templates put them in
# static/), no plug-ins, no framing. Images may also be data: URIs, which Bootstrap's CSS uses for
# its icons (select arrows, check marks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# E-mails (the deadline digest, import notices) print to the console unless EMAIL_BACKEND names
# another backend; for SMTP, "django.core.mail.backends.smtp.EmailBackend" and the values below.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tracker@localhost")

# Errors and warnings to the standard error, which gunicorn and the service manager keep: with
# DEBUG off Django's own configuration would only e-mail server errors to ADMINS, of which there
# are none by default.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The JSON API under /api/ (tracker.api): personal tokens or the session, anonymous reading only
# with TRACKER_PUBLIC_READ, TRACKER_API_RATE requests per token (or user, or address) counted in
# the cache (shared by every worker when CACHE_URL names one).
TRACKER_API_RATE = os.environ.get("TRACKER_API_RATE", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.authentication.ReadOrWrite"],
    "DEFAULT_THROTTLE_CLASSES": ["tracker.api.authentication.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": TRACKER_API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PagePagination",
    "EXCEPTION_HANDLER": "tracker.api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Reporting cycle tracker API",
    "DESCRIPTION": "Read the tracker's records and write follow-up, recommendations and measures "
                   "with the permissions of the app's pages (README, \"The API\").",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge fetched from the validator's site: the CSP allows this site's images only.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each set of choices that several fields share a name for ("kind", "status").
    "ENUM_NAME_OVERRIDES": {
        "MechanismKindEnum": "tracker.models.Mechanism.Kind",
        "MilestoneKindEnum": "tracker.models.Milestone.Kind",
        "DocumentKindEnum": "tracker.models.Document.Kind",
        "FrameworkStatusEnum": "tracker.models.CooperationFramework.Status",
        "LanguageEnum": "tracker.models.LANGUAGES",
        "RecommendationKindEnum": "recommendations.models.Recommendation.Kind",
        "ImplementationStatusEnum": "recommendations.models.Status",
        "OverallStatusEnum": "recommendations.models.OVERALL_STATUS_CHOICES",
        "MeasureStatusEnum": "recommendations.models.Measure.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.errors.add_errors",
    ],
}
