"""Commissioner reports: who may ask for one, for which areas, and who may open it.

- A commissioner asks for reports on the areas they commission for (their
  account's districts), and nobody else's. An area outside them is "not
  found" (404), as a record would be: a commissioner learns nothing about
  areas that are not theirs.
- A run, its page, its files and its figures are the requester's alone. An
  emailed link forwarded to a colleague is "not found" for the colleague.
- Reports hold only published (disclosure-controlled) figures, so reading one
  is not reading an identifiable record; the record roles never need them,
  and commissioners never reach a record (roles.require_records).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from cse_cases.access.roles import has_role
from cse_cases.models import Area, Role, User
from reports.models import ReportRun

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def may_request_reports(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.COMMISSIONER)


def require_reports(user: User | AnonymousUser) -> None:
    if not may_request_reports(user):
        raise Http404


def commissioned_areas(user: User | AnonymousUser) -> QuerySet[Area]:
    """The areas this person may report on, by name."""
    if not may_request_reports(user) or not isinstance(user, User):
        return Area.objects.none()
    return Area.objects.filter(staff=user).order_by("name")


def areas_for_report(user: User | AnonymousUser, area_ids: Iterable[int]) -> list[Area]:
    """The areas asked for, each one this person commissions for; 404 when any
    is not (or does not exist): one answer for both, so ids reveal nothing."""
    wanted = set(area_ids)
    if not wanted:
        raise Http404
    areas = list(commissioned_areas(user).filter(pk__in=wanted))
    if len(areas) != len(wanted):
        raise Http404
    return areas


def report_runs_visible_to(user: User | AnonymousUser) -> QuerySet[ReportRun]:
    if not may_request_reports(user) or not isinstance(user, User):
        return ReportRun.objects.none()
    return ReportRun.objects.filter(requested_by=user)


def report_run_for(user: User | AnonymousUser, pk: object) -> ReportRun:
    """The requester's own run, or 404 (a malformed id too)."""
    if not isinstance(pk, int):
        if not (isinstance(pk, str) and pk.isascii() and pk.isdigit()):
            raise Http404
        pk = int(pk)
    if not 0 < pk < 2**63:  # a bigint: a larger id would be a database error, not "not found"
        raise Http404
    run = report_runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run
