"""The CSE lead's home page, small and large: what the lead actually sees grows.

The home page shows a CSE lead the referrals awaiting screening in their
district (and how many are overdue), the possible duplicate records to check,
the assessments waiting for their sign-off and those they are writing, and the
agencies serving their areas (cse_cases/views/home.py and templates/home/).
Meetings and flags are not on it, but they grow beside it (the sweep raises
flags from the generated work), and the page must not slow down with them.

Goals: the page at the large size costs under 1.5 times the small one (best of
N requests each), and runs the same number of queries at both. The reference
is the framework floor: the cheapest signed-in page, at each size.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingSubject,
)
from assessments.risk.selectors import current_template
from benchmarks.bench_referrals import INSERT as REFERRAL_INSERT
from benchmarks.harness import (
    Row,
    framework_floor,
    get_ok,
    measure_page,
    page_goals,
    signed_in_client,
)
from cse_cases.models import (
    Agency,
    AgencyKind,
    Case,
    CaseStatus,
    PossibleDuplicate,
    User,
    YoungPerson,
)
from cse_cases.wiring.demo import records as demo_records
from cse_cases.wiring.demo.seed import seed_partnership
from referrals.models import Referral
from supervision import services as supervision_services
from supervision.models import Flag


@dataclass(frozen=True)
class Size:
    label: str
    young_people: int
    agencies: int
    open_referrals: int
    decided_referrals: int
    duplicates: int
    to_sign_off: int
    drafts: int
    meetings: int


# Each size is the total the partnership holds (the large one adds to the small).
SIZES = (
    # Even the small size fills the page's lists (100 duplicates and 20 of each
    # kind of assessment are shown at most), so the two sizes render the same.
    Size("small", 1_000, 10, 100, 1_000, 100, 20, 40, 20),
    Size("large", 20_000, 2_000, 5_000, 200_000, 1_000, 1_000, 200, 2_000),
)


def load_default_template() -> None:
    # flush empties the tables the migrations filled; put the template back.
    migration = importlib.import_module("assessments.migrations.0002_default_template")
    migration.load(apps, None)


def add_referrals(start: int, stop: int, *, open_: bool) -> None:
    with connection.cursor() as cursor:
        # The shared INSERT makes referrals numbered up to `open` await a decision.
        params = {"open": stop if open_ else 0, "start": start, "stop": stop}
        cursor.execute(REFERRAL_INSERT, params)


def grow(size: Size, lead: User, done: dict) -> None:
    """Add to the partnership until it holds `size` of everything."""
    now = timezone.now()
    area = lead.areas.get()
    demo_records.generate(size.young_people - YoungPerson.objects.count())
    with transaction.atomic():
        made = Agency.objects.bulk_create(
            Agency(name=f"Bench agency {n}", kind=list(AgencyKind)[n % len(AgencyKind)])
            for n in range(done["agencies"], size.agencies)
        )
        Agency.areas.through.objects.bulk_create(
            Agency.areas.through(agency_id=a.pk, area_id=area.pk) for a in made
        )
        done["agencies"] = size.agencies
        # Referrals awaiting a decision (received minutes apart, so many are
        # overdue) and, behind them, years of decided and closed ones.
        total = done["referrals"]
        add_referrals(total + 1, total + size.open_referrals - done["open"], open_=True)
        total += size.open_referrals - done["open"]
        add_referrals(total + 1, total + size.decided_referrals - done["decided"], open_=False)
        total += size.decided_referrals - done["decided"]
        done.update(referrals=total, open=size.open_referrals, decided=size.decided_referrals)
        here = list(
            YoungPerson.objects.filter(area=area)
            .exclude(possible_duplicates__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)[: 2 * (size.duplicates - done["duplicates"])]
        )
        PossibleDuplicate.objects.bulk_create(
            PossibleDuplicate(young_person_id=new, match_id=old, raised_by=lead, raised_at=now)
            for old, new in zip(here[::2], here[1::2], strict=False)
        )
        done["duplicates"] = size.duplicates
        template = current_template()
        free = (
            Case.objects.filter(area=area, status=CaseStatus.OPEN)
            .exclude(lead_professional=lead)
            .exclude(assessments__isnull=False)
            .order_by("pk")
        )
        wanted = size.to_sign_off - done["to_sign_off"] + size.drafts - done["drafts"]
        cases = list(free[:wanted])
        submitted = size.to_sign_off - done["to_sign_off"]
        Assessment.objects.bulk_create(
            Assessment(
                case=case,
                template=template,
                author_id=case.lead_professional_id,
                status=AssessmentStatus.SUBMITTED if n < submitted else AssessmentStatus.DRAFT,
                submitted_by_id=case.lead_professional_id if n < submitted else None,
                submitted_at=now - timedelta(hours=n) if n < submitted else None,
                judged_level="medium",
                updated_by_id=case.lead_professional_id,
            )
            for n, case in enumerate(cases)
        )
        # The lead's own drafts, on cases they lead.
        mine = Case.objects.filter(area=area, lead_professional=lead, status=CaseStatus.OPEN)
        mine = list(mine.exclude(assessments__isnull=False).order_by("pk")[: size.drafts // 2])
        Assessment.objects.bulk_create(
            Assessment(case=case, template=template, author=lead, updated_by=lead) for case in mine
        )
        done.update(to_sign_off=size.to_sign_off, drafts=size.drafts)
        people = list(YoungPerson.objects.filter(area=area).values_list("pk", flat=True)[:500])
        meetings = Meeting.objects.bulk_create(
            Meeting(
                kind=list(MeetingKind)[n % len(MeetingKind)],
                area=area,
                starts_at=now + timedelta(days=n % 60 - 30),
                chair=lead,
                status=MeetingStatus.HELD if n % 60 < 30 else MeetingStatus.SCHEDULED,
                record_due_at=now + timedelta(days=n % 60 - 29),
                created_by=lead,
            )
            for n in range(done["meetings"], size.meetings)
        )
        MeetingSubject.objects.bulk_create(
            MeetingSubject(meeting=m, young_person_id=people[n % len(people)])
            for n, m in enumerate(meetings)
        )
        done["meetings"] = size.meetings
    # Flags from the generated work (overdue referrals, no contact, records
    # not distributed, ...), raised by the drift engine itself.
    supervision_services.flags_sweep(now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def shown(lead: User) -> str:
    area = lead.areas.get()
    counts = {
        "referrals open": Referral.objects.filter(
            area=area, status__in=["received", "screening"]
        ).count(),
        "duplicates": PossibleDuplicate.objects.filter(resolved_at__isnull=True).count(),
        "to sign off": Assessment.objects.filter(
            case__area=area, status=AssessmentStatus.SUBMITTED
        ).count(),
        "meetings": Meeting.objects.filter(area=area).count(),
        "open flags": Flag.objects.filter(area=area, resolved_at__isnull=True).count(),
        "agencies": Agency.objects.filter(areas=area).count(),
    }
    return ", ".join(f"{value:,} {name}" for name, value in counts.items())


def run() -> list:
    call_command("flush", "--noinput", verbosity=0)
    seed_partnership()
    # Demo accounts sign in only with DEBUG on; the benchmark runs without it.
    User.objects.update(is_demo=False)
    load_default_template()
    lead = User.objects.get(username="cselead.kingsmere")
    done = dict.fromkeys(
        ("agencies", "referrals", "open", "decided", "duplicates", "to_sign_off", "drafts"), 0
    )
    done["meetings"] = 0
    rows: list = []
    seconds, queries, floor = {}, {}, {}
    for size in SIZES:
        grow(size, lead, done)
        client = signed_in_client(lead)
        fetch = get_ok(client, "/")
        floor[size.label] = framework_floor(client)
        seconds[size.label], queries[size.label] = measure_page(fetch)
        rows.append(Row(f"home page data, {size.label}", "", f"in the lead's area: {shown(lead)}"))
    small, large = (s.label for s in SIZES)
    return rows + page_goals(
        "home page (CSE lead)",
        small=small,
        large=large,
        seconds=seconds,
        queries=queries,
        floor=floor,
    )
