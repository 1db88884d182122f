"""Assignments name their campaign by id (chosen from a list) instead of free text (issue 14).

An assignment typed before this keeps its text; where the text is the name of a campaign over
the assignment's ward (accents, case and spaces aside), the campaign is filled in and the text
becomes its exact name. Where several campaigns of that name run there, the one whose period
holds the day of the assignment wins; otherwise (no match, or no way to choose) the typed text
stays as it was, still shown on the volunteer's page. The data only: no schema changes.
"""

import unicodedata

from django.db import migrations


def _key(text: str) -> str:
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return " ".join(folded.lower().split())


def _over(campaign_path: str, ward_path: str) -> bool:
    return ward_path.startswith(campaign_path) or campaign_path.startswith(ward_path)


def campaigns_from_labels(apps, schema_editor) -> None:
    Assignment = apps.get_model("volunteers", "Assignment")
    Campaign = apps.get_model("campaigns", "Campaign")
    campaigns_by_key: dict[str, list] = {}
    for campaign in Campaign.objects.select_related("scope").only(
        "pk", "name", "start", "end", "scope__path"
    ):
        campaigns_by_key.setdefault(_key(campaign.name), []).append(campaign)
    if not campaigns_by_key:
        return
    typed = (
        Assignment.objects.filter(campaign_id__isnull=True)
        .exclude(campaign_label="")
        .select_related("ward")
        .only("pk", "campaign_label", "created_at", "ward__path")
    )
    for assignment in typed.iterator(chunk_size=500):
        matches = [
            campaign
            for campaign in campaigns_by_key.get(_key(assignment.campaign_label), [])
            if _over(campaign.scope.path, assignment.ward.path)
        ]
        if len(matches) > 1:
            day = assignment.created_at.date()
            matches = [c for c in matches if c.start <= day <= c.end] or matches
        if len(matches) != 1:
            continue
        Assignment.objects.filter(pk=assignment.pk).update(
            campaign_id=matches[0].pk, campaign_label=matches[0].name
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_api_service_accounts"),
        ("volunteers", "0007_account_claims_role_invitations"),
    ]

    operations = [migrations.RunPython(campaigns_from_labels, migrations.RunPython.noop)]
