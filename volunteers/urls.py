from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("teams/", views.team_list, name="team-list"),
]
