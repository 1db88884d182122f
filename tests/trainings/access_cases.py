"""Access cases for every trainings URL with arguments (see tests/access.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.access import AccessCase
from trainings.models import SessionImport
from trainings.samples import tiny_pdf
from trainings.selectors import EDITORS
from trainings.services import document_add, post_add, session_report

from .factories import planned, png_upload


def _owner(world, where):
    """Who files the object, and where. "above": the city, above every ward role."""
    if where == "own":
        return world.users["volunteer"], world.groups[0]
    if where == "above":
        return world.users["city"], world.city
    return world.users["other_ward"], world.other_groups[0]


# Sessions sit in a ward or a group: "above" the volunteers' groups is their ward.
SESSION_OWNERS = {"own": "volunteer", "other": "other_ward", "above": "ward"}
FILED_OWNERS = {"own": "volunteer", "other": "other_ward", "above": "city"}


def _session(world, where):
    if where == "above":
        return planned(user=world.users["ward"], area=world.ward)
    user, area = _owner(world, where)
    return planned(user=user, area=area)


def _session_case(world, where):
    session = _session(world, where)
    return {"pk": session.pk}, session.area


def _local_case(world, where):
    # A session planned offline, addressed by its client id: its real page once it has arrived.
    session = _session(world, where)
    return {"uuid": session.client_uuid}, session.area


def _photo_case(world, where):
    user, _ = _owner(world, where)
    session = _session(world, where)
    session_report(user=user, session=session, attendee_count=3, photos=[png_upload()])
    return {"pk": session.photos.get().pk}, session.area


def _checkin_case(world, where):
    return {"token": _session(world, where).checkin_token}, None


def _document_case(world, where):
    user, area = _owner(world, where)
    document = document_add(
        user=user, area=area, title="Cẩm nang", upload=SimpleUploadedFile("a.pdf", tiny_pdf())
    )
    return {"pk": document.pk}, area


def _post_case(world, where):
    user, area = _owner(world, where)
    post = post_add(
        user=user,
        area=area,
        platform="facebook",
        url=f"https://facebook.com/doan/posts/{where}-{timezone.now().timestamp()}",
        published_on=timezone.localdate(),
    )
    return {"pk": post.pk}, area


def _import_case(world, where):
    user = world.users["ward"] if where == "own" else world.users["other_ward"]
    area = world.ward if where == "own" else world.other_ward
    job = SessionImport.objects.create(
        file=SimpleUploadedFile("lop.csv", b"ngay\n"), area=area, original_name="lop.csv",
        created_by=user,
    )  # fmt: skip
    return {"pk": job.pk}, area


SESSION_WRITE = {"above": True, "writers": EDITORS, "owners": SESSION_OWNERS}

CASES = [
    # The outbox's JSON door: a form-encoded POST is not a batch, so it is refused as bad input.
    AccessCase("trainings:sync", method="post", ok=(400,)),
    AccessCase("trainings:detail", _session_case, above=True),
    AccessCase("trainings:local", _local_case, ok=(302,)),
    AccessCase("trainings:local-report", _local_case, ok=(302,)),
    AccessCase("trainings:edit", _session_case, **SESSION_WRITE),
    AccessCase("trainings:report", _session_case, **SESSION_WRITE),
    AccessCase("trainings:count", _session_case, above=True),
    AccessCase("trainings:held", _session_case, method="post", ok=(302,), **SESSION_WRITE),
    AccessCase("trainings:delete", _session_case, method="post", ok=(302,), **SESSION_WRITE),
    AccessCase("trainings:photo", _photo_case),
    AccessCase("trainings:photo-thumbnail", _photo_case),
    AccessCase("trainings:checkin", _checkin_case),
    AccessCase("trainings:document-download", _document_case, above=True, reach="library"),
    AccessCase(
        "trainings:document-delete",
        _document_case,
        method="post",
        ok=(302,),
        above=True,
        reach="library",
        writers=EDITORS,
        owners=FILED_OWNERS,
    ),
    AccessCase(
        "trainings:post-delete",
        _post_case,
        method="post",
        ok=(302,),
        above=True,
        writers=EDITORS,
        owners=FILED_OWNERS,
    ),
    AccessCase("trainings:import-detail", _import_case),
    AccessCase("trainings:import-status", _import_case),
]
