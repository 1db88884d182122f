import csv
import datetime
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from trainings.models import AwarenessPost, CheckIn, Document, SessionState, TrainingSession
from trainings.samples import tiny_pdf, tiny_png
from trainings.services import session_report, session_update

from .factories import planned, topics

pytestmark = pytest.mark.django_db


def _plan_data(world, **overrides) -> dict:
    start = timezone.localtime() + datetime.timedelta(days=2)
    data = {
        "client_uuid": str(uuid.uuid4()),
        "topics": [topic.pk for topic in topics("internet", "e-payment")],
        "day": start.date().isoformat(),
        "start_time": "08:00",
        "end_time": "10:00",
        "area": world.groups[0].pk,
        "address": "Nhà văn hóa tổ 1",
        "audience": "elderly",
    }
    data.update(overrides)
    return data


def test_volunteer_plans_a_session_once_even_if_the_form_is_sent_twice(world, login):
    client = login(world.users["volunteer"])
    data = _plan_data(world)
    first = client.post(reverse("trainings:create"), data)
    second = client.post(reverse("trainings:create"), data)
    session = TrainingSession.objects.get(client_uuid=data["client_uuid"])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == session.get_absolute_url()
    assert session.state == SessionState.PLANNED
    assert list(session.trainers.all()) == [world.users["volunteer"]]


def test_plan_form_offers_only_areas_in_scope(world, login):
    client = login(world.users["volunteer"])
    response = client.post(
        reverse("trainings:create"), _plan_data(world, area=world.other_groups[0].pk)
    )
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()
    assert "area" in response.context["form"].errors


