"""Household import and visit export speed, on PostgreSQL.

Figures (`BENCH name value unit`):
- household_import_rows_per_s   households per second from an xlsx file, end to end: upload
                                preview (parse + validate every row) and the worker's run (parse,
                                validate again, write in one transaction)
- household_import_peak_mb      peak resident memory of the process doing it (VmHWM)
- household_import_vs_bulk_ratio its time over a plain bulk_create of the same rows, same run
- household_import_run_vs_bulk_ratio the worker's run alone over the same bulk insert
- visit_export_peak_mb          peak resident memory exporting every visit of a ward to csv
- visit_export_peak_mb_tenth    the same with a tenth of the visits (flat: about the same)
- visit_export_peak_growth_mb   the difference of the two
- visit_export_rows_per_s       rows written per second by that export
- visit_export_xlsx_rows_per_s  the same export to xlsx (core/spreadsheets/writer.py's streaming
                                writer), same rows
- visit_export_xlsx_peak_mb     its peak resident memory, and _tenth / _growth_mb as for csv

Sizes: quick 5,000 households / 50,000 visits; full 100,000 households / 1,000,000 visits.
Each step runs in its own subprocess (`python -m bench.bench_imports worker …`) so that peak
memory belongs to that step alone. It is read from /proc/self/status (VmHWM, the high-water mark
of this process's own memory map), not getrusage's ru_maxrss: on Linux a child's ru_maxrss
starts at its parent's high-water mark (it is carried over at exec), so it reported the
benchmark driver's peak (which grows with the xlsx it writes) instead of the step's.
The import runs the task function in that process, exactly as the Celery worker does (the
broker only carries the job id).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tungnha_bench")
SIZES = {"quick": (5_000, 50_000), "full": (100_000, 1_000_000)}
GROUPS = 6


def bench(name: str, value, unit: str) -> None:
    print(f"BENCH {name} {value} {unit}", flush=True)


def _database_url() -> str:
    base, _, name = PG_URL.rpartition("/")
    return f"{base}/{name.split('?')[0]}_imports"


def _pg_admin(sql: str) -> None:
    import psycopg

    base = PG_URL.rpartition("/")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def _worker(*args: str, timeout: int = 3600) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_imports", "worker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{completed.stderr[-4000:]}")
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def _write_xlsx(path: Path, count: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH"])
    sheet.append(
        [
            "STT",
            "Họ tên chủ hộ",
            "Số nhà",
            "Ngõ/ngách",
            "Đường/phố",
            "Tổ dân phố",
            "Số điện thoại",
            "Số nhân khẩu",
        ]
    )
    for index in range(1, count + 1):
        sheet.append(
            [
                index,
                f"Nguyễn Văn Hộ {index}",
                str(index),
                f"Ngõ {index % 97 + 1}",
                "Phố Định Công",
                f"Tổ dân phố {index % GROUPS + 1}",
                f"09{index:08d}",
                index % 7 + 1,
            ]
        )
    workbook.save(path)
    _add_dimension(path, count + 2)


def _add_dimension(path: Path, rows: int) -> None:
    """Excel writes the sheet's extent up front; openpyxl's write-only mode does not, which
    makes every reader scan the whole sheet once more. Make the file look like Excel's."""
    import zipfile

    source = zipfile.ZipFile(path)
    members = [(info, source.read(info.filename)) for info in source.infolist()]
    source.close()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml" and b"<dimension" not in data:
                cut = min(
                    position
                    for position in (
                        data.find(b"<sheetViews"),
                        data.find(b"<sheetFormatPr"),
                        data.find(b"<sheetData"),
                    )
                    if position >= 0
                )
                data = data[:cut] + f'<dimension ref="A1:H{rows}"/>'.encode() + data[cut:]
            target.writestr(info, data)


