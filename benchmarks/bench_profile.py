"""The problem profile and the network map (issue 19's benchmark).

Goals, at 1,000,000 young people with 200,000 persons of concern, 100,000
locations and 3,000,000 links over 150 districts:

- profile: the figures of the problem profile for one district (the busiest)
  and for the partnership at most 3 times the bare SQL of the same
  statements (captured as the sections run, replayed through a raw cursor).
- network API: /api/v1/network/ through the test client, signed in as the
  CSE lead of a district whose map, filtered to the last 365 days, has about
  5,000 nodes and 20,000 links, at the large size at most 1.5 times the same
  district at the small size, and under the 300 ms aim. That district is
  built once, at the small size, and kept out of the growth after it, so the
  ratio says whether its map's cost follows the whole database.
- page: the /network/ page with the same map in Chromium: the time from load
  to the first drawn frame (the page's data-first-frame-ms, counted from the
  start of the navigation, so the server's answer and the reading of the
  page are in it), printed. A map this large is drawn group by group
  without its links (NETWORK_FORCE_LAYOUT_NODES); the time to draw them all
  when the reader asks is printed too. The
  node budget (NETWORK_NODE_BUDGET, default 500) refuses a map of 5,000
  nodes: the run shows that refusal, then raises the budget with
  override_settings to draw it.

The data: bench_reports' generator (young people, cases, referrals, missing
episodes, interviews, meetings) and benchmarks.network_data for persons,
places, links, disruption and named places, all set-based.
BENCH_QUICK=1 runs 2,000 and 20,000 young people over 30 districts with a
district of about 500 nodes; BENCH_SCALES=a,b chooses the two sizes.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.testcases import LiveServerThread
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from benchmarks.bench_caseloads import add_districts
from benchmarks.bench_home import load_default_template
from benchmarks.bench_records import _highest, add_young_people
from benchmarks.bench_reports import add_partnership, grow, last_quarter
from benchmarks.harness import AT_MOST, UNDER, Goal, Row, best_seconds, ms, signed_in_client
from benchmarks.network_data import add_network_data
from cse_cases.models import Area, User
from cse_cases.wiring.demo.seed import seed_partnership
from reports.measures import compute_section
from reports.profile.context import ProfileContext
from reports.profile.measures import sections
from reports.profile.selectors import publish, raw_sections

QUICK = bool(os.environ.get("BENCH_QUICK"))
SIZES = tuple(
    int(size)
    for size in os.environ.get("BENCH_SCALES", "2000,20000" if QUICK else "10000,1000000").split(
        ","
    )
    if size
)
PROFILE_RATIO = 3
NETWORK_RATIO = 1.5
NETWORK_AIM = 0.300
# The network district: young people, and one person and one place for
# every 3 of them, each linked REPEAT times over (3 links a time): about
# 5,000 nodes and 27,000 links, 20,000 of them seen in the last year.
DISTRICT_PEOPLE = 300 if QUICK else 3000
DISTRICT_EVERY = 3
DISTRICT_REPEAT = 3
NETWORK_FILTER = {"days": 365}
NETWORK_URL = "/api/v1/network/"
# Timed runs of the whole profile and of its bare SQL, taken in turns.
PROFILE_RUNS = 3
NETWORK_RUNS = 10
PAGE_RUNS = 3
# Chromium as the browser tests launch it (tests/browser/conftest.py).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"]

TABLES = (
    "cse_cases_youngperson",
    "cse_cases_personofconcern",
    "cse_cases_location",
    "cse_cases_contextlink",
    "cse_cases_disruption",
    "cse_cases_missingepisode",
)


def counts() -> str:
    with connection.cursor() as cursor:
        found = []
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            found.append(f"{table.split('_', 2)[-1]} {cursor.fetchone()[0]:,}")
    return "; ".join(found)


@contextlib.contextmanager
def held_out(area: Area) -> Iterator[None]:
    """The generators spread young people over the districts that have
    workers: the network district's workers leave it while the rest grows,
    so it stays the same district at both sizes."""
    through = User.areas.through
    members = list(through.objects.filter(area=area).values_list("user_id", flat=True))
    through.objects.filter(area=area).delete()
    try:
        yield
    finally:
        through.objects.bulk_create(through(user_id=pk, area=area) for pk in members)


def add_network_district() -> tuple[Area, User]:
    """A district of its own with a dense map, and its CSE lead."""
    (area,) = add_districts(1, first=Area.objects.count())
    lead = User.objects.get(role="cse_lead", areas=area)
    people_after = _highest("cse_cases_youngperson")
    episodes_after = _highest("cse_cases_missingepisode")
    with held_out(area):
        add_young_people(DISTRICT_PEOPLE)
    with connection.cursor() as cursor:
        # add_young_people spreads them over the other districts; they move
        # here, with their cases.
        cursor.execute(
            "UPDATE cse_cases_youngperson SET area_id = %s WHERE id > %s", [area.pk, people_after]
        )
        cursor.execute(
            "UPDATE cse_cases_case SET area_id = %s WHERE young_person_id > %s",
            [area.pk, people_after],
        )
    add_network_data(
        people_after=people_after,
        episodes_after=episodes_after,
        area_ids=[area.pk],
        per_person=DISTRICT_EVERY,
        per_location=DISTRICT_EVERY,
        repeat=DISTRICT_REPEAT,
    )
    return area, lead


def grow_all(size: int, district: Area | None) -> float:
    """Young people up to `size` outside the network district, with the
    report data and the map data; the seconds it took."""
    started = time.perf_counter()
    people_after = _highest("cse_cases_youngperson")
    episodes_after = _highest("cse_cases_missingepisode")
    with held_out(district) if district else contextlib.nullcontext():
        grow(size)
    others = Area.objects.exclude(pk=district.pk if district else None)
    add_network_data(
        people_after=people_after,
        episodes_after=episodes_after,
        area_ids=list(others.values_list("pk", flat=True)),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def capture(ctx: ProfileContext) -> list[str]:
    """The statements the profile's sections execute, as sent."""
    db = connections[ctx.using]
    statements: list[str] = []
    for build in sections():
        db.queries_log.clear()
        with CaptureQueriesContext(db) as captured:
            compute_section(build, ctx)
        statements += [query["sql"] for query in captured.captured_queries]
    return statements


