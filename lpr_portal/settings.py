"""Settings of the LPR Portal, read from the environment (django-environ).

One module for every environment. ``DEBUG=true`` is development (`make run`); the test suite sets
its own values (TESTING). With DEBUG off the start is refused unless SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL are set safely (lpr_portal/settings_guard.py). ``DJANGO_ENV=production`` is the
production profile (`make serve`): HTTPS only, HSTS, secure cookies, Redis required, so that
`manage.py check --deploy --fail-level WARNING` reports nothing.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lpr_portal.settings_guard import DEVELOPMENT_SECRET_KEY, ensure_safe

# Lets admin, form and queryset classes be subscripted at runtime (ModelAdmin[Offer]) for mypy.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
#: ENV_FILE names another file of variables; empty reads none (the settings tests use that).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

TESTING = "pytest" in sys.modules
# mypy's django-stubs plugin imports these settings only to read them.
TYPE_CHECKING_RUN = "mypy" in sys.modules
#: Commands that check the code or its catalogues: they neither serve nor touch data, so they run
#: without the production variables (`manage.py check`, `makemigrations --check` on a fresh
#: clone), except with the production profile, whose `check --deploy` must see the real ones.
OFFLINE_COMMANDS = {"check", "makemigrations", "makemessages", "compilemessages", "help"}
OFFLINE_COMMAND = (
    Path(sys.argv[0]).name in {"manage.py", "django-admin"}
    and len(sys.argv) > 1
    and sys.argv[1] in OFFLINE_COMMANDS
)
DEBUG = env.bool("DEBUG", default=False)
#: "production" switches on the production profile (HTTPS only, HSTS, Redis required).
DJANGO_ENV = env.str("DJANGO_ENV", default="development").strip().lower()
PRODUCTION = DJANGO_ENV == "production"

# With DEBUG off the development fallback is refused below (settings_guard.ensure_safe).
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION or not (DEBUG or TESTING or TYPE_CHECKING_RUN or OFFLINE_COMMAND):
    ensure_safe(os.environ, allowed_hosts=ALLOWED_HOSTS, production=PRODUCTION, debug=DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "lpr_portal.errors.csrf_failure"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

#: The project's own apps (core.choices gives their models the fast get_<field>_display).
PROJECT_APPS = (
    "lpr_portal",
    "core",
    "councils",
    "accounts",
    "audit",
    "notifications",
    "strategy",
    "funding",
    "exchange",
    "spaces",
)

INSTALLED_APPS = [
    # Our apps first: their registration/ templates and their German catalogues win over
    # the admin's (password reset pages; "Save" is "Speichern" here, not the admin's "Sichern").
    *PROJECT_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lpr_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "audit.middleware.RequestAddressMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lpr_portal.middleware.RejectNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "lpr_portal.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lpr_portal.urls"
WSGI_APPLICATION = "lpr_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's layout (base.html, error pages, shared includes, sign-in pages) lives at
        # the top of the repository; app pages stay in their apps' templates/.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lpr_portal.context_processors.portal",
            ],
        },
    },
]

# Django's template renderer with the common widget templates (inputs, selects, text areas,
# radio and check box groups) written out in Python: the same HTML, without ~30 template renders
# per list page with a filter panel (a fifth of its time). Overridden or changed widget templates
# and unusual values still go through the templates (core/renderers.py).
FORM_RENDERER = "core.renderers.WidgetRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The production profile keeps each worker's connection for a minute instead of opening one per
# request (a new PostgreSQL backend costs more than most pages' queries); the health check
# replaces a connection the server has dropped before a request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL binds the parameters itself, and a statement a connection runs for the fifth time
# is prepared (psycopg's automatic preparation): from then on PostgreSQL neither parses it again
# nor, where its generic plan is as cheap as a fresh one, plans it again. Every signed-in page
# runs the same few statements (session, user, memberships, an access check); planning a join of
# six tables cost more than running it. Behind a pooler in transaction mode (PgBouncer before
# 1.21, or without max_prepared_statements) set DB_PREPARED_STATEMENTS=false.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env.bool(
    "DB_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

# Redis when configured: the cache is shared by every web process and node (no in-process state).
# core.cache.RedisCache is Django's, keeping one Redis client per pool instead of one per call.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="lpr"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "councils.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    # Argon2 is slow on purpose; tests sign in thousands of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_VALID_DAYS = 14
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

# Sign-in security (accounts app). Lockout per account and address after repeated failures.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# The failures and lock-outs in PostgreSQL, seen by every web node (never a per-process cache).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Second factor (TOTP with recovery codes): required for platform admins, state admins and
# state staff. Off in the demo (DEBUG) and in tests unless a test turns it on.
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=not DEBUG and not TESTING)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="LPR-Portal")
OTP_RECOVERY_CODE_COUNT = 10
#: How long a confirmed password allows changing e-mail, password or second factor (seconds).
REAUTH_VALID_SECONDS = env.int("REAUTH_VALID_SECONDS", default=5 * 60)
# Sessions live in the database with their user (core.sessions), so they can be ended at once.
SESSION_ENGINE = "core.sessions"
#: Sign out after this many seconds without a request, and this long after the sign-in.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script reads the CSRF cookie: forms carry the token ({% csrf_token %}).
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The audit log takes the address from X-Forwarded-For only behind a trusted proxy that sets it.
AUDIT_TRUST_X_FORWARDED_FOR = env.bool("AUDIT_TRUST_X_FORWARDED_FOR", default=False)

if PRODUCTION:
    # Behind a TLS-terminating proxy gunicorn takes the scheme from X-Forwarded-Proto, but only
    # from FORWARDED_ALLOW_IPS (deploy/gunicorn.conf.py), so is_secure() cannot be forged.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer's health checks speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # No inline scripts or event handlers: every script is a static file.
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "templates" / "locale", BASE_DIR / "lpr_portal" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Vendored Bootstrap and htmx, the portal's stylesheet and scripts (no CDN).
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
#: The largest file one upload may have (core.uploads checks every uploaded file against it).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
#: The largest document a council may keep in its space (analyses and reports run larger).
COUNCIL_DOCUMENT_MAX_BYTES = env.int("COUNCIL_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
#: Uploads go to S3-compatible object storage (django-storages) when a bucket is named, else to
#: MEDIA_ROOT. Several web nodes need the object storage (or one shared file system).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment (read by boto3),
    # or the machine's role.
    MEDIA_STORAGE: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Files are private: downloads go through the portal's views, which check access.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

FILTERS_EMPTY_CHOICE_LABEL = _("All")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LPR-Portal <portal@localhost>")

# Celery: with no REDIS_URL tasks run in-process (eagerly), so the demo needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
#: Where beat keeps the time each periodic task last ran (run exactly one beat per installation).
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "send-pending-notification-emails": {
        "task": "notifications.tasks.send_pending_emails",
        "schedule": 300.0,
    },
    "send-pending-invitation-emails": {
        "task": "councils.tasks.send_pending_invitation_emails",
        "schedule": 300.0,
    },
    "end-sessions-of-ended-memberships": {
        "task": "councils.tasks.end_sessions_of_ended_memberships",
        "schedule": 3600.0,
    },
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": 86400.0,
    },
    "delete-expired-funding-files": {
        "task": "accounts.tasks.delete_expired_funding_files",
        "schedule": 86400.0,
    },
    "make-missing-funding-letters": {
        "task": "funding.tasks.make_missing_letters",
        "schedule": 900.0,
    },
    "send-proof-of-use-reminders": {
        "task": "funding.tasks.send_proof_reminders",
        "schedule": 3600.0 * 6,
    },
    "send-exchange-report-reminders": {
        "task": "exchange.tasks.send_report_reminders",
        "schedule": 3600.0 * 6,
    },
    "send-workgroup-overdue-reminders": {
        "task": "spaces.tasks.send_workgroup_overdue_reminders",
        "schedule": 3600.0 * 6,
    },
    "send-event-reminders": {
        "task": "spaces.tasks.send_event_reminders",
        "schedule": 3600.0,
    },
}
NOTIFICATION_EMAIL_MAX_ATTEMPTS = 8

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo")
#: seed(*, stdout) of apps that build on the demo network
DEMO_SEEDERS = [
    "strategy.demo.seed",
    "funding.demo.seed",
    "exchange.demo.seed",
    "exchange.demo_offers.seed",
    "spaces.demo_documents.seed",
    "spaces.demo_workgroups.seed",
    "spaces.demo_events.seed",
]
#: seed(*, state_slugs, stdout) of apps that add volumes to the benchmark states of --scale
SCALE_SEEDERS = [
    "strategy.scale.seed",  # first: funding requests and reports link to its goals
    "funding.scale.seed",
    "exchange.scale.seed",
    "spaces.scale.seed",
]

# The operator named in the imprint and the accessibility statement (Impressum, BITV 2.0).
IMPRINT = {
    "operator": env.str("IMPRINT_OPERATOR", default="Landespräventionsrat Niedersachsen"),
    "department": env.str(
        "IMPRINT_DEPARTMENT", default="Geschäftsstelle im Niedersächsischen Justizministerium"
    ),
    "street": env.str("IMPRINT_STREET", default="Am Waterlooplatz 5A"),
    "postcode_city": env.str("IMPRINT_POSTCODE_CITY", default="30169 Hannover"),
    "represented_by": env.str(
        "IMPRINT_REPRESENTED_BY", default="die Geschäftsführung des Landespräventionsrates"
    ),
    "email": env.str("IMPRINT_EMAIL", default="info@lpr.niedersachsen.de"),
    "phone": env.str("IMPRINT_PHONE", default=""),
    "website": env.str("IMPRINT_WEBSITE", default="https://www.lpr.niedersachsen.de"),
    "supervisory_authority": env.str(
        "IMPRINT_SUPERVISORY_AUTHORITY", default="Niedersächsisches Justizministerium"
    ),
}
#: Privacy (DSGVO): funding receipts and attachments are deleted this many years after the
#: proof of use was accepted (or the rejected/withdrawn project's end).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=5)
PRIVACY = {
    "dpo_name": env.str("PRIVACY_DPO_NAME", default="Behördliche Datenschutzbeauftragte"),
    "dpo_email": env.str("PRIVACY_DPO_EMAIL", default="datenschutz@lpr.niedersachsen.de"),
    "dpo_address": env.str("PRIVACY_DPO_ADDRESS", default=IMPRINT["street"]),
    "supervisory_authority": env.str(
        "PRIVACY_SUPERVISORY_AUTHORITY",
        default="Die Landesbeauftragte für den Datenschutz Niedersachsen",
    ),
    "supervisory_authority_url": env.str(
        "PRIVACY_SUPERVISORY_AUTHORITY_URL", default="https://www.lfd.niedersachsen.de"
    ),
}
#: The state of conformance the accessibility statement declares (BITV 2.0, EN 301 549, WCAG 2.1
#: AA): "full" (barrierefrei), "partial" (teilweise barrierefrei) or "none" (nicht barrierefrei).
ACCESSIBILITY_CONFORMANCE_LEVELS = ("full", "partial", "none")
#: The known non-conforming parts the statement lists; the portal's own keys
#: (uploaded_documents, letters_pdf, sign_language) are shown translated, other entries as written.
ACCESSIBILITY_STATEMENT = {
    "conformance": env.str("ACCESSIBILITY_CONFORMANCE", default="partial").strip().lower(),
    "non_conforming": [
        item.strip()
        for item in env.list(
            "ACCESSIBILITY_NON_CONFORMING",
            default=["uploaded_documents", "letters_pdf", "sign_language"],
        )
        if item.strip()
    ],
    "prepared_on": env.str("ACCESSIBILITY_PREPARED_ON", default="2026-11-01"),
    "reviewed_on": env.str("ACCESSIBILITY_REVIEWED_ON", default=""),
    "feedback_email": env.str("ACCESSIBILITY_FEEDBACK_EMAIL", default=IMPRINT["email"]),
    "enforcement_body": env.str(
        "ACCESSIBILITY_ENFORCEMENT_BODY",
        default="Schlichtungsstelle nach dem Behindertengleichstellungsgesetz",
    ),
    "enforcement_url": env.str(
        "ACCESSIBILITY_ENFORCEMENT_URL", default="https://www.schlichtungsstelle-bgg.de"
    ),
}
if ACCESSIBILITY_STATEMENT["conformance"] not in ACCESSIBILITY_CONFORMANCE_LEVELS:
    raise ImproperlyConfigured(
        "ACCESSIBILITY_CONFORMANCE must be one of " + ", ".join(ACCESSIBILITY_CONFORMANCE_LEVELS)
    )
#: Messages of the accessibility feedback form one address may send per hour (spam brake).
ACCESSIBILITY_FEEDBACK_PER_HOUR = env.int("ACCESSIBILITY_FEEDBACK_PER_HOUR", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
