"""Victims: the young people the service worked with in the period (a case in
the district open on some day of it), by age, gender, ethnicity, disability,
care and education status and sexual orientation; boys and under-12s called
out; the models of exploitation on their cases, and online against offline.

Characteristics are as recorded now (the record keeps no history of them);
age is on the day the picture is drawn at (the period's end, or today). The
characteristics are one statement; the models and online/offline another.
"""

from __future__ import annotations

from collections.abc import Sequence

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Trim

from cse_cases.models import (
    ContextLink,
    Ethnicity,
    ExploitationModel,
    Gender,
    LegalStatus,
    LinkKind,
    LocationKind,
)
from reports.measures.conditions import condition_counts
from reports.measures.need import (
    CARE_STATUSES,
    ETHNIC_GROUP_PREFIX,
    ETHNIC_GROUPS,
    GENDERS,
    HETEROSEXUAL_WORDS,
    LGBT_WORDS,
    NOT_KNOWN,
    ORIENTATIONS,
    UNSAID_WORDS,
)
from reports.profile.context import ProfileContext
from reports.profile.measures.common import cases, victims
from reports.tables import Row, Section, Table

# Split at 12 so that under-12s are whole bands.
AGE_BANDS = (
    ("under_10", "Under 10", 0, 10),
    ("10_11", "10 to 11", 10, 12),
    ("12_13", "12 to 13", 12, 14),
    ("14_15", "14 to 15", 14, 16),
    ("16_17", "16 to 17", 16, 18),
    ("18_over", "18 or over", 18, None),
)

ONLINE_OFFLINE = (
    ("online_only", "Online only"),
    ("offline_only", "Offline only"),
    ("both", "Both online and offline"),
    (NOT_KNOWN, "Not known (no model and no place recorded)"),
)


def _group(*whens: When, default: str = NOT_KNOWN) -> Case:
    return Case(*whens, default=Value(default), output_field=CharField())


def _ethnic_group() -> Case:
    whens = [
        When(ethnicity__startswith=prefix, then=Value(group))
        for group, prefix in ETHNIC_GROUP_PREFIX.items()
    ]
    whens.append(
        When(ethnicity__in=(Ethnicity.OTHER_ARAB, Ethnicity.OTHER_ANY), then=Value("other"))
    )
    return _group(*whens)


def _gender_group() -> Case:
    return _group(
        When(gender=Gender.FEMALE, then=Value("girls")),
        When(gender=Gender.MALE, then=Value("boys")),
        When(gender__in=(Gender.NON_BINARY, Gender.OTHER), then=Value("another_way")),
    )


def _care_group() -> Case:
    return _group(
        When(legal_status=LegalStatus.LOOKED_AFTER, then=Value("looked_after")),
        When(legal_status=LegalStatus.CARE_LEAVER, then=Value("care_leaver")),
        When(
            legal_status__in=(LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION),
            then=Value("cin_cp"),
        ),
        When(legal_status=LegalStatus.NONE, then=Value("neither")),
    )


def _orientation_group() -> Case:
    return _group(
        When(orientation="", then=Value(NOT_KNOWN)),
        When(orientation__iregex=UNSAID_WORDS, then=Value(NOT_KNOWN)),
        When(orientation__iregex=LGBT_WORDS, then=Value("lgbt")),
        When(orientation__iregex=HETEROSEXUAL_WORDS, then=Value("heterosexual")),
        default="other_words",
    )


def _age(ctx: ProfileContext, low: int, high: int | None) -> Q:
    # Age low..high-1 on as_of: born after as_of - high years, on or before
    # as_of - low years.
    condition = Q(date_of_birth__lte=ctx.as_of - relativedelta(years=low))
    if high is not None:
        condition &= Q(date_of_birth__gt=ctx.as_of - relativedelta(years=high))
    return condition


