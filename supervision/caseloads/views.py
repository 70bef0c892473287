"""Caseload pages: your cases, the team's caseloads and a worker's, capacity,
load factors, moving a case, the weighting scheme and continuity."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cse_cases import access, audit
from cse_cases.models import AuditAction, RiskLevel
from cse_cases.params import whole_number
from cse_cases.services.records import EditConflict, RecordError
from supervision.caseloads import continuity as continuity_selectors
from supervision.caseloads import mine, selectors, services
from supervision.caseloads.forms import AllocationForm, CapacityForm, LoadFactorsForm, SchemeForm
from supervision.models import FACTOR_POINT_FIELDS, RISK_POINT_FIELDS, WeightingScheme
from supervision.sessions.selectors import supervision_due

TEAM_PAGE_SIZE = 50


def my_cases(request: HttpRequest) -> HttpResponse:
    """Every open case I lead or am in the team for, sortable and filtered."""
    access.require_records(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    filters = mine.Filters.from_query(request.GET.dict())
    cases = list(mine.my_cases(request.user, now, filters))
    for case in cases:
        case.trajectory = mine.trajectory(case)
        case.overdue = mine.is_overdue(case, today)
    audit.record_many(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="case",
        young_person_ids=[case.young_person_id for case in cases],
        detail="my cases",
    )
    scheme = selectors.current_scheme()
    me = selectors.worker_loads(
        scheme, access.workers_visible_to(request.user).filter(pk=request.user.pk), today, now
    ).first()
    return render(
        request,
        "supervision/caseloads/my_cases.html",
        {
            "cases": cases,
            "filters": filters,
            "limit": mine.LIMIT,
            "sorts": [
                ("due", "Next due"),
                ("risk", "Risk level"),
                ("contact", "Last contact"),
                ("flags", "Open flags"),
                ("name", "Name"),
            ],
            "roles": mine.ROLES,
            "risk_levels": RiskLevel.choices,
            "me": me,
            "load": selectors.load_of(me) if me else None,
            "scheme": scheme,
            "today": today,
        },
    )


def team_caseloads(request: HttpRequest) -> HttpResponse:
    """Supervisors (their teams) and CSE leads (their districts): each worker's
    weighted load against capacity, overdue items and flags. A page of
    workers at a time, so a district of thousands costs what a team does."""
    if not access.may_see_caseloads(request.user):
        raise Http404
    now = timezone.now()
    today = timezone.localdate(now)
    scheme = selectors.current_scheme()
    managed = access.workers_managed_by(request.user)
    teams = continuity_selectors.teams_for(request.user)
    team_id = whole_number(request.GET.get("team"), default=0)
    if team_id and team_id in {team.pk for team in teams}:
        managed = managed.filter(team_id=team_id)
    else:
        team_id = 0
    page = Paginator(
        selectors.worker_loads(
            scheme, managed.select_related("team", "agency", "worker_profile"), today, now
        ).order_by("team__name", "last_name", "first_name", "pk"),
        TEAM_PAGE_SIZE,
    ).get_page(max(1, whole_number(request.GET.get("page"), default=1)))
    due = supervision_due(list(page), today)
    for worker in page:
        worker.load_bar = selectors.load_of(worker)
        worker.supervision = due.get(worker.pk)
    return render(
        request,
        "supervision/caseloads/team.html",
        {
            "page": page,
            "workers": page.object_list,
            "teams": teams,
            "team_id": team_id,
            "query": f"team={team_id}" if team_id else "",
            "scheme": scheme,
            "over": sum(1 for w in page if w.load_bar.over),
            "today": today,
        },
    )


def worker_caseload(request: HttpRequest, pk: int) -> HttpResponse:
    """One worker's cases with each case's points, one click from the bar."""
    access.require_records(request.user)
    found = access.worker_for(request.user, pk)
    now = timezone.now()
    today = timezone.localdate(now)
    scheme = selectors.current_scheme()
    worker = selectors.worker_loads(
        scheme,
        access.workers_visible_to(request.user)
        .select_related("team", "agency", "worker_profile")
        .filter(pk=pk),
        today,
        now,
    ).get()
    cases, hidden, hidden_points = selectors.worker_cases(scheme, request.user, worker, today)
    movable = set(
        access.cases_to_allocate(request.user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    audit.record_many(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="case",
        young_person_ids=[case.young_person_id for case in cases],
        detail=f"caseload of {worker.get_username()}",
    )
    return render(
        request,
        "supervision/caseloads/worker.html",
        {
            "worker": worker,
            "load": selectors.load_of(worker),
            "can_manage": found.can_manage,
            "cases": cases,
            "movable": movable,
            "hidden": hidden,
            "hidden_points": hidden_points,
            "scheme": scheme,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def worker_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    worker = access.worker_for(request.user, pk, need_manage=True).worker
    profile = getattr(worker, "worker_profile", None)
    initial = (
        {
            "weekly_hours": profile.weekly_hours,
            "capacity_points": profile.capacity_points,
            "practice_started_on": profile.practice_started_on,
            "version": profile.version,
        }
        if profile
        else {"weekly_hours": Decimal(37)}
    )
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.worker_profile_set(
                by=request.user,
                worker=worker,
                weekly_hours=data["weekly_hours"],
                capacity_points=data["capacity_points"],
                practice_started_on=data["practice_started_on"],
                version=data["version"],
            )
        except EditConflict as conflict:
            form.add_record_error(conflict)
            if conflict.current is not None:
                form.data = form.data.copy()
                form.data["version"] = str(conflict.current.version)
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, f"{worker}'s capacity is saved.")
            return redirect("worker-caseload", pk=worker.pk)
    return render(request, "supervision/caseloads/capacity.html", {"form": form, "worker": worker})


@require_http_methods(["GET", "POST"])
def case_load_factors(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    case = access.case_access_for(request.user, pk).case
    if not access.may_record_load_factors(request.user, case):
        raise Http404
    today = timezone.localdate()
    scheme = selectors.current_scheme()
    weighed = selectors.weighted_cases(scheme, type(case).objects.filter(pk=case.pk), today).get()
    factors = getattr(case, "load_factors", None)
    form = LoadFactorsForm(
        request.POST or None,
        initial={
            "criminal_proceedings": bool(factors and factors.criminal_proceedings),
            "sibling_group": bool(factors and factors.sibling_group),
            "travel_minutes": factors.travel_minutes if factors else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_load_factors_set(by=request.user, case=case, **form.cleaned_data)
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "The case's load factors are saved.")
            return redirect("young-person", pk=case.young_person_id)
    if request.method == "GET":
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=case,
            young_person_id=case.young_person_id,
            detail="load factors",
        )
    return render(
        request,
        "supervision/caseloads/load_factors.html",
        {"form": form, "case": case, "weighed": weighed, "scheme": scheme},
    )


@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a case to another lead professional, with each candidate's load
    after the move and the young person's continuity beside the choice."""
    access.require_records(request.user)
    case = access.case_to_allocate(request.user, pk)
    now = timezone.now()
    today = timezone.localdate(now)
    scheme = selectors.current_scheme()
    weighed = selectors.weighted_cases(scheme, type(case).objects.filter(pk=case.pk), today).get()
    candidates = access.allocation_candidates(request.user, case).select_related(
        "team", "agency", "worker_profile"
    )
    member_ids = set(case.members.filter(removed_at__isnull=True).values_list("user_id", flat=True))
    rows = selectors.candidate_loads(
        scheme, candidates, points=weighed.points, member_ids=member_ids, today=today, now=now
    )
    form = AllocationForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_reallocate(
                by=request.user,
                case=case,
                to_user=data["to_user"],
                reason=data["reason"],
                add_to_team=data["add_to_team"],
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(
                request,
                f"{data['to_user']} is now the lead professional. Both workers and "
                "the team around the child are told.",
            )
            return redirect("young-person", pk=case.young_person_id)
    if request.method == "GET":
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=case,
            young_person_id=case.young_person_id,
            detail="allocate",
        )
    continuity = selectors.continuity_of(
        young_person_id=case.young_person_id, now=now, case_id=case.pk
    )
    return render(
        request,
        "supervision/caseloads/allocate.html",
        {
            "case": case,
            "form": form,
            "rows": rows,
            "weighed": weighed,
            "scheme": scheme,
            "leads_in_year": continuity.leads_in_year,
            "consistent_worker": continuity.consistent_worker,
        },
    )


