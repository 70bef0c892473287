"""Finding a young person: search, emergency (break-glass) access to a record
the search found, and a CSE lead's decision on a possible duplicate."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access, audit, selectors, services
from cse_cases.models import AuditAction, YoungPerson
from cse_cases.record_forms import BreakGlassForm, SearchForm

# A match found by search waits in the session, never in the page or the
# address: emergency access is reached by finding the young person, and no
# id the browser could send (or guess) opens a record.
BREAK_GLASS_MATCH = "harbour_break_glass_match"
BREAK_GLASS_MATCH_MINUTES = 30


def search(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    form = SearchForm(request.GET or None)
    results = None
    hidden_matches = 0
    if form.is_bound and form.is_valid() and form.has_criteria():
        data = form.cleaned_data
        results = selectors.search_young_people(
            request.user,
            text=data["q"],
            date_of_birth=data["date_of_birth"],
            identifier=data["identifier"],
            area_id=data["area"].pk if data["area"] else None,
        )
        hidden = _break_glass_offer(request, data)
        hidden_matches = len(hidden)
        # One row per child found: "who has seen this record" includes searches,
        # and a match the searcher cannot see is recorded against that child so
        # information governance can spot anyone probing.
        audit.record_many(
            user=request.user,
            action=AuditAction.SEARCH,
            object_type="youngperson",
            young_person_ids=[person.pk for person in results],
            detail=f"search: {len(results)} results",
        )
        if hidden:
            audit.record_many(
                user=request.user,
                action=AuditAction.SEARCH,
                object_type="youngperson",
                young_person_ids=hidden,
                detail="search matched a record the searcher cannot see",
            )
    return render(
        request,
        "records/search.html",
        {
            "form": form,
            "results": results,
            "limit": selectors.SEARCH_LIMIT,
            "hidden_matches": hidden_matches,
        },
    )


def _break_glass_offer(request: HttpRequest, data: dict) -> list[int]:
    """Records this person cannot see that their search identifies closely
    (name and date of birth, or an identifier). Exactly one is remembered in
    the session for the emergency-access page; more than one must be narrowed."""
    request.session.pop(BREAK_GLASS_MATCH, None)
    matches = selectors.strong_matches(
        text=data["q"], date_of_birth=data["date_of_birth"], identifier=data["identifier"]
    )
    if matches is None:
        return []
    hidden = access.break_glass_candidates(request.user, matches)
    if len(hidden) == 1:
        request.session[BREAK_GLASS_MATCH] = {
            "young_person": hidden[0],
            "found_at": timezone.now().isoformat(),
        }
    return hidden


def _break_glass_match(request: HttpRequest) -> int | None:
    """The young person the last search found, if it was recent enough."""
    match = request.session.get(BREAK_GLASS_MATCH)
    if not isinstance(match, dict):
        return None
    try:
        found_at = datetime.fromisoformat(match["found_at"])
        young_person_id = int(match["young_person"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - found_at > timedelta(minutes=BREAK_GLASS_MATCH_MINUTES):
        return None
    return young_person_id


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """Emergency access to the record the person's last search found.

    The page takes no id: whatever is posted, only the session's match is
    opened, so the answer says nothing about records that were not found."""
    if not access.may_break_glass(request.user):
        raise Http404
    match = _break_glass_match(request)
    form = BreakGlassForm(request.POST or None)
    if match is not None and request.method == "POST" and form.is_valid():
        candidates = access.break_glass_candidates(
            request.user, YoungPerson.objects.filter(pk=match)
        )
        if not candidates:
            # They can see it now (or it was merged away): nothing to open.
            request.session.pop(BREAK_GLASS_MATCH, None)
            if access.sees_young_person(request.user, match):
                return redirect("young-person", pk=match)
            match = None
        else:
            case = access.break_glass_case(match)
            try:
                services.break_glass_open(
                    user=request.user, case=case, reason=form.cleaned_data["reason"]
                )
            except services.RecordError as error:
                form.add_record_error(error)
            else:
                request.session.pop(BREAK_GLASS_MATCH, None)
                messages.success(
                    request,
                    f"You have emergency access for {services.records.BREAK_GLASS_HOURS} "
                    "hours. The lead professional has been told, and information "
                    "governance reviews it.",
                )
                return redirect("young-person", pk=match)
    return render(
        request,
        "records/break_glass.html",
        {
            "form": form,
            "has_match": match is not None,
            "hours": services.records.BREAK_GLASS_HOURS,
        },
    )


@require_POST
def possible_duplicate_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSE lead's decision on a possible duplicate in their district."""
    item = next((d for d in selectors.possible_duplicates_for(request.user) if d.pk == pk), None)
    if item is None or not item.decidable:
        raise Http404
    same_person = request.POST.get("decision") == "same"
    reason = request.POST.get("reason", "").strip() or (
        "Checked by the CSE lead: " + ("the same young person" if same_person else "different")
    )
    try:
        left = services.possible_duplicate_resolve(
            by=request.user, item=item, same_person=same_person, reason=reason
        )
    except services.RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Records merged." if same_person else "Marked as different young people.",
        )
        for sentence in left:
            messages.warning(request, sentence)
    return redirect("home")
