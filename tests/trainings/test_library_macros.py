"""Issue 11, item 6: Office files with macros are refused from the library, with a clear
message, and nothing is stored or counted."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trainings.models import Document
from trainings.samples import tiny_ooxml
from trainings.services import document_add

MEMBERS = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}
MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"


def _with_macros(kind: str, *, vba: bool = True, content_type: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        types = f'<?xml version="1.0"?><Types><Override ContentType="{content_type}"/></Types>'
        archive.writestr("[Content_Types].xml", types)
        main = {"docx": "document", "xlsx": "workbook", "pptx": "presentation"}[kind]
        archive.writestr(f"{MEMBERS[kind]}/{main}.xml", '<?xml version="1.0"?><root/>')
        if vba:
            archive.writestr(f"{MEMBERS[kind]}/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    return out.getvalue()


MACRO_FILES = [
    ("bai-giang.docx", _with_macros("docx")),
    ("bang-tinh.xlsx", _with_macros("xlsx")),
    ("trinh-chieu.pptx", _with_macros("pptx")),
    ("ten-sai.pdf", _with_macros("docx")),  # the content decides, not the name
    ("kieu-macro.docx", _with_macros("docx", vba=False, content_type=MACRO_TYPE)),
    ("bai-giang.docm", tiny_ooxml("docx")),
    ("bang-tinh.xlsm", tiny_ooxml("xlsx")),
]


@pytest.mark.parametrize(("name", "content"), MACRO_FILES, ids=[name for name, _ in MACRO_FILES])
def test_office_files_with_macros_are_refused_and_nothing_is_stored(world, recorded, name, content):
    with pytest.raises(ValidationError) as error:
        document_add(
            user=world.users["volunteer"],
            area=world.groups[0],
            title="Tài liệu",
            upload=SimpleUploadedFile(name, content),
        )
    assert "có chứa macro" in " ".join(error.value.messages)
    assert not Document.objects.exists()
    assert recorded == []


def test_the_upload_page_says_why_a_macro_file_was_refused(login, world):
    client = login(world.users["volunteer"])
    response = client.post(
        reverse("trainings:document-create"),
        {
            "title": "Bảng tính",
            "area": world.groups[0].pk,
            "file": SimpleUploadedFile("bang.xlsx", _with_macros("xlsx")),
        },
    )
    assert response.status_code == 200
    assert "có chứa macro" in response.content.decode()
    assert not Document.objects.exists()


def test_a_plain_office_file_is_still_accepted(world):
    document = document_add(
        user=world.users["volunteer"],
        area=world.groups[0],
        title="Cẩm nang",
        upload=SimpleUploadedFile("cam-nang.docx", tiny_ooxml("docx")),
    )
    assert document.kind == "docx"
