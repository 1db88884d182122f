"""What an uploaded file really is, read from its bytes, never from its name.

An executable renamed .pdf starts with MZ or \\x7fELF, not %PDF; a .docx is a zip holding
word/document.xml. The signatures are checked here without libmagic, so the check behaves the
same on every machine; the zip members are read through zipfile (names only, no extraction).
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import DocumentKind

DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_PHOTO_MAX_BYTES = 10 * 1024 * 1024

_OOXML_MEMBER = {
    DocumentKind.DOCX: "word/document.xml",
    DocumentKind.PPTX: "ppt/presentation.xml",
    DocumentKind.XLSX: "xl/workbook.xml",
}
CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.PNG: "image/png",
    DocumentKind.JPEG: "image/jpeg",
}
IMAGE_KINDS = frozenset({DocumentKind.PNG, DocumentKind.JPEG})
OOXML_KINDS = frozenset(_OOXML_MEMBER)
# Office files that carry macros (VBA), which run on the computer of whoever opens them: the
# macro-enabled names, a vbaProject.bin (or its data) inside the zip, or a macro content type.
_MACRO_EXTENSIONS = (".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppsm")
_MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml")
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    kind: str
    content_type: str
    size: int


def document_max_bytes() -> int:
    return int(getattr(settings, "TRAININGS_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))


def photo_max_bytes() -> int:
    return int(getattr(settings, "TRAININGS_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES))


def _kind_of(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return DocumentKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return DocumentKind.JPEG
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload)
    return None


def _ooxml_kind(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, member in _OOXML_MEMBER.items():
        if member in names:
            return kind
    return None


def _has_macros(upload: UploadedFile) -> bool:
    """Whether an Office zip holds VBA: by member names and [Content_Types].xml (read bounded,
    never extracted to disk)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            for info in archive.infolist():
                name = info.filename.lower()
                if name.rsplit("/", 1)[-1] in _MACRO_MEMBERS:
                    return True
            with archive.open("[Content_Types].xml") as handle:
                types = handle.read(_CONTENT_TYPES_MAX_BYTES).lower()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return True  # unreadable as it claimed to be: refused rather than trusted
    finally:
        upload.seek(0)
    return b"macroenabled" in types or b"vbaproject" in types


def sniff_upload(
    upload: UploadedFile | None, *, allowed: frozenset[str], max_bytes: int
) -> Sniffed:
    """Return the checked type of `upload`, or raise a ValidationError saying what is wrong."""
    if upload is None:
        raise ValidationError(_("Hãy chọn một tệp."), code="missing")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(
            _("Tệp “%(name)s” trống (0 byte). Hãy chọn lại tệp."),
            code="empty",
            params={"name": upload.name},
        )
    if size > max_bytes:
        raise ValidationError(
            _("Tệp “%(name)s” nặng %(size)s, vượt giới hạn %(limit)s."),
            code="too_large",
            params={
                "name": upload.name,
                "size": filesizeformat(size),
                "limit": filesizeformat(max_bytes),
            },
        )
    kind = _kind_of(upload)
    if kind is None or kind not in allowed:
        labels = ", ".join(sorted(str(DocumentKind(item).label) for item in allowed))
        raise ValidationError(
            _(
                "Nội dung tệp “%(name)s” không phải là loại được nhận (%(kinds)s), "
                "dù tên tệp có đuôi gì. Tệp không được lưu."
            ),
            code="bad_type",
            params={"name": upload.name, "kinds": labels},
        )
    if kind in OOXML_KINDS and (
        (upload.name or "").lower().endswith(_MACRO_EXTENSIONS) or _has_macros(upload)
    ):
        raise ValidationError(
            _(
                "Tệp “%(name)s” có chứa macro (mã VBA), có thể gây hại cho máy của người mở. "
                "Hãy lưu lại thành tệp .docx, .xlsx hoặc .pptx thường (không macro) rồi tải lên. "
                "Tệp không được lưu."
            ),
            code="macros",
            params={"name": upload.name},
        )
    return Sniffed(kind=kind, content_type=CONTENT_TYPES[kind], size=size)


def extension_for(kind: str) -> str:
    return "jpg" if kind == DocumentKind.JPEG else kind
