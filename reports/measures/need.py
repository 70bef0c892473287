"""Need and demand: who is referred, by whom, and how often.

Scope: a referral belongs to its ``area`` (the queue: the young person's home
district, the field the screening queue and the drift engine use), received
(``received_at``) in the period. Characteristics are the young person's as
recorded now (the record keeps no history of them), and count each young
person once per column however many times they were referred. Referrals
about someone not yet identified count as referrals, not as young people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import connections
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Trim

from cse_cases.models import AgencyKind, Ethnicity, Gender, LegalStatus, YoungPerson
from cse_cases.working_days import LONDON
from referrals.models import Referral
from referrals.services.common import RE_REFERRAL_DAYS
from reports.context import ReportContext
from reports.measures.common import by_category, in_period
from reports.measures.conditions import Part, by_condition, condition_counts
from reports.tables import Row, Section, Table

NOT_KNOWN = "not_known"

AGENCY_KINDS = (*AgencyKind.choices, (NOT_KNOWN, "Not known (referrer's agency not in Harbour)"))

# Age on the day of the young person's first referral in the column's period.
AGE_BANDS = (
    ("under_10", "Under 10"),
    ("10_12", "10 to 12"),
    ("13_15", "13 to 15"),
    ("16_17", "16 to 17"),
    ("18_over", "18 or over"),
)

# Boys and young men are always a row of their own: CSE of boys is
# under-identified, and folding them into "other" would hide it.
GENDERS = (
    ("girls", "Girls and young women"),
    ("boys", "Boys and young men"),
    ("another_way", "Non-binary, or in another way"),
    (NOT_KNOWN, "Not known or prefers not to say"),
)

# The ONS 2021 top-level ethnic groups.
ETHNIC_GROUPS = (
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("white", "White"),
    ("other", "Other ethnic group"),
    (NOT_KNOWN, "Not known or prefers not to say"),
)
ETHNIC_GROUP_PREFIX = {"asian": "asian_", "black": "black_", "mixed": "mixed_", "white": "white_"}

CARE_STATUSES = (
    ("looked_after", "Looked after"),
    ("care_leaver", "Care leaver"),
    ("cin_cp", "Child in need or child protection plan"),
    ("neither", "Neither"),
    (NOT_KNOWN, "Not known"),
)

# Sexual orientation is free text, shown only to those who may see
# restricted details: the report reads it only to sort it into these
# categories, and never outputs the text. Only unambiguous words are mapped
# (PostgreSQL word boundaries \m \M); anything else recorded is "in other words".
LGBT_WORDS = r"\m(gay|lesbian|bi|bisexual|pan|pansexual|queer|asexual|ace|lgbt[a-z+]*)\M"
HETEROSEXUAL_WORDS = r"\m(heterosexual|straight)\M"
UNSAID_WORDS = r"\m(not known|unknown|not said|prefers? not to say|declined to say)\M"
ORIENTATIONS = (
    ("lgbt", "Lesbian, gay, bisexual or another minority orientation"),
    ("heterosexual", "Heterosexual"),
    ("other_words", "Recorded in other words"),
    (NOT_KNOWN, "Not recorded, not known or prefers not to say"),
)


def _referrals(ctx: ReportContext) -> QuerySet[Referral]:
    return Referral.objects.using(ctx.using).filter(area_id__in=ctx.area_ids)


def _identified(ctx: ReportContext) -> QuerySet[Referral]:
    return _referrals(ctx).filter(young_person__isnull=False)


def _category(*whens: When, default: str = NOT_KNOWN) -> Case:
    return Case(*whens, default=Value(default), output_field=CharField())


def _people_by(
    ctx: ReportContext,
    category: Case,
    choices: Sequence[tuple[str, str]],
    *,
    key: str,
    title: str,
    heading: str,
    note: str,
) -> Table:
    return by_category(
        ctx,
        _identified(ctx).annotate(category=category),
        date_field="received_at",
        category="category",
        choices=choices,
        distinct="young_person",
        key=key,
        title=title,
        row_heading=heading,
        note=note,
    )


def referrals_by_agency(ctx: ReportContext) -> Table:
    return by_category(
        ctx,
        _referrals(ctx),
        date_field="received_at",
        category="referrer_agency__kind",
        choices=AGENCY_KINDS,
        key="need.referrals_by_agency",
        title="Referrals by referring agency",
        row_heading="Referring agency",
        unit="referrals",
        note="Referrals received in the period, by the kind of agency the referrer works "
        "for (the kind, not the agency, so that a small agency cannot be told apart).",
    )


def _age_sql(ctx: ReportContext) -> tuple[str, list]:
    bands = " ".join(
        f"WHEN age < {upper} THEN '{band}'"
        for band, upper in (("under_10", 10), ("10_12", 13), ("13_15", 16), ("16_17", 18))
    )
    sql = f"""
        WITH firsts AS (
            SELECT r.young_person_id,
                   MIN(r.received_at) FILTER (WHERE r.received_at >= %s) AS now_at,
                   MIN(r.received_at) FILTER (WHERE r.received_at < %s) AS before_at
            FROM {Referral._meta.db_table} r
            WHERE r.area_id = ANY(%s) AND r.young_person_id IS NOT NULL
              AND r.received_at >= %s AND r.received_at < %s
            GROUP BY r.young_person_id
        ), ages AS (
            SELECT 'now' AS col, f.now_at AS at, y.date_of_birth
            FROM firsts f JOIN {YoungPerson._meta.db_table} y ON y.id = f.young_person_id
            WHERE f.now_at IS NOT NULL
            UNION ALL
            SELECT 'before', f.before_at, y.date_of_birth
            FROM firsts f JOIN {YoungPerson._meta.db_table} y ON y.id = f.young_person_id
            WHERE f.before_at IS NOT NULL
        ), banded AS (
            SELECT col, date_part('year', age((at AT TIME ZONE %s)::date, date_of_birth)) AS age
            FROM ages
        )
        SELECT col, CASE {bands} ELSE '18_over' END AS band, count(*)
        FROM banded GROUP BY 1, 2
    """  # noqa: S608 - table names and bands are constants; values are parameters
    period, previous = ctx.period, ctx.previous
    params = [
        period.start_at,
        period.start_at,
        list(ctx.area_ids),
        previous.start_at,
        period.end_at,
        LONDON.key,
    ]
    return sql, params


def young_people_by_age(ctx: ReportContext) -> Table:
    sql, params = _age_sql(ctx)
    counts = {band: [0, 0] for band, _ in AGE_BANDS}
    with connections[ctx.using].cursor() as cursor:
        cursor.execute(sql, params)
        for col, band, count in cursor.fetchall():
            counts[band][0 if col == "now" else 1] += count
    return Table(
        key="need.young_people_by_age",
        title="Young people referred, by age",
        row_heading="Age when referred",
        columns=ctx.columns,
        rows=tuple(Row(label, tuple(counts[band])) for band, label in AGE_BANDS),
        note="Each young person once per period, at their age on the day of their first "
        "referral in that period.",
        percentages=True,
    )


def young_people_by_gender(ctx: ReportContext) -> Table:
    category = _category(
        When(young_person__gender=Gender.FEMALE, then=Value("girls")),
        When(young_person__gender=Gender.MALE, then=Value("boys")),
        When(
            young_person__gender__in=(Gender.NON_BINARY, Gender.OTHER),
            then=Value("another_way"),
        ),
    )
    return _people_by(
        ctx,
        category,
        GENDERS,
        key="need.young_people_by_gender",
        title="Young people referred, by gender",
        heading="Gender",
        note="Gender as the young person describes it, as recorded.",
    )


def young_people_by_ethnicity(ctx: ReportContext) -> Table:
    whens = [
        When(young_person__ethnicity__startswith=prefix, then=Value(group))
        for group, prefix in ETHNIC_GROUP_PREFIX.items()
    ]
    whens.append(
        When(
            young_person__ethnicity__in=(Ethnicity.OTHER_ARAB, Ethnicity.OTHER_ANY),
            then=Value("other"),
        )
    )
    return _people_by(
        ctx,
        _category(*whens),
        ETHNIC_GROUPS,
        key="need.young_people_by_ethnicity",
        title="Young people referred, by ethnic group",
        heading="Ethnic group",
        note="The ONS 2021 census categories, grouped into their top-level groups.",
    )


def young_people_by_disability(ctx: ReportContext) -> Table:
    category = Case(
        When(recorded_need="", then=Value(NOT_KNOWN)),
        default=Value("recorded"),
        output_field=CharField(),
    )
    return by_category(
        ctx,
        _identified(ctx)
        .annotate(recorded_need=Trim("young_person__disability_or_send"))
        .annotate(category=category),
        date_field="received_at",
        category="category",
        choices=(
            ("recorded", "Disability or special educational needs recorded"),
            (NOT_KNOWN, "None recorded"),
        ),
        distinct="young_person",
        key="need.young_people_by_disability",
        title="Young people referred, by disability or special educational needs",
        row_heading="Disability or special educational needs",
        note="Whether the record describes a disability or special educational needs; "
        "the description itself is never reported.",
    )


def young_people_by_care_status(ctx: ReportContext) -> Table:
    category = _category(
        When(young_person__legal_status=LegalStatus.LOOKED_AFTER, then=Value("looked_after")),
        When(young_person__legal_status=LegalStatus.CARE_LEAVER, then=Value("care_leaver")),
        When(
            young_person__legal_status__in=(
                LegalStatus.CHILD_IN_NEED,
                LegalStatus.CHILD_PROTECTION,
            ),
            then=Value("cin_cp"),
        ),
        When(young_person__legal_status=LegalStatus.NONE, then=Value("neither")),
    )
    return _people_by(
        ctx,
        category,
        CARE_STATUSES,
        key="need.young_people_by_care_status",
        title="Young people referred, by care status",
        heading="Care status",
        note="The legal status on the record. A record with no status entered counts as "
        "neither looked after nor on a child in need or child protection plan.",
    )


def young_people_by_education(ctx: ReportContext) -> Table:
    excluded = Q(young_person__excluded=True)
    attendance = Q(young_person__attendance_concern=True)
    neet = Q(young_person__not_in_education_or_work=True)
    any_concern = excluded | attendance | neet
    return by_condition(
        ctx,
        _identified(ctx),
        date_field="received_at",
        parts=(
            Part("Education concern recorded", any_concern),
            Part("of which: excluded from school", excluded, in_total=False),
            Part("of which: attendance concern", attendance, in_total=False),
            Part("of which: not in education, employment or training", neet, in_total=False),
            Part("None recorded", ~any_concern),
        ),
        distinct="young_person",
        key="need.young_people_by_education",
        title="Young people referred, by education",
        row_heading="Education",
        note='A young person can have more than one concern recorded, so the "of which" '
        "rows can add up to more than the row above them.",
    )


def young_people_by_orientation(ctx: ReportContext) -> Table:
    category = Case(
        When(orientation="", then=Value(NOT_KNOWN)),
        When(orientation__iregex=UNSAID_WORDS, then=Value(NOT_KNOWN)),
        When(orientation__iregex=LGBT_WORDS, then=Value("lgbt")),
        When(orientation__iregex=HETEROSEXUAL_WORDS, then=Value("heterosexual")),
        default=Value("other_words"),
        output_field=CharField(),
    )
    return by_category(
        ctx,
        _identified(ctx)
        .annotate(orientation=Trim("young_person__sexual_orientation"))
        .annotate(category=category),
        date_field="received_at",
        category="category",
        choices=ORIENTATIONS,
        distinct="young_person",
        key="need.young_people_by_orientation",
        title="Young people referred, by sexual orientation where recorded",
        row_heading="Sexual orientation",
        note="Sexual orientation is recorded only where the young person chose to share "
        "it. Recorded words are sorted into these groups; what was written is never reported.",
    )


def re_referrals(ctx: ReportContext) -> Table:
    # The screener's definition (referrals.services.common._previous_referral):
    # another referral about the same young person, in any district, received
    # in the RE_REFERRAL_DAYS before this one.
    earlier = Referral.objects.using(ctx.using).filter(
        young_person=OuterRef("young_person"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=OuterRef("received_at") - timedelta(days=RE_REFERRAL_DAYS),
    )
    queryset = _referrals(ctx).annotate(re_referral=Exists(earlier))
    identified = Q(young_person__isnull=False)
    return by_condition(
        ctx,
        queryset,
        date_field="received_at",
        parts=(
            Part("Re-referral within 12 months", identified & Q(re_referral=True)),
            Part("No referral in the 12 months before", identified & Q(re_referral=False)),
            Part("Young person not yet identified", ~identified),
        ),
        key="need.re_referrals",
        title="Re-referrals",
        row_heading="Referral",
        unit="referrals",
        note="A re-referral is a referral about a young person who had another referral, "
        "in any district, in the 12 months before it.",
    )


def _month_label(month: date) -> str:
    return month.strftime("%B %Y")


def trend_by_month(ctx: ReportContext) -> Table:
    months = ctx.period.months()
    cells: dict[str, Q] = {}
    for index, month in enumerate(months):
        start = max(month, ctx.period.start)
        end = min(_next_month(month), ctx.period.end_exclusive)
        cells[f"m{index}"] = Q(
            received_at__gte=_at(start),
            received_at__lt=_at(end),
        )
    queryset = _referrals(ctx).filter(in_period("received_at", ctx))
    referrals = condition_counts(queryset, cells)
    people = condition_counts(queryset, cells, distinct="young_person")
    return Table(
        key="need.trend",
        title="Referrals and young people referred, by month",
        row_heading="Month",
        columns=("Referrals", "Young people"),
        rows=tuple(
            Row(_month_label(month), (referrals[f"m{index}"], people[f"m{index}"]))
            for index, month in enumerate(months)
        ),
        # With its total, which the months add up to (review finding: the
        # agency table publishes the same total, so without one here a month
        # hidden in this table alone could be worked out from that one).
        chart="line",
        unit="referrals",
        note="Young people are counted once in each month they were referred in, so their "
        "total counts a young person referred in two months twice.",
    )


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _at(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def section(ctx: ReportContext) -> Section:
    return Section(
        key="need",
        title="Need and demand",
        summary="Referrals received, who made them, and the young people they were about.",
        tables=(
            referrals_by_agency(ctx),
            young_people_by_age(ctx),
            young_people_by_gender(ctx),
            young_people_by_ethnicity(ctx),
            young_people_by_disability(ctx),
            young_people_by_care_status(ctx),
            young_people_by_education(ctx),
            young_people_by_orientation(ctx),
            re_referrals(ctx),
            trend_by_month(ctx),
        ),
    )
