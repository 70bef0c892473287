"""The commissioner's quarterly report for the whole partnership (issue 18).

Goals, at 1,000,000 young people, 2,000,000 referrals and 1,000,000 missing
episodes over 150 districts of the four nations:

- figures: every section's measures for one quarter and all areas at most 3
  times the bare SQL of the same aggregates. The reference is exactly the
  statements the sections execute (captured as they run), run again through a
  raw cursor: the same predicates, without the ORM or any Python around them.
- PDF: the report's PDF at most 4 times WeasyPrint's own time for a plain
  document of the same number of pages (paragraphs and page breaks), both
  through ``cse_cases.pdf.render_pdf``.
- CSV: streaming every table's CSV through the download views, the peak
  memory (tracemalloc) at the full size at most 1.5 times its peak at a tenth
  of it, plus 64 KiB: the file is streamed from the published figures, so its
  cost must not follow the data.

The data: the record benchmark's generator (young people, open cases, teams,
notes) and ``benchmarks.report_data`` for the rest, all set-based. The
smaller size is generated first and measured, then the rest added.
BENCH_QUICK=1 runs 2,000 and 20,000 young people over 30 districts, to try
the benchmark itself; BENCH_SCALES=a,b chooses the two sizes.
"""

from __future__ import annotations

import gc
import logging
import os
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from io import BytesIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from benchmarks.bench_caseloads import add_districts
from benchmarks.bench_home import load_default_template
from benchmarks.bench_records import _highest, add_young_people
from benchmarks.harness import AT_MOST, Goal, Row, best_seconds, ms, signed_in_client
from benchmarks.report_data import add_report_data
from cse_cases.models import Agency, Area, Nation, Role, User
from cse_cases.pdf import render_pdf
from cse_cases.wiring.demo.seed import seed_partnership
from reports.context import ReportContext
from reports.disclosure import publish_section, threshold
from reports.measures import compute_section, sections
from reports.models import ReportRun, RunStatus
from reports.pdf import report_pdf
from reports.period import Period
from reports.published import PublishedSection, to_dict
from reports.selectors import sections_of
from reports.tables import Section

QUICK = bool(os.environ.get("BENCH_QUICK"))
SIZES = tuple(
    int(size)
    for size in os.environ.get("BENCH_SCALES", "2000,20000" if QUICK else "100000,1000000").split(
        ","
    )
    if size
)
DISTRICTS = 30 if QUICK else 150
FIGURES_RATIO = 3
PDF_RATIO = 4
CSV_RATIO = 1.5
CSV_ALLOWANCE = 64 * 1024
# Timed runs of the whole report and of its bare SQL, taken in turns (each
# reads the whole partnership: two is what a shared machine affords at full
# size).
FIGURE_RUNS = 3 if QUICK else 2
PDF_RUNS = 5

TABLES = (
    "cse_cases_youngperson",
    "cse_cases_case",
    "referrals_referral",
    "cse_cases_missingepisode",
    "cse_cases_returninterview",
    "assessments_assessment",
    "assessments_planversion",
    "assessments_meeting",
)


def last_quarter(today: date) -> Period:
    """The last quarter that has ended: what a commissioner reports on."""
    quarter = (today.month - 1) // 3
    return Period.quarter(today.year, quarter) if quarter else Period.quarter(today.year - 1, 4)


def add_partnership() -> User:
    """DISTRICTS districts across the four nations, each with its workers,
    and a commissioner for all of them."""
    add_districts(DISTRICTS - Area.objects.count(), first=Area.objects.count())
    nations = [Nation.ENGLAND, Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND]
    nations.append(Nation.NORTHERN_IRELAND)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cse_cases_area SET nation = (%s::text[])[1 + id %% %s] "
            "WHERE name LIKE 'District %%'",
            [[str(n) for n in nations], len(nations)],
        )
    commissioner = User.objects.create(
        username="commissioner.bench",
        email="commissioner.bench@example.org",
        role=Role.COMMISSIONER,
        agency=Agency.objects.order_by("pk").first(),
        password=make_password(None),
    )
    commissioner.areas.set(Area.objects.all())
    return commissioner


def grow(size: int) -> float:
    """Young people up to `size`, with all the report counts; the seconds it took."""
    started = time.perf_counter()
    people_after, cases_after = _highest("cse_cases_youngperson"), _highest("cse_cases_case")
    add_young_people(size - people_count())
    add_report_data(people_after=people_after, cases_after=cases_after)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def people_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cse_cases_youngperson")
        return cursor.fetchone()[0]


def counts() -> str:
    with connection.cursor() as cursor:
        found = []
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            found.append(f"{table.split('_', 2)[-1]} {cursor.fetchone()[0]:,}")
    return "; ".join(found)


