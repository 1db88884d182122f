"""A campaign's figures recounted by the job runner after its period or scope moved."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs.models import Job

from .campaign import Campaign


class CampaignRecount(Job):
    """One refill of a campaign's own summary rows (campaigns.tallies.campaign_tallies_refresh),
    asked for when it is created or its period or scope moves, and run by core.jobs after the
    save commits: at millions of visits it takes tens of seconds, longer than a request should.
    While the latest of a campaign is queued or running its figures are not final, and its
    pages say so instead of showing them (campaigns.recount)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="recounts", verbose_name=_("chiến dịch")
    )

    class Meta(Job.Meta):
        verbose_name = _("lượt tính lại số liệu chiến dịch")
        verbose_name_plural = _("lượt tính lại số liệu chiến dịch")

    def __str__(self) -> str:
        return f"{self.campaign} ({self.get_status_display()})"
