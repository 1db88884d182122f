"""The Celery application. Without CELERY_BROKER_URL tasks run eagerly (the embedded default)."""

import gc
import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tung_nha")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
@worker_process_init.connect
def _freeze_loaded_objects(**kwargs: object) -> None:
    """What a worker has loaded lives as long as it does: kept out of the garbage collector's
    full collections, as the web workers' (config/wsgi.py). `worker_ready` for a worker that runs
    tasks itself (solo), `worker_process_init` for each child of a prefork pool."""
    gc.freeze()
