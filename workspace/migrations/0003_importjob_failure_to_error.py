"""An import's failure message moves from result["failure"] to the job base's `error` column
(core.jobs.models.Job), where the one progress card shows it for every kind of job."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ImportJob = apps.get_model("workspace", "ImportJob")
    failed = ImportJob.objects.filter(status="failed", result__has_key="failure")
    for job in failed.only("pk", "result").iterator():
        ImportJob.objects.filter(pk=job.pk).update(error=str(job.result["failure"]))


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ImportJob = apps.get_model("workspace", "ImportJob")
    for job in ImportJob.objects.exclude(error="").only("pk", "result", "error").iterator():
        ImportJob.objects.filter(pk=job.pk).update(result={**job.result, "failure": job.error})


class Migration(migrations.Migration):
    dependencies = [("workspace", "0002_job_base")]

    operations = [migrations.RunPython(forwards, backwards)]
