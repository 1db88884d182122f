import django.utils.timezone
from django.db import migrations, models


def published_on_the_day_added(apps, schema_editor):
    """Existing documents keep counting where they did: on the local day they were added."""
    Document = apps.get_model("trainings", "Document")
    for document in Document.objects.only("pk", "created_at").iterator(chunk_size=2000):
        day = django.utils.timezone.localtime(document.created_at).date()
        Document.objects.filter(pk=document.pk).update(published_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0006_privacy_guard"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="published_on",
            field=models.DateField(null=True, verbose_name="ngày phát hành"),
        ),
        migrations.RunPython(published_on_the_day_added, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="published_on",
            field=models.DateField(verbose_name="ngày phát hành"),
        ),
        migrations.AddField(
            model_name="awarenesspost",
            name="author_participates",
            field=models.BooleanField(
                default=True, verbose_name="tính người đăng là người tham gia"
            ),
        ),
    ]