def _table(
    ctx: ProfileContext,
    counts: dict[str, int],
    prefix: str,
    choices: Sequence[tuple[str, str]],
    **table: object,
) -> Table:
    return Table(
        columns=(ctx.period.label,),
        rows=tuple(Row(label, (counts[f"{prefix}_{value}"],)) for value, label in choices),
        percentages=True,
        **table,  # type: ignore[arg-type]
    )


def characteristics(ctx: ProfileContext) -> list[Table]:
    boys, under_12 = Q(gender=Gender.MALE), Q(date_of_birth__gt=ctx.as_of - relativedelta(years=12))
    excluded, attendance = Q(excluded=True), Q(attendance_concern=True)
    neet = Q(not_in_education_or_work=True)
    any_education = excluded | attendance | neet
    cells: dict[str, Q] = {"all": Q()}
    for band, _, low, high in AGE_BANDS:
        cells[f"age_{band}"] = _age(ctx, low, high)
    groups = {"gender": GENDERS, "ethnicity": ETHNIC_GROUPS, "care": CARE_STATUSES}
    groups["orientation"] = ORIENTATIONS
    for name, choices in groups.items():
        for value, _ in choices:
            cells[f"{name}_{value}"] = Q(**{f"{name}_group": value})
    cells["disability_recorded"] = Q(disability_or_send__regex=r"\S")
    cells[f"disability_{NOT_KNOWN}"] = ~Q(disability_or_send__regex=r"\S")
    cells.update(
        {
            "education_any": any_education,
            "education_excluded": excluded,
            "education_attendance": attendance,
            "education_neet": neet,
            "education_none": ~any_education,
            "called_boys": boys,
            "called_under_12": under_12,
            "called_boys_under_12": boys & under_12,
        }
    )
    people = (
        victims(ctx)
        .annotate(orientation=Trim("sexual_orientation"))
        .annotate(
            gender_group=_gender_group(),
            ethnicity_group=_ethnic_group(),
            care_group=_care_group(),
            orientation_group=_orientation_group(),
        )
    )
    counts = condition_counts(people, cells)
    one = (ctx.period.label,)
    education = (
        ("any", "Education concern recorded", True),
        ("excluded", "of which: excluded from school", False),
        ("attendance", "of which: attendance concern", False),
        ("neet", "of which: not in education, employment or training", False),
        ("none", "None recorded", True),
    )
    return [
        Table(
            key="profile.victims.age",
            title="Young people by age",
            row_heading="Age",
            columns=one,
            rows=tuple(Row(label, (counts[f"age_{band}"],)) for band, label, *_ in AGE_BANDS),
            percentages=True,
            note="Age on the last day of the period (or today, while it runs).",
        ),
        _table(
            ctx,
            counts,
            "gender",
            GENDERS,
            key="profile.victims.gender",
            title="Young people by gender",
            row_heading="Gender",
            note="Gender as the young person describes it, as recorded.",
        ),
        Table(
            key="profile.victims.called_out",
            title="Boys and young men, and children under 12",
            row_heading="Young people",
            columns=one,
            rows=(
                Row("Boys and young men", (counts["called_boys"],), in_total=False),
                Row("Children under 12", (counts["called_under_12"],), in_total=False),
                Row("Boys under 12", (counts["called_boys_under_12"],), in_total=False),
                Row("All young people", (counts["all"],), in_total=False),
            ),
            column_totals=False,
            note="Called out because the exploitation of boys and of younger children is "
            "under-identified: a low count here is a question to ask, not reassurance.",
        ),
        _table(
            ctx,
            counts,
            "ethnicity",
            ETHNIC_GROUPS,
            key="profile.victims.ethnicity",
            title="Young people by ethnic group",
            row_heading="Ethnic group",
            note="The ONS 2021 census categories, grouped into their top-level groups.",
        ),
        _table(
            ctx,
            counts,
            "disability",
            (
                ("recorded", "Disability or special educational needs recorded"),
                (NOT_KNOWN, "None recorded"),
            ),
            key="profile.victims.disability",
            title="Young people by disability or special educational needs",
            row_heading="Disability or special educational needs",
            note="Whether the record describes a disability or special educational needs.",
        ),
        _table(
            ctx,
            counts,
            "care",
            CARE_STATUSES,
            key="profile.victims.care",
            title="Young people by care status",
            row_heading="Care status",
            note="The legal status on the record.",
        ),
        Table(
            key="profile.victims.education",
            title="Young people by education",
            row_heading="Education",
            columns=one,
            rows=tuple(
                Row(label, (counts[f"education_{name}"],), in_total=in_total)
                for name, label, in_total in education
            ),
            percentages=True,
            note='A young person can have more than one concern, so the "of which" rows can '
            "add up to more than the row above them.",
        ),
        _table(
            ctx,
            counts,
            "orientation",
            ORIENTATIONS,
            key="profile.victims.orientation",
            title="Young people by sexual orientation where recorded (LGBT+)",
            row_heading="Sexual orientation",
            note="Recorded only where the young person chose to share it; the words "
            "recorded are sorted into these groups and never shown.",
        ),
    ]