def run(scale: str) -> None:
    households, visits = SIZES.get(scale, SIZES["quick"])
    try:
        _pg_admin("SELECT 1")
    except Exception as error:
        reason = (str(error).splitlines() or [type(error).__name__])[0].replace(" ", "_")[:80]
        for name in (
            "household_import_rows_per_s",
            "household_import_peak_mb",
            "household_import_vs_bulk_ratio",
            "visit_export_peak_mb",
        ):
            print(f"BENCH {name} skipped {reason}", flush=True)
        return
    name = _database_url().rpartition("/")[2]
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        _worker("setup")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ho-gia-dinh.xlsx"
            _write_xlsx(path, households)
            imported = _worker("import", str(path))
            bulk = _worker("bulk", str(households))
            total = imported["preview_s"] + imported["run_s"]
            bench("household_import_rows_per_s", round(households / total), "rows/s")
            bench("household_import_peak_mb", round(imported["peak_mb"]), "MB")
            bench("household_import_vs_bulk_ratio", round(total / bulk["seconds"], 2), "x")
            bench(
                "household_import_run_vs_bulk_ratio",
                round(imported["run_s"] / bulk["seconds"], 2),
                "x",
            )
            tenth = _worker("export", str(visits // 10), str(visits // 10), folder)
            tenth_xlsx = _worker("export", "0", str(visits // 10), folder, "xlsx")
            exported = _worker("export", str(visits - visits // 10), str(visits), folder)
            exported_xlsx = _worker("export", "0", str(visits), folder, "xlsx")
            bench("visit_export_peak_mb", round(exported["peak_mb"]), "MB")
            bench("visit_export_peak_mb_tenth", round(tenth["peak_mb"]), "MB")
            bench(
                "visit_export_peak_growth_mb",
                round(exported["peak_mb"] - tenth["peak_mb"], 1),
                "MB",
            )
            bench("visit_export_rows_per_s", round(visits / exported["seconds"]), "rows/s")
            xlsx_rate = round(visits / exported_xlsx["seconds"])
            bench("visit_export_xlsx_rows_per_s", xlsx_rate, "rows/s")
            bench("visit_export_xlsx_peak_mb", round(exported_xlsx["peak_mb"]), "MB")
            bench("visit_export_xlsx_peak_mb_tenth", round(tenth_xlsx["peak_mb"]), "MB")
            growth = round(exported_xlsx["peak_mb"] - tenth_xlsx["peak_mb"], 1)
            bench("visit_export_xlsx_peak_growth_mb", growth, "MB")
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Steps (run in subprocesses, with Django) ------------------------------------------------
def _peak_mb() -> float:
    """This process's peak resident memory in MB (see the module's docstring)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _world():
    """The demo ward and its people, looked up (the seeding's memory must not count here)."""
    from types import SimpleNamespace

    from areas.models import Area, Era
    from volunteers.demo import CURRENT_WARD, DEMO_LOGINS
    from volunteers.models import User

    ward = Area.objects.get(era=Era.CURRENT, code=CURRENT_WARD)
    groups = list(Area.objects.filter(path__startswith=ward.path, depth=ward.depth + 1))
    users = {login.key: User.objects.get(email=login.email) for login in DEMO_LOGINS}
    return SimpleNamespace(ward=ward, groups=sorted(groups, key=lambda a: a.path), users=users)


def _setup() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from volunteers.demo import seed_foundation

    seed_foundation()
    return {}


def _import(path: str) -> dict:
    from workspace.imports.jobs import import_job_create, import_job_run
    from workspace.models import ImportJob, JobStatus

    world = _world()
    content = Path(path).read_bytes()
    started = time.perf_counter()
    job = import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho-gia-dinh.xlsx",
        content=content,
        options={"consent_all": True},
    )
    preview = time.perf_counter() - started
    assert job.status == JobStatus.PREVIEW, job.errors[:3]
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    started = time.perf_counter()
    job = import_job_run(job_id=job.pk)
    run_s = time.perf_counter() - started
    assert job.status == JobStatus.DONE, job.result
    return {"preview_s": preview, "run_s": run_s, "peak_mb": _peak_mb()}


def _bulk(count: str) -> dict:
    """The same rows, inserted with nothing around them: the floor an import cannot beat."""
    from django.db import transaction
    from django.utils import timezone

    from households.models import Household

    world = _world()
    groups = world.groups
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        rows = [
            Household(
                area=groups[index % GROUPS],
                house_number=str(index),
                alley=f"Ngõ {index % 97 + 1}",
                street="Phố Định Công",
                contact_name=f"Nguyễn Văn Hộ {index}",
                contact_phone=f"+849{index:08d}",
                members=index % 7 + 1,
                consent_at=now,
                address_key=f"{index} ngo {index % 97 + 1} pho dinh cong",
                search_key=f"{index} ngo pho dinh cong nguyen van ho {index}",
            )
            for index in range(1, int(count) + 1)
        ]
        Household.objects.bulk_create(rows, batch_size=2000)
        transaction.set_rollback(True)
    return {"seconds": time.perf_counter() - started}


def _export(count: str, expected: str, folder: str, fmt: str = "csv") -> dict:
    """Add `count` visits (in the database, nothing through this process), then export every
    visit of the ward (`expected` in all) to `fmt`."""
    from django.conf import settings
    from django.db import connection

    from households.models import Household
    from workspace.exports.jobs import export_job_run
    from workspace.models import ExportJob

    settings.MEDIA_ROOT = folder
    world = _world()
    household_ids = list(Household.objects.values_list("pk", flat=True)[:5000])
    volunteer = world.users["volunteer"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO households_visit (
                client_uuid, fingerprint, household_id, volunteer_id, device_time, received_at,
                day, area_id, result, install_guidance, level1_activations, level2_coaching,
                dossiers_eid, dossiers_online, dossiers_other, e_payment, online_shopping,
                email, info_safety, over_members_confirmed, status_to, notes, status, updated_at
            )
            SELECT gen_random_uuid(), 'bench', h.id, %s, now() - (n || ' minutes')::interval,
                   now(), (now() - (n || ' minutes')::interval)::date, h.area_id, 'helped',
                   1, n %% 2, 0, 0, 0, 0, 0, 0, 0, 0, false, '', '', 'ok', now()
            FROM generate_series(1, %s) AS n
            JOIN households_household h ON h.id = (%s::bigint[])[1 + n %% %s]
            """,
            [volunteer.pk, int(count), household_ids, len(household_ids)],
        )
    job = ExportJob.objects.create(kind="visits", fmt=fmt, ward=world.ward, created_by=volunteer)
    started = time.perf_counter()
    job = export_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    assert job.total == int(expected), (job.total, expected)
    return {"seconds": seconds, "peak_mb": _peak_mb()}


def _worker_main(step: str, *args: str) -> None:
    import django

    django.setup()
    steps = {"setup": _setup, "import": _import, "bulk": _bulk, "export": _export}
    print(json.dumps(steps[step](*args)), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "worker":
        _worker_main(sys.argv[2], *sys.argv[3:])
    else:
        run(os.environ.get("BENCH_SCALE", "quick"))
