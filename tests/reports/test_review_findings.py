"""Findings of the stop-27 review of the commissioner reports, each held by a
test: a hidden month worked out from another table's total, a far-future
period that was a server error, a child counted as missing repeatedly in a
period without an episode, and the home page and the report dating missing
episodes differently."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cse_cases.models import AgencyKind, MissingEpisode, Role
from reports import home
from reports.disclosure import publish_section
from reports.measures import missing, need
from reports.models import ReportRun
from reports.period import Period
from tests.conftest import signed_in_client
from tests.factories import AgencyFactory, UserFactory
from tests.reports.measures.helpers import (
    REPORT_MOMENT,
    at,
    context,
    counts,
    episode,
    person,
    referral,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(REPORT_MOMENT)]


def test_a_hidden_month_cannot_be_worked_out_from_the_agency_total(kingsmere, amira):
    """8 referrals in January, 1 in February, 8 in March. The trend once hid
    February only, and the agency table's total (17, published as 15) less
    the two shown months (each over 7) left exactly 1. With a total of its
    own the trend hid its total instead, which the agency table publishes
    anyway; now totals are never hidden to protect a part, and where no
    choice of parts is safe the parts are withheld."""
    police = AgencyFactory(name="K police", kind=AgencyKind.POLICE, areas=[kingsmere])
    for month, n in ((1, 8), (2, 1), (3, 8)):
        for i in range(n):
            referral(kingsmere, amira, at(2027, month, 3 + i), agency=police)
    tables = {t.key: t for t in publish_section(need.section(context(kingsmere))).tables}
    months = [row.cells[0] for row in tables["need.trend"].rows if not row.is_total]
    total = next(r for r in tables["need.referrals_by_agency"].rows if r.is_total).cells[0]
    hidden = [cell for cell in months if cell.suppressed]
    shown = [cell.value for cell in months if not cell.suppressed]
    assert hidden
    # What a reader can work out for the hidden months together: the total
    # is within 2 of what is shown, each shown month within 2 and over 7, a
    # small month 1 to 7, a secondary one over 7, a withheld one over 0.
    least = {"small": 1, "secondary": 8, "withheld": 1}
    most = {"small": 7, "secondary": 10**9, "withheld": 10**9}
    low = max(
        (total.value - 2) - sum(value + 2 for value in shown),
        sum(least[cell.suppressed] for cell in hidden),
    )
    high = min(
        (total.value + 2) - sum(max(8, value - 2) for value in shown),
        sum(most[cell.suppressed] for cell in hidden),
    )
    assert high > low, "the hidden months are pinned to one value"


def test_a_child_with_no_episode_in_the_period_is_not_missing_repeatedly_in_it(kingsmere, amira):
    child = person(kingsmere, amira)
    for day in (1, 5, 9):
        episode(child, amira, at(2026, 12, day), at(2026, 12, day, 18))
    went, repeated = counts(missing.section(context(kingsmere)), "missing.young_people").values()
    assert went == (0, 1)
    assert repeated == (0, 1)


def test_the_home_page_and_the_report_date_an_episode_alike(kingsmere, amira):
    """Last seen at 23:00 on 28 February, reported after midnight: February's
    in both (it was March's on the home page and February's in the report)."""
    for _ in range(10):
        MissingEpisode.objects.create(
            young_person=person(kingsmere, amira),
            last_seen_at=at(2027, 2, 28, 23),
            reported_at=at(2027, 3, 1, 0, 30),
            risk_grading="medium",
            missing_or_absent="missing",
            missing_from="home",
            recorded_by=amira,
        )
    for month, expected in ((2, 10), (3, 0)):
        period = Period.month(2027, month)
        headline = {
            row.label: row.values
            for row in home.headline_table((kingsmere.pk,), period, "default").rows
        }
        report = counts(missing.section(context(kingsmere, period=period)), "missing.episodes")
        assert headline["Missing episodes reported"][0] == expected
        assert headline["Young people reported missing"][0] == expected
        assert report["Missing"][0] == expected


@pytest.mark.time_machine(datetime(2027, 4, 14, 10, 0, tzinfo=ZoneInfo("Europe/London")))
@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [("month", "9999-12-01", "9999-12-31"), ("quarter", "9999-10-01", "9999-12-31")],
)
def test_a_period_in_year_9999_is_refused_not_a_server_error(
    kingsmere, kingsmere_social_care, kind, start, end
):
    commissioner = UserFactory(
        role=Role.COMMISSIONER, agency=kingsmere_social_care, areas=[kingsmere]
    )
    client = signed_in_client(commissioner)
    response = client.post(
        "/api/v1/reports/",
        {"area_ids": [kingsmere.pk], "period_kind": kind, "period_start": start, "period_end": end},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "starts in the future" in response.content.decode()
    assert not ReportRun.objects.exists()
