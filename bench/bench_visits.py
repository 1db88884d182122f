"""The volunteer's hot path: the outbox's sync endpoint under load, and the log-visit page weight.

Figures (`BENCH name value unit`):
- visit_submit_rps               visits accepted per second by /households/sync/ (one new visit
                                 per request), gunicorn on PostgreSQL, 50 concurrent clients
- visit_submit_p95_ms            the 95th percentile of those requests
- visit_submit_vs_baseline_ratio its throughput over a trivial AUTHENTICATED JSON view
                                 (/households/ping.json: same middleware, session and user load,
                                 session save) measured in the same run
- visit_baseline_rps             that baseline's throughput (the public manifest's, which skips
                                 the user load, is printed as a comment)
- visit_submit_cpu_ms            median CPU time one single-visit request cost its gunicorn
                                 worker (measured in the server process, bench/_cpu_wsgi.py:
                                 stable where throughput on a shared machine is not)
- visit_baseline_cpu_ms          the same for the trivial view
- visit_batch_visits_per_s       visits accepted per second when each request carries a batch
                                 of BATCH_SIZE (50) new visits, as a phone back online sends
                                 them, from BATCH_CLIENTS (10) concurrent clients
- visit_batch_vs_baseline_ratio  that over the trivial view's requests per second (same run)
- visit_batch_p95_ms             the 95th percentile of those batch requests
- visit_batch_cpu_ms_per_visit   median server CPU of one batch request, per visit in it
- visit_totals_lag_max_s         the oldest tallies-journal row seen while the load ran: how far
                                 the campaign totals trailed the visits (issue: <= 5 s)
- visit_totals_settle_s          after the load, until every visit was folded into the totals
- visit_page_first_load_kb       compressed HTML + CSS + JS of the household page (where visits are
                                 logged) on a first visit
- visit_page_repeat_kb           the same once the service worker holds the shell (HTML only)

Production's shape: gunicorn (BENCH_VISITS_SERVER, default "sync:5": on this 2-core machine
sync 3/4/5 and gthread 3x4/4x4/2x8 all gave 150-165 visits/s, CPU-bound, but the sync workers
held p95 near 355 ms where gthread's GIL-shared threads let it stretch to 500-680 ms), Redis
(db 14) as the cache and the Celery broker, and one Celery worker (with the beat) folding the
tallies journal into the summary tables while the load runs. BENCH_VISITS_MODES=inline,deferred
adds a run with the tallies folded inside each request's transaction (no broker: the embedded
default) for comparison.

The clients are 50 asyncio connections speaking raw HTTP/1.1 (keep-alive where the server
keeps it) in this process: one thread, so they leave the cores to the server; bounded in count
and time, loopback only. The database is BENCH_DATABASE_URL with "_visits" appended to its name
(created and dropped here, so benchmarks of other apps can run beside it).
"""

import asyncio
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tungnha_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
CLIENTS = 50
BATCH_SIZE = 50
BATCH_CLIENTS = 10
SECONDS = {"quick": 8, "full": 30}
VOLUNTEERS = 50
HOUSEHOLDS_EACH = {"quick": 20, "full": 200}
SERVERS = {
    # name -> gunicorn arguments. Sync workers close the connection after each answer (the
    # clients reconnect: cheap on loopback); gthread keeps connections alive.
    "sync:3": ["--workers", "3", "--worker-class", "sync"],
    "sync:4": ["--workers", "4", "--worker-class", "sync"],
    "sync:5": ["--workers", "5", "--worker-class", "sync"],
    "gthread:3x4": ["--workers", "3", "--worker-class", "gthread", "--threads", "4"],
    "gthread:2x8": ["--workers", "2", "--worker-class", "gthread", "--threads", "8"],
    "gthread:4x4": ["--workers", "4", "--worker-class", "gthread", "--threads", "4"],
}
SERVER = os.environ.get("BENCH_VISITS_SERVER", "sync:5")
MODES = [m.strip() for m in os.environ.get("BENCH_VISITS_MODES", "deferred").split(",") if m]


