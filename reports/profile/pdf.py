"""The profile as a PDF for the partnership board, through the reports' PDF
machinery (WeasyPrint with Harbour's own fetcher, the report stylesheet, the
charts as inline SVG)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from cse_cases.pdf import render_pdf
from reports.profile.selectors import Profile


def profile_html(profile: Profile) -> str:
    return render_to_string(
        "reports/profile_pdf.html", {"profile": profile, "made_at": timezone.localtime()}
    )


def profile_pdf(profile: Profile) -> bytes:
    return render_pdf(profile_html(profile))


def file_name(profile: Profile) -> str:
    # Named for its audience, so the exact copy is not sent to the board by
    # mistake for the board's.
    period = profile.period
    audience = "board" if profile.shared else "exact"
    return (
        f"harbour-problem-profile-{audience}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.pdf"
    )