def bare_sql(using: str, statements: list[str]) -> Callable[[], None]:
    """Exactly these statements through a raw cursor, every row fetched."""

    def run() -> None:
        # In a transaction, so that the sections' SET LOCALs (JIT off, their
        # work_mem) hold for the statements after them, as in Harbour.
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:  # BEGIN, SET, COMMIT: no rows
                    cursor.fetchall()

    return run


def figures(ctx: ProfileContext) -> object:
    return publish(ctx, raw_sections(ctx))


def profile_goal(ctx: ProfileContext, label: str) -> list:
    """The profile (sections and their publication) against the bare SQL of
    its statements, best of PROFILE_RUNS each, in turns."""
    statements = capture(ctx)  # also the warm-up
    bare = bare_sql(ctx.using, statements)
    harbour, reference = float("inf"), float("inf")
    for _ in range(PROFILE_RUNS):
        harbour = min(harbour, best_seconds(lambda: figures(ctx), runs=1, warmup=0))
        reference = min(reference, best_seconds(bare, runs=1, warmup=0))
    return [
        Row(f"profile (Harbour), {label}", ms(harbour), f"best of {PROFILE_RUNS}"),
        Row(
            f"profile (bare SQL), {label}",
            ms(reference),
            f"best of {PROFILE_RUNS}; {len(statements)} statements",
        ),
        Goal(
            f"profile / bare SQL, {label}",
            round(harbour / reference, 2),
            PROFILE_RATIO,
            comparison=AT_MOST,
            runs=f"best of {PROFILE_RUNS} each",
            reference=f"bare SQL {ms(reference)}; Harbour {ms(harbour)}; "
            f"{len(ctx.area_ids)} areas, {ctx.period.label}",
        ),
    ]


def busiest_district(excluded: Area) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT area_id FROM cse_cases_youngperson WHERE area_id <> %s "
            "GROUP BY area_id ORDER BY count(*) DESC, area_id LIMIT 1",
            [excluded.pk],
        )
        return cursor.fetchone()[0]


def network_time(lead: User) -> tuple[float, dict]:
    """The API's best time for the lead's filtered map, and one answer."""
    client = signed_in_client(lead)

    def fetch() -> dict:
        response = client.get(NETWORK_URL, NETWORK_FILTER)
        if response.status_code != 200:
            raise RuntimeError(f"GET {NETWORK_URL} answered {response.status_code}")
        return response.json()

    answer = fetch()
    if answer["too_large"]:
        raise RuntimeError(f"the map is over the budget: {answer['counts']}")
    return best_seconds(fetch, runs=NETWORK_RUNS, warmup=2), answer


def network_row(seconds: float, answer: dict, label: str) -> Row:
    found = answer["counts"]
    return Row(
        f"network API, {label}",
        ms(seconds),
        f"best of {NETWORK_RUNS}; {found['nodes']:,} nodes, {found['links']:,} links; "
        f"filter {NETWORK_FILTER}",
    )


def refused_at_default(lead: User) -> Row:
    """What the default budget answers for the same map."""
    client = signed_in_client(lead)
    answer = client.get(NETWORK_URL, NETWORK_FILTER).json()
    return Row(
        f"network API at the budget ({settings.NETWORK_NODE_BUDGET})",
        "refused" if answer["too_large"] else "drawn",
        f"too_large={answer['too_large']}; {answer['counts']['nodes']:,} nodes asked",
    )