def bench(name: str, value, unit: str) -> None:
    print(f"BENCH {name} {value} {unit}", flush=True)


def _database_url() -> str:
    parts = urlparse(BASE_URL)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + "_visits"))


def _admin(database_url: str, sql: str) -> None:
    import psycopg

    parts = urlparse(database_url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql)


def _env(database_url: str, *, broker: bool = False) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        # With a broker the tallies are folded by the worker; without, in each request.
        "CELERY_BROKER_URL": REDIS_URL if broker else "",
        "REDIS_URL": REDIS_URL if broker else "",
        "PYTHONPATH": str(ROOT),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Worker: runs inside Django, in a subprocess ---------------------------------------------
def _prepare(households_each: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.utils.crypto import get_random_string

    from households.models import Household
    from households.services import address_key
    from volunteers.demo import seed_foundation
    from volunteers.models import Membership, Role, User

    world = seed_foundation()
    clients = []
    group = world.groups[0]
    for number in range(VOLUNTEERS):
        user = User.objects.create_user(
            email=f"bench{number}@bench.vn", password=None, full_name=f"TNV {number}"
        )
        Membership.objects.create(user=user, role=Role.VOLUNTEER, area=group)
        rows = [
            Household(
                area=group,
                house_number=str(n),
                street=f"Bench {number}",
                members=6,
                address_key=address_key(
                    house_number=str(n), alley="", street=f"Bench {number}", apartment=""
                ),
                search_key=f"{n} bench {number}",
            )
            for n in range(households_each)
        ]
        ids = [household.pk for household in Household.objects.bulk_create(rows)]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        clients.append(
            {"session": session.session_key, "csrf": get_random_string(32), "households": ids}
        )
    # Statistics, as a database in service has them (autovacuum analyzes a table soon after a
    # large load): without them the planner takes the freshly filled households table for an
    # empty one, and the batch's household read scanned it whole (a batch of 50 took ~6 times
    # as long at full scale).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"clients": clients}))


# --- Load: asyncio, raw HTTP/1.1 -------------------------------------------------------------
CPU_HEADER = "x-bench-cpu-us"


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, int | None]:
    """Read one response; return (status, whether the server closes the connection, the CPU
    microseconds the server reported spending on it)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    close = headers.get("connection") == "close"
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        close = True
    cpu = headers.get(CPU_HEADER)
    return status, close, int(cpu) if cpu and cpu.isdigit() else None


def _encode(method: str, path: str, body: str | None, headers: dict) -> bytes:
    payload = body.encode() if body else b""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if payload or method == "POST":
        lines.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _client(port, info, make_request, deadline, latencies, failures, cpu) -> None:
    reader = writer = None
    cookie = f"sessionid={info['session']}; csrftoken={info['csrf']}"
    while time.monotonic() < deadline:
        method, path, body, headers = make_request(info)
        request = _encode(method, path, body, {**headers, "Cookie": cookie})
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, close, spent = await asyncio.wait_for(_read_response(reader), 30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            failures.append(1)
            if writer is not None:
                writer.close()
            writer = None
            continue
        if status == 200:
            latencies.append(time.perf_counter() - started)
            if spent is not None:
                cpu.append(spent / 1000)
        else:
            failures.append(status)
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


class Load(NamedTuple):
    elapsed: float  # seconds
    latencies: list[float]  # seconds, answered requests
    cpu: list[float]  # the server's CPU ms per answered request


def _load(
    port: int, clients: list[dict], seconds: float, make_request, count: int = CLIENTS
) -> Load:
    latencies: list[float] = []
    failures: list = []
    cpu: list[float] = []

    async def main() -> float:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                _client(port, info, make_request, deadline, latencies, failures, cpu)
                for info in clients[:count]
            )
        )
        return time.monotonic() - started

    elapsed = asyncio.run(main())
    if failures:
        print(f"# {len(failures)} failed requests ({sorted(set(failures))[:5]})", flush=True)
    return Load(elapsed, latencies, cpu)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _sync_request(info: dict):
    household = info["households"][int.from_bytes(os.urandom(2)) % len(info["households"])]
    item = {
        "type": "visit",
        "id": str(uuid.uuid4()),
        "data": {"household": household, "result": "helped", "install_guidance": 1},
    }
    body = json.dumps({"items": [item]})
    headers = {"Content-Type": "application/json", "X-CSRFToken": info["csrf"]}
    return "POST", "/households/sync/", body, headers


def _batch_request(info: dict):
    """A phone back online: BATCH_SIZE new visits in one request."""
    households = info["households"]
    start = int.from_bytes(os.urandom(2))
    items = [
        {
            "type": "visit",
            "id": str(uuid.uuid4()),
            "data": {
                "household": households[(start + n) % len(households)],
                "result": "helped",
                "install_guidance": 1,
            },
        }
        for n in range(BATCH_SIZE)
    ]
    headers = {"Content-Type": "application/json", "X-CSRFToken": info["csrf"]}
    return "POST", "/households/sync/", json.dumps({"items": items}), headers


def _baseline_request(info: dict):
    return "GET", "/households/ping.json", None, {}


def _public_request(info: dict):
    return "GET", "/manifest.webmanifest", None, {}


def _p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else 0.0


# --- The totals' freshness: the tallies journal, watched from here ----------------------------
JOURNAL_SQL = (
    "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0) "
    "FROM campaigns_tallyjournal"
)


class JournalWatch:
    """Samples the journal twice a second in a thread: the oldest waiting row is the lag."""

    def __init__(self, database_url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(database_url, autocommit=True)
        self.max_lag = 0.0
        self.max_rows = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[int, float]:
        rows, lag = self.connection.execute(JOURNAL_SQL).fetchone()
        return rows, float(lag)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            rows, lag = self.sample()
            self.max_lag, self.max_rows = max(self.max_lag, lag), max(self.max_rows, rows)

    def __enter__(self) -> "JournalWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)

    def settle(self, timeout: float = 60) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.sample()[0] == 0:
                return time.monotonic() - started
            time.sleep(0.1)
        return float("nan")

    def totals_match(self) -> tuple[int, int]:
        """(visits recorded, households_visited in the top units' totals)."""
        visits = self.connection.execute("SELECT count(*) FROM households_visit").fetchone()[0]
        total = self.connection.execute(
            "SELECT COALESCE(sum(t.households_visited), 0) FROM campaigns_areadaytally t "
            "JOIN areas_area a ON a.id = t.area_id WHERE a.depth = 1"
        ).fetchone()[0]
        return visits, int(total)

    def close(self) -> None:
        self.connection.close()


def _page_weight(port: int, info: dict) -> tuple[float, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Cookie": f"sessionid={info['session']}; csrftoken={info['csrf']}",
        "Accept-Encoding": "gzip",
    }
    connection.request("GET", f"/households/{info['households'][0]}/", headers=headers)
    response = connection.getresponse()
    raw = response.read()
    html_bytes = len(raw)
    html = gzip.decompress(raw) if response.getheader("Content-Encoding") == "gzip" else raw
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    asset_bytes = 0
    for asset in assets:
        path = ROOT / "static" / asset.decode()
        if path.exists():
            asset_bytes += len(gzip.compress(path.read_bytes(), compresslevel=9))
    return (html_bytes + asset_bytes) / 1024, html_bytes / 1024


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _start(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _flush_redis() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except Exception as error:
        raise RuntimeError(f"Redis unavailable at {REDIS_URL}: {error}") from error


def _measure(mode: str, database_url: str, clients: list[dict], seconds: float) -> tuple:
    """One server shape under load: baseline, then sync; returns the figures."""
    deferred = mode == "deferred"
    env = _env(database_url, broker=deferred)
    port = _free_port()
    gunicorn = worker = None
    workdir = tempfile.mkdtemp(prefix="bench-visits-")
    try:
        if deferred:
            _flush_redis()
            worker = _start(
                [
                    str(Path(sys.executable).with_name("celery")),
                    "-A",
                    "config",
                    "worker",
                    "--pool",
                    "solo",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "WARNING",
                    "--logfile",
                    str(Path(workdir) / "celery.log"),
                    # With its beat, as production runs it: the beat's fold every few seconds
                    # is the safety net for a commit that skipped queuing one (campaigns.dispatch).
                    "--beat",
                    "--schedule",
                    str(Path(workdir) / "beat-schedule"),
                ],
                env,
            )
        gunicorn = _start(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "bench._cpu_wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                *SERVERS[SERVER],
                "--backlog",
                "256",
                "--log-level",
                "warning",
            ],
            env,
        )
        _wait_for(port, gunicorn)
        _load(port, clients, 1.5, _baseline_request)  # warm up workers and connections
        _load(port, clients, 1.5, _sync_request)
        _load(port, clients, 1.5, _batch_request, BATCH_CLIENTS)
        watch = JournalWatch(database_url)
        try:
            watch.settle(30)
            baseline = _load(port, clients, seconds, _baseline_request)
            base_elapsed, base_latencies, _cpu = baseline
            with watch:
                single = _load(port, clients, seconds, _sync_request)
                sync_elapsed, sync_latencies, _cpu = single
            settle = watch.settle()
            watch.settle(30)
            batch = _load(port, clients, seconds, _batch_request, BATCH_CLIENTS)
            batch_settle = watch.settle()
            visits, total = watch.totals_match()
            public = _load(port, clients, seconds / 2, _public_request)
            public_elapsed, public_latencies = public.elapsed, public.latencies
            figures = {
                "base_cpu": _median(baseline.cpu),
                "sync_cpu": _median(single.cpu),
                "batch_rps": len(batch.latencies) / batch.elapsed,
                "batch_p95": _p95(batch.latencies),
                "batch_cpu": _median(batch.cpu),
                "batch_settle": batch_settle,
                "sync_rps": len(sync_latencies) / sync_elapsed,
                "sync_p95": _p95(sync_latencies),
                "sync_p50": statistics.median(sync_latencies) * 1000 if sync_latencies else 0,
                "base_rps": len(base_latencies) / base_elapsed,
                "base_p95": _p95(base_latencies),
                "public_rps": len(public_latencies) / public_elapsed,
                "lag_max": watch.max_lag,
                "rows_max": watch.max_rows,
                "settle": settle,
                "visits": visits,
                "total": total,
                "port": port,
            }
        finally:
            watch.close()
        return figures, gunicorn, worker
    except BaseException:
        _stop(gunicorn)
        _stop(worker)
        raise
    finally:
        _report_worker_errors(Path(workdir) / "celery.log")
        shutil.rmtree(workdir, ignore_errors=True)


def _report_worker_errors(log: Path, most: int = 40) -> None:
    """The folding worker's warnings and errors, as comments: a fold that failed shows as
    journal lag, and its cause would be lost with the run's folder."""
    if not log.exists():
        return
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    for line in lines[-most:]:
        print(f"# worker: {line[:300]}", flush=True)


def run(scale: str = "quick") -> None:
    names = [
        "visit_submit_rps",
        "visit_submit_p95_ms",
        "visit_submit_vs_baseline_ratio",
        "visit_baseline_rps",
        "visit_totals_lag_max_s",
        "visit_totals_settle_s",
        "visit_submit_cpu_ms",
        "visit_baseline_cpu_ms",
        "visit_batch_visits_per_s",
        "visit_batch_vs_baseline_ratio",
        "visit_batch_p95_ms",
        "visit_batch_cpu_ms_per_visit",
    ]
    database_url = _database_url()
    name = urlparse(database_url).path.lstrip("/")
    try:
        _admin(database_url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin(database_url, f'CREATE DATABASE "{name}"')
    except Exception as error:
        for figure in [*names, "visit_page_first_load_kb", "visit_page_repeat_kb"]:
            bench(figure, "skipped", f"PostgreSQL unavailable ({type(error).__name__})")
        return
    env = _env(database_url)
    processes: list = []
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        prepared = subprocess.run(
            [sys.executable, "-m", "bench.bench_visits", "prepare", str(HOUSEHOLDS_EACH[scale])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        clients = json.loads(prepared.stdout.strip().splitlines()[-1])["clients"]
        print(f"# server: gunicorn {SERVER} ({' '.join(SERVERS[SERVER])})", flush=True)
        last = None
        for mode in MODES:
            figures, gunicorn, worker = _measure(mode, database_url, clients, SECONDS[scale])
            processes = [gunicorn, worker]
            f = figures
            print(
                f"# {mode}: sync {f['sync_rps']:.1f} req/s p50 {f['sync_p50']:.1f} ms "
                f"p95 {f['sync_p95']:.1f} ms; authenticated baseline {f['base_rps']:.1f} req/s "
                f"p95 {f['base_p95']:.1f} ms; public manifest {f['public_rps']:.1f} req/s "
                f"(ratio to it {f['sync_rps'] / f['public_rps']:.2f}); journal lag max "
                f"{f['lag_max']:.2f} s ({f['rows_max']} rows), settled in {f['settle']:.2f} s; "
                f"batch {f['batch_rps']:.1f} req/s x {BATCH_SIZE} visits, settled in "
                f"{f['batch_settle']:.2f} s; server CPU per request: baseline "
                f"{f['base_cpu']:.2f} ms, single visit {f['sync_cpu']:.2f} ms, batch "
                f"{f['batch_cpu']:.2f} ms; "
                f"{f['visits']} visits, top-level total {f['total']}"
                f" ({'match' if f['visits'] == f['total'] else 'MISMATCH'})",
                flush=True,
            )
            last = figures
            if mode != MODES[-1]:
                for process in processes:
                    _stop(process)
                processes = []
        f = last
        bench("visit_submit_rps", round(f["sync_rps"], 1), "req/s")
        bench("visit_submit_p95_ms", round(f["sync_p95"], 1), "ms")
        ratio = round(f["sync_rps"] / f["base_rps"], 2) if f["base_rps"] else 0
        bench("visit_submit_vs_baseline_ratio", ratio, "x")
        bench("visit_baseline_rps", round(f["base_rps"], 1), "req/s")
        bench("visit_totals_lag_max_s", round(f["lag_max"], 2), "s")
        bench("visit_totals_settle_s", round(f["settle"], 2), "s")
        bench("visit_submit_cpu_ms", round(f["sync_cpu"], 2), "ms")
        bench("visit_baseline_cpu_ms", round(f["base_cpu"], 2), "ms")
        visits_per_s = f["batch_rps"] * BATCH_SIZE
        unit = f"visits/s_{BATCH_SIZE}_per_request_{BATCH_CLIENTS}_clients"
        bench("visit_batch_visits_per_s", round(visits_per_s, 1), unit)
        ratio = round(visits_per_s / f["base_rps"], 2) if f["base_rps"] else 0
        bench("visit_batch_vs_baseline_ratio", ratio, "x")
        bench("visit_batch_p95_ms", round(f["batch_p95"], 1), "ms")
        bench("visit_batch_cpu_ms_per_visit", round(f["batch_cpu"] / BATCH_SIZE, 2), "ms")
        first, repeat = _page_weight(f["port"], clients[0])
        bench("visit_page_first_load_kb", round(first, 1), "KB")
        bench("visit_page_repeat_kb", round(repeat, 1), "KB")
    finally:
        for process in processes:
            _stop(process)
        try:
            _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as error:
            print(f"# could not drop {name}: {error}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        _prepare(int(sys.argv[2]))
    else:
        run(os.environ.get("BENCH_SCALE", "quick"))
