from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from households import views as household_views
from volunteers import views as volunteer_views

admin.site.site_header = "Từng Nhà"
admin.site.site_title = "Từng Nhà"
# The admin login goes through allauth, so its rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", volunteer_views.home, name="home"),
    path("i18n/setlang/", volunteer_views.set_language, name="set-language"),
    path("accounts/", include("allauth.urls")),
    path("areas/", include("workspace.area_urls")),
    path("people/", include("volunteers.urls")),
    path("workspace/", include("workspace.urls")),
    path("households/", include("households.urls")),
    path("trainings/", include("trainings.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("admin/", admin.site.urls),
    # The PWA's service worker and manifest live at the root so their scope is the whole site.
    path("sw.js", household_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", household_views.manifest, name="manifest"),
]