def compute(ctx: ReportContext) -> list[Section]:
    return [compute_section(build, ctx) for build in sections()]


def capture(ctx: ReportContext) -> tuple[list[Section], list[tuple[str, str]]]:
    """The sections, and the statements each executed (section key, SQL)."""
    db = connections[ctx.using]
    computed, statements = [], []
    for build in sections():
        db.queries_log.clear()
        with CaptureQueriesContext(db) as captured:
            section = compute_section(build, ctx)
        computed.append(section)
        statements += [(section.key, query["sql"]) for query in captured.captured_queries]
    return computed, statements


def bare_sql(using: str, statements: list[tuple[str, str]]) -> Callable[[], dict[str, float]]:
    """Run exactly these statements through a raw cursor (the SQL as sent,
    values in it), fetching every row; seconds per section."""

    def run() -> dict[str, float]:
        took: dict[str, float] = {}
        # The statements include each section's BEGIN, SET LOCAL jit = off and
        # COMMIT (Django logs them), so the bare run reads in the same
        # transactions, with JIT off, as the sections did.
        with connections[using].cursor() as cursor:
            for key, sql in statements:
                started = time.perf_counter()
                cursor.execute(sql)
                if cursor.description is not None:  # BEGIN, SET, COMMIT: no rows
                    cursor.fetchall()
                took[key] = took.get(key, 0) + time.perf_counter() - started
        return took

    return run


def published_run(
    commissioner: User, ctx: ReportContext, computed: list[Section]
) -> tuple[ReportRun, list[PublishedSection]]:
    """A finished run holding the published figures, as report_compute stores them."""
    limit = threshold()
    run = ReportRun.objects.create(
        requested_by=commissioner,
        area_ids=list(ctx.area_ids),
        period_kind=ctx.period.kind,
        period_start=ctx.period.start,
        period_end=ctx.period.end,
        status=RunStatus.DONE,
        progress=100,
        stage="Ready",
        result=[to_dict(publish_section(section, threshold=limit)) for section in computed],
        finished_at=timezone.now(),
    )
    return run, sections_of(run)


def plain_html(pages: int) -> str:
    """A plain document of `pages` A4 pages: each nearly full of paragraphs of
    text (16 fit, 20 do not), a page break after each page's."""
    paragraph = (
        "<p>Referrals received in the period, by the kind of agency the referrer works "
        "for, with the same period before it beside each figure for comparison.</p>"
    )
    body = "".join(
        f'<div style="page-break-after: always"><h2>Page {n + 1}</h2>{paragraph * 16}</div>'
        for n in range(pages)
    )
    head = "<head><style>@page { size: A4 }</style></head>"
    return f"<!doctype html><html>{head}<body>{body}</body></html>"


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def csv_urls(run: ReportRun, published: list[PublishedSection]) -> list[str]:
    urls = [reverse("report-csv", args=[run.pk]), reverse("report-estimates-csv", args=[run.pk])]
    urls += [
        reverse("report-table-csv", args=[run.pk, table.key])
        for section in published
        for table in section.tables
    ]
    return urls


