"""Settings for the dashboard benchmark's uncached server: the test settings with a dummy cache,
so every request computes the dashboard body from the summary tables."""

from config.settings.test import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
