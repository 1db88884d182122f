from django.urls import include, path

from . import recount_views, report_views, signoff_views, team_views, token_views, views
from .api import api_urlpatterns

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/recount/", recount_views.recount_status, name="recount"),
    path("<int:pk>/area/<int:area_pk>/", views.campaign_area, name="area"),
    path("<int:pk>/area/<int:area_pk>/table/", views.campaign_area_table, name="area-table"),
    path(
        "<int:pk>/area/<int:area_pk>/today/",
        views.campaign_area_current,
        name="area-current",
    ),
    path("<int:pk>/area/<int:area_pk>/print/", report_views.report_print, name="print"),
    path("<int:pk>/area/<int:area_pk>/report/", report_views.report_create, name="report-create"),
    path(
        "<int:pk>/area/<int:area_pk>/signoff/",
        signoff_views.signoff_campaign,
        name="signoff-campaign",
    ),
    path("signoffs/<int:signoff_pk>/", signoff_views.signoff_decide, name="signoff-decide"),
    path("months/<int:area_pk>/", signoff_views.month_signoff, name="month"),
    path("<int:pk>/targets/<int:area_pk>/", views.targets_grid, name="targets"),
    path("<int:pk>/targets/<int:area_pk>/split/", views.targets_split, name="targets-split"),
    path("<int:pk>/targets/import/", views.targets_import_view, name="targets-import"),
    path("reports/<int:job_pk>/", report_views.report_status, name="report"),
    path("reports/<int:job_pk>/download/", report_views.report_download, name="report-download"),
    path("team/", team_views.my_team, name="my-team"),
    path("team/<int:pk>/", team_views.team_detail, name="team"),
    path("api-tokens/", token_views.api_tokens, name="api-tokens"),
    # The API (campaigns/api): the same URLs as version 1 had, and the new ones beside them.
    path("api/v1/", include(api_urlpatterns())),
]