def csv_peak(
    commissioner: User, run: ReportRun, published: list[PublishedSection]
) -> tuple[int, int]:
    """The highest peak of traced memory while one CSV download streams
    (through the view, as a browser asks for it), and the bytes streamed."""
    client = signed_in_client(commissioner)
    urls = csv_urls(run, published)
    client.get(urls[0])  # the first request of a process fills caches
    peak, streamed = 0, 0
    tracemalloc.start()
    try:
        for url in urls:
            tracemalloc.reset_peak()
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            for chunk in response.streaming_content:
                streamed += len(chunk)
            peak = max(peak, tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()
    return peak, streamed


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


def run() -> list:
    # WeasyPrint logs every step of every page it lays out.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    call_command("flush", "--noinput", verbosity=0)
    load_default_template()
    seed_partnership()
    User.objects.update(is_demo=False)
    commissioner = add_partnership()
    today = timezone.localdate()
    period = last_quarter(today)
    area_ids = tuple(Area.objects.order_by("pk").values_list("pk", flat=True))
    rows: list = []
    peaks: dict[int, int] = {}
    for size in SIZES:
        label = f"{size:,} young people"
        rows.append(Row(f"data generated, {label}", f"{grow(size):.1f} s", counts()))
        ctx = ReportContext(
            area_ids=area_ids, period=period, using=settings.REPORTS_DATABASE, today=today
        )
        # The first run is the warm-up, and gives the statements.
        computed, statements = capture(ctx)
        run_, published = published_run(commissioner, ctx, computed)
        peaks[size], streamed = csv_peak(commissioner, run_, published)
        rows.append(
            Row(f"CSV peak memory, {label}", kib(peaks[size]), f"{streamed:,} bytes streamed")
        )
        if size != SIZES[-1]:
            continue
        rows += figures(ctx, statements, label)
        rows += pdf(run_, published, label)
    if len(SIZES) == 2:
        small, large = SIZES
        rows.append(
            Goal(
                f"CSV peak memory, {large:,} / {small:,} young people",
                round(peaks[large] / peaks[small], 2),
                round(CSV_RATIO + CSV_ALLOWANCE / peaks[small], 2),
                comparison=AT_MOST,
                runs="tracemalloc peak while streaming each CSV, highest of them",
                reference=f"{kib(peaks[small])} at {small:,}, {kib(peaks[large])} at {large:,}; "
                f"goal {CSV_RATIO} times plus {kib(CSV_ALLOWANCE)}",
            )
        )
    return rows


def figures(ctx: ReportContext, statements: list[tuple[str, str]], label: str) -> list:
    """The sections' time against their statements' bare time, best of
    FIGURE_RUNS each, in turns so that both meet the same neighbours."""
    bare = bare_sql(ctx.using, statements)
    harbour, reference = float("inf"), float("inf")
    by_section: dict[str, float] = {}
    for _ in range(FIGURE_RUNS):
        harbour = min(harbour, best_seconds(lambda: compute(ctx), runs=1, warmup=0))
        started = time.perf_counter()
        took = bare()
        if time.perf_counter() - started < reference:
            reference, by_section = time.perf_counter() - started, took
    rows: list = [
        Row(f"  bare SQL of section {key}", ms(seconds), "in the best bare run")
        for key, seconds in by_section.items()
    ]
    rows.append(Row(f"report figures (Harbour), {label}", ms(harbour), f"best of {FIGURE_RUNS}"))
    rows.append(
        Row(
            f"report figures (bare SQL), {label}",
            ms(reference),
            f"best of {FIGURE_RUNS}; {len(statements)} statements",
        )
    )
    rows.append(
        Goal(
            f"report figures / bare SQL, {label}",
            round(harbour / reference, 2),
            FIGURES_RATIO,
            comparison=AT_MOST,
            runs=f"best of {FIGURE_RUNS} each",
            reference=f"bare SQL {ms(reference)}; Harbour {ms(harbour)}; "
            f"{len(ctx.area_ids)} areas, {ctx.period.label}",
        )
    )
    return rows


def pdf(run_: ReportRun, published: list[PublishedSection], label: str) -> list:
    pages = page_count(report_pdf(run_, published))
    plain = plain_html(pages)
    plain_pages = page_count(render_pdf(plain))
    if plain_pages != pages:
        raise RuntimeError(f"the plain document has {plain_pages} pages, the report {pages}")
    # In turns, as for the figures: on a shared machine a neighbour's burst
    # then slows both, not only whichever ran during it. The garbage is
    # collected before each, so neither pays for the other's. Judged on the
    # process's CPU time: both renders are single-threaded and CPU-bound, so
    # on a dedicated machine CPU time is their wall time, and on a shared one
    # it leaves out the time spent waiting for a core. Wall time is printed
    # beside it.
    wall = {"report": float("inf"), "plain": float("inf")}
    cpu = dict(wall)
    renders = {"report": lambda: report_pdf(run_, published), "plain": lambda: render_pdf(plain)}
    for turn in range(PDF_RUNS + 1):
        for name, render in renders.items():
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            render()
            if turn:  # the first turn warms both up
                wall[name] = min(wall[name], time.perf_counter() - started)
                cpu[name] = min(cpu[name], time.process_time() - started_cpu)
    runs = f"best of {PDF_RUNS}; {pages} pages"
    return [
        Row(f"report PDF, {label}", ms(cpu["report"]), f"CPU, {runs}; wall {ms(wall['report'])}"),
        Row("plain PDF, same pages", ms(cpu["plain"]), f"CPU, {runs}; wall {ms(wall['plain'])}"),
        Row(
            f"report PDF / plain PDF, wall time, {label}",
            f"{wall['report'] / wall['plain']:.2f}",
            "for comparison; the goal is judged on CPU time",
        ),
        Goal(
            f"report PDF / plain PDF of {pages} pages, {label}",
            round(cpu["report"] / cpu["plain"], 2),
            PDF_RATIO,
            comparison=AT_MOST,
            runs=f"CPU time, best of {PDF_RUNS} each, in turns",
            reference=f"WeasyPrint on a plain document {ms(cpu['plain'])}; "
            f"report {ms(cpu['report'])}",
        ),
    ]
