"""Assessment pages: start, complete (with autosave), agency sections, submit, sign off.

Thin views: the access policy decides who may see and do what, services make
every change, and the same services serve the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import Assessment, DomainKind
from assessments.risk import selectors, services
from assessments.risk.forms import AssessmentForm, ReviewForm, SectionForm
from cse_cases import access, audit
from cse_cases import services as core_services
from cse_cases.models import AuditAction
from cse_cases.params import whole_number
from cse_cases.services import RecordError


def _page(request: HttpRequest, pk: int) -> Assessment:
    access.require_records(request.user)
    assessment = selectors.assessment_page(request.user, pk)
    if request.method == "GET" and request.headers.get("HX-Request") != "true":
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=assessment,
            young_person_id=assessment.case.young_person_id,
            detail=request.resolver_match.url_name if request.resolver_match else "",
        )
    return assessment


def _domains(assessment: Assessment, form: AssessmentForm | None = None) -> list[dict]:
    """The template's domains with each indicator's answer (and form fields)."""
    template = selectors.template_with_content(assessment.template_id)
    answers = {a.indicator_id: a for a in assessment.answers.all()}
    domains = []
    for domain in template.domains.all():
        rows = []
        for indicator in domain.indicators.all():
            row = {"indicator": indicator, "answer": answers.get(indicator.pk)}
            if form is not None:
                row["fields"] = [form[f"i{indicator.pk}_{part}"] for part in ("answer", "when")]
                row["evidence"] = form[f"i{indicator.pk}_evidence"]
            rows.append(row)
        domains.append(
            {"domain": domain, "rows": rows, "strengths": domain.kind == DomainKind.STRENGTHS}
        )
    return domains


@require_POST
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    case = access.case_to_assess(request.user, pk)
    try:
        assessment = services.assessment_start(by=request.user, case=case)
    except RecordError as error:
        messages.error(request, str(error))
        return redirect("young-person", pk=case.young_person_id)
    messages.success(
        request, "Assessment started. The team around the child can now add their sections."
    )
    return redirect("assessment-edit", pk=assessment.pk)


def _detail_context(request: HttpRequest, assessment: Assessment, review_form: ReviewForm) -> dict:
    user = request.user
    case = assessment.case
    mine = next((s for s in assessment.sections.all() if s.agency_id == user.agency_id), None)
    allowed = access.assessment_access(user, assessment)
    return {
        "assessment": assessment,
        "case": case,
        "young_person": case.young_person,
        "domains": _domains(assessment),
        "may_complete": allowed.may_complete,
        "may_contribute": allowed.may_contribute,
        "my_section": mine,
        "may_review": allowed.may_review,
        "review_form": review_form,
    }


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _page(request, pk)
    return render(
        request,
        "assessments/risk/assessment.html",
        _detail_context(request, assessment, ReviewForm()),
    )


def _form_data(assessment: Assessment, draft) -> dict:
    data = {
        "version": assessment.version,
        "young_persons_views": assessment.young_persons_views,
        "parents_views": assessment.parents_views,
        "other_strengths": assessment.other_strengths,
        "judged_level": assessment.judged_level,
        "rationale": assessment.rationale,
    }
    for answer in assessment.answers.all():
        data[f"i{answer.indicator_id}_answer"] = answer.answer
        data[f"i{answer.indicator_id}_when"] = answer.when
        data[f"i{answer.indicator_id}_evidence"] = answer.evidence
    if draft is not None:
        data.update({k: v for k, v in draft.data.items() if k != "version"})
    return data


def _editable_or_404(request: HttpRequest, assessment: Assessment, *, section: bool) -> None:
    allowed = (
        access.may_contribute_assessment(request.user, assessment.case)
        if section
        else access.may_complete_assessment(request.user, assessment.case)
    )
    if not allowed:
        raise Http404


def _closed(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """A submitted or signed-off assessment is read, not edited."""
    messages.info(request, f"The assessment is {assessment.get_status_display().lower()}.")
    return redirect("assessment", pk=assessment.pk)


@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead professional's part. "Save" keeps a draft; "Submit" also submits."""
    assessment = _page(request, pk)
    _editable_or_404(request, assessment, section=False)
    if not assessment.editable:
        return _closed(request, assessment)
    template = selectors.template_with_content(assessment.template_id)
    form_key = f"assessment:{assessment.pk}"
    draft = None
    extra_errors: list[str] = []
    if request.method == "POST":
        form = AssessmentForm(request.POST, template=template)
        if form.is_valid():
            try:
                assessment = services.assessment_save(
                    by=request.user,
                    assessment=assessment,
                    version=form.cleaned_data["version"],
                    values=form.core_values(),
                    answers=form.answers(),
                )
                core_services.draft_discard(user=request.user, form_key=form_key)
                if "submit" in request.POST:
                    services.assessment_submit(by=request.user, assessment=assessment)
                    messages.success(request, "Submitted for sign-off.")
                    return redirect("assessment", pk=assessment.pk)
            except services.Incomplete as error:
                # Saved, but not complete: list every problem at once.
                form = AssessmentForm(
                    _with_version(request.POST, assessment.version), template=template
                )
                form.is_valid()
                for field, message in error.problems:
                    if field in form.fields:
                        form.add_error(field, message)
                    else:
                        extra_errors.append(message)
            except RecordError as error:
                core_services.draft_save(user=request.user, form_key=form_key, fields=request.POST)
                form.add_record_error(error)
            else:
                messages.success(request, "Saved. Submit it when every part is complete.")
                return redirect("assessment", pk=assessment.pk)
    else:
        draft = core_services.draft_for(user=request.user, form_key=form_key)
        form = AssessmentForm(initial=_form_data(assessment, draft), template=template)
    return render(
        request,
        "assessments/risk/assessment_form.html",
        {
            "assessment": assessment,
            "case": assessment.case,
            "young_person": assessment.case.young_person,
            "form": form,
            "domains": _domains(assessment, form),
            "bands": template.bands.all(),
            "extra_errors": extra_errors,
            "form_key": form_key,
            "draft": draft,
        },
    )