def models_of_exploitation(ctx: ProfileContext) -> list[Table]:
    # Uncorrelated subqueries of the young people linked to online spaces and
    # to places: planned once and hashed, not run once per case.
    links = ContextLink.objects.using(ctx.using).filter(
        kind=LinkKind.YOUNG_PERSON_TO_LOCATION,
        created_at__lt=ctx.as_of_end,
        young_person_id__in=cases(ctx).values("young_person_id"),
    )
    online_links = links.filter(location__kind=LocationKind.ONLINE).values("young_person_id")
    offline_links = links.exclude(location__kind=LocationKind.ONLINE).values("young_person_id")
    online_model = Q(exploitation_models__contains=[ExploitationModel.ONLINE])
    offline_model = Q(
        exploitation_models__overlap=[
            value for value in ExploitationModel.values if value != ExploitationModel.ONLINE
        ]
    )
    queryset = cases(ctx)
    online = online_model | Q(young_person_id__in=online_links)
    offline = offline_model | Q(young_person_id__in=offline_links)
    cells = {
        f"model_{value}": Q(exploitation_models__contains=[value])
        for value in ExploitationModel.values
    }
    cells[f"model_{NOT_KNOWN}"] = Q(exploitation_models=[])
    cells["online_only"] = online & ~offline
    cells["offline_only"] = offline & ~online
    cells["both"] = online & offline
    cells[NOT_KNOWN] = ~online & ~offline
    counts = condition_counts(queryset, cells, distinct="young_person")
    one = (ctx.period.label,)
    model_rows = [
        Row(label, (counts[f"model_{value}"],), in_total=False)
        for value, label in ExploitationModel.choices
    ]
    model_rows.append(Row("Not recorded", (counts[f"model_{NOT_KNOWN}"],), in_total=False))
    return [
        Table(
            key="profile.victims.models",
            title="Models of exploitation",
            row_heading="Model",
            columns=one,
            rows=tuple(model_rows),
            column_totals=False,
            note="The models recorded on the young people's cases. A case can record more "
            "than one, so the rows add up to more than the number of young people.",
        ),
        Table(
            key="profile.victims.online",
            title="Online and offline exploitation",
            row_heading="Where",
            columns=one,
            rows=tuple(Row(label, (counts[value],)) for value, label in ONLINE_OFFLINE),
            percentages=True,
            note="Online: the online model is recorded on the case, or the young person is "
            "linked to an online space (an app, platform or group). Offline: another model, "
            "or a link to a physical place.",
        ),
    ]


def section(ctx: ProfileContext) -> Section:
    return Section(
        key="victims",
        title="Victims",
        summary="The young people the service worked with in the period: who they are, "
        "and how they were exploited.",
        tables=(*characteristics(ctx), *models_of_exploitation(ctx)),
    )
