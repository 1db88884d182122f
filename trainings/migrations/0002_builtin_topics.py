"""The built-in topics: the six basic digital skills of Hanoi's programme (seed 001) and the
modules of the national "Bình dân học vụ số" movement (built on the digital-competence
framework's six areas). Custom topics are added per area by the people who teach them."""

from django.db import migrations

BASIC_SKILLS = [
    ("internet", "Truy cập và sử dụng Internet"),
    ("email", "Sử dụng thư điện tử"),
    ("online-trade", "Mua bán trực tuyến"),
    ("e-payment", "Thanh toán điện tử"),
    ("public-services", "Dịch vụ công trực tuyến"),
    ("personal-data-safety", "Bảo đảm an toàn thông tin cá nhân"),
]
NATIONAL_MODULES = [
    ("bdhvs-data-information", "Bình dân học vụ số: Khai thác dữ liệu và thông tin"),
    ("bdhvs-communication", "Bình dân học vụ số: Giao tiếp và hợp tác trong môi trường số"),
    ("bdhvs-content-creation", "Bình dân học vụ số: Sáng tạo nội dung số"),
    ("bdhvs-safety", "Bình dân học vụ số: An toàn trong môi trường số"),
    ("bdhvs-problem-solving", "Bình dân học vụ số: Giải quyết vấn đề trong môi trường số"),
    ("bdhvs-ai", "Bình dân học vụ số: Ứng dụng trí tuệ nhân tạo"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("trainings", "Topic")
    order = 0
    for kind, rows in (("basic_skill", BASIC_SKILLS), ("national", NATIONAL_MODULES)):
        for code, name in rows:
            order += 10
            Topic.objects.update_or_create(
                code=code, defaults={"name": name, "kind": kind, "order": order}
            )


def unseed(apps, schema_editor):
    Topic = apps.get_model("trainings", "Topic")
    codes = [code for code, _ in BASIC_SKILLS + NATIONAL_MODULES]
    Topic.objects.filter(code__in=codes, sessions__isnull=True, documents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
