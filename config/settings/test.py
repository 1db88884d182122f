"""Settings for the test suite: fast hashing, no manifest, the embedded engines by default."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# whitenoise's compressed storage needs collectstatic; tests serve the sources directly.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Tests run tasks in-process; the few that prove the real worker path use the `real_worker`
# fixture, which switches the Celery app to the broker for their duration (CI starts a worker).
CELERY_TASK_ALWAYS_EAGER = True
