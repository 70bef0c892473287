"""See Me, Hear Me plans: versions by review, what changed, disruption required."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.models import PlanVersion
from assessments.plans import services
from cse_cases.services import EditConflict, RecordError
from tests.conftest import ORDINARY_TUESDAY, signed_in_client, verified

# Dates here are "in 3 days", "due yesterday", a review months ahead: all
# counted from one ordinary working day, whatever day the suite runs.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)

SECTIONS = {
    "needs_and_outcomes": "Jade is safe at night and back in school.",
    "young_person_support": "Weekly sessions with Amira; a trusted adult at school.",
    "parents_support": "Mum offered the parents' support group.",
    "disruption_and_investigation": "Police to issue a notice to the adult seen with Jade.",
    "young_persons_views": "\u201cI want my phone back.\u201d",
}


def marked_up(change) -> str:
    """A change as the plan pages mark it up (the service returns the words)."""
    return render_to_string("assessments/plans/_diff.html", {"change": change}).strip()


def review(case, by, *, based_on, **changes):
    return services.plan_review(
        by=verified(by),
        case=case,
        sections={**SECTIONS, **changes},
        # The worker the young person relies on: their lead professional,
        # whoever writes the review (a CSE lead may review the plan).
        consistent_worker=case.lead_professional,
        review_on=timezone.localdate() + timedelta(days=42),
        based_on=based_on,
    )


def test_each_review_makes_a_new_version_and_keeps_the_old(jades_case, amira):
    first = review(jades_case, amira, based_on=0)
    second = review(
        jades_case, amira, based_on=1, needs_and_outcomes="Jade is safe at night and at college."
    )
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert first.needs_and_outcomes == SECTIONS["needs_and_outcomes"]
    changes = services.plan_changes(first, second)
    assert [c.heading for c in changes] == ["Needs and the outcomes wanted"]
    assert marked_up(changes[0]) == (
        "Jade is safe at night and <del>back in school.</del> <ins>at college.</ins>"
    )


def test_disruption_and_investigation_is_required(jades_case, amira):
    with pytest.raises(RecordError, match="never waits for a disclosure") as caught:
        review(jades_case, amira, based_on=0, disruption_and_investigation="  ")
    assert caught.value.field == "disruption_and_investigation"


def test_a_second_reviewer_on_the_same_version_is_told(jades_case, amira, jo):
    review(jades_case, amira, based_on=0)
    review(jades_case, jo, based_on=1)
    with pytest.raises(EditConflict, match="reviewed this plan"):
        review(jades_case, amira, based_on=1)
    assert PlanVersion.objects.filter(plan__case=jades_case).count() == 2


def test_the_consistent_worker_must_be_in_the_team(jades_case, amira, ben):
    with pytest.raises(RecordError, match="not the lead professional or in the team"):
        services.plan_review(
            by=verified(amira),
            case=jades_case,
            sections=SECTIONS,
            consistent_worker=ben,
            review_on=timezone.localdate() + timedelta(days=30),
            based_on=0,
        )


def test_the_review_date_must_be_in_the_future(jades_case, amira):
    with pytest.raises(RecordError, match="must be in the future"):
        services.plan_review(
            by=verified(amira),
            case=jades_case,
            sections=SECTIONS,
            consistent_worker=amira,
            review_on=timezone.localdate(),
            based_on=0,
        )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_plan_pages_review_to_version_two_and_show_what_changed(jades_case, amira, grace):
    client = signed_in_client(amira)
    url = reverse("plan-review", args=[jades_case.pk])
    data = {
        **SECTIONS,
        "based_on": 0,
        "consistent_worker": amira.pk,
        "review_on": (timezone.localdate() + timedelta(days=42)).isoformat(),
    }
    assert client.post(url, data).status_code == 302
    data |= {"based_on": 1, "education": "College place from January."}
    assert client.post(url, data).status_code == 302
    page = text(signed_in_client(grace).get(reverse("plan", args=[jades_case.pk])))
    assert "Version 2" in page
    assert "<ins>College place from January.</ins>" in page
    old = text(signed_in_client(grace).get(reverse("plan-version", args=[jades_case.pk, 1])))
    assert "This version has been reviewed: the current plan is version 2." in old
    # Grace is in the team around the child: she may review it too.
    assert signed_in_client(grace).get(url).status_code == 200


def test_a_failed_review_keeps_what_was_typed(jades_case, amira):
    response = signed_in_client(amira).post(
        reverse("plan-review", args=[jades_case.pk]),
        {
            **SECTIONS,
            "disruption_and_investigation": "",
            "based_on": 0,
            "consistent_worker": amira.pk,
            "review_on": (timezone.localdate() + timedelta(days=42)).isoformat(),
        },
    )
    page = text(response)
    assert "never waits for a disclosure" in page
    assert "Weekly sessions with Amira" in page


@pytest.mark.parametrize("name", ["plan", "plan-review"])
def test_outsiders_get_404(name, jades_case, ben, tom):
    for outsider in (ben, tom):
        assert (
            signed_in_client(outsider).get(reverse(name, args=[jades_case.pk])).status_code == 404
        )


def test_html_in_a_plan_is_shown_as_text_in_what_changed(jades_case, amira):
    first = review(jades_case, amira, based_on=0)
    second = review(jades_case, amira, based_on=1, health="<script>alert(1)</script> GP visit")
    (change,) = services.plan_changes(first, second)
    assert "&lt;script&gt;" in marked_up(change)
    assert "<script>" not in marked_up(change)


@pytest.mark.parametrize(
    ("name", "version"), [("plan", None), ("plan-version", 1)], ids=["current", "earlier"]
)
def test_plan_pages_run_a_fixed_number_of_queries(
    name, version, jades_case, amira, django_assert_max_num_queries
):
    """The current plan, and version 1, with two versions and then with six."""
    client = signed_in_client(amira)
    url = reverse(name, args=[jades_case.pk] + ([version] if version else []))
    review(jades_case, amira, based_on=0)
    review(jades_case, amira, based_on=1, health="GP")
    client.get(url)
    with django_assert_max_num_queries(20) as two:
        client.get(url)
    for number in range(2, 6):
        review(jades_case, amira, based_on=number, health=f"GP visit {number}")
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert client.get(url).status_code == 200


def test_what_a_review_changed_is_words_not_markup(jades_case, amira):
    """The service says which words went and came; only the template marks them up."""
    first = review(jades_case, amira, based_on=0)
    second = review(jades_case, amira, based_on=1, health="<b>GP</b> visit")
    (change,) = services.plan_changes(first, second)
    assert [(p.text, p.removed, p.added) for p in change.pieces] == [
        ("<b>GP</b> visit", False, True)
    ]
    assert marked_up(change) == "<ins>&lt;b&gt;GP&lt;/b&gt; visit</ins>"
