"""The import and export jobs, taken over from the volunteers app with their tables.

The tables were created by volunteers 0002-0004 and keep their names (Meta.db_table), so this
migration changes Django's picture of the models only; the content types (and so the admin's
permissions and log entries) are moved to this app's label.
"""

import core.jobs.progress
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _content_types_to_workspace(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("importjob", "exportjob"):
        if not ContentType.objects.filter(app_label="workspace", model=model).exists():
            ContentType.objects.filter(app_label="volunteers", model=model).update(
                app_label="workspace"
            )


def _content_types_to_volunteers(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="workspace", model__in=["importjob", "exportjob"]
    ).update(app_label="volunteers")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('areas', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('volunteers', '0005_jobs_move_to_workspace'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ExportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('households', 'Hộ gia đình'), ('volunteers', 'Tình nguyện viên'), ('teams', 'Tổ CNS'), ('visits', 'Lượt thăm')], max_length=16, verbose_name='loại dữ liệu')),
                ('fmt', models.CharField(choices=[('csv', 'CSV'), ('xlsx', 'Excel (xlsx)')], max_length=8, verbose_name='định dạng')),
                ('filters', models.JSONField(blank=True, default=dict, verbose_name='bộ lọc')),
                ('status', models.CharField(choices=[('preview', 'Chờ xác nhận'), ('invalid', 'Có lỗi, chưa nhập'), ('queued', 'Đang chờ xử lý'), ('running', 'Đang xử lý'), ('done', 'Hoàn tất'), ('failed', 'Thất bại')], default='queued', max_length=16, verbose_name='trạng thái')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='số dòng')),
                ('processed', models.PositiveIntegerField(default=0, verbose_name='đã xử lý')),
                ('path', models.CharField(blank=True, max_length=500, verbose_name='tệp kết quả')),
                ('error', models.TextField(blank=True, verbose_name='lỗi')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần chạy')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='xong lúc')),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='lần cuối còn chạy')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người xuất')),
                ('ward', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.area', verbose_name='phường/xã')),
            ],
            options={
                'verbose_name': 'lượt xuất dữ liệu',
                'verbose_name_plural': 'lượt xuất dữ liệu',
                'db_table': 'volunteers_exportjob',
                'ordering': ['-created_at'],
            },
            bases=(core.jobs.progress.HasProgress, models.Model),
        ),
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('households', 'Hộ gia đình'), ('volunteers', 'Tình nguyện viên'), ('visits', 'Lượt thăm (nhập bù)'), ('groups', 'Tổ dân phố/thôn')], max_length=16, verbose_name='loại dữ liệu')),
                ('filename', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('content', models.BinaryField(verbose_name='nội dung tệp')),
                ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='mã băm')),
                ('status', models.CharField(choices=[('preview', 'Chờ xác nhận'), ('invalid', 'Có lỗi, chưa nhập'), ('queued', 'Đang chờ xử lý'), ('running', 'Đang xử lý'), ('done', 'Hoàn tất'), ('failed', 'Thất bại')], default='preview', max_length=16, verbose_name='trạng thái')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='số dòng')),
                ('processed', models.PositiveIntegerField(default=0, verbose_name='đã xử lý')),
                ('errors', models.JSONField(blank=True, default=list, verbose_name='lỗi')),
                ('warnings', models.JSONField(blank=True, default=list, verbose_name='lưu ý')),
                ('result', models.JSONField(blank=True, default=dict, verbose_name='kết quả')),
                ('options', models.JSONField(blank=True, default=dict, verbose_name='tùy chọn')),
                ('records', models.JSONField(blank=True, editable=False, null=True, verbose_name='các dòng đã kiểm tra')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần chạy')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tải lên lúc')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='bắt đầu lúc')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='xong lúc')),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='lần cuối còn chạy')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người nhập')),
                ('ward', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.area', verbose_name='phường/xã')),
            ],
            options={
                'verbose_name': 'lượt nhập dữ liệu',
                'verbose_name_plural': 'lượt nhập dữ liệu',
                'db_table': 'volunteers_importjob',
                'ordering': ['-created_at'],
            },
            bases=(core.jobs.progress.HasProgress, models.Model),
        ),
                ],
        ),
        migrations.RunPython(_content_types_to_workspace, _content_types_to_volunteers),
    ]
