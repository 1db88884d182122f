"""Every job page shows the one progress card (templates/_partials/job_progress.html): it asks
its page again every second while the job runs, and stops once the job is finished."""

import pytest
from django.urls import reverse

from core.jobs.models import JobStatus

from .test_jobs import _one_of_each_kind

pytestmark = pytest.mark.django_db

PAGES = {
    "workspace.importjob": ("workspace:import-detail", "ward"),
    "workspace.exportjob": ("workspace:export-detail", "ward"),
    "campaigns.reportjob": ("campaigns:report", "city"),
    "trainings.sessionimport": ("trainings:import-detail", "ward"),
    # A campaign's recount is polled by the campaign (its latest), and shown on its page.
    "campaigns.campaignrecount": ("campaigns:recount", "city"),
}


def _urls(job) -> tuple[str, str]:
    """The card's URL, and the page that shows it."""
    name, _role = PAGES[job._meta.label_lower]
    if job._meta.label_lower == "campaigns.campaignrecount":
        url = reverse(name, args=[job.campaign_id])
        return url, job.campaign.get_absolute_url()
    url = reverse(name, args=[job.pk])
    return url, url


def test_every_kind_polls_its_one_card_while_running_and_stops_when_finished(
    world, login, django_capture_on_commit_callbacks
):
    for job in _one_of_each_kind(world, django_capture_on_commit_callbacks):
        _name, role = PAGES[job._meta.label_lower]
        url, page_url = _urls(job)
        client = login(world.users[role])
        type(job).objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, total=4, processed=1)
        card = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert card.lstrip().startswith('<section class="card job-progress" id="job-progress"')
        assert f'hx-get="{url}"' in card
        assert 'value="25"' in card  # the bar, from HasProgress.percent
        type(job).objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Hỏng rồi")
        page = client.get(page_url).content.decode()
        assert 'id="job-progress" data-status="failed"' in page
        assert "hx-get" not in page.split('id="job-progress"')[1].split("</section>")[0]
        assert "Hỏng rồi" in page
