from django.urls import path

from . import views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create_view, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/visit/", views.visit_create, name="visit-create"),
    path("local/<uuid:uuid>/visit/", views.local_visit, name="local-visit"),
    path("visits/", views.my_visits, name="my-visits"),
    path("visits/<int:pk>/edit/", views.visit_edit_view, name="visit-edit"),
    path("visits/<int:pk>/withdraw/", views.visit_withdraw_view, name="visit-withdraw"),
    path("sync/", views.sync, name="sync"),
    path("mine.json", views.mine, name="mine"),
    path("ping.json", views.ping, name="ping"),
    path("offline/", views.shell, name="offline"),
    path("outbox/", views.shell, name="outbox"),
]
