"""A campaign's pages while its figures are recounted (campaigns.recount): the recount's
progress in place of figures that are not final, and the card that page polls."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from areas.models import Area
from volunteers.access import COORDINATION, role_required

from .models import Campaign, CampaignRecount
from .recount import campaign_recount_state
from .selectors import campaign_get_for, coordination_scope, dashboard_crumbs


def recount_page(
    request: HttpRequest, campaign: Campaign, area: Area, recount: CampaignRecount
) -> HttpResponse:
    """Shown by a campaign's figure pages (dashboard, old campaign on today's boundaries, print
    view) while `campaign_recount_state` holds a recount: its progress, never the figures."""
    context = {
        "campaign": campaign,
        "area": area,
        "recount": recount,
        "crumbs": dashboard_crumbs(user=request.user, campaign=campaign, area=area),
        "can_edit": coordination_scope(request.user).contains(campaign.scope),
    }
    return render(request, "campaigns/recounting.html", context, status=200)


@role_required(COORDINATION)
def recount_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The recount's card, polled every second by the page (htmx). Once the figures are
    recounted the page is reloaded (HX-Refresh) and shows them."""
    campaign = campaign_get_for(user=request.user, pk=pk)
    recount = campaign_recount_state(campaign=campaign)
    if not request.htmx:
        return redirect(campaign.get_absolute_url())
    if recount is None:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request, "campaigns/_recount_status.html", {"campaign": campaign, "recount": recount}
    )
