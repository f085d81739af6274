"""Turntide's one Django settings module, configured from environment variables only.

Two profiles (`TURNTIDE_PROFILE`):
- `embedded` (default): SQLite under `$TURNTIDE_HOME`, in-memory cache, email as files, no
  second factor. For the demo, development and tests only.
- `production`: refuses to start without `SECRET_KEY`, `DATABASE_URL` and
  `TURNTIDE_ALLOWED_HOSTS`; HTTPS only, HSTS, secure cookies, TOTP for every staff account.
Every variable is documented in README.md (a test checks that).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from turntide.config import ConfigurationError, env_bool, env_int, env_list, env_str, secret

PACKAGE_DIR = Path(__file__).resolve().parent

PROFILE = env_str("TURNTIDE_PROFILE", "embedded")
if PROFILE not in {"embedded", "production"}:
    raise ConfigurationError(f"TURNTIDE_PROFILE must be embedded or production, not {PROFILE!r}")
PRODUCTION = PROFILE == "production"
EMBEDDED = not PRODUCTION

HOME = Path(env_str("TURNTIDE_HOME", "var")).resolve()


def _embedded_secret_key(filename: str = "secret_key") -> str:
    """A random key kept under $TURNTIDE_HOME, so the demo has no secret in the repository."""
    path = HOME / filename
    if not path.exists():
        HOME.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _required(name: str, value: str) -> str:
    if not value:
        raise ConfigurationError(
            f"{name} is required in the production profile (set {name} or {name}_FILE)"
        )
    return value


def _key_setting(name: str, embedded_file: str) -> str:
    """A key of 32 characters or more: required in production, generated under
    $TURNTIDE_HOME in the embedded profile unless set."""
    if not PRODUCTION:
        return secret(name) or _embedded_secret_key(embedded_file)
    key = _required(name, secret(name))
    if len(key) < 32:
        raise ConfigurationError(f"{name} must be at least 32 characters long")
    return key


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY", secret("SECRET_KEY"))
    DATABASE_URL = _required("DATABASE_URL", secret("DATABASE_URL"))
    ALLOWED_HOSTS = env_list("TURNTIDE_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ConfigurationError("TURNTIDE_ALLOWED_HOSTS is required in the production profile")
    DEBUG = False
else:
    SECRET_KEY = secret("SECRET_KEY") or _embedded_secret_key()
    DATABASE_URL = secret("DATABASE_URL") or f"sqlite:///{HOME / 'turntide.sqlite3'}"
    ALLOWED_HOSTS = env_list("TURNTIDE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
    DEBUG = env_bool("TURNTIDE_DEBUG", False)

# Connections persist for a minute; each is checked before its first use in a request or
# worker round, so one that a database restart broke is replaced instead of failing a request.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's worker thread write while pages read; IMMEDIATE avoids
    # upgrade deadlocks between concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "turntide.audit",
    "turntide.accounts",
    "turntide.schedule",
    "turntide.reports",
    "turntide.cases",
    "turntide.insights",
    "turntide.lists",
    "turntide.members",
    "turntide.hashes",
    "turntide.takedown",
    "turntide.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "turntide.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "turntide.urls"
WSGI_APPLICATION = "turntide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "turntide.accounts.context_processors.navigation",
                "turntide.reports.context_processors.hotline",
            ],
        },
    },
]

# Accounts: argon2 first; idle sessions end after TURNTIDE_SESSION_IDLE_MINUTES.
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("TURNTIDE_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
TURNTIDE_LOGIN_MAX_FAILURES = env_int("TURNTIDE_LOGIN_MAX_FAILURES", 5, minimum=1)
TURNTIDE_LOGIN_LOCKOUT_MINUTES = env_int("TURNTIDE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Outside the demo every staff account must pass a TOTP second factor; not configurable.
TURNTIDE_REQUIRE_2FA = PRODUCTION
# The hotline's name; the public pages show the one saved in the admin before this one.
TURNTIDE_HOTLINE_NAME = env_str("TURNTIDE_HOTLINE_NAME")
OTP_TOTP_ISSUER = TURNTIDE_HOTLINE_NAME or "Turntide"
# New staff set their password and enrol their authenticator through a one-time link, sent
# by mail (or printed by `turntide staff`) on the site's own address; it lapses after this long.
TURNTIDE_ENROLMENT_LINK_HOURS = env_int("TURNTIDE_ENROLMENT_LINK_HOURS", 72, minimum=1)
TURNTIDE_SITE_URL = env_str("TURNTIDE_SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000"
)

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "turntide_cache",
        }
        if PRODUCTION
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Audit trail: each event's hash is an HMAC-SHA256 under TURNTIDE_AUDIT_KEY, which lives
# outside the database; retired keys stay in TURNTIDE_AUDIT_OLD_KEYS so the events they
# signed still verify. Signed checkpoints of the chain's head go to TURNTIDE_AUDIT_ANCHOR_DIR
# every TURNTIDE_AUDIT_ANCHOR_MINUTES and at every verification, so a cut-off tail shows.
TURNTIDE_AUDIT_KEY = _key_setting("TURNTIDE_AUDIT_KEY", "audit_key")
TURNTIDE_AUDIT_OLD_KEYS = secret("TURNTIDE_AUDIT_OLD_KEYS").replace(",", " ").split()
TURNTIDE_AUDIT_ANCHOR_DIR = Path(env_str("TURNTIDE_AUDIT_ANCHOR_DIR") or HOME / "audit").resolve()
TURNTIDE_AUDIT_ANCHOR_MINUTES = env_int("TURNTIDE_AUDIT_ANCHOR_MINUTES", 60, minimum=1)

# Row-level case exports (insights.case_export): written by the worker, downloaded through
# the web, so in production a folder both can reach.
TURNTIDE_EXPORT_DIR = Path(env_str("TURNTIDE_EXPORT_DIR") or HOME / "exports").resolve()

# Intake: a closed case reported again returns to the queue when its last decision is
# older than this many days (0: never).
TURNTIDE_REOPEN_AFTER_DAYS = env_int("TURNTIDE_REOPEN_AFTER_DAYS", 30)

# Analyst workspace: how soon a case should be assessed, how long a claim lasts without
# activity, and which assessments a second analyst must verify (see cases.verification).
TURNTIDE_ASSESSMENT_TARGET_HOURS = env_int("TURNTIDE_ASSESSMENT_TARGET_HOURS", 24, minimum=1)
TURNTIDE_CLAIM_IDLE_MINUTES = env_int("TURNTIDE_CLAIM_IDLE_MINUTES", 20, minimum=1)
TURNTIDE_QUEUE_ORDER = env_list("TURNTIDE_QUEUE_ORDER", ["danger", "confidence", "reports", "due"])
TURNTIDE_VERIFICATION_RULES = env_list(
    "TURNTIDE_VERIFICATION_RULES", ["category:A", "proactive-not-illegal", "sample:10"]
)

# Welfare: suggest a break (and hold the next claim a few minutes) after every N Category A
# assessments or every M cases in a day.
TURNTIDE_WELFARE_CATEGORY_A_BREAK = env_int("TURNTIDE_WELFARE_CATEGORY_A_BREAK", 25, minimum=1)
TURNTIDE_WELFARE_CASES_BREAK = env_int("TURNTIDE_WELFARE_CASES_BREAK", 100, minimum=1)
TURNTIDE_WELFARE_PAUSE_MINUTES = env_int("TURNTIDE_WELFARE_PAUSE_MINUTES", 5, minimum=0)

# API: requests per minute per token, and the largest request body (10,000 URLs fit).
TURNTIDE_API_REQUESTS_PER_MINUTE = env_int("TURNTIDE_API_REQUESTS_PER_MINUTE", 600, minimum=1)
# A removed URL stays on the members' URL list this long: removed content often reappears.
TURNTIDE_LIST_REMOVAL_GRACE_HOURS = env_int("TURNTIDE_LIST_REMOVAL_GRACE_HOURS", 24, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("TURNTIDE_API_MAX_BODY_BYTES", 16 * 1024 * 1024, minimum=1024)

# Public report form: submissions per hour from one client address before HTTP 429. The
# address is counted only under a keyed hash (accounts.ratelimits); the key lives in memory
# and changes daily, so no address can be recovered. Behind a proxy the address is the last
# one in X-Forwarded-For.
TURNTIDE_REPORT_LIMIT_PER_HOUR = env_int("TURNTIDE_REPORT_LIMIT_PER_HOUR", 20, minimum=1)
TURNTIDE_CLIENT_ADDRESS_FROM_PROXY = env_bool("TURNTIDE_BEHIND_PROXY", False)

# Background work: Django's tasks API on a durable database queue (django-tasks-db).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
TURNTIDE_WEB_WORKERS = env_int("TURNTIDE_WEB_WORKERS", 2, minimum=1)
TURNTIDE_BIND = env_str("TURNTIDE_BIND", "127.0.0.1:8000")

# Email: SMTP in production; in the embedded profile, one file per sending connection under
# $TURNTIDE_HOME/mail, to read there (the demo's terminal stays readable). Production without
# an SMTP host writes nothing (messages name reporters' addresses): `serve` and `worker`
# refuse to start and `check --deploy` reports it (mail.E001).
DEFAULT_FROM_EMAIL = env_str("TURNTIDE_FROM_EMAIL", "hotline@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
TURNTIDE_SMTP_HOST = env_str("TURNTIDE_SMTP_HOST")
if TURNTIDE_SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": TURNTIDE_SMTP_HOST,
                "port": env_int("TURNTIDE_SMTP_PORT", 587, minimum=1),
                "username": env_str("TURNTIDE_SMTP_USER"),
                "password": secret("TURNTIDE_SMTP_PASSWORD"),
                "use_tls": env_bool("TURNTIDE_SMTP_STARTTLS", True),
                "timeout": 30,
            },
        }
    }
elif PRODUCTION:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(HOME / "mail")},
        }
    }

# Internationalisation: every public string goes through Django's i18n.
LANGUAGE_CODE = env_str("TURNTIDE_LANGUAGE", "en")
# Each language is named in itself, as the public form's language switch shows it.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TURNTIDE_TIME_ZONE", "UTC")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Only production collects static files; the embedded profile serves them from the package.
STATIC_ROOT = HOME / "static" if PRODUCTION else None
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
WHITENOISE_USE_FINDERS = EMBEDDED

# Security headers. The policy forbids inline script and style everywhere; pages load
# only their own vendored files.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "turntide.accounts.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TURNTIDE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("TURNTIDE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("TURNTIDE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("TURNTIDE_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host[0] != "."]

# Logs go to stderr. No access log is kept, so no log line carries a client address, and
# every record passes a filter that blanks email addresses. Django's own loggers lose the
# handlers of its default configuration, so their records take the same way. A 4xx answer
# is logged in one line (no traceback), and tasks only when they fail: a line per task run
# buried everything else.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors": {"()": "turntide.logs.OneLineClientErrors"},
        "no_email": {"()": "turntide.logs.RedactEmailAddresses"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "turntide.logs.StderrHandler",
            "formatter": "plain",
            "filters": ["client_errors", "no_email"],
        }
    },
    "root": {"handlers": ["stderr"], "level": env_str("TURNTIDE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {},
        # runserver's access line for a 4xx would repeat django.request's line about it.
        "django.server": {"level": "ERROR"},
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}

# Removal (takedown app): the hotline's own country decides each case's route; actioned URLs
# are re-checked until offline twice in a row; content still up after a route's hours
# escalates (re-notice, upstream or registrar, police). Police hear of home-hosted content
# per TURNTIDE_POLICE_NOTIFY: `always`, `category-a` or `never`.
TURNTIDE_HOME_COUNTRY = env_str("TURNTIDE_HOME_COUNTRY", "GB").upper()
TURNTIDE_RECHECK_FIRST_HOURS = env_int("TURNTIDE_RECHECK_FIRST_HOURS", 4)
TURNTIDE_RECHECK_EVERY_HOURS = env_int("TURNTIDE_RECHECK_EVERY_HOURS", 24, minimum=1)
# Hosting moves: an open takedown's host is traced again this often, and before a notice goes.
TURNTIDE_RETRACE_HOURS = env_int("TURNTIDE_RETRACE_HOURS", 12, minimum=1)


def _numbers_by_name(setting: str, names: tuple[str, ...], default: list[str]) -> dict[str, int]:
    """`name:number` pairs, such as `home:24`, from the list setting `setting`."""
    numbers = {}
    for item in env_list(setting, default):
        name, _, value = (part.strip() for part in item.partition(":"))
        if name not in names or not value.isdigit():
            raise ConfigurationError(
                f"{setting} takes name:number pairs (names {', '.join(names)}), not {item!r}"
            )
        numbers[name] = int(value)
    return numbers


TURNTIDE_ESCALATE_AFTER_HOURS = _numbers_by_name(
    "TURNTIDE_ESCALATE_AFTER_HOURS",
    ("home", "partner", "abroad", "cdn"),
    ["home:24", "partner:72", "abroad:72", "cdn:48"],
)
# Notices wait in the outbox this long per step (first, renotice, upstream, police; 0 when
# unnamed), so that one mail to an abuse contact groups every URL that came meanwhile.
TURNTIDE_NOTICE_HOLD_MINUTES = _numbers_by_name(
    "TURNTIDE_NOTICE_HOLD_MINUTES",
    ("first", "renotice", "upstream", "police"),
    ["first:60", "renotice:1440"],
)
TURNTIDE_POLICE_EMAIL = env_str("TURNTIDE_POLICE_EMAIL")
# "Police first" (marked on the removal workbench): the host's notices wait this long, unless
# the police release the case sooner.
TURNTIDE_POLICE_HOLD_HOURS = env_int("TURNTIDE_POLICE_HOLD_HOURS", 72, minimum=1)
TURNTIDE_POLICE_NOTIFY = env_str("TURNTIDE_POLICE_NOTIFY", "never")
if TURNTIDE_POLICE_NOTIFY not in {"always", "category-a", "never"}:
    raise ConfigurationError("TURNTIDE_POLICE_NOTIFY must be always, category-a or never")

# The hotline's abuse mailbox, read by the worker for replies to notices and bounces
# (takedown.mailbox); not read when no host is set.
TURNTIDE_IMAP_HOST = env_str("TURNTIDE_IMAP_HOST")
TURNTIDE_IMAP_PORT = env_int("TURNTIDE_IMAP_PORT", 993, minimum=1)
TURNTIDE_IMAP_USER = env_str("TURNTIDE_IMAP_USER")
TURNTIDE_IMAP_PASSWORD = secret("TURNTIDE_IMAP_PASSWORD")
TURNTIDE_IMAP_TLS = env_bool("TURNTIDE_IMAP_TLS", True)
TURNTIDE_IMAP_FOLDER = env_str("TURNTIDE_IMAP_FOLDER", "INBOX")

# Availability checker and hosting trace (turntide.takedown.checker and .tracing). Reported
# URLs are chosen by strangers: special-use addresses are refused unless the demo or a test
# opts in, which production never does.
# Intake takes the reserved names of RFC 2606/6761 (.test, .example, example.com) and names
# off the Public Suffix List only outside production: the demo and tests use them so that no
# real site is ever named.
TURNTIDE_INTAKE_ALLOW_RESERVED = EMBEDDED
TURNTIDE_CHECKER_ALLOW_PRIVATE = env_bool("TURNTIDE_CHECKER_ALLOW_PRIVATE", False)
if PRODUCTION and TURNTIDE_CHECKER_ALLOW_PRIVATE:
    raise ConfigurationError("TURNTIDE_CHECKER_ALLOW_PRIVATE is for the demo and tests only")
TURNTIDE_CHECKER_ALLOW_NETWORKS = env_list("TURNTIDE_CHECKER_ALLOW_NETWORKS")
TURNTIDE_CHECKER_PROXY = env_str("TURNTIDE_CHECKER_PROXY")
TURNTIDE_CHECKER_USER_AGENT = env_str(
    "TURNTIDE_CHECKER_USER_AGENT", "Turntide-availability-check/1"
)
TURNTIDE_CHECKER_TIMEOUT = env_int("TURNTIDE_CHECKER_TIMEOUT", 10, minimum=1)
TURNTIDE_DNS_SERVERS = env_list("TURNTIDE_DNS_SERVERS")
TURNTIDE_GEOIP_COUNTRY_DB = env_str("TURNTIDE_GEOIP_COUNTRY_DB")
TURNTIDE_GEOIP_ASN_DB = env_str("TURNTIDE_GEOIP_ASN_DB")
TURNTIDE_RDAP_URL = env_str("TURNTIDE_RDAP_URL")

# Hash list: PDQ hashes below this quality (0-100; Meta advises 50) are refused.
TURNTIDE_PDQ_MIN_QUALITY = env_int("TURNTIDE_PDQ_MIN_QUALITY", 50, minimum=0)

# Research extracts: counts from 1 to this minus one are published as "<N" (with complementary
# suppression so totals cannot reveal them). 10 is the common floor for health statistics.
TURNTIDE_SUPPRESSION_THRESHOLD = env_int("TURNTIDE_SUPPRESSION_THRESHOLD", 10, minimum=2)

# Survey workspace (insights.surveys): uploaded microdata is encrypted at rest under
# TURNTIDE_SURVEY_KEY (kept outside the database and its backups) and deleted after
# TURNTIDE_SURVEY_RETENTION_DAYS.
TURNTIDE_SURVEY_KEY = _key_setting("TURNTIDE_SURVEY_KEY", "survey_key")
TURNTIDE_SURVEY_RETENTION_DAYS = env_int("TURNTIDE_SURVEY_RETENTION_DAYS", 365, minimum=1)

# ICCAM exchange (turntide.exchange): reports shared with INHOPE member hotlines through ICCAM
# (API v3). Off while TURNTIDE_ICCAM_URL is unset. The real service asks for a TLS client
# certificate, so production refuses the exchange over plain http or without one.
TURNTIDE_ICCAM_URL = env_str("TURNTIDE_ICCAM_URL")
TURNTIDE_ICCAM_USERNAME = env_str("TURNTIDE_ICCAM_USERNAME")
TURNTIDE_ICCAM_PASSWORD = secret("TURNTIDE_ICCAM_PASSWORD")
TURNTIDE_ICCAM_COUNTRY = env_str("TURNTIDE_ICCAM_COUNTRY", TURNTIDE_HOME_COUNTRY).upper()
TURNTIDE_ICCAM_CLIENT_CERT = env_str("TURNTIDE_ICCAM_CLIENT_CERT")
TURNTIDE_ICCAM_CLIENT_KEY = env_str("TURNTIDE_ICCAM_CLIENT_KEY")
TURNTIDE_ICCAM_INTERVAL_MINUTES = env_int("TURNTIDE_ICCAM_INTERVAL_MINUTES", 15, minimum=1)
if TURNTIDE_ICCAM_URL:
    if not TURNTIDE_ICCAM_URL.startswith(("https://", "http://")):
        raise ConfigurationError("TURNTIDE_ICCAM_URL must be an https address")
    if not (TURNTIDE_ICCAM_USERNAME and TURNTIDE_ICCAM_PASSWORD):
        raise ConfigurationError(
            "the ICCAM exchange needs TURNTIDE_ICCAM_USERNAME and TURNTIDE_ICCAM_PASSWORD"
        )
    if PRODUCTION and not TURNTIDE_ICCAM_URL.startswith("https://"):
        raise ConfigurationError("TURNTIDE_ICCAM_URL must be https:// in the production profile")
    if PRODUCTION and not all(
        path and Path(path).is_file()
        for path in (TURNTIDE_ICCAM_CLIENT_CERT, TURNTIDE_ICCAM_CLIENT_KEY)
    ):
        raise ConfigurationError(
            "the ICCAM exchange needs its client certificate in the production profile: set "
            "TURNTIDE_ICCAM_CLIENT_CERT and TURNTIDE_ICCAM_CLIENT_KEY to readable files"
        )