def weighting_schemes(request: HttpRequest) -> HttpResponse:
    if not access.may_read_weighting_schemes(request.user):
        raise Http404
    current = selectors.current_scheme()
    units = {
        "many_agencies_at": "agencies",
        "recent_missing_days": "days",
        "travel_minutes_at": "minutes",
    }
    names = (*RISK_POINT_FIELDS, *FACTOR_POINT_FIELDS, *units, "member_weight")
    return render(
        request,
        "supervision/caseloads/weighting.html",
        {
            "current": current,
            "versions": list(selectors.schemes()[:50]),
            "settings": [
                (
                    WeightingScheme._meta.get_field(name).verbose_name,
                    getattr(current, name),
                    units.get(name, "" if name == "member_weight" else "points"),
                )
                for name in names
            ],
            "may_publish": access.may_publish_weighting_scheme(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def weighting_publish(request: HttpRequest) -> HttpResponse:
    if not access.may_publish_weighting_scheme(request.user):
        raise Http404
    current = selectors.current_scheme()
    initial = {
        name: getattr(current, name) for name in SchemeForm._meta.fields if name != "rationale"
    }
    form = SchemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rationale = data.pop("rationale")
        try:
            scheme = services.weighting_scheme_publish(
                by=request.user, rationale=rationale, settings_=data
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(
                request, f"Version {scheme.version} of the weighting scheme is published."
            )
            return redirect("weighting-schemes")
    return render(
        request, "supervision/caseloads/weighting_publish.html", {"form": form, "current": current}
    )


def continuity(request: HttpRequest) -> HttpResponse:
    """Changes of lead professional per child per year, for each team."""
    if not access.may_see_caseloads(request.user):
        raise Http404
    now = timezone.now()
    return render(
        request,
        "supervision/caseloads/continuity.html",
        {
            "rows": continuity_selectors.by_team(request.user, now),
            "since": now - timedelta(days=365),
        },
    )
