"""The report URLs' rows of the permission matrix
(tests/cse_cases/test_permission_matrix.py takes them in).

In the story Priya is Kingsmere's commissioner: a run is hers alone, and no
other persona (a CSE lead, information governance, an administrator) reaches
any report page or API. The problem profile is for CSE leads and police."""

from __future__ import annotations

from datetime import date

from tests.cse_cases.permission_story import INTELLIGENCE, ok_for

PRIYA = {"priya"}


def _run(s: dict) -> dict:
    from cse_cases.models import User
    from reports.models import ReportRun

    priya = User.objects.get(username="priya")
    # get_or_create: the narrow-screens test asks every row in one
    # transaction, and a second queued run of the same report is refused.
    run, _ = ReportRun.objects.get_or_create(
        requested_by=priya,
        area_ids=[s["jade"].area_id],
        period_kind="month",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
    )
    return {"pk": run.pk}


def _table(s: dict) -> dict:
    return {**_run(s), "table": "need.referrals_by_agency"}


REPORT_ROWS: dict[str, tuple] = {
    "reports": ("get", lambda s: {}, ok_for(PRIYA)),
    "report-run": ("get", _run, ok_for(PRIYA)),
    "report-status": ("get", _run, ok_for(PRIYA)),
    # Still queued: the owner is shown the progress page (409), never a file.
    "report-pdf": ("get", _run, ok_for(PRIYA, ok=409)),
    "report-csv": ("get", _run, ok_for(PRIYA, ok=409)),
    "report-table-csv": ("get", _table, ok_for(PRIYA, ok=409)),
    "report-estimates-csv": ("get", _run, ok_for(PRIYA, ok=409)),
    # The same report is still being made: she is sent to it.
    "report-again": ("post", _run, ok_for(PRIYA, ok=302)),
    "report-api-list": ("get", lambda s: {}, ok_for(PRIYA)),
    "report-api-detail": ("get", _run, ok_for(PRIYA)),
    # The problem profile: CSE leads and police, each for their own districts
    # (tests/reports/profile/test_pages.py asks for another's: 404). Asked
    # with no district, the page offers the form and the API says what is
    # missing (400).
    "problem-profile": ("get", lambda s: {}, ok_for(INTELLIGENCE)),
    "problem-profile-pdf": ("get", lambda s: {}, ok_for(INTELLIGENCE)),
    "problem-profile-api-list": ("get", lambda s: {}, ok_for(INTELLIGENCE, 400)),
}
