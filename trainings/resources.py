"""Exports (xlsx/csv) through django-import-export. Column names match the import, so an export
of one ward can be filled in and imported into another as back-entry."""

from django.utils import timezone
from import_export import fields

from core.phones import display_phone
from core.spreadsheets.resources import SafeResource

from .counting import session_attendees
from .models import AwarenessPost, Document, TrainingSession


class SessionResource(SafeResource):
    ngay = fields.Field(column_name="ngay")
    gio_bat_dau = fields.Field(column_name="gio_bat_dau")
    gio_ket_thuc = fields.Field(column_name="gio_ket_thuc")
    ma_dia_ban = fields.Field(column_name="ma_dia_ban", attribute="area__code")
    ten_dia_ban = fields.Field(column_name="ten_dia_ban", attribute="area__name")
    dia_diem = fields.Field(column_name="dia_diem", attribute="address")
    chu_de = fields.Field(column_name="chu_de")
    doi_tuong = fields.Field(column_name="doi_tuong", attribute="audience")
    so_nguoi = fields.Field(column_name="so_nguoi")
    sdt_nguoi_huong_dan = fields.Field(column_name="sdt_nguoi_huong_dan")
    ten_lop = fields.Field(column_name="ten_lop", attribute="title")
    trang_thai = fields.Field(column_name="trang_thai", attribute="state")
    ma_phieu = fields.Field(column_name="ma_phieu", attribute="client_uuid")

    class Meta:
        model = TrainingSession
        fields = export_order = (
            "ngay", "gio_bat_dau", "gio_ket_thuc", "ma_dia_ban", "ten_dia_ban", "dia_diem",
            "chu_de", "doi_tuong", "so_nguoi", "sdt_nguoi_huong_dan", "ten_lop", "trang_thai",
            "ma_phieu",
        )  # fmt: skip

    def dehydrate_ngay(self, session: TrainingSession) -> str:
        return timezone.localtime(session.start).strftime("%d/%m/%Y")

    def dehydrate_gio_bat_dau(self, session: TrainingSession) -> str:
        return timezone.localtime(session.start).strftime("%H:%M")

    def dehydrate_gio_ket_thuc(self, session: TrainingSession) -> str:
        return timezone.localtime(session.end).strftime("%H:%M")

    def dehydrate_chu_de(self, session: TrainingSession) -> str:
        return "; ".join(topic.code for topic in session.topics.all())

    def dehydrate_so_nguoi(self, session: TrainingSession) -> int:
        return session_attendees(session)

    def dehydrate_sdt_nguoi_huong_dan(self, session: TrainingSession) -> str:
        return "; ".join(display_phone(user.phone) for user in session.trainers.all() if user.phone)


class DocumentResource(SafeResource):
    ten = fields.Field(column_name="ten", attribute="title")
    loai = fields.Field(column_name="loai", attribute="kind")
    don_vi = fields.Field(column_name="don_vi", attribute="area__name")
    nguoi_tai_len = fields.Field(column_name="nguoi_tai_len", attribute="uploaded_by__full_name")
    ngay_them = fields.Field(column_name="ngay_them")
    dung_luong = fields.Field(column_name="dung_luong", attribute="size")

    class Meta:
        model = Document
        fields = export_order = (
            "ten",
            "loai",
            "don_vi",
            "nguoi_tai_len",
            "ngay_them",
            "dung_luong",
        )

    def dehydrate_ngay_them(self, document: Document) -> str:
        return timezone.localtime(document.created_at).strftime("%d/%m/%Y")


class PostResource(SafeResource):
    ngay_dang = fields.Field(column_name="ngay_dang")
    nen_tang = fields.Field(column_name="nen_tang", attribute="platform")
    duong_dan = fields.Field(column_name="duong_dan", attribute="url")
    tieu_de = fields.Field(column_name="tieu_de", attribute="title")
    don_vi = fields.Field(column_name="don_vi", attribute="area__name")
    nguoi_dang = fields.Field(column_name="nguoi_dang", attribute="author__full_name")
    luot_tiep_can = fields.Field(column_name="luot_tiep_can", attribute="reach")

    class Meta:
        model = AwarenessPost
        fields = export_order = (
            "ngay_dang", "nen_tang", "duong_dan", "tieu_de", "don_vi", "nguoi_dang",
            "luot_tiep_can",
        )  # fmt: skip

    def dehydrate_ngay_dang(self, post: AwarenessPost) -> str:
        return post.published_on.strftime("%d/%m/%Y")
