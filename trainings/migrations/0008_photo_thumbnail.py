# Training photos keep a small JPEG for the lists (issue 14); empty until made.

from django.db import migrations, models

import trainings.models


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0007_document_published_on_post_author_participates"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionphoto",
            name="thumbnail",
            field=models.FileField(
                blank=True,
                editable=False,
                max_length=255,
                upload_to=trainings.models._thumbnail_path,
                verbose_name="ảnh thu nhỏ",
            ),
        ),
    ]
