"""Reports take the one job status (core.jobs.models.JobStatus): "pending" becomes "queued",
and the failure message moves from the list `errors` to the text `error`.

Its own migration (a transaction of its own on PostgreSQL): rows are updated here between the
schema changes of 0003 and 0005, never in the same transaction as an ALTER TABLE.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FORWARD = {"pending": "queued"}
BACKWARD = {"queued": "pending", "preview": "pending", "invalid": "failed"}


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ReportJob = apps.get_model("campaigns", "ReportJob")
    for old, new in FORWARD.items():
        ReportJob.objects.filter(status=old).update(status=new)
    for job in ReportJob.objects.exclude(errors=[]).only("pk", "errors").iterator():
        message = "; ".join(str(error) for error in job.errors or [])
        ReportJob.objects.filter(pk=job.pk).update(error=message)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ReportJob = apps.get_model("campaigns", "ReportJob")
    for new, old in BACKWARD.items():
        ReportJob.objects.filter(status=new).update(status=old)
    for job in ReportJob.objects.exclude(error="").only("pk", "error").iterator():
        ReportJob.objects.filter(pk=job.pk).update(errors=[job.error])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_reportjob_job_base")]

    operations = [migrations.RunPython(forwards, backwards)]
