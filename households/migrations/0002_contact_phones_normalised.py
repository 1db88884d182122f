"""Contact phones typed in the household form were stored as typed ("0912 345 678"), while
imports stored +84: one number, two spellings, and duplicate checks that miss. Every number
that reads as a Vietnamese phone is stored in +84 form; anything else is left as it was."""

from django.core.exceptions import ValidationError
from django.db import migrations

from core.phones import normalize_phone


def _normalise(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    changed = []
    rows = Household.objects.exclude(contact_phone="").exclude(contact_phone__startswith="+84")
    for household in rows.only("pk", "contact_phone").iterator(chunk_size=2000):
        try:
            household.contact_phone = normalize_phone(household.contact_phone)
        except ValidationError:
            continue
        changed.append(household)
        if len(changed) >= 2000:
            Household.objects.bulk_update(changed, ["contact_phone"])
            changed = []
    if changed:
        Household.objects.bulk_update(changed, ["contact_phone"])


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(_normalise, migrations.RunPython.noop)]
