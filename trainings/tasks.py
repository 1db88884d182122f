"""Thin doors to the services, taking ids."""

from celery import shared_task


@shared_task(acks_late=True)
def session_import(import_id: int) -> None:
    from .models import SessionImport
    from .services import session_import_run

    session_import_run(job=SessionImport.objects.select_related("created_by").get(pk=import_id))
