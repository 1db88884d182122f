"""Indexes the visit's hot path no longer pays for.

- Household (area, last_visit_at): every visit raises last_visit_at, and an index holding it
  made that UPDATE non-HOT (a new entry in each of the households' indexes, per visit).
- The single-column indexes of Household.area and Visit.household, .volunteer and .area: the
  composite indexes of each model lead with those columns and serve the same lookups.

The foreign keys' indexes are dropped by name (the names Django gave them, alike on every
engine) rather than through AlterField, which on SQLite copies the whole table once per field.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0002_period_lock'),
        ('households', '0009_household_counts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='household',
            name='households__area_id_9f93af_idx',
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in [
                    ("households_household_area_id_87e58160", "households_household", "area_id"),
                    ("households_visit_area_id_df4c0d53", "households_visit", "area_id"),
                    ("households_visit_household_id_d95dcb06", "households_visit", "household_id"),
                    ("households_visit_volunteer_id_002267ae", "households_visit", "volunteer_id"),
                ]
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='household',
                    name='area',
                    field=models.ForeignKey(db_index=False, limit_choices_to={'level': 4}, on_delete=django.db.models.deletion.PROTECT, related_name='households', to='areas.area', verbose_name='tổ dân phố/thôn'),
                ),
                migrations.AlterField(
                    model_name='visit',
                    name='area',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='areas.area', verbose_name='địa bàn tính'),
                ),
                migrations.AlterField(
                    model_name='visit',
                    name='household',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='households.household', verbose_name='hộ'),
                ),
                migrations.AlterField(
                    model_name='visit',
                    name='volunteer',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='visits', to=settings.AUTH_USER_MODEL, verbose_name='tình nguyện viên'),
                ),
            ],
        ),
    ]
