"""The Celery application. Without CELERY_BROKER_URL tasks run eagerly (the embedded default)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tung_nha")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
