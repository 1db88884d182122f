from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("teams/", views.team_list, name="team-list"),
    path("claim/", views.claim, name="claim"),
    path("volunteers/<int:pk>/claim-code/", views.claim_code_create, name="claim-code-create"),
    path(
        "roles/<int:pk>/answer/",
        views.role_invitation_answer_view,
        name="role-invitation-answer",
    ),
]
