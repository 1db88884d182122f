from django.urls import path

from .views import checkin, imports, library, sessions

app_name = "trainings"

urlpatterns = [
    path("", sessions.session_list, name="list"),
    path("new/", sessions.session_create, name="create"),
    path("<int:pk>/", sessions.session_detail, name="detail"),
    path("<int:pk>/edit/", sessions.session_edit, name="edit"),
    path("<int:pk>/held/", sessions.session_held, name="held"),
    path("<int:pk>/report/", sessions.session_report_view, name="report"),
    path("<int:pk>/delete/", sessions.session_delete_view, name="delete"),
    path("<int:pk>/count/", sessions.session_count, name="count"),
    path("photos/<int:pk>/", sessions.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", sessions.photo_thumbnail, name="photo-thumbnail"),
    path("sync/", sessions.sync, name="sync"),
    path("offline/", sessions.shell, name="offline"),
    path("outbox/", sessions.shell, name="outbox"),
    path("local/<uuid:uuid>/", sessions.local_session, name="local"),
    path("local/<uuid:uuid>/report/", sessions.local_report, name="local-report"),
    path("c/<str:token>/", checkin.checkin, name="checkin"),
    path("documents/", library.document_list, name="documents"),
    path("documents/new/", library.document_create, name="document-create"),
    path("documents/<int:pk>/", library.document_download, name="document-download"),
    path("documents/<int:pk>/delete/", library.document_delete_view, name="document-delete"),
    path("posts/", library.post_list, name="posts"),
    path("posts/new/", library.post_create, name="post-create"),
    path("posts/<int:pk>/delete/", library.post_delete_view, name="post-delete"),
    path("import/", imports.import_create, name="import"),
    path("import/<int:pk>/", imports.import_detail, name="import-detail"),
    path("import/<int:pk>/status/", imports.import_status, name="import-status"),
]
