"""Campaign dashboard speed: summary tables versus the raw visits, at growing numbers of visits.

Figures (`BENCH name value unit`):
- dashboard_p95_ms          city dashboard, 20 concurrent users, gunicorn (4 workers) on loopback,
                            PostgreSQL at the large size, CACHE DISABLED (a dummy cache: every
                            request computes the body from the summary tables)
- dashboard_p95_cached_ms   the same with the cache on (bodies cached per data version)
- dashboard_scale_ratio     in-process city dashboard, UNCACHED (cache cleared before each
                            request), median time at the large size over the time at 10k visits
- dashboard_raw_groupby_ms  the same totals (city and per commune: indicators, participations,
                            unique volunteers) by GROUP BY over the raw households_visit rows
- totals_freshness_s        a visit through households.services.visit_record until the city
                            total moves in the token API (over HTTP, uncached server)
- dashboard_fill_drift_rows the set-based fill checked against the app's own recompute
                            (campaigns.tallies_check_drift through the households source), at 10k
- dashboard_queries         queries of one uncached city dashboard request, the whole request
                            (session, user and roles included); dashboard_body_queries those of
                            campaigns.selectors.campaign_dashboard alone; dashboard_plain_page_ms
                            the campaign list's in-process time, for comparison
- dashboard_sqlite_1m_ms    the city dashboard on the embedded SQLite, uncached, at 1M visits
                            ("quick" runs 200k and names the figure dashboard_sqlite_200k_ms)

The raw data is households' real tables: residential groups under every commune, households in
them, volunteers each working from a home group, and visits with every required field, made in
the database by one INSERT … SELECT over generate_series (PostgreSQL) or a recursive CTE
(SQLite) — nothing goes through Python per row. On PostgreSQL a large top-up drops the visit
table's secondary indexes and constraints and rebuilds them after, as a bulk load would. The
summary tables are then filled set-based: one INSERT … SELECT … GROUP BY over the raw visits
gives the volunteer-day rows at every level, rolled up into the area-day rows, and the
campaign's own rows come from `campaigns.tallies.campaign_tallies_refresh` (two more
INSERT … SELECT … GROUP BY). At the small size the result is checked against the app's own
recompute from the raw records: drift must be zero.

Each Django step runs in a subprocess (`python -m bench.bench_dashboard worker …`) with its own
DATABASE_URL, so PostgreSQL and SQLite runs don't share a settings module.
"""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tungnha_bench")
SIZES = {
    # (small, large) visits on PostgreSQL; visits on SQLite
    "quick": ((10_000, 1_000_000), 200_000),
    "full": ((10_000, 10_000_000), 1_000_000),
}
USERS = 20
REQUESTS_PER_USER = {"quick": 5, "full": 25}
VOLUNTEERS = 5_000
GROUPS_PER_COMMUNE = 8
HOUSEHOLDS_PER_GROUP = 400
DAYS = 60
BIG_LOAD = 200_000  # from this many missing visits on, drop and rebuild the visit indexes


def bench(name: str, value, unit: str) -> None:
    print(f"BENCH {name} {value} {unit}", flush=True)


def note(text: str) -> None:
    print(f"# {text}", flush=True)


# --- Orchestration (no Django in this process) ----------------------------------------------
def _env(database_url: str, settings: str = "config.settings.test") -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "CELERY_BROKER_URL": "",
        "PYTHONPATH": str(ROOT),
        # The freshness figure polls the totals every 50 ms: past the API's per-key limit.
        "DJANGO_API_RATE_PER_MINUTE": "100000",
    }


def _worker(database_url: str, *args: str, timeout: int = 3600) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_dashboard", "worker", *args],
        cwd=ROOT,
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{completed.stderr[-4000:]}")
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def _pg_admin(sql: str) -> None:
    import psycopg

    base, _, _name = PG_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def _pg_database() -> str:
    return PG_URL.rpartition("/")[2].split("?")[0]


