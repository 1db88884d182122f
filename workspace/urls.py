"""The coordinator workspace, mounted at /workspace/ (namespace "workspace")."""

from django.urls import path

from .views import households as household_views
from .views import people as views
from .views import privacy as privacy_views

app_name = "workspace"

urlpatterns = [
    path("", views.index, name="index"),
    path("ward/<int:ward_pk>/", views.ward_home, name="ward"),
    path("ward/<int:ward_pk>/teams/", views.team_list, name="team-list"),
    path("ward/<int:ward_pk>/teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/invite/", views.invitation_new, name="invitation-create"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation-detail"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation-revoke"),
    path("join/<str:token>/", views.join, name="join"),
    path("ward/<int:ward_pk>/volunteers/", views.volunteer_list, name="volunteer-list"),
    path("ward/<int:ward_pk>/volunteers/new/", views.volunteer_create, name="volunteer-create"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer-detail"),
    path(
        "volunteers/<int:pk>/deactivate/",
        views.volunteer_deactivate,
        name="volunteer-deactivate",
    ),
    path(
        "volunteers/<int:pk>/reactivate/",
        views.volunteer_reactivate,
        name="volunteer-reactivate",
    ),
    path("volunteers/<int:pk>/handover/", views.volunteer_handover, name="volunteer-handover"),
    path("ward/<int:ward_pk>/assignments/", views.assignment_list, name="assignments"),
    path(
        "ward/<int:ward_pk>/assignments/new/",
        views.assignment_create,
        name="assignment-create",
    ),
    path("assignments/<int:pk>/release/", views.assignment_release, name="assignment-release"),
    path("ward/<int:ward_pk>/import/<str:kind>/", views.import_start, name="import-start"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("templates/<str:kind>/", views.import_template, name="import-template"),
    path("ward/<int:ward_pk>/export/<str:kind>/", views.export_create, name="export-create"),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
]

urlpatterns += [
    path("ward/<int:ward_pk>/households/", household_views.household_list, name="household-list"),
    path("ward/<int:ward_pk>/visits/", household_views.visit_list, name="visit-list"),
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
