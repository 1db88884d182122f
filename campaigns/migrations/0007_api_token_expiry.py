"""API tokens expire (issue 11): 90 days at the most. Keys made before this count from the day
they were made, so a key older than 90 days stops working at once."""

import datetime

from django.db import migrations, models

import campaigns.models


def expire_from_creation(apps, schema_editor) -> None:
    ApiToken = apps.get_model("campaigns", "ApiToken")
    for token in ApiToken.objects.all().only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + datetime.timedelta(days=90)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_privacy_guard"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                default=campaigns.models.api_token_default_expiry, verbose_name="hết hạn lúc"
            ),
        ),
        migrations.RunPython(expire_from_creation, migrations.RunPython.noop),
    ]
