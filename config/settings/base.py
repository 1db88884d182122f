"""Settings shared by every environment, driven by environment variables.

With no variable set, the project runs embedded: SQLite, eager Celery tasks, a local-memory
cache. Setting DATABASE_URL, CELERY_BROKER_URL and REDIS_URL turns it into production's shape.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# A development key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer (core.forms) reads Django's widget templates from here
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "import_export",
    "treebeard",
    "core",
    "areas",
    "volunteers",
    "households",
    "trainings",
    "workspace",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # JSON for every error under /campaigns/api/ (unknown paths, 405, 500), outermost of ours.
    "campaigns.api.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.NfcFormMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "volunteers.middleware.UserLanguageMiddleware",
    "volunteers.middleware.SessionActivityMiddleware",
    "volunteers.devices.ClearDeviceOnLogoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "volunteers.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Every form draws its fields and errors through one pair of templates (issue 18).
FORM_RENDERER = "core.form_rendering.FormRenderer"

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
                "volunteers.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a task writes; a busy timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("DJANGO_DB_PREPARED_STATEMENTS", True):
    # PostgreSQL plans the scope checks of the hot paths (a visit's household lookup is a
    # dozen nested EXISTS) once per connection instead of on every request: about a third of
    # a visit's sync time. Needs server-side binding; switch off behind a transaction-mode
    # PgBouncer, which cannot keep prepared statements.
    # Added to, never replacing, what DATABASE_URL carries (sslmode=require, for one).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (the shared cache also holds login rate limits) --------------------------------
REDIS_URL = env("REDIS_URL") or env("CACHE_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
# No broker configured: run every task in-process, so a newcomer needs nothing installed.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Longer than the longest task (an import of 100k rows), so Redis does not hand it out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}
# The beat schedule lives here: django-celery-beat does not allow Django 6.1 yet.
CELERY_BEAT_SCHEDULE: dict = {
    # campaigns: recompute the summary tables from the raw records and report any drift.
    "campaigns-tallies-check-drift": {
        "task": "campaigns.tasks.tallies_check_drift",
        "schedule": crontab(hour=2, minute=30),
    },
    # campaigns: recount each residential group's households and people (households.registry)
    # and report any group whose kept counts differ, the same way.
    "campaigns-registry-check-drift": {
        "task": "campaigns.tasks.registry_check_drift",
        "schedule": crontab(hour=2, minute=45),
    },
    # campaigns: fold the tallies journal into the summary tables. Each recording commit queues
    # a fold already; this is the safety net (a lost message, a cache outage): totals_freshness_s
    # stays under 5 s. `expires`: runs missed while no worker was up are not piled up.
    "campaigns-tallies-fold": {
        "task": "campaigns.tasks.tallies_fold",
        "schedule": 3.0,
        "options": {"expires": 3.0},
    },
    # core.jobs: long jobs of every kind (imports, exports, reports, training imports) whose
    # worker died are sent again, within minutes rather than after the visibility timeout.
    "volunteers-requeue-stalled-jobs": {
        "task": "core.jobs.tasks.jobs_requeue_stalled_task",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # volunteers: assignments past their end date are released (they already count nowhere).
    "volunteers-release-expired-assignments": {
        "task": "volunteers.tasks.assignments_release_expired_task",
        "schedule": crontab(hour=0, minute=15),
    },
    # workspace.retention: personal data past its period (TUNGNHA_RETENTION) removed nightly.
    "workspace-retention-apply": {
        "task": "workspace.tasks.retention_apply_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # households: flag recent visits that look padded for the coordinator's review queue.
    "households-review-scan": {
        "task": "households.tasks.review_scan_recent_task",
        "schedule": crontab(minute=5),
    },
}

# --- Auth and accounts ---------------------------------------------------------------------
AUTH_USER_MODEL = "volunteers.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "volunteers.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_FORMS = {"login": "volunteers.forms.PhoneOrEmailLoginForm"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PHONE_VERIFICATION_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# The client address of every rate limit (core.clientip): X-Forwarded-For is believed only
# behind this many proxies of ours (the HTTPS proxy in front of gunicorn: 1). 0: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(env("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {
    # Successful sign-ins from one address: a ward office's Wi-Fi or a carrier's shared address
    # carries a whole training class signing in at once (allauth's default is 30 a minute).
    "login": "300/m/ip",
    # Failed sign-ins: 5 per 5 minutes per account *and* address ("key", see the adapter), so a
    # stranger who knows a phone number never locks its owner out; and per address a ceiling
    # that a class of 40 on one Wi-Fi mistyping a password or two does not reach.
    "login_failed": "100/m/ip,600/h/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Invitation-only: a reset request for an unknown address sends nothing that invites sign-up.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Từng Nhà"
# Emails are not verified (coordinators enter them); a password reset must not block enrolment.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Ward coordinators and above must enrol TOTP before using the product (see middleware).
TUNGNHA_MFA_REQUIRED = env_bool("DJANGO_MFA_REQUIRED", False)

# --- Retention of personal data (README "Personal data and retention") ---------------------
# Applied nightly (workspace-retention-apply) and by `manage.py retention_apply [--dry-run]`.
# The API (campaigns/api): requests per key and bad keys per client address, per minute.
TUNGNHA_API_RATE = (int(env("DJANGO_API_RATE_PER_MINUTE", "120")), 60)
TUNGNHA_API_BAD_KEY_RATE = (int(env("DJANGO_API_BAD_KEYS_PER_MINUTE", "10")), 60)

TUNGNHA_RETENTION = {
    # a household's contact, consent and notes, when it has had no visit for this long
    "contact_years": int(env("DJANGO_RETENTION_CONTACT_YEARS", "3")),
    # the free-text notes of a visit
    "visit_notes_days": int(env("DJANGO_RETENTION_VISIT_NOTES_DAYS", "365")),
    # an uploaded import file (and its previewed rows), after its job ended
    "upload_days": int(env("DJANGO_RETENTION_UPLOAD_DAYS", "30")),
    # the log of who saw a contact
    "contact_view_days": int(env("DJANGO_RETENTION_CONTACT_VIEW_DAYS", "730")),
}

# Sessions end after two weeks of inactivity for field phones; SessionActivityMiddleware renews
# them at most every 15 minutes rather than writing the session on every request.
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_AGE", str(int(timedelta(days=14).total_seconds()))))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the offline outbox reads it to sign its POSTs

# --- I18n ----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# locale/ holds our catalogues (Vietnamese source strings, English translations); locale/thirdparty
# holds Vietnamese for libraries that ship none (allauth, django-tables2).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "thirdparty"]
# One number format everywhere: Vietnamese groups thousands with "." (config/formats/vi).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are kept outside the static path and served only through views that check scope.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail ----------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    }
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Từng Nhà <no-reply@localhost>")

# --- Tables --------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "_partials/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