@contextlib.contextmanager
def live_server() -> Iterator[str]:
    """The app and its static files on a port, as the browser tests' live server."""
    thread = LiveServerThread("localhost", StaticFilesHandler, connections_override=None, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()


def first_frame(lead: User) -> tuple[list[int], int, list[int]]:
    """The page's data-first-frame-ms in Chromium, over PAGE_RUNS loads, the
    nodes it drew, and each load's time to draw every link when asked
    (data-links-ms; none for a map small enough to be laid out by force)."""
    from playwright.sync_api import sync_playwright

    client = signed_in_client(lead)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    frames: list[int] = []
    links: list[int] = []
    drawn = 0
    hosts = [*settings.ALLOWED_HOSTS, "localhost"]
    with override_settings(ALLOWED_HOSTS=hosts), live_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])
        page = context.new_page()
        page.set_default_timeout(120_000)
        query = "&".join(f"{k}={v}" for k, v in NETWORK_FILTER.items())
        for _ in range(PAGE_RUNS + 1):  # the first load warms the server up
            page.goto(f"{url}/network/?{query}")
            graph = page.locator("#network-graph")
            graph.and_(page.locator("[data-first-frame-ms]")).wait_for()
            frames.append(int(graph.get_attribute("data-first-frame-ms") or 0))
            drawn = int(graph.get_attribute("data-nodes") or 0)
            button = page.locator("#network-draw-links")
            if button.is_visible():
                button.click()
                graph.and_(page.locator("[data-links-ms]")).wait_for()
                links.append(int(graph.get_attribute("data-links-ms") or 0))
        browser.close()
    return frames[1:], drawn, links[1:]


def run() -> list:
    call_command("flush", "--noinput", verbosity=0)
    load_default_template()
    seed_partnership()
    User.objects.update(is_demo=False)
    add_partnership()
    today = timezone.localdate()
    period = last_quarter(today)
    rows: list = []
    district: Area | None = None
    network: dict[int, float] = {}
    lead: User | None = None
    for size in SIZES:
        label = f"{size:,} young people"
        took = grow_all(size, district)
        if district is None:
            started = time.perf_counter()
            district, lead = add_network_district()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            took += time.perf_counter() - started
        rows.append(Row(f"data generated, {label}", f"{took:.1f} s", counts()))
        if lead is None:
            raise RuntimeError("the network district was not built")
        with override_settings(NETWORK_NODE_BUDGET=20_000):
            network[size], answer = network_time(lead)
        rows.append(network_row(network[size], answer, label))
        if size != SIZES[-1]:
            continue
        area_ids = tuple(Area.objects.order_by("pk").values_list("pk", flat=True))
        for name, ids in (
            ("one district", (busiest_district(district),)),
            ("partnership", area_ids),
        ):
            ctx = ProfileContext(
                area_ids=ids, period=period, using=settings.REPORTS_DATABASE, today=today
            )
            rows += profile_goal(ctx, f"{name}, {label}")
        rows.append(
            Goal(
                f"network API under the aim, {label}",
                round(network[size] * 1000, 1),
                NETWORK_AIM * 1000,
                unit=" ms",
                comparison=UNDER,
                runs=f"best of {NETWORK_RUNS}",
                reference=f"{answer['counts']['nodes']:,} nodes",
            )
        )
        refusal = refused_at_default(lead)
        rows.append(refusal)
        with override_settings(NETWORK_NODE_BUDGET=20_000):
            frames, drawn, links = first_frame(lead)
        budget = (
            f"budget raised to 20,000 (the default {settings.NETWORK_NODE_BUDGET} refuses it)"
            if refusal.value == "refused"
            else f"within the default budget of {settings.NETWORK_NODE_BUDGET}"
        )
        rows.append(
            Row(
                "network page, load to first frame (Chromium)",
                f"{min(frames)} ms",
                f"best of {PAGE_RUNS} ({', '.join(map(str, frames))} ms); "
                f"{drawn:,} nodes drawn; {budget}",
            )
        )
        if links:
            rows.append(
                Row(
                    "network page, every link drawn when asked (Chromium)",
                    f"{min(links)} ms",
                    f"best of {len(links)} ({', '.join(map(str, links))} ms); "
                    f"{answer['counts']['links']:,} links, one task",
                )
            )
        rows.append(
            Goal(
                "network page: nodes drawn",
                drawn,
                answer["counts"]["nodes"],
                comparison="equal to",
                reference="the nodes the API answers for the same filter",
            )
        )
    if len(SIZES) == 2:
        small, large = SIZES
        rows.append(
            Goal(
                f"network API, {large:,} / {small:,} young people",
                round(network[large] / network[small], 2),
                NETWORK_RATIO,
                comparison=AT_MOST,
                runs=f"best of {NETWORK_RUNS} at each size",
                reference=f"{ms(network[small])} at {small:,}, {ms(network[large])} at "
                f"{large:,}; the same district",
            )
        )
    return rows
