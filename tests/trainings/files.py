"""The corpus of uploads, made in code: what each bad file is and the message it must give."""

import io
import zipfile
from dataclasses import dataclass

from trainings.samples import tiny_ooxml, tiny_pdf, tiny_png

JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + (b"\xff\xd9")
)


def _zip_without_content_types() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    return out.getvalue()


@dataclass(frozen=True)
class Bad:
    name: str
    content: bytes
    message: str  # a fragment the refusal must contain


TYPE_REFUSED = "không phải là loại được nhận"
BAD_UPLOADS = [
    Bad("huong-dan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500, TYPE_REFUSED),
    Bad("cai-dat.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 500, TYPE_REFUSED),
    Bad("trang.pdf", b"<html><script>alert(1)</script></html>", TYPE_REFUSED),
    Bad("bai-giang.docx", _zip_without_content_types(), TYPE_REFUSED),
    Bad("bang.xlsx", b"PK\x03\x04 broken zip", TYPE_REFUSED),
    Bad("anh.png", b"GIF89a" + b"\x00" * 40, TYPE_REFUSED),
    Bad("rong.pdf", b"", "trống"),
]
GOOD_UPLOADS = [
    ("tai-lieu.pdf", tiny_pdf(), "pdf"),
    ("bai-giang.docx", tiny_ooxml("docx"), "docx"),
    ("trinh-chieu.pptx", tiny_ooxml("pptx"), "pptx"),
    ("bang-tinh.xlsx", tiny_ooxml("xlsx"), "xlsx"),
    ("anh.png", tiny_png(), "png"),
    ("anh.jpg", JPEG, "jpeg"),
    # Named wrong, but the content decides: a real PDF called .docx is stored as a PDF.
    ("ten-sai.docx", tiny_pdf(), "pdf"),
]
