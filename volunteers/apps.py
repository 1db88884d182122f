from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Tình nguyện viên và vai trò")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from . import signals  # noqa: F401
        from .devices import mark_signed_out

        user_logged_out.connect(mark_signed_out, dispatch_uid="volunteers.devices.signed_out")
