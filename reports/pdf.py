"""A report as PDF (WeasyPrint): cover, contents, each section's charts
(inline SVG, so vector) and tables with their suppression marks, the method,
page numbers, the period and areas, and the OFFICIAL marking."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cse_cases.pdf import render_pdf
from reports.models import ReportRun
from reports.published import PublishedSection
from reports.selectors import area_names, period_of


def report_html(run: ReportRun, sections: list[PublishedSection]) -> str:
    period = period_of(run)
    return render_to_string(
        "reports/pdf.html",
        {
            "run": run,
            "period": period,
            "previous": period.previous(),
            "areas": area_names(run),
            "sections": sections,
            "threshold": settings.REPORTS_SUPPRESSION_THRESHOLD,
            "made_at": timezone.localtime(),
        },
    )


def report_pdf(run: ReportRun, sections: list[PublishedSection]) -> bytes:
    # Through the shared fetcher: the document loads only Harbour's static files.
    return render_pdf(report_html(run, sections))