def _pg_available() -> str:
    try:
        import psycopg  # noqa: F401

        _pg_admin("SELECT 1")
    except Exception as error:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load(url: str, paths: list[str], cookie: str, users: int, per_user: int) -> list[float]:
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(index: int) -> None:
        for number in range(per_user):
            path = paths[(index + number) % len(paths)]
            request = urllib.request.Request(url + path, headers={"Cookie": cookie})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
                    status = response.status
            except Exception as error:
                with lock:
                    errors.append(str(error))
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    timings.append(elapsed)
                else:
                    errors.append(str(status))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        note(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return timings


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _gunicorn(database_url: str, port: int, settings: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(database_url, settings),
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    _stop(process)
    raise RuntimeError("gunicorn did not start")


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def _p95_under_load(scale: str, info: dict, large: int, *, cached: bool) -> str:
    """Start gunicorn, measure the city dashboard at 20 users; returns the server's base URL
    and leaves it running (for the freshness check) through the returned stopper."""
    settings = "config.settings.test" if cached else "bench._dashboard_nocache"
    port = _free_port()
    server = _gunicorn(PG_URL, port, settings)
    base = f"http://127.0.0.1:{port}"
    try:
        paths = [info["dashboard_path"]]
        _load(base, paths, info["cookie"], 4, 2)  # warm the workers
        note(f"load average before the run (2-core box, shared): {os.getloadavg()[0]:.1f}")
        timings = _load(base, paths, info["cookie"], USERS, REQUESTS_PER_USER[scale])
        name = "dashboard_p95_cached_ms" if cached else "dashboard_p95_ms"
        mode = "cached_per_data_version" if cached else "cache_disabled"
        if timings:
            unit = f"ms_{USERS}_users_{large}_visits_{mode}"
            bench(name, round(_p95(timings), 1), unit)
            note(f"{name}: {len(timings)} requests, median {statistics.median(timings):.1f} ms")
        else:
            bench(name, "skipped", "no_successful_requests")
        if not cached:
            fresh = _worker(PG_URL, "freshness", base)
            bench("totals_freshness_s", round(fresh["seconds"], 3), f"s_via_{fresh['through']}")
    finally:
        _stop(server)
    return base


def _run_postgres(scale: str) -> None:
    small, large = SIZES[scale][0]
    problem = _pg_available()
    if problem:
        for name in (
            "dashboard_p95_ms",
            "dashboard_scale_ratio",
            "dashboard_raw_groupby_ms",
            "totals_freshness_s",
        ):
            bench(name, "skipped", f"postgresql-unavailable:{problem.replace(' ', '_')[:60]}")
        return
    database = _pg_database()
    _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{database}"')
    try:
        info = _worker(PG_URL, "setup")
        note(f"setup: {info['groups']} groups, {info['households']} households")
        loaded = _worker(PG_URL, "load", str(small))
        note(f"loaded {small:,} visits: {loaded}")
        drift = _worker(PG_URL, "check")
        bench("dashboard_fill_drift_rows", drift["drift_rows"], f"rows_at_{small}_visits")
        at_small = _worker(PG_URL, "measure")
        loaded = _worker(PG_URL, "load", str(large))
        note(f"loaded {large:,} visits: {loaded}")
        at_large = _worker(PG_URL, "measure")
        raw = _worker(PG_URL, "rawgroupby")["median_ms"]
        ratio = at_large["cold_ms"] / at_small["cold_ms"]
        bench("dashboard_scale_ratio", round(ratio, 2), f"x_{large}_over_{small}_visits_uncached")
        # The same from the fastest of the 21 runs: less exposed to other load on a shared box.
        ratio_min = at_large["cold_min_ms"] / at_small["cold_min_ms"]
        bench("dashboard_scale_ratio_min", round(ratio_min, 2), "x_fastest_run_uncached")
        bench("dashboard_cold_ms", round(at_large["cold_ms"], 1), f"ms_uncached_{large}_visits")
        bench("dashboard_warm_ms", round(at_large["warm_ms"], 1), f"ms_cached_{large}_visits")
        bench("dashboard_queries", at_large["queries"], "queries_whole_uncached_request")
        bench("dashboard_body_queries", at_large["body_queries"], "queries_campaign_dashboard")
        bench("dashboard_plain_page_ms", round(at_large["plain_ms"], 1), "ms_campaign_list")
        bench("dashboard_raw_groupby_ms", round(raw, 1), f"ms_at_{large}_visits")
        note(f"city dashboard in-process: {at_small} at {small:,} visits, {at_large} at {large:,}")
        note(f"table sizes at {large:,} visits: {_worker(PG_URL, 'sizes')}")
        _p95_under_load(scale, info, large, cached=False)
        _p95_under_load(scale, info, large, cached=True)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _run_sqlite(scale: str) -> None:
    visits = SIZES[scale][1]
    name = "1m" if visits == 1_000_000 else f"{visits // 1000}k"
    with tempfile.TemporaryDirectory(prefix="tungnha-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        _worker(url, "setup")
        loaded = _worker(url, "load", str(visits))
        note(f"sqlite: loaded {visits:,} visits: {loaded}")
        timings = _worker(url, "measure")
        bench(f"dashboard_sqlite_{name}_ms", round(timings["cold_ms"], 1), "ms_uncached")
        bench(f"dashboard_sqlite_{name}_cached_ms", round(timings["warm_ms"], 1), "ms_cached")


def run(scale: str = "quick") -> None:
    scale = scale if scale in SIZES else "quick"
    started = time.monotonic()
    _run_postgres(scale)
    note(f"postgresql part took {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    _run_sqlite(scale)
    note(f"sqlite part took {time.monotonic() - started:.0f} s")


# --- Worker (inside Django, one step per process) -------------------------------------------
def _setup_django() -> None:
    import django

    django.setup()


def _campaign():
    from campaigns.models import Campaign

    return Campaign.objects.get(name="Bench")


def _bench_groups(city) -> list:
    """Residential groups under every commune of the city (bulk, with computed paths)."""
    from areas.models import Area, Kind, Level
    from core.text import search_key

    communes = list(Area.objects.filter(path__startswith=city.path, depth=city.depth + 1))
    new = []
    for commune in communes:
        if commune.numchild:
            continue
        for number in range(1, GROUPS_PER_COMMUNE + 1):
            name = f"Tổ dân phố {number}"
            new.append(
                Area(
                    path=Area._get_path(commune.path, commune.depth + 1, number),
                    depth=commune.depth + 1,
                    numchild=0,
                    code=f"{commune.code}-B{number:02d}",
                    era=commune.era,
                    level=Level.GROUP,
                    kind=Kind.RESIDENTIAL_GROUP,
                    name=name,
                    search_key=search_key(name),
                    valid_from=commune.valid_from,
                    valid_to=commune.valid_to,
                )
            )
        commune.numchild = GROUPS_PER_COMMUNE
    Area.objects.bulk_create(new, batch_size=2000)
    Area.objects.bulk_update([c for c in communes if c.numchild], ["numchild"], batch_size=500)
    return list(Area.objects.filter(path__startswith=city.path, level=Level.GROUP).order_by("path"))


def worker_setup() -> dict:
    import datetime

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from areas.models import Area
    from campaigns.models import Campaign, CampaignStatus, Target
    from core.activity import PARTICIPATIONS, Indicator
    from households.registry.services import registry_rebuild
    from volunteers.demo import seed_foundation
    from volunteers.models import Membership, Role, User

    call_command("migrate", verbosity=0)
    world = seed_foundation()
    today = timezone.localdate()
    with transaction.atomic():
        groups = _bench_groups(world.city)
        campaign, _ = Campaign.objects.get_or_create(
            name="Bench",
            defaults={
                "start": today - datetime.timedelta(days=DAYS - 1),
                "end": today + datetime.timedelta(days=14),
                "scope": world.city,
                "status": CampaignStatus.ACTIVE,
                "indicators": [*Indicator.values[:8], PARTICIPATIONS],
            },
        )
        communes = Area.objects.filter(path__startswith=world.city.path, depth=2)
        Target.objects.bulk_create(
            [
                Target(campaign=campaign, area=commune, indicator=key, value=1000)
                for commune in communes
                for key in Indicator.values[:5]
            ],
            ignore_conflicts=True,
        )
        User.objects.bulk_create(
            [
                User(email=f"bench-{n}@example.vn", full_name=f"TNV {n}", password="!")  # noqa: S106
                for n in range(VOLUNTEERS)
            ],
            batch_size=1000,
        )
        volunteers = list(
            User.objects.filter(email__startswith="bench-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        in_ward = [
            index for index, group in enumerate(groups) if group.path.startswith(world.ward.path)
        ]
        homes = [groups[n % len(groups)] for n in range(len(volunteers))]
        for offset in range(min(200, len(volunteers))):  # a team-sized crowd in the demo ward
            homes[offset] = groups[in_ward[offset % len(in_ward)]]
        Membership.objects.bulk_create(
            [
                Membership(user_id=pk, role=Role.VOLUNTEER, area=world.ward, team=world.teams[0])
                for pk in volunteers[:200]
            ],
            ignore_conflicts=True,
        )
        with connection.cursor() as cursor:
            _helper_tables(cursor)
            cursor.executemany(
                "INSERT INTO bench_group (area_id) VALUES (%s)", [(g.pk,) for g in groups]
            )
            _insert_households(cursor, connection.vendor)
            cursor.execute(
                "SELECT area_id, MIN(id) FROM households_household WHERE street = 'Bench' "
                "GROUP BY area_id"
            )
            first_household = dict(cursor.fetchall())
            cursor.executemany(
                "INSERT INTO bench_volunteer (idx, user_id, area_id, first_household) "
                "VALUES (%s, %s, %s, %s)",
                [
                    (index, pk, homes[index].pk, first_household[homes[index].pk])
                    for index, pk in enumerate(volunteers)
                ],
            )
            _ancestors(cursor, world.city, groups)
        # The households went in by raw SQL, past the doors that keep the registry's counts.
        registry_rebuild()
    session = SessionStore()
    city = world.users["city"]
    session["_auth_user_id"] = str(city.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = city.get_session_auth_hash()
    session.create()
    return {
        "campaign": campaign.pk,
        "groups": len(groups),
        "households": len(groups) * HOUSEHOLDS_PER_GROUP,
        "volunteers": len(volunteers),
        "dashboard_path": campaign.get_absolute_url(),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }


def _helper_tables(cursor) -> None:
    """Bench-only lookups: the groups, each volunteer's home group and its first household id,
    and each group's chain of ancestors (the closure the raw GROUP BY baseline joins through)."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_group (area_id BIGINT NOT NULL)")
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_volunteer (idx INTEGER PRIMARY KEY, "
        "user_id BIGINT NOT NULL, area_id BIGINT NOT NULL, first_household BIGINT NOT NULL)"
    )
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_ancestor (leaf_id BIGINT NOT NULL, "
        "ancestor_id BIGINT NOT NULL, depth INTEGER NOT NULL)"
    )
    cursor.execute("DELETE FROM bench_volunteer")
    cursor.execute("DELETE FROM bench_group")


def _insert_households(cursor, vendor: str) -> None:
    """HOUSEHOLDS_PER_GROUP households in every group, in one INSERT … SELECT, ids in group
    order (so a volunteer's home households are first_household + 0 … HOUSEHOLDS_PER_GROUP-1)."""
    columns = (
        "area_id, fingerprint, house_number, alley, street, apartment, contact_name, "
        "contact_phone, members, notes, digital_status, address_key, search_key, created_at, "
        "updated_at, consent_method, walk_key"
    )
    values = (
        "g.area_id, '', 'Số ' || s.n, '', 'Bench', '', '', '', 4, '', 'none', "
        "'so ' || s.n || '|bench', 'so ' || s.n || ' bench', {now}, {now}, '', '' "
        "FROM bench_group g CROSS JOIN {numbers} ORDER BY g.area_id, s.n"
    )
    if vendor == "postgresql":
        select = values.format(now="now()", numbers="generate_series(1, %s) AS s(n)")
        cursor.execute(
            f"INSERT INTO households_household ({columns}) SELECT {select}", [HOUSEHOLDS_PER_GROUP]
        )
    else:
        select = values.format(now="datetime('now')", numbers="s")
        cursor.execute(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s) "  # noqa: S608
            f"INSERT INTO households_household ({columns}) SELECT {select}",
            [HOUSEHOLDS_PER_GROUP],
        )


def _ancestors(cursor, city, groups) -> None:
    from areas.models import Area

    id_by_path = dict(
        Area.objects.filter(path__startswith=city.path, depth__lt=groups[0].depth).values_list(
            "path", "pk"
        )
    )
    rows = []
    for group in groups:
        for end in range(Area.steplen, len(group.path), Area.steplen):
            rows.append((group.pk, id_by_path[group.path[:end]], end // Area.steplen))
        rows.append((group.pk, group.pk, group.depth))
    cursor.execute("DELETE FROM bench_ancestor")
    cursor.executemany(
        "INSERT INTO bench_ancestor (leaf_id, ancestor_id, depth) VALUES (%s, %s, %s)", rows
    )
    cursor.execute("CREATE INDEX IF NOT EXISTS bench_ancestor_leaf ON bench_ancestor (leaf_id)")


VISIT_COLUMNS = [
    "client_uuid",
    "fingerprint",
    "household_id",
    "volunteer_id",
    "device_time",
    "received_at",
    "day",
    "area_id",
    "result",
    "install_guidance",
    "level1_activations",
    "level2_coaching",
    "dossiers_eid",
    "dossiers_online",
    "dossiers_other",
    "e_payment",
    "online_shopping",
    "email",
    "info_safety",
    "over_members_confirmed",
    "status_to",
    "notes",
    "status",
    "updated_at",
]
# (column, probability per mille that a HELPED visit counts one)
COUNT_ODDS = [
    ("install_guidance", 600),
    ("level1_activations", 200),
    ("level2_coaching", 350),
    ("dossiers_eid", 100),
    ("dossiers_online", 150),
    ("dossiers_other", 50),
    ("e_payment", 100),
    ("online_shopping", 50),
    ("email", 50),
    ("info_safety", 80),
]
# result by r (per mille): helped < 700 <= not_home < 900 <= refused < 950 <= come_back
RESULT_SQL = (
    "CASE WHEN r.rr < 700 THEN 'helped' WHEN r.rr < 900 THEN 'not_home' "
    "WHEN r.rr < 950 THEN 'refused' ELSE 'come_back' END"
)


def _insert_visits_postgres(cursor, count: int, start) -> None:
    counts = ", ".join(
        f"CASE WHEN r.rr < 700 AND random() * 1000 < {odds} THEN 1 ELSE 0 END"
        for _name, odds in COUNT_ODDS
    )
    cursor.execute(
        f"INSERT INTO households_visit ({', '.join(VISIT_COLUMNS)}) "  # noqa: S608
        "SELECT gen_random_uuid(), '', v.first_household + r.hi, v.user_id, "
        "r.day + make_interval(secs => 25200 + r.secs), now(), r.day, v.area_id, "
        f"{RESULT_SQL}, {counts}, false, '', '', "
        "CASE WHEN r.rej = 0 THEN 'rejected' ELSE 'ok' END, now() "
        "FROM (SELECT floor(random() * %s)::int AS vi, floor(random() * %s)::int AS hi, "
        "%s::date + floor(random() * %s)::int AS day, floor(random() * 36000)::int AS secs, "
        "floor(random() * 1000)::int AS rr, floor(random() * 100)::int AS rej "
        "FROM generate_series(1, %s) OFFSET 0) r "
        "JOIN bench_volunteer v ON v.idx = r.vi",
        [VOLUNTEERS, HOUSEHOLDS_PER_GROUP, start, DAYS, count],
    )


def _insert_visits_sqlite(cursor, count: int, start) -> None:
    def chance(odds: int) -> str:
        return f"CASE WHEN r.rr < 700 AND abs(random()) % 1000 < {odds} THEN 1 ELSE 0 END"

    counts = ", ".join(chance(odds) for _name, odds in COUNT_ODDS)
    cursor.execute(
        "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s), "  # noqa: S608
        "r AS MATERIALIZED (SELECT abs(random()) %% %s AS vi, abs(random()) %% %s AS hi, "
        "date(%s, '+' || (abs(random()) %% %s) || ' days') AS day, "
        "abs(random()) %% 36000 AS secs, abs(random()) %% 1000 AS rr, "
        "abs(random()) %% 100 AS rej FROM s) "
        f"INSERT INTO households_visit ({', '.join(VISIT_COLUMNS)}) "
        "SELECT lower(hex(randomblob(16))), '', v.first_household + r.hi, v.user_id, "
        "datetime(r.day, '+' || (25200 + r.secs) || ' seconds'), datetime('now'), r.day, "
        f"v.area_id, {RESULT_SQL}, {counts}, 0, '', '', "
        "CASE WHEN r.rej = 0 THEN 'rejected' ELSE 'ok' END, datetime('now') "
        "FROM r JOIN bench_volunteer v ON v.idx = r.vi",
        [count, VOLUNTEERS, HOUSEHOLDS_PER_GROUP, start.isoformat(), DAYS],
    )


def _drop_visit_indexes(cursor) -> list[str]:
    """Drop the visit table's secondary indexes, unique and foreign-key constraints; return
    the statements that recreate them."""
    recreate = []
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'households_visit'::regclass AND contype IN ('u', 'f')"
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE households_visit DROP CONSTRAINT "{name}"')
        recreate.append(f'ALTER TABLE households_visit ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'households_visit' "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE conrelid = 'households_visit'::regclass)"
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        recreate.insert(0, definition)
    return recreate


# The indicators one raw visit adds (households.services.visit_counts), as SQL over `v`.
RAW_INDICATORS = {
    "households_visited": "CASE WHEN v.result <> 'not_home' THEN 1 ELSE 0 END",
    "install_guidance": "v.install_guidance",
    "level1_activations": "v.level1_activations",
    "level2_activations": "v.level2_coaching",
    "dossiers_total": "v.dossiers_eid + v.dossiers_online + v.dossiers_other",
    "dossiers_eid": "v.dossiers_eid",
    "dossiers_online": "v.dossiers_online",
    "other_help": "v.e_payment + v.online_shopping + v.email + v.info_safety",
}


def _fill_tallies(cursor, now) -> None:
    """The summary tables from the raw visits, set-based: volunteer-day rows at every level by
    one GROUP BY over the raw rows (first per leaf, then up the closure), rolled up into the
    area-day rows (sums, and participations = active volunteer rows)."""
    from campaigns.tallies import INDICATORS

    names = list(RAW_INDICATORS)
    leaf_sums = ", ".join(f"SUM({sql}) AS {name}" for name, sql in RAW_INDICATORS.items())
    up_sums = ", ".join(f"SUM(l.{name})" for name in names)
    # A visit's presence (core.activity.PRESENCE: one per visit, to its volunteer) makes the
    # volunteer active that day even when it found nobody home and counts nothing else.
    activity = " + ".join(f"SUM(l.{name})" for name in [*names, "presence"])
    zeros = [name for name in INDICATORS if name not in names]
    cursor.execute("DELETE FROM campaigns_campaignvolunteertally")
    cursor.execute("DELETE FROM campaigns_campaignareatally")
    cursor.execute("DELETE FROM campaigns_volunteerdaytally")
    cursor.execute("DELETE FROM campaigns_areadaytally")
    cursor.execute(
        "INSERT INTO campaigns_volunteerdaytally (volunteer_id, area_id, day, activity, "  # noqa: S608
        f"presence, {', '.join(names + zeros)}) "
        f"SELECT l.volunteer_id, a.ancestor_id, l.day, {activity}, SUM(l.presence), {up_sums}"
        f"{''.join(', 0' for _ in zeros)} "
        f"FROM (SELECT v.volunteer_id, v.area_id, v.day, {leaf_sums}, COUNT(*) AS presence "
        "FROM households_visit v "
        "WHERE v.status <> 'rejected' GROUP BY v.volunteer_id, v.area_id, v.day) l "
        "JOIN bench_ancestor a ON a.leaf_id = l.area_id "
        "GROUP BY l.volunteer_id, a.ancestor_id, l.day"
    )
    sums = ", ".join(f"SUM(t.{name})" for name in INDICATORS)
    cursor.execute(
        f"INSERT INTO campaigns_areadaytally (area_id, day, {', '.join(INDICATORS)}, "  # noqa: S608
        "volunteer_participations, updated_at) "
        f"SELECT t.area_id, t.day, {sums}, SUM(CASE WHEN t.activity > 0 THEN 1 ELSE 0 END), %s "
        "FROM campaigns_volunteerdaytally t GROUP BY t.area_id, t.day",
        [now],
    )


def worker_load(total: int) -> dict:
    """Top the real visit table up to `total` visits, then refill the tallies from it."""
    from django.db import connection, transaction
    from django.utils import timezone

    from campaigns.tallies import campaign_tallies_refresh

    campaign = _campaign()
    vendor = connection.vendor
    timings = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM households_visit")
        missing = max(total - cursor.fetchone()[0], 0)
        started = time.perf_counter()
        if vendor == "postgresql":
            recreate = []
            if missing >= BIG_LOAD:
                recreate = _drop_visit_indexes(cursor)
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            _insert_visits_postgres(cursor, missing, campaign.start)
            timings["insert_s"] = round(time.perf_counter() - started, 1)
            started = time.perf_counter()
            for statement in recreate:
                cursor.execute(statement)
            timings["indexes_s"] = round(time.perf_counter() - started, 1)
        else:
            _insert_visits_sqlite(cursor, missing, campaign.start)
            timings["insert_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        _fill_tallies(cursor, connection.ops.adapt_datetimefield_value(timezone.now()))
        campaign_tallies_refresh(campaign)
        timings["fill_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    timings["analyze_s"] = round(time.perf_counter() - started, 1)
    return {"visits": total, **timings}


def worker_check() -> dict:
    """The set-based fill against the app's own recompute from the raw records."""
    from campaigns.tallies import tallies_check_drift

    report = tallies_check_drift()
    if report.drift_count:
        print(f"# drift samples: {report.samples[:3]}", file=sys.stderr)
    return {"drift_rows": report.drift_count, "area_rows": report.area_rows}


def worker_measure() -> dict:
    """The city dashboard in-process: cold (cache cleared before each request: every figure
    computed from the summary tables) and warm (the body cached for this data version)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from volunteers.models import User

    campaign = _campaign()
    client = Client()
    client.force_login(User.objects.get(email="thanhdoan@tungnha.vn"))
    url = campaign.get_absolute_url()
    assert client.get(url).status_code == 200  # warm the connection and templates
    result = {}
    for mode in ("cold", "warm"):
        timings = []
        for _ in range(21):
            if mode == "cold":
                cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        result[f"{mode}_ms"] = round(statistics.median(timings), 1)
        result[f"{mode}_min_ms"] = round(min(timings), 1)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    result["queries"] = len(queries)
    from campaigns.selectors import campaign_dashboard, dashboard_crumbs

    user = User.objects.get(email="thanhdoan@tungnha.vn")
    crumbs = dashboard_crumbs(user=user, campaign=campaign, area=campaign.scope)
    with CaptureQueriesContext(connection) as queries:
        campaign_dashboard(user=user, campaign=campaign, area=campaign.scope, crumbs=crumbs)
    result["body_queries"] = len(queries)
    # A plain signed-in page of the same app (the campaign list), to compare the cost with.
    plain = []
    for _ in range(21):
        started = time.perf_counter()
        assert client.get("/campaigns/").status_code == 200
        plain.append((time.perf_counter() - started) * 1000)
    result["plain_ms"] = round(statistics.median(plain), 1)
    return result


def worker_rawgroupby() -> dict:
    """The dashboard's totals (city and per commune: indicators, participations, unique
    volunteers) straight from the raw visit rows."""
    from django.db import connection

    campaign = _campaign()
    sums = ", ".join(f"SUM({sql})" for sql in RAW_INDICATORS.values())
    activity = " + ".join(f"({sql})" for sql in RAW_INDICATORS.values())
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.ancestor_id, {sums}, "  # noqa: S608
                f"COUNT(DISTINCT CASE WHEN {activity} > 0 "
                "THEN v.volunteer_id * 100000 + (v.day - %s) END), "
                f"COUNT(DISTINCT CASE WHEN {activity} > 0 THEN v.volunteer_id END) "
                "FROM households_visit v JOIN bench_ancestor a ON a.leaf_id = v.area_id "
                "WHERE a.depth IN (1, 2) AND v.status <> 'rejected' "
                "AND v.day BETWEEN %s AND %s GROUP BY a.ancestor_id",
                [campaign.start, campaign.start, campaign.end],
            )
            cursor.fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(timings)}


def worker_sizes() -> dict:
    from django.db import connection

    tables = [
        "households_visit",
        "campaigns_volunteerdaytally",
        "campaigns_areadaytally",
        "campaigns_campaignvolunteertally",
        "campaigns_campaignareatally",
    ]
    sizes = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            sizes[table] = cursor.fetchone()[0]
    return sizes


def worker_freshness(base: str) -> dict:
    """Submit a visit through the households service (or, without it, the activity contract)
    and poll the city total over HTTP, through the token API, until it moves."""
    import uuid

    from django.utils import timezone

    from campaigns.services import api_token_create
    from core.activity import ActivityDelta, activity_record
    from volunteers.demo import seed_foundation

    world = seed_foundation()
    campaign = _campaign()
    _token, raw = api_token_create(user=world.users["city"], name="bench")
    url = f"{base}/campaigns/api/v1/campaigns/{campaign.pk}/totals/"

    def city_total() -> int:
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {raw}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["totals"]["households_visited"]["achieved"]

    before = city_total()
    started = time.perf_counter()
    through = "activity_contract"
    try:
        from households.models import Household
        from households.services import address_key, visit_record

        household = Household(area=world.groups[0], house_number="Số 1", street="Bench", members=4)
        household.address_key = address_key(
            house_number="Số 1", alley="", street="Bench", apartment=""
        )
        household.save()
        started = time.perf_counter()
        visit_record(
            volunteer=world.users["volunteer"],
            household=household,
            client_id=uuid.uuid4(),
            data={"result": "helped", "device_time": timezone.now(), "status_to": ""},
        )
        through = "households_visit_record"
    except Exception as error:  # the households app is not there (or changed): the contract
        print(f"# freshness through the contract: {error}", file=sys.stderr)
        started = time.perf_counter()
        activity_record(
            sender="bench",
            deltas=[
                ActivityDelta(
                    world.groups[0].pk,
                    timezone.localdate(),
                    {"households_visited": 1},
                    world.users["volunteer"].pk,
                )
            ],
        )
    deadline = started + 30
    while time.perf_counter() < deadline:
        if city_total() > before:
            break
        time.sleep(0.05)
    return {"seconds": time.perf_counter() - started, "through": through}


def worker_main(args: list[str]) -> None:
    _setup_django()
    action = args[0]
    if action == "setup":
        result = worker_setup()
    elif action == "load":
        result = worker_load(int(args[1]))
    elif action == "check":
        result = worker_check()
    elif action == "measure":
        result = worker_measure()
    elif action == "rawgroupby":
        result = worker_rawgroupby()
    elif action == "sizes":
        result = worker_sizes()
    elif action == "freshness":
        result = worker_freshness(args[1])
    else:
        raise SystemExit(f"unknown action {action}")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker_main(sys.argv[2:])
    else:
        run(os.environ.get("BENCH_SCALE", "quick"))
