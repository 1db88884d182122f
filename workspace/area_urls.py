"""The tree's pages, mounted at /areas/ (namespace "areas")."""

from django.urls import path

from .views import areas as views

app_name = "areas"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/groups/new/", views.group_create, name="group-create"),
]
