"""Missing episodes and return home interviews: record, return, interview, import.

Thin: forms in, services out; every page that shows a child's data audits it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access, audit, selectors, services
from cse_cases.missing_forms import EpisodeForm, ImportForm, InterviewForm
from cse_cases.models import (
    AuditAction,
    MissingEpisode,
    MissingReviewRequest,
    ReturnInterview,
)
from cse_cases.params import whole_number
from cse_cases.services import EditConflict, NeedsConfirmation, RecordError
from cse_cases.services.missing import INTERVIEW_TEXTS
from cse_cases.services.missing_import import MAX_BYTES


def _episode(request: HttpRequest, pk: int) -> MissingEpisode:
    episode = (
        access.missing_episodes_visible_to(request.user)
        .select_related("young_person__area", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if episode is None:
        raise Http404("No such episode.")
    return episode


def _may_record(request: HttpRequest, young_person) -> None:
    if not access.may_record_missing(request.user, young_person):
        raise Http404


def _viewed(request: HttpRequest, obj, young_person_id: int, detail: str = "") -> None:
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=obj,
        young_person_id=young_person_id,
        detail=detail,
    )


@require_http_methods(["GET", "POST"])
def episode_create(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = access.young_person_for(request.user, pk)
    _may_record(request, young_person)
    form = EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.missing_episode_record(
                by=request.user, young_person=young_person, data=form.cleaned_data
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Missing episode recorded.")
            return redirect("missing-episode", pk=episode.pk)
    _viewed(request, young_person, young_person.pk, "missing episode form")
    return render(
        request,
        "missing/episode_form.html",
        {"form": form, "young_person": young_person, "creating": True},
        status=400 if form.is_bound else 200,
    )


def episode_detail(request: HttpRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    interview = selectors.return_interview_for(episode)
    _viewed(request, episode, episode.young_person_id)
    return render(
        request,
        "missing/episode.html",
        {
            "episode": episode,
            "interview": interview,
            "interview_texts": [
                (
                    ReturnInterview._meta.get_field(name).verbose_name.capitalize(),
                    getattr(interview, name),
                )
                for name in INTERVIEW_TEXTS
            ]
            if interview
            else [],
            "now": timezone.now(),
            "may_record": access.may_record_missing(request.user, episode.young_person),
        },
    )


@require_http_methods(["GET", "POST"])
def episode_edit(request: HttpRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    _may_record(request, episode.young_person)
    version = episode.version
    if request.method == "GET":
        form = EpisodeForm(instance=episode)
    else:
        # Bound without the instance: the service saves, comparing versions.
        form = EpisodeForm(request.POST)
        version = request.POST.get("version", "")
        if whole_number(version) is None:
            # Without the version read, a newer save could be overwritten unseen.
            form.add_error(None, "Reload the episode and make your change again")
            version = episode.version
        elif form.is_valid():
            try:
                services.missing_episode_update(
                    by=request.user,
                    episode=episode,
                    version=whole_number(version),
                    data=form.cleaned_data,
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                version = conflict.current.version
            except RecordError as error:
                form.add_record_error(error)
            else:
                messages.success(request, "Missing episode updated.")
                return redirect("missing-episode", pk=pk)
    _viewed(request, episode, episode.young_person_id, "edit form")
    return render(
        request,
        "missing/episode_form.html",
        {
            "form": form,
            "young_person": episode.young_person,
            "episode": episode,
            "version": version,
        },
        status=400 if request.method == "POST" else 200,
    )


def _interviewers(episode: MissingEpisode):
    return access.return_interviewer_choices(episode.young_person)


@require_http_methods(["GET", "POST"])
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    _may_record(request, episode.young_person)
    if selectors.return_interview_for(episode) is not None:
        messages.info(request, "A return interview is already recorded for this episode.")
        return redirect("missing-episode", pk=pk)
    # The interview is long free text: autosaved as a draft while typed.
    form_key = f"return-interview:{episode.pk}"
    draft = services.draft_for(user=request.user, form_key=form_key)
    form = InterviewForm(
        request.POST or None,
        interviewers=_interviewers(episode),
        initial=draft.data if draft else {},
    )
    warning = ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm")
        try:
            services.return_interview_record(
                by=request.user, episode=episode, data=data, confirmed=confirmed
            )
        except NeedsConfirmation as needs:
            warning = str(needs)
        except RecordError as error:
            form.add_record_error(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            services.draft_discard(user=request.user, form_key=form_key)
            messages.success(request, "Return interview recorded.")
            return redirect("missing-episode", pk=pk)
    _viewed(request, episode, episode.young_person_id, "return interview form")
    return render(
        request,
        "missing/interview_form.html",
        {
            "form": form,
            "episode": episode,
            "warning": warning,
            "form_key": form_key,
            "draft": draft if request.method == "GET" else None,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def review_done(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        MissingReviewRequest.objects.filter(
            young_person__in=access.young_people_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    if not access.may_edit_young_person(request.user, review.young_person):
        raise Http404
    try:
        services.missing_review_done(by=request.user, request=review)
    except RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Review recorded.")
    return redirect("young-person", pk=review.young_person_id)


@require_http_methods(["GET", "POST"])
def missing_import(request: HttpRequest) -> HttpResponse:
    if not access.may_import_missing(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.missing_import(
            by=request.user, data=upload.read(MAX_BYTES + 1), filename=upload.name
        )
        if report.ok:
            messages.success(
                request,
                f"Imported {report.added} episode{'s' if report.added != 1 else ''}; "
                f"{report.already} already imported; {report.updated} returns recorded.",
            )
    return render(
        request,
        "missing/import.html",
        {"form": form, "report": report},
        status=400 if report is not None and not report.ok else 200,
    )
