from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_reportjob_statuses")]

    operations = [
        # Copied into `error` by 0004 (a report has one failure, not a list).
        migrations.RemoveField(model_name="reportjob", name="errors"),
    ]
