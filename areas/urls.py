from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/groups/new/", views.group_create, name="group-create"),
]
