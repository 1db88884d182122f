"""The coordinator workspace, mounted at /workspace/ (namespace "workspace")."""

from django.urls import path

from .views import assignments, files, legacy, tallies, teams, volunteers, ward
from .views import households as household_views
from .views import privacy as privacy_views

app_name = "workspace"

urlpatterns = [
    path("", ward.index, name="index"),
    path("ward/<int:ward_pk>/", ward.ward_home, name="ward"),
    path("ward/<int:ward_pk>/teams/", teams.team_list, name="team-list"),
    path("ward/<int:ward_pk>/teams/new/", teams.team_create, name="team-create"),
    path("teams/<int:pk>/", teams.team_detail, name="team-detail"),
    path("teams/<int:pk>/invite/", teams.invitation_new, name="invitation-create"),
    path("invitations/<int:pk>/", teams.invitation_detail, name="invitation-detail"),
    path("invitations/<int:pk>/revoke/", teams.invitation_revoke_view, name="invitation-revoke"),
    path("join/<str:token>/", teams.join, name="join"),
    path("ward/<int:ward_pk>/volunteers/", volunteers.volunteer_list, name="volunteer-list"),
    path(
        "ward/<int:ward_pk>/volunteers/new/", volunteers.volunteer_create, name="volunteer-create"
    ),
    path("volunteers/<int:pk>/", volunteers.volunteer_detail, name="volunteer-detail"),
    path(
        "volunteers/<int:pk>/deactivate/",
        volunteers.volunteer_deactivate,
        name="volunteer-deactivate",
    ),
    path(
        "volunteers/<int:pk>/reactivate/",
        volunteers.volunteer_reactivate,
        name="volunteer-reactivate",
    ),
    path("volunteers/<int:pk>/handover/", volunteers.volunteer_handover, name="volunteer-handover"),
    path("ward/<int:ward_pk>/assignments/", assignments.assignment_list, name="assignments"),
    path(
        "ward/<int:ward_pk>/assignments/new/",
        assignments.assignment_create,
        name="assignment-create",
    ),
    path(
        "assignments/<int:pk>/release/", assignments.assignment_release, name="assignment-release"
    ),
    path("ward/<int:ward_pk>/import/<str:kind>/", files.import_start, name="import-start"),
    path("ward/<int:ward_pk>/tallies/", tallies.tally_grid, name="tally-grid"),
    path("imports/<int:pk>/", files.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", files.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/errors/", files.import_errors_download, name="import-errors"),
    path("templates/<str:kind>/", files.import_template, name="import-template"),
    path("ward/<int:ward_pk>/export/<str:kind>/", files.export_create, name="export-create"),
    path("exports/<int:pk>/", files.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", files.export_download, name="export-download"),
]

urlpatterns += [
    path("ward/<int:ward_pk>/households/", household_views.household_list, name="household-list"),
    path("ward/<int:ward_pk>/visits/", household_views.visit_list, name="visit-list"),
    path("ward/<int:ward_pk>/legacy-groups/", legacy.legacy_group_list, name="legacy-groups"),
    path(
        "ward/<int:ward_pk>/legacy-groups/carry-over/",
        legacy.legacy_group_carry_over,
        name="legacy-groups-carry-over",
    ),
    path("ward/<int:ward_pk>/coverage/", household_views.coverage, name="coverage"),
    path("ward/<int:ward_pk>/review/", household_views.review_list, name="review"),
    path("visits/<int:pk>/review/", household_views.review_decide_view, name="review-decide"),
    path("households/<int:pk>/data/", privacy_views.household_data, name="household-data"),
    path(
        "households/<int:pk>/data.xlsx",
        privacy_views.household_data_download,
        name="household-data-download",
    ),
    path("households/<int:pk>/erase/", privacy_views.household_erase_view, name="household-erase"),
]
