"""The check (preview) of a big household list, run as a job by the worker, on PostgreSQL.

Figures (`BENCH name value unit`):
- household_check_s        seconds for the worker's check of the upload: read every row,
                           clean it, find duplicates and existing rows, pack the valid ones
                           (goal at full scale: ≤ 90 s for 100,000 rows)
- household_check_peak_mb  peak resident memory of the process doing it (VmHWM; goal ≤ 400 MB)
- household_check_rows_per_s rows checked per second

Sizes: quick 5,000 households, full 100,000. The upload is stored by the pages' door
(import_job_upload, which in production only stores it) in one subprocess, and the check runs
in another (`python -m bench.bench_import_check worker check <job id>`), exactly as the Celery
worker runs it, so that its peak memory is the check's alone.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_imports import PG_URL, _peak_mb, _pg_admin, _setup, _world, _write_xlsx, bench

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"quick": 5_000, "full": 100_000}


def _database_url() -> str:
    base, _, name = PG_URL.rpartition("/")
    return f"{base}/{name.split('?')[0]}_check"


def _worker(*args: str, timeout: int = 3600) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_import_check", "worker", *args],
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


def run(scale: str) -> None:
    rows = SIZES.get(scale, SIZES["quick"])
    try:
        _pg_admin("SELECT 1")
    except Exception as error:
        reason = (str(error).splitlines() or [type(error).__name__])[0].replace(" ", "_")[:80]
        for name in ("household_check_s", "household_check_peak_mb"):
            print(f"BENCH {name} skipped {reason}", flush=True)
        return
    name = _database_url().rpartition("/")[2]
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        _worker("setup")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ho-gia-dinh.xlsx"
            _write_xlsx(path, rows)
            stored = _worker("upload", str(path))
            checked = _worker("check", str(stored["job_id"]))
            bench("household_check_s", round(checked["seconds"], 1), "s")
            bench("household_check_peak_mb", round(checked["peak_mb"]), "MB")
            bench("household_check_rows_per_s", round(rows / checked["seconds"]), "rows/s")
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Steps (run in subprocesses, with Django) ------------------------------------------------
def _upload(path: str) -> dict:
    from django.conf import settings

    from workspace.imports import jobs

    settings.TUNGNHA_IMPORT_INLINE_CHECK_BYTES = 0  # as any big file: stored, not read
    # Eager Celery would check it here at once; the next step is the worker that does.
    jobs.job_dispatch = lambda job: None
    world = _world()
    job = jobs.import_job_upload(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho-gia-dinh.xlsx",
        content=Path(path).read_bytes(),
        options={"consent_all": True},
    )
    return {"job_id": job.pk}


def _check(job_id: str) -> dict:
    from workspace.imports.jobs import import_job_run
    from workspace.models import JobStatus

    started = time.perf_counter()
    job = import_job_run(job_id=int(job_id))
    seconds = time.perf_counter() - started
    assert job is not None
    assert job.status == JobStatus.PREVIEW, job.errors[:3]
    return {"seconds": seconds, "peak_mb": _peak_mb(), "rows": job.total}


def _worker_main(step: str, *args: str) -> None:
    import django

    django.setup()
    steps = {"setup": _setup, "upload": _upload, "check": _check}
    print(json.dumps(steps[step](*args)), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "worker":
        _worker_main(sys.argv[2], *sys.argv[3:])
    else:
        run(os.environ.get("BENCH_SCALE", "quick"))
