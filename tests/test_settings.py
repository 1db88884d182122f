"""Settings read from the environment: what DATABASE_URL carries survives our own options."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _database_options(url: str, **env: str) -> dict:
    script = (
        "import json, django; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": url,
        **env,
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, check=True
    )
    return json.loads(out.stdout)


def test_postgres_url_options_are_kept_beside_prepared_statements():
    options = _database_options("postgres://u@db.example:5432/tungnha?sslmode=require")
    assert options["sslmode"] == "require"  # TLS is not silently dropped
    assert options["server_side_binding"] is True


def test_prepared_statements_can_be_switched_off_for_pgbouncer():
    options = _database_options(
        "postgres://u@db.example:5432/tungnha", DJANGO_DB_PREPARED_STATEMENTS="0"
    )
    assert "server_side_binding" not in options


def test_the_web_and_task_workers_keep_their_loaded_objects_out_of_the_collector():
    script = (
        "import gc, config.wsgi; web = gc.get_freeze_count(); gc.unfreeze(); "
        "from config.celery_app import _freeze_loaded_objects; _freeze_loaded_objects(); "
        "print(web, gc.get_freeze_count())"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, check=True
    )
    web, tasks = (int(count) for count in out.stdout.split())
    assert web > 10_000  # Django and the apps, loaded before the first request
    assert tasks > 10_000
