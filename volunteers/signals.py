"""Deactivating a user ends their sessions at once, not at their next request only."""

from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import User


@receiver(pre_save, sender=User)
def end_sessions_of_deactivated_user(sender, instance: User, **kwargs) -> None:
    if instance.pk is None or instance.is_active:
        return
    was_active = User.objects.filter(pk=instance.pk, is_active=True).exists()
    if not was_active:
        return
    user_id = str(instance.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
