"""Run every benchmark and print each figure as `BENCH name value unit`.

BENCH_SCALE=quick (default) runs small sizes that finish in minutes; BENCH_SCALE=full runs the
sizes the issues name. BENCH_ONLY=visits,dashboard picks modules. Absolute times only indicate on
a shared 2-core machine; the ratios, measured in the same run, are what to compare.
"""

import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "quick")
    only = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    failures = 0
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    for name in names:
        if only and name.removeprefix("bench_") not in only:
            continue
        started = time.monotonic()
        print(f"# {name} (scale={scale})", flush=True)
        try:
            importlib.import_module(f"bench.{name}").run(scale)
        except Exception:
            failures += 1
            traceback.print_exc()
            print(f"BENCH {name.removeprefix('bench_')}_failed 1 error", flush=True)
        print(f"# {name} took {time.monotonic() - started:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
