"""Training imports take the one job status (core.jobs.models.JobStatus): "pending" becomes
"queued", and "failed" becomes "invalid": before the runner, every failed import was one
whose rows had errors (nothing written), which the workspace's imports call invalid; "failed"
now means the run itself broke.

Its own migration (a transaction of its own on PostgreSQL), after the schema changes of 0004.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FORWARD = {"pending": "queued", "failed": "invalid"}
BACKWARD = {"queued": "pending", "preview": "pending", "invalid": "failed"}


def _remap(apps: StateApps, mapping: dict[str, str]) -> None:
    SessionImport = apps.get_model("trainings", "SessionImport")
    for old, new in mapping.items():
        SessionImport.objects.filter(status=old).update(status=new)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _remap(apps, FORWARD)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _remap(apps, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("trainings", "0004_sessionimport_job_base")]

    operations = [migrations.RunPython(forwards, backwards)]
