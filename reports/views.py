"""Commissioner report pages: ask for a report, watch it being made, read it,
download its PDF and CSVs. Every page asks the access policy; a run is its
requester's alone (404 for anyone else)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cse_cases import access
from reports import csv as report_csv
from reports import selectors, services
from reports.forms import ReportRequestForm
from reports.models import ReportRun, RunStatus
from reports.period import Period
from reports.published import PublishedSection


def _posted_area_ids(request: HttpRequest) -> list[int]:
    """The areas asked for, each one the commissioner's, or 404: an area that
    is not theirs is "not found", not a form error that confirms it exists."""
    raw = request.POST.getlist("areas")
    try:
        ids = [int(value) for value in raw]
    except ValueError:
        raise Http404 from None
    if ids:
        access.areas_for_report(request.user, ids)
    return ids


@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest) -> HttpResponse:
    access.require_reports(request.user)
    today = timezone.localdate()
    areas = [(area.pk, area.name) for area in access.commissioned_areas(request.user)]
    if request.method == "POST":
        area_ids = _posted_area_ids(request)
        form = ReportRequestForm(request.POST, areas=areas, today=today)
        if form.is_valid() and form.period_value is not None:
            try:
                requested = services.report_request(
                    user=request.user, area_ids=area_ids, period=form.period_value
                )
            except services.ReportRequestError as error:
                form.add_error(None, str(error))
            else:
                if not requested.created:
                    messages.info(request, "That report is already being made: here it is.")
                return redirect("report-run", requested.run.pk)
    else:
        form = ReportRequestForm(areas=areas, today=today)
    return render(
        request,
        "reports/catalogue.html",
        {
            "form": form,
            "runs": selectors.recent_runs(request.user),
            "has_areas": bool(areas),
            **selectors.disclosure_terms(),
        },
    )


@require_GET
def run(request: HttpRequest, pk: int) -> HttpResponse:
    report = services.expire_if_due(access.report_run_for(request.user, pk))
    context = selectors.run_page(report)
    if report.status == RunStatus.DONE:
        services.report_viewed(user=request.user, run=report)
    return render(request, "reports/run.html", context)


@require_GET
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel, polled by htmx while the run is queued or running.
    When it is ready the page reloads itself to show the report."""
    report = services.expire_if_due(access.report_run_for(request.user, pk))
    response = render(request, "reports/_status.html", selectors.run_page(report))
    if (
        report.status not in (RunStatus.QUEUED, RunStatus.RUNNING)
        and request.headers.get("HX-Request") == "true"
    ):
        response["HX-Refresh"] = "true"
    return response


@require_http_methods(["POST"])
def again(request: HttpRequest, pk: int) -> HttpResponse:
    """Run an expired or failed report again, with the same areas and period."""
    report = services.expire_if_due(access.report_run_for(request.user, pk))
    if report.status not in (RunStatus.EXPIRED, RunStatus.FAILED):
        # Ready or still being made: nothing to make again.
        return redirect("report-run", report.pk)
    period = Period(report.period_kind, report.period_start, report.period_end)
    try:
        requested = services.report_request(
            user=request.user, area_ids=list(report.area_ids), period=period
        )
    except services.ReportRequestError as error:
        messages.error(request, str(error))
        return redirect("reports")
    return redirect("report-run", requested.run.pk)


def _ready(request: HttpRequest, pk: int) -> tuple[ReportRun, HttpResponse | None]:
    report = services.expire_if_due(access.report_run_for(request.user, pk))
    if report.status != RunStatus.DONE:
        # Expired: a clear page offering to run it again (410 Gone); still
        # being made: the progress page (409), never a broken file.
        code = 410 if report.status == RunStatus.EXPIRED else 409
        return report, render(request, "reports/run.html", selectors.run_page(report), status=code)
    return report, None


@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report, not_ready = _ready(request, pk)
    if not_ready is not None:
        return not_ready
    try:
        opened = report.pdf.open("rb")
    except FileNotFoundError:
        # Removed by the expiry task between the check above and here: the
        # expired page, as if it had been asked a moment later.
        report.refresh_from_db()
        return render(request, "reports/run.html", selectors.run_page(report), status=410)
    services.report_downloaded(user=request.user, run=report, what="PDF")
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=selectors.file_name(report, "pdf"),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


def _cell_lines(sections: list[PublishedSection]) -> Iterator[list]:
    # One header for the whole file, then every section's cells.
    yield list(report_csv.HEADER)
    for section in sections:
        yield from islice(report_csv.rows(section), 1, None)


def _estimate_lines(sections: list[PublishedSection]) -> Iterator[list]:
    yield list(report_csv.ESTIMATES_HEADER)
    for section in sections:
        yield from islice(report_csv.estimates_rows(section), 1, None)


@require_GET
def estimates_csv(request: HttpRequest, pk: int) -> HttpResponse:
    report, not_ready = _ready(request, pk)
    if not_ready is not None:
        return not_ready
    services.report_downloaded(user=request.user, run=report, what="estimates CSV")
    response = StreamingHttpResponse(
        report_csv.stream(_estimate_lines(selectors.sections_of(report))),
        content_type="text/csv; charset=utf-8",
    )
    name = selectors.file_name(report, "csv", "estimates")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def csv(request: HttpRequest, pk: int, table: str | None = None) -> HttpResponse:
    report, not_ready = _ready(request, pk)
    if not_ready is not None:
        return not_ready
    sections = selectors.sections_of(report)
    if table is not None:
        sections = selectors.only_table(sections, table)
        if sections is None:
            raise Http404
    services.report_downloaded(user=request.user, run=report, what=f"CSV ({table or 'all tables'})")
    response = StreamingHttpResponse(
        report_csv.stream(_cell_lines(sections)), content_type="text/csv; charset=utf-8"
    )
    name = selectors.file_name(report, "csv", table)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