def _with_version(data: QueryDict, version: int) -> QueryDict:
    data = data.copy()
    data["version"] = str(version)
    return data


def _autosave_reply(
    *, saved_at, version_id: str, version: int, suggested: Assessment | None = None
) -> HttpResponse:
    return HttpResponse(
        render_to_string(
            "assessments/risk/_autosave_saved.html",
            {
                "saved": timezone.localtime(saved_at).strftime("%H:%M:%S"),
                "suggested": suggested,
                "version_id": version_id,
                "version": version,
            },
        )
    )


def _conflict_reply(request: HttpRequest, form_key: str, error: RecordError) -> HttpResponse:
    # Keep what they typed as their own draft: it is offered back on reload.
    core_services.draft_save(user=request.user, form_key=form_key, fields=request.POST)
    return HttpResponse(
        render_to_string("assessments/risk/_autosave_refused.html", {"error": str(error)})
    )


@require_POST
def assessment_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx, every few seconds and on leaving a field: save into the assessment."""
    access.require_records(request.user)
    assessment = access.assessment_for(request.user, pk)
    _editable_or_404(request, assessment, section=False)
    template = selectors.template_with_content(assessment.template_id)
    form = AssessmentForm(request.POST, template=template)
    values, answers = form.valid_part()
    form_key = f"assessment:{assessment.pk}"
    try:
        assessment = services.assessment_save(
            by=request.user,
            assessment=assessment,
            version=whole_number(request.POST.get("version"), default=0),
            values=values,
            answers=answers,
        )
    except (RecordError, PermissionDenied) as error:
        return _conflict_reply(request, form_key, RecordError(str(error) or "Not saved."))
    core_services.draft_discard(user=request.user, form_key=form_key)
    return _autosave_reply(
        saved_at=assessment.updated_at,
        version_id="assessment-version",
        version=assessment.version,
        suggested=assessment if assessment.suggested_level else None,
    )


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in person's agency's section."""
    assessment = _page(request, pk)
    _editable_or_404(request, assessment, section=True)
    if not assessment.editable:
        return _closed(request, assessment)
    section = next(
        (s for s in assessment.sections.all() if s.agency_id == request.user.agency_id), None
    )
    form_key = f"assessment-section:{assessment.pk}"
    draft = None
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.section_save(
                    by=request.user,
                    assessment=assessment,
                    version=form.cleaned_data["version"],
                    contribution=form.cleaned_data["contribution"],
                )
            except RecordError as error:
                core_services.draft_save(user=request.user, form_key=form_key, fields=request.POST)
                form.add_record_error(error)
            else:
                core_services.draft_discard(user=request.user, form_key=form_key)
                messages.success(request, f"The section for {request.user.agency.name} is saved.")
                return redirect("assessment", pk=assessment.pk)
    else:
        draft = core_services.draft_for(user=request.user, form_key=form_key)
        initial = {
            "version": section.version if section else 0,
            "contribution": section.contribution if section else "",
        }
        if draft is not None:
            initial["contribution"] = draft.data.get("contribution", initial["contribution"])
        form = SectionForm(initial=initial)
    return render(
        request,
        "assessments/risk/section_form.html",
        {
            "assessment": assessment,
            "young_person": assessment.case.young_person,
            "section": section,
            "form": form,
            "form_key": form_key,
            "draft": draft,
        },
    )


@require_POST
def section_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    assessment = access.assessment_for(request.user, pk)
    _editable_or_404(request, assessment, section=True)
    form_key = f"assessment-section:{assessment.pk}"
    contribution = request.POST.get("contribution", "")
    if not contribution.strip():
        return HttpResponse("Nothing to save yet.")
    try:
        section = services.section_save(
            by=request.user,
            assessment=assessment,
            version=whole_number(request.POST.get("version"), default=0),
            contribution=contribution,
        )
    except (RecordError, PermissionDenied) as error:
        return _conflict_reply(request, form_key, RecordError(str(error) or "Not saved."))
    core_services.draft_discard(user=request.user, form_key=form_key)
    return _autosave_reply(
        saved_at=section.updated_at, version_id="section-version", version=section.version
    )


def _review(request: HttpRequest, pk: int, *, sign_off: bool) -> HttpResponse:
    access.require_records(request.user)
    assessment = access.assessment_for(request.user, pk)
    if not access.may_sign_off_assessment(request.user, assessment):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if sign_off:
                assessment = services.assessment_sign_off(
                    by=request.user, assessment=assessment, comments=form.cleaned_data["comments"]
                )
                messages.success(
                    request,
                    f"Signed off. The next review is due by {assessment.next_review_on:%-d %B %Y}.",
                )
            else:
                services.assessment_return(
                    by=request.user, assessment=assessment, comments=form.cleaned_data["comments"]
                )
                messages.success(request, "Returned to the lead professional with your comments.")
            return redirect("assessment", pk=assessment.pk)
        except RecordError as error:
            form.add_record_error(error)
    assessment = selectors.assessment_page(request.user, pk)
    return render(
        request, "assessments/risk/assessment.html", _detail_context(request, assessment, form)
    )


@require_POST
def assessment_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, sign_off=True)


@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, sign_off=False)
