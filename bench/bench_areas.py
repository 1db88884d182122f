"""Loading the national list: every province in both eras, with the old→new mapping."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def run(scale: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/areas.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        }
        _manage("migrate", "-v0", env=env)
        which = ["--all"] if scale == "full" else ["--province", "01", "--province", "79"]
        started = time.monotonic()
        _manage("load_areas", *which, env=env)
        label = "all" if scale == "full" else "hanoi_hcmc"
        print(f"BENCH load_areas_{label}_s {time.monotonic() - started:.2f} s", flush=True)
        started = time.monotonic()
        _manage("load_areas", *which, env=env)
        print(f"BENCH load_areas_{label}_again_s {time.monotonic() - started:.2f} s", flush=True)
