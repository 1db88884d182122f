"""The import and export jobs move to the workspace app; their tables stay as they are.

Only Django's picture of the models changes here (state_operations): workspace 0001 takes the
same tables over, so an existing database upgrades by `migrate` alone, rows and all.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0004_job_heartbeat'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.RemoveField(
            model_name='importjob',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='importjob',
            name='ward',
        ),
        migrations.DeleteModel(
            name='ExportJob',
        ),
        migrations.DeleteModel(
            name='ImportJob',
        ),
                ],
        ),
    ]