def test_report_with_photos_from_the_phone(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    client = login(volunteer)
    response = client.post(
        reverse("trainings:report", args=[session.pk]),
        {
            "attendee_count": "14",
            "attendees": "Nguyễn Văn A, 0912345678, 60+",
            "attendees_consent": "on",
            "photos": [
                SimpleUploadedFile("IMG_1.png", tiny_png(), content_type="image/png"),
                SimpleUploadedFile("IMG_2.png", tiny_png(), content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.REPORTED
    assert session.attendee_count == 14
    photo = session.photos.first()
    image = client.get(reverse("trainings:photo", args=[photo.pk]))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"attendee_count": "-1"}, "attendee_count", "không thể là số âm"),
        (
            {"attendee_count": "3", "attendees": "Bà Hoa, 0912345678"},
            "attendees_consent",
            "đã đồng ý",
        ),
        ({"attendee_count": "3", "attendees": "Bà Hoa, 123"}, "attendees", "Dòng 1"),
    ],
)
def test_bad_report_shows_a_clear_message_and_writes_nothing(world, login, data, field, message):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    response = login(volunteer).post(reverse("trainings:report", args=[session.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    assert not session.attendees.exists()


def test_report_of_a_future_session_is_refused_on_the_page(world, login):
    volunteer = world.users["volunteer"]
    session = planned(
        user=volunteer, area=world.groups[0], start=timezone.now() + datetime.timedelta(days=1)
    )
    response = login(volunteer).post(
        reverse("trainings:report", args=[session.pk]), {"attendee_count": "5"}
    )
    assert response.status_code == 200
    assert "tương lai" in response.content.decode()
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED


def test_a_bad_photo_is_refused_on_the_page(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    response = login(volunteer).post(
        reverse("trainings:report", args=[session.pk]),
        {"attendee_count": "5", "photos": [SimpleUploadedFile("anh.jpg", b"MZ" + b"\0" * 99)]},
    )
    assert response.status_code == 200
    assert "không phải là loại được nhận" in response.content.decode()
    assert not session.photos.exists()


def test_volunteer_who_does_not_run_the_session_cannot_edit_it(world, login):
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    client = login(world.users["volunteer2"])  # same group, not a trainer
    assert client.get(session.get_absolute_url()).status_code == 200
    assert client.get(reverse("trainings:edit", args=[session.pk])).status_code == 403
    assert client.post(reverse("trainings:delete", args=[session.pk])).status_code == 403
    assert TrainingSession.objects.filter(pk=session.pk).exists()


def test_ward_coordinator_sees_the_wards_sessions_and_not_another_wards(world, login):
    ours = planned(user=world.users["volunteer"], area=world.groups[0])
    session_report(user=world.users["volunteer"], session=ours, attendee_count=21)
    theirs = planned(user=world.users["other_ward"], area=world.other_groups[0])
    response = login(world.users["ward"]).get(reverse("trainings:list"))
    rows = list(response.context["table"].rows)
    assert [row.record.pk for row in rows] == [ours.pk]
    assert theirs.pk not in [row.record.pk for row in rows]
    assert "Đã báo cáo" in response.content.decode()


def test_session_list_filters_by_state_topic_and_area(world, login):
    volunteer = world.users["volunteer"]
    held = planned(user=volunteer, area=world.groups[0], topic_codes=("email",))
    session_report(user=volunteer, session=held, attendee_count=2)
    other = planned(user=volunteer, area=world.groups[1], topic_codes=("internet",))
    client = login(world.users["ward"])
    url = reverse("trainings:list")
    by_state = client.get(url, {"state": "reported"}).context["table"].rows
    assert [row.record.pk for row in by_state] == [held.pk]
    email = topics("email")[0]
    by_topic = client.get(url, {"topic": email.pk}).context["table"].rows
    assert [row.record.pk for row in by_topic] == [held.pk]
    by_area = client.get(url, {"area": world.groups[1].pk}).context["table"].rows
    assert [row.record.pk for row in by_area] == [other.pk]


def test_session_list_query_count_does_not_grow_with_rows(
    world, login, django_assert_max_num_queries
):
    for _ in range(12):
        planned(user=world.users["volunteer"], area=world.groups[0])
    client = login(world.users["ward"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("trainings:list"))
    assert len(response.context["table"].rows) == 12


def test_export_neutralizes_formula_cells_in_csv_and_xlsx(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_update(
        user=volunteer,
        session=session,
        area=session.area,
        start=session.start,
        end=session.end,
        topics=topics("internet"),
        trainers=[volunteer],
        title='=HYPERLINK("http://evil","x")',
        address="@SUM(1)",
    )
    client = login(world.users["ward"])
    response = client.get(reverse("trainings:list"), {"export": "csv"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["ten_lop"] == '\'=HYPERLINK("http://evil","x")'
    assert rows[0]["dia_diem"] == "'@SUM(1)"
    assert rows[0]["ma_dia_ban"] == world.groups[0].code
    book = load_workbook(
        io.BytesIO(client.get(reverse("trainings:list"), {"export": "xlsx"}).content)
    )
    values = [cell.value for cell in book.active[2]]
    assert '\'=HYPERLINK("http://evil","x")' in values


def test_public_check_in_counts_the_same_person_once(world, client):
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    url = reverse("trainings:checkin", args=[session.checkin_token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Điểm danh" in page.content.decode()
    data = {"name": "Bà Nguyễn Thị Hoa", "phone": "0912 345 678", "age_group": "60_plus"}
    first = client.post(url, data)
    second = client.post(url, {**data, "phone": "+84912345678"})
    assert "Bạn đã điểm danh." in first.content.decode()
    assert "đã điểm danh trước đó" in second.content.decode()
    assert CheckIn.objects.filter(session=session).count() == 1
    assert login_count(world, session) == 1


def login_count(world, session) -> int:
    from django.test import Client

    client = Client()
    client.force_login(world.users["volunteer"])
    return client.get(reverse("trainings:count", args=[session.pk])).json()["checkins"]


def test_check_in_page_of_an_unknown_token_is_404(client, db):
    assert client.get(reverse("trainings:checkin", args=["khong-co"])).status_code == 404


def test_closed_check_in_says_so_and_counts_nobody(world, client):
    session = planned(
        user=world.users["volunteer"],
        area=world.groups[0],
        start=timezone.now() + datetime.timedelta(days=3),
    )
    url = reverse("trainings:checkin", args=[session.checkin_token])
    assert "không mở điểm danh" in client.get(url).content.decode()
    client.post(url, {"name": "A", "phone": "0912345678"})
    assert not CheckIn.objects.exists()


def test_session_page_shows_a_qr_code_of_the_check_in_link(world, login):
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    content = login(world.users["volunteer"]).get(session.get_absolute_url()).content.decode()
    assert "<svg" in content
    assert reverse("trainings:checkin", args=[session.checkin_token]) in content


def test_document_upload_refuses_a_renamed_executable_and_stores_nothing(world, login):
    client = login(world.users["volunteer"])
    response = client.post(
        reverse("trainings:document-create"),
        {
            "title": "Hướng dẫn",
            "area": world.groups[0].pk,
            "file": SimpleUploadedFile("huong-dan.pdf", b"MZ\x90\x00" + b"\0" * 300),
        },
    )
    assert response.status_code == 200
    assert "không phải là loại được nhận" in response.content.decode()
    assert not Document.objects.exists()


def test_document_upload_then_download_by_someone_in_scope(world, login):
    client = login(world.users["ward"])
    response = client.post(
        reverse("trainings:document-create"),
        {
            "title": "Cẩm nang VNeID",
            "area": world.ward.pk,
            "topics": [topics("public-services")[0].pk],
            "file": SimpleUploadedFile("cam-nang.pdf", tiny_pdf()),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    volunteer = login(world.users["volunteer"])
    download = volunteer.get(reverse("trainings:document-download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    other = login(world.users["other_ward"])
    assert other.get(reverse("trainings:document-download", args=[document.pk])).status_code == 404


def test_post_register_refuses_non_http_url_with_a_message(world, login):
    response = login(world.users["volunteer"]).post(
        reverse("trainings:post-create"),
        {
            "platform": "facebook",
            "url": "javascript:alert(1)",
            "published_on": timezone.localdate().isoformat(),
            "area": world.groups[0].pk,
        },
    )
    assert response.status_code == 200
    assert "http:// hoặc https://" in response.content.decode()
    assert not AwarenessPost.objects.exists()


def test_post_register_refuses_negative_reach(world, login):
    response = login(world.users["volunteer"]).post(
        reverse("trainings:post-create"),
        {
            "platform": "facebook",
            "url": "https://facebook.com/a/posts/1",
            "published_on": timezone.localdate().isoformat(),
            "area": world.groups[0].pk,
            "reach": "-4",
        },
    )
    assert "không thể là số âm" in response.content.decode()
    assert not AwarenessPost.objects.exists()


def test_volunteer_home_shows_my_sessions_and_totals(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_report(user=volunteer, session=session, attendee_count=17)
    later = planned(
        user=volunteer, area=world.groups[0], start=timezone.now() + datetime.timedelta(days=1)
    )
    response = login(volunteer).get(reverse("home"))
    content = response.content.decode()
    assert "Lớp kỹ năng số của tôi" in content
    assert 'data-total="held">1<' in content
    assert 'data-total="attendees">17<' in content
    assert later.get_absolute_url() in content


def test_one_phone_checking_in_again_and_again_is_throttled(world, client):
    from django.core.cache import cache

    cache.clear()
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    url = reverse("trainings:checkin", args=[session.checkin_token])
    statuses = [
        client.post(url, {"name": f"Người {n}", "phone": f"09123456{n:02d}", "age_group": "18_35"})
        for n in range(8)
    ]
    assert [response.status_code for response in statuses[:6]] == [200] * 6
    assert statuses[6].status_code == 429
    assert "quá nhiều lần" in statuses[6].content.decode()
    assert CheckIn.objects.filter(session=session).count() == 6
    cache.clear()


def _edit_form_data(page: str, session) -> dict:
    """What a browser sends back from the edit page unchanged: every ticked box it shows."""
    from trainings.forms import SessionForm

    initial = SessionForm.initial_for(session)
    ticked = {
        name: [int(pk) for pk in re.findall(rf'name="{name}" value="(\d+)"[^>]*checked', page)]
        for name in ("trainers", "topics")
    }
    return {
        "client_uuid": str(initial["client_uuid"]),
        "title": initial["title"],
        "day": initial["day"].isoformat(),
        "start_time": initial["start_time"].strftime("%H:%M"),
        "end_time": initial["end_time"].strftime("%H:%M"),
        "area": initial["area"].pk,
        "address": initial["address"],
        "audience": initial["audience"],
        "notes": "Đổi ghi chú",
        **ticked,
    }


def test_a_trainer_editing_the_session_keeps_the_other_trainers_and_old_topics(world, login):
    """The form offers what the session has, not only what the editor could pick today."""
    from trainings.models import Topic

    ward, volunteer = world.users["ward"], world.users["volunteer"]
    session = planned(user=ward, area=world.groups[0], trainers=[ward, volunteer])
    retired = Topic.objects.exclude(code="internet").first()
    session.topics.add(retired)
    Topic.objects.filter(pk=retired.pk).update(is_active=False)
    client = login(volunteer)  # a volunteer's trainer choices do not include the coordinator
    url = reverse("trainings:edit", args=[session.pk])
    data = _edit_form_data(client.get(url).content.decode(), session)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert set(session.trainers.all()) == {ward, volunteer}
    assert retired in session.topics.all()
    assert session.notes == "Đổi ghi chú"


def test_every_page_shows_the_attendees_the_tallies_count(world, login):
    """Typed, checked in or listed: a session counts the largest, and so does every page."""
    from trainings.counting import session_attendees
    from trainings.services import AttendeeInput, checkin_record, session_mark_held
    from trainings.services import session_report as report

    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_mark_held(user=volunteer, session=session)
    for n in range(3):
        checkin_record(session=session, name=f"Người {n}", phone=f"091200000{n}")
    client = login(volunteer)
    home = client.get(reverse("home")).content.decode()
    assert re.search(r'data-total="attendees">3<', home)
    report(
        user=volunteer,
        session=session,
        attendee_count=0,
        attendees=[AttendeeInput(name=f"Học viên {n}") for n in range(5)],
        attendees_consent=True,
    )
    session.refresh_from_db()
    assert session_attendees(session) == 5
    home = client.get(reverse("home")).content.decode()
    assert re.search(r'data-total="attendees">5<', home)
    detail = client.get(reverse("trainings:detail", args=[session.pk])).content.decode()
    assert re.search(r"Số người tham dự:</strong>\s*5<", detail)
    listing = client.get(reverse("trainings:list")).content.decode()
    assert re.search(r"<td[^>]*>\s*5\s*</td>", listing)
    count = client.get(reverse("trainings:count", args=[session.pk])).json()
    assert count["attendees"] == 5
