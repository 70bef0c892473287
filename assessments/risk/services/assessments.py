"""Every write to an assessment: one service per transition (start, submit,
sign off, return), each checking the current status and the person's
permission through cse_cases/access.py, in one transaction, with its history
row and audit row. The lead professional's part and each agency's section
carry their own version numbers: two agencies writing at once never overwrite
each other, and two people in the same part are told (optimistic locking).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from assessments.models import (
    ASSESSED_LEVELS,
    LEVELS,
    AgencySection,
    Answer,
    Assessment,
    AssessmentStatus,
    AssessmentTemplate,
    AssessmentTransition,
    DomainKind,
    IndicatorAnswer,
    ScoreBand,
    TemplateIndicator,
)
from assessments.text import check_text
from cse_cases import access, audit
from cse_cases import services as core
from cse_cases.models import AuditAction, Case, CaseStatus, RiskLevel, User
from cse_cases.services import EditConflict, RecordError

# The lead professional's fields, as the form and the API name them.
CORE_TEXT_FIELDS = ("young_persons_views", "parents_views", "other_strengths", "rationale")
WHEN_MAX = 200


class Incomplete(RecordError):
    """Parts missing or wrong: every problem at once, each against its part."""

    def __init__(self, problems: list[tuple[str, str]], *, what: str) -> None:
        count = len(problems)
        super().__init__(f"{what}: {count} thing{'s' if count != 1 else ''} to put right.")
        self.problems = problems


class AssessmentConflict(EditConflict):
    """Someone else saved the same part after this person loaded it."""

    def __init__(self, current: Assessment | AgencySection, *, who: User | None) -> None:
        RecordError.__init__(
            self,
            f"{who or 'Someone else'} saved this part of the assessment at "
            f"{timezone.localtime(current.updated_at):%H:%M} while you were editing it. "
            "What you typed has not been lost: it is kept as your draft. Reload the page to see "
            "their version, then add your changes to it.",
        )
        self.current = current


def _transition(assessment: Assessment, *, to: str, by: User, comments: str = "") -> None:
    AssessmentTransition.objects.create(
        assessment=assessment,
        from_status=assessment.status,
        to_status=to,
        by=by,
        comments=comments,
    )
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=assessment,
        young_person_id=assessment.case.young_person_id,
        fields_changed={"status": [assessment.status, to]},
        reason=comments,
    )
    assessment.status = to


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("case", "template")
        .get(pk=assessment.pk)
    )


# --- Scoring --------------------------------------------------------------------


def suggested_level(
    template: AssessmentTemplate, score: int, bands: list[ScoreBand] | None = None
) -> ScoreBand | None:
    """The band the score falls in, or None when the template has no bands."""
    bands = bands if bands is not None else list(template.bands.all())
    chosen = None
    for band in sorted(bands, key=lambda b: b.min_score):
        if score >= band.min_score:
            chosen = band
    return chosen


def _rescore(assessment: Assessment) -> None:
    """Score = the weights of the risk indicators answered present (one query)."""
    total = IndicatorAnswer.objects.filter(
        assessment=assessment, answer=Answer.PRESENT, indicator__domain__kind=DomainKind.RISK
    ).aggregate(total=Sum("indicator__weight"))
    assessment.score = total["total"] or 0
    band = suggested_level(assessment.template, assessment.score)
    assessment.suggested_level = band.level if band else ""


def next_review(level: str, on: date) -> date:
    """Default 3 months; sooner at the highest level (6 weeks). Both configurable."""
    # dateutil has no type information: relativedelta arithmetic is Any.
    review: date
    if level == RiskLevel.HIGH:
        review = on + relativedelta(weeks=settings.ASSESSMENT_REVIEW_WEEKS_HIGH)
    else:
        review = on + relativedelta(months=settings.ASSESSMENT_REVIEW_MONTHS)
    return review


# --- Assessments ---------------------------------------------------------------


@transaction.atomic
def assessment_start(*, by: User, case: Case) -> Assessment:
    if not access.may_complete_assessment(by, case):
        raise PermissionDenied
    if case.status != CaseStatus.OPEN:
        raise RecordError("The case is closed: open a new case to assess the young person again.")
    from assessments.risk.selectors import current_template

    template = current_template()
    if template is None:
        raise RecordError("No assessment template is published yet: ask your CSE lead.")
    if (
        Assessment.objects.filter(case=case, status__in=AssessmentStatus.values)
        .exclude(status=AssessmentStatus.SIGNED_OFF)
        .exists()
    ):
        raise RecordError("This case already has an assessment in progress: carry on with it.")
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                case=case, template=template, author=by, updated_by=by
            )
    except IntegrityError:
        # Someone started one a moment ago (the partial unique index).
        raise RecordError(
            "This case already has an assessment in progress: carry on with it."
        ) from None
    band = suggested_level(template, 0)
    assessment.suggested_level = band.level if band else ""
    assessment.save(update_fields=["suggested_level"])
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        obj=assessment,
        young_person_id=case.young_person_id,
        detail=f"started on {template}",
    )
    return assessment


def _clean_answers(assessment: Assessment, answers: dict[int, dict]) -> list[IndicatorAnswer]:
    known = set(
        TemplateIndicator.objects.filter(domain__template=assessment.template_id).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for indicator_id, given in answers.items():
        if indicator_id not in known:
            raise RecordError(
                f"Indicator {indicator_id} is not part of this assessment's template.",
                field="answers",
            )
        answer = given.get("answer") or ""
        if answer not in Answer.values and answer != "":
            raise RecordError(
                "Choose present, not present or not known.", field=f"i{indicator_id}_answer"
            )
        rows.append(
            IndicatorAnswer(
                assessment=assessment,
                indicator_id=indicator_id,
                answer=answer,
                when=check_text(f"i{indicator_id}_when", given.get("when") or "", WHEN_MAX),
                evidence=check_text(f"i{indicator_id}_evidence", given.get("evidence") or ""),
            )
        )
    return rows


@transaction.atomic
def assessment_save(
    *,
    by: User,
    assessment: Assessment,
    version: int,
    values: dict,
    answers: dict[int, dict] | None = None,
) -> Assessment:
    """The lead professional's part: answers, strengths, views and judgement.

    Accepts a partial draft (autosave): completeness is checked on submission.
    """
    assessment = _locked(assessment)
    if not access.may_complete_assessment(by, assessment.case):
        raise PermissionDenied
    if not assessment.editable:
        raise RecordError(
            f"The assessment is {assessment.get_status_display().lower()}: it can no longer "
            "be changed."
        )
    if version != assessment.version and assessment.updated_by_id != by.pk:
        raise AssessmentConflict(assessment, who=assessment.updated_by)
    changed: dict[str, list[str]] = {}
    for name in CORE_TEXT_FIELDS:
        if name in values:
            value = check_text(name, values[name] or "")
            if value != getattr(assessment, name):
                changed[name] = ["", "edited"]
                setattr(assessment, name, value)
    if "judged_level" in values:
        level = values["judged_level"] or ""
        if level and level not in LEVELS:
            raise RecordError("Choose low, medium or high.", field="judged_level")
        if level != assessment.judged_level:
            changed["judged_level"] = [assessment.judged_level, level]
            assessment.judged_level = level
    if answers:
        rows = _clean_answers(assessment, answers)
        IndicatorAnswer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["assessment", "indicator"],
            update_fields=["answer", "when", "evidence"],
        )
        changed["answers"] = ["", f"{len(rows)} saved"]
        _rescore(assessment)
    assessment.version = F("version") + 1
    assessment.updated_by = by
    assessment.updated_at = timezone.now()
    assessment.save()
    assessment.refresh_from_db(fields=["version"])
    if changed:
        audit.record(
            user=by,
            action=AuditAction.CHANGE,
            obj=assessment,
            young_person_id=assessment.case.young_person_id,
            fields_changed=changed,
        )
    return assessment


@transaction.atomic
def section_save(
    *, by: User, assessment: Assessment, version: int, contribution: str
) -> AgencySection:
    """The signed-in person's agency's section. Version 0 means "new"."""
    assessment = _locked(assessment)
    if not access.may_contribute_assessment(by, assessment.case):
        raise PermissionDenied
    if not assessment.editable:
        raise RecordError(
            f"The assessment is {assessment.get_status_display().lower()}: agency sections "
            "can no longer be changed."
        )
    # Only administrators have no agency (user_agency_required), and they work with no record.
    if by.agency_id is None:
        raise PermissionDenied
    contribution = check_text("contribution", contribution)
    section = (
        AgencySection.objects.select_for_update()
        .select_related("updated_by")
        .filter(assessment=assessment, agency_id=by.agency_id)
        .first()
    )
    if section is None:
        section = AgencySection.objects.create(
            assessment=assessment, agency_id=by.agency_id, contribution=contribution, updated_by=by
        )
        action = AuditAction.CREATE
    else:
        if version != section.version and section.updated_by_id != by.pk:
            raise AssessmentConflict(section, who=section.updated_by)
        section.contribution = contribution
        section.updated_by = by
        section.updated_at = timezone.now()
        section.version = F("version") + 1
        section.save()
        section.refresh_from_db(fields=["version"])
        action = AuditAction.CHANGE
    audit.record(
        user=by,
        action=action,
        obj=section,
        young_person_id=assessment.case.young_person_id,
        fields_changed={"contribution": ["", "edited"]},
    )
    return section


def problems_before_submission(assessment: Assessment) -> list[tuple[str, str]]:
    """Everything still missing, in the order of the form, each against its part."""
    problems: list[tuple[str, str]] = []
    answers = {a.indicator_id: a for a in assessment.answers.all()}
    domains = assessment.template.domains.prefetch_related("indicators")
    for domain in domains:
        unanswered = [
            i for i in domain.indicators.all() if not getattr(answers.get(i.pk), "answer", "")
        ]
        if unanswered:
            problems.append(
                (
                    f"i{unanswered[0].pk}_answer",
                    f"{domain.title}: answer every question ({len(unanswered)} not answered). "
                    "Choose \u201cnot known\u201d where nobody knows yet.",
                )
            )
        no_evidence = [
            i
            for i in domain.indicators.all()
            if domain.kind == DomainKind.RISK
            and getattr(answers.get(i.pk), "answer", "") == Answer.PRESENT
            and not answers[i.pk].evidence.strip()
        ]
        if no_evidence:
            problems.append(
                (
                    f"i{no_evidence[0].pk}_evidence",
                    f"{domain.title}: give the evidence for each indicator marked present "
                    f"({len(no_evidence)} without).",
                )
            )
    if not assessment.young_persons_views.strip():
        problems.append(
            (
                "young_persons_views",
                "Record the young person's views in their own words, or say why they could "
                "not give them.",
            )
        )
    if not assessment.parents_views.strip():
        problems.append(
            (
                "parents_views",
                "Record the parents' and carers' views, or say why they were not sought.",
            )
        )
    if not assessment.judged_level:
        problems.append(("judged_level", "Judge the level of risk."))
    elif not assessment.rationale.strip():
        if not assessment.suggested_level:
            problems.append(("rationale", "Give the rationale for the level you judged."))
        elif assessment.judged_level != assessment.suggested_level:
            suggested = dict(ASSESSED_LEVELS)[assessment.suggested_level].lower()
            problems.append(
                (
                    "rationale",
                    f"Your judgement differs from the suggested level ({suggested}): "
                    "give your rationale.",
                )
            )
    if not assessment.sections.exists():
        problems.append(("sections", "No agency has contributed a section yet: at least one must."))
    return problems


@transaction.atomic
def assessment_submit(*, by: User, assessment: Assessment) -> Assessment:
    assessment = _locked(assessment)
    if not access.may_complete_assessment(by, assessment.case):
        raise PermissionDenied
    if not assessment.editable:
        raise RecordError(f"The assessment is already {assessment.get_status_display().lower()}.")
    problems = problems_before_submission(assessment)
    if problems:
        raise Incomplete(problems, what="The assessment cannot be submitted yet")
    _transition(assessment, to=AssessmentStatus.SUBMITTED, by=by)
    assessment.submitted_by = by
    assessment.submitted_at = timezone.now()
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db(fields=["version"])
    return assessment


def _reviewing(by: User, assessment: Assessment) -> Assessment:
    assessment = _locked(assessment)
    if not access.may_sign_off_assessment(by, assessment):
        raise PermissionDenied
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise RecordError(
            f"Only a submitted assessment can be signed off or returned; this one is "
            f"{assessment.get_status_display().lower()}."
        )
    if by.pk in (assessment.author_id, assessment.submitted_by_id):
        raise RecordError(
            "You wrote this assessment, so someone else must sign it off or return it: "
            "a supervisor or CSE lead who did not write it."
        )
    return assessment


@transaction.atomic
def assessment_sign_off(*, by: User, assessment: Assessment, comments: str = "") -> Assessment:
    assessment = _reviewing(by, assessment)
    comments = check_text("comments", comments)
    _transition(assessment, to=AssessmentStatus.SIGNED_OFF, by=by, comments=comments)
    now = timezone.now()
    assessment.signed_off_by = by
    assessment.signed_off_at = now
    assessment.next_review_on = next_review(assessment.judged_level, timezone.localdate(now))
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db(fields=["version"])
    suggested = (
        f" (the indicators suggested {dict(ASSESSED_LEVELS)[assessment.suggested_level].lower()})"
        if assessment.judgement_differs
        else ""
    )
    core.case_risk_agreed(
        by=by,
        case=assessment.case,
        level=assessment.judged_level,
        rationale=f"Assessment {assessment.pk} signed off{suggested}. "
        f"{assessment.rationale}".strip(),
    )
    return assessment


@transaction.atomic
def assessment_return(*, by: User, assessment: Assessment, comments: str) -> Assessment:
    assessment = _reviewing(by, assessment)
    if not comments.strip():
        raise RecordError("Say what needs to change before you return it.", field="comments")
    _transition(
        assessment, to=AssessmentStatus.RETURNED, by=by, comments=check_text("comments", comments)
    )
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db(fields=["version"])
    return assessment
