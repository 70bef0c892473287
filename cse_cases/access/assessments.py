"""Risk assessments, their templates, and the language report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentTemplate,
    LanguageKeep,
    TemplateStatus,
)
from cse_cases.access.records import case_for, cases_visible_to, may_edit_case
from cse_cases.access.roles import has_role, may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import Case, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def assessments_visible_to(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """Assessments of the cases the user may see."""
    if not may_see_identifiable_records(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(case__in=cases_visible_to(user).values("pk"))


def assessment_for(user: User | AnonymousUser, pk: int) -> Assessment:
    assessment = assessments_visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def may_complete_assessment(user: User | AnonymousUser, case: Case) -> bool:
    """The lead professional completes the assessment (indicators, strengths,
    views, judgement); a CSE lead of the district may step in."""
    scope = scope_for(user)
    if not scope.records or scope.user is None:
        return False
    if scope.is_cse_lead and scope.in_area(case.area_id):
        return True
    return case.lead_professional_id == scope.user.pk


def case_to_assess(user: User | AnonymousUser, pk: int) -> Case:
    """A case this person may start an assessment on (may_complete_assessment),
    or 404: the start page and the API ask this once."""
    case = case_for(user, pk)
    if not may_complete_assessment(user, case):
        raise Http404("No such case.")
    return case


@dataclass(frozen=True)
class AssessmentAccess:
    """An assessment the reader may see, and what they may do with it now:
    one answer for the page, so the view decides nothing itself."""

    assessment: Assessment
    may_complete: bool
    may_contribute: bool
    may_review: bool


def assessment_access(user: User | AnonymousUser, assessment: Assessment) -> AssessmentAccess:
    """What the reader of an assessment they may see (assessment_for, or a
    selector scoped by it) may do: complete or contribute while it is still
    editable, review (sign off or return) once it is submitted. The status is
    asked first so a closed assessment costs no further query."""
    case = assessment.case
    editable = assessment.editable
    return AssessmentAccess(
        assessment=assessment,
        may_complete=editable and may_complete_assessment(user, case),
        may_contribute=editable and may_contribute_assessment(user, case),
        may_review=assessment.status == AssessmentStatus.SUBMITTED
        and may_sign_off_assessment(user, assessment),
    )


def may_contribute_assessment(user: User | AnonymousUser, case: Case) -> bool:
    """Each agency in the team around the child writes its own section."""
    return bool(may_edit_case(user, case) and scope_for(user).agency_id)


def may_sign_off_assessment(user: User | AnonymousUser, assessment: Assessment) -> bool:
    """Supervisors of the author or of the lead professional, and CSE leads of
    the district. Whether they wrote it themselves is the service's question,
    so that the author is told why rather than shown a 404."""
    if not has_role(user, Role.SUPERVISOR, Role.CSE_LEAD):
        return False
    scope = scope_for(user)
    case = assessment.case
    if scope.is_cse_lead and scope.in_area(case.area_id):
        return True
    supervised = (
        User.objects.filter(pk__in=[assessment.author_id, case.lead_professional_id])
        .filter(team__supervisor=scope.user)
        .exists()
    )
    return supervised and cases_visible_to(user).filter(pk=case.pk).exists()


def assessments_to_sign_off(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """Submitted assessments this person may sign off, as one set-based query
    (the same rule as may_sign_off_assessment, less those they wrote)."""
    if not has_role(user, Role.SUPERVISOR, Role.CSE_LEAD):
        return Assessment.objects.none()
    scope = scope_for(user)
    if scope.is_cse_lead:
        condition = Q(case__area__in=scope.areas)
    else:
        condition = Q(author__team__supervisor=scope.user) | Q(
            case__lead_professional__team__supervisor=scope.user
        )
    return (
        assessments_visible_to(user)
        .filter(condition, status=AssessmentStatus.SUBMITTED)
        .exclude(author=scope.user)
        .exclude(submitted_by=scope.user)
    )


def templates_visible_to(user: User | AnonymousUser) -> QuerySet[AssessmentTemplate]:
    """Templates identify no child: everyone who works with records reads the
    published versions; CSE leads also see versions in preparation."""
    if not may_see_identifiable_records(user):
        return AssessmentTemplate.objects.none()
    if user.role == Role.CSE_LEAD:
        return AssessmentTemplate.objects.all()
    return AssessmentTemplate.objects.filter(status=TemplateStatus.PUBLISHED)


def template_for(user: User | AnonymousUser, pk: int) -> AssessmentTemplate:
    template = templates_visible_to(user).filter(pk=pk).first()
    if template is None:
        raise Http404("No such template.")
    return template


def may_manage_templates(user: User | AnonymousUser) -> bool:
    """CSE leads prepare and publish new versions of the assessment template."""
    return has_role(user, Role.CSE_LEAD)


def may_read_language_report(user: User | AnonymousUser) -> bool:
    """Supervisors and CSE leads read which recent notes the language check
    would change, to raise in supervision (the report page and its link on
    the home page both ask this)."""
    return has_role(user, Role.SUPERVISOR, Role.CSE_LEAD)


def language_keeps_visible_to(user: User | AnonymousUser) -> QuerySet[LanguageKeep]:
    """Wording kept against the language check, counted in the language
    report. A supervisor sees what was kept by the workers they supervised
    when the words were kept (a worker who moves on or leaves takes nothing
    with them, and a new supervisor inherits nothing kept before); a CSE lead
    sees what workers of their districts kept, active or not. Everyone with
    the report sees their own. Nobody else sees any."""
    if not may_read_language_report(user):
        return LanguageKeep.objects.none()
    scope = scope_for(user)
    if scope.user is None:
        return LanguageKeep.objects.none()
    condition = Q(user=scope.user) | Q(supervisor=scope.user)
    if scope.is_cse_lead:
        condition |= Q(user__in=User.objects.filter(areas__in=scope.areas).values("pk"))
    return LanguageKeep.objects.filter(condition)


def language_reasons_visible_to(user: User | AnonymousUser) -> QuerySet[LanguageKeep]:
    """The phrases and reasons themselves, which may name a child: only the
    writer's supervisor at the time (and the writer). A CSE lead reads the
    counts, not the words, since a lead's district does not make them a
    reader of every record a multi-district worker writes in."""
    if not may_read_language_report(user):
        return LanguageKeep.objects.none()
    scope = scope_for(user)
    if scope.user is None:
        return LanguageKeep.objects.none()
    return LanguageKeep.objects.filter(Q(user=scope.user) | Q(supervisor=scope.user))
