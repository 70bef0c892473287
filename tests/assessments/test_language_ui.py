"""The language check where people write: the phrase in context, one-click
wording, keeping one's own words with a reason, and the report of keeps."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.language import rules as language
from assessments.language import selectors, services
from assessments.models import LanguageKeep
from cse_cases import access
from cse_cases.models import AuditEvent, Role
from cse_cases.record_forms import NoteForm
from cse_cases.services import RecordError
from tests.conftest import verified

pytestmark = pytest.mark.django_db

IMAGES = "Tia has been sending images to a 24-year-old man."
RELATIONSHIP = "Kai is in a relationship with a 30-year-old."


def _finding(text: str, rule: str | None = None) -> language.Finding:
    found = language.check(text)
    assert found, text
    return next(f for f in found if rule is None or f.rule == rule)


def _check(client, text: str, **extra):
    return client.post(reverse("language-check"), {"field": "text", "text": text, **extra})


def _keep(client, text: str, reason: str, **extra):
    finding = _finding(text)
    data = {
        "field": "text",
        "text": text,
        "rule": finding.rule,
        "phrase": finding.phrase,
        "language_form": "NoteForm",
        "reason_input": "text-language-reason-1",
        "text-language-reason-1": reason,
    }
    data.update(extra)
    return client.post(reverse("language-keep"), data)


# The check's findings, shown


def test_a_finding_shows_the_phrase_in_context_and_a_wording_to_use(amira, sign_in) -> None:
    finding = _finding(IMAGES)
    page = _check(sign_in(amira), IMAGES).content.decode()
    assert f"<mark>{finding.phrase}</mark>" in page
    assert "Tia has been <mark>" in page
    assert finding.why in page
    assert "Use this wording" in page
    assert f'data-start="{finding.start}"' in page
    assert f'data-end="{finding.end}"' in page
    assert f'data-phrase="{finding.phrase}"' in page
    assert "Keep my words" in page


def test_offsets_count_as_the_browser_does_after_an_emoji_and_windows_newlines(
    amira, sign_in
) -> None:
    text = "😀 Update.\r\nKai is in a relationship with a 30-year-old."
    page = _check(sign_in(amira), text).content.decode()
    bare = text.replace("\r\n", "\n")
    finding = _finding(bare)
    # The emoji is two UTF-16 units, one code point; CRLF is one newline in a textarea.
    assert f'data-start="{finding.start + 1}"' in page
    assert selectors.js_offset(bare, finding.start) == finding.start + 1


def test_pasted_markup_is_shown_as_text(amira, sign_in) -> None:
    page = _check(sign_in(amira), "<script>x</script> She <b>absconded</b> again.").content
    assert b"<script>x" not in page
    assert b"&lt;script&gt;x" in page


def test_the_check_runs_a_fixed_number_of_queries_whatever_the_text(amira, sign_in) -> None:
    client = sign_in(amira)
    _check(client, "warm up")
    counts = []
    for text in (IMAGES, (IMAGES + " " + RELATIONSHIP + " ") * 200):
        with CaptureQueriesContext(connection) as queries:
            assert _check(client, text).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 4, counts


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": IMAGES},
        {"field": "", "text": IMAGES},
        {"field": "field"},
        {"field": "te xt", "te xt": IMAGES},
        {"field": "<b>", "<b>": IMAGES},
        {"field": "x" * 101},
    ],
)
def test_the_check_refuses_a_request_that_names_no_field(amira, sign_in, data) -> None:
    response = sign_in(amira).post(reverse("language-check"), data)
    assert response.status_code == 400
    assert b"Say which field" in response.content


def test_a_nul_or_a_huge_body_is_a_400(amira, sign_in, settings) -> None:
    client = sign_in(amira)
    assert _check(client, "Tia\x00 absconded").status_code == 400
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    assert _check(client, "word " * 5_000).status_code == 400


def test_the_check_and_keep_are_post_only(amira, sign_in) -> None:
    client = sign_in(amira)
    assert client.get(reverse("language-check")).status_code == 405
    assert client.get(reverse("language-keep")).status_code == 405


def test_the_check_and_keep_need_the_csrf_token(amira) -> None:
    from django.test import Client

    from tests.conftest import signed_in_client

    session = signed_in_client(amira).cookies
    client = Client(enforce_csrf_checks=True)
    client.cookies = session
    assert client.post(reverse("language-check"), {"field": "text"}).status_code == 403
    assert client.post(reverse("language-keep"), {"field": "text"}).status_code == 403


@pytest.mark.parametrize("who", ["priya", "alex"])
def test_people_without_records_get_404(who, request, sign_in) -> None:
    client = sign_in(request.getfixturevalue(who))
    assert _check(client, IMAGES).status_code == 404
    assert _keep(client, IMAGES, "Quoting her").status_code == 404
    assert not LanguageKeep.objects.exists()


def test_signed_out_gets_no_check(client) -> None:
    response = client.post(reverse("language-check"), {"field": "text", "text": IMAGES})
    assert response.status_code in (302, 404)
    assert b"<mark>" not in response.content


# Keeping one's words


@time_machine.travel("2026-12-01 10:00 +00:00", tick=False)
def test_keeping_words_records_the_phrase_and_reason_not_the_text(amira, sign_in) -> None:
    text = f"Some private detail about the family. {IMAGES}"
    finding = _finding(text)
    response = _keep(sign_in(amira), text, "  Quoting   the police report  ")
    assert response.status_code == 200
    keep = LanguageKeep.objects.get()
    assert keep.user == amira
    assert keep.agency_id == amira.agency_id
    assert keep.team_id == amira.team_id
    assert keep.rule == finding.rule
    assert keep.category == finding.category
    assert keep.rules_version == language.VERSION
    assert keep.phrase == finding.phrase
    assert keep.reason == "Quoting the police report"
    assert keep.form == "NoteForm"
    assert keep.field == "text"
    assert keep.kept_at.isoformat() == "2026-12-01T10:00:00+00:00"
    assert "private detail" not in f"{keep.phrase} {keep.reason}"
    assert AuditEvent.objects.filter(object_type="languagekeep", object_id=keep.pk).exists()
    page = response.content.decode()
    # The finding has gone, and the keep travels with the next check.
    assert "<mark>" not in page
    assert "Kept your words" in page
    key = selectors.kept_key(finding.rule, finding.phrase)
    assert f'name="text-language-kept" value="{key}"' in page


def test_a_kept_phrase_stays_hidden_in_later_checks_of_that_field(amira, sign_in) -> None:
    text = f"{IMAGES} {RELATIONSHIP}"
    images = _finding(text, "child_sends_images")
    key = selectors.kept_key(images.rule, images.phrase)
    page = _check(sign_in(amira), text, **{"text-language-kept": key}).content.decode()
    assert f"<mark>{images.phrase}</mark>" not in page
    relationship = _finding(text, "adult_relationship")
    assert f"<mark>{relationship.phrase}</mark>" in page
    # Another field's keeps are its own.
    other = sign_in(amira).post(
        reverse("language-check"),
        {"field": "notes", "notes": text, "text-language-kept": key},
    )
    assert f"<mark>{images.phrase}</mark>" in other.content.decode()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter why you are keeping these words"),
        ("   \n ", "Enter why you are keeping these words"),
        ("x" * 301, "Your reason must be 300 characters or fewer"),
    ],
)
def test_a_keep_without_a_fit_reason_says_what_to_do(amira, sign_in, reason, message) -> None:
    response = _keep(sign_in(amira), IMAGES, reason)
    assert response.status_code == 400
    assert response["Harbour-Language-Form-Error"] == "1"
    page = response.content.decode()
    assert message in page
    assert "govuk-input--error" in page
    # The findings are still there, with the box to try again.
    assert "<mark>" in page
    assert not LanguageKeep.objects.exists()


def test_html_in_a_reason_is_kept_as_text_and_shown_escaped(amira, sam, sign_in) -> None:
    _keep(sign_in(amira), IMAGES, "<script>alert(1)</script> quoting")
    assert LanguageKeep.objects.get().reason == "<script>alert(1)</script> quoting"
    page = sign_in(sam).get(reverse("language-report")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; quoting" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"field": ""}, "Say which field"),
        ({"rule": "no_such_rule"}, "no such rule"),
        ({"rule": ""}, "no such rule"),
        ({"phrase": ""}, "Say which words"),
        ({"phrase": "x" * 1001}, "Say which words"),
        ({"reason_input": "csrfmiddlewaretoken"}, "The reason was not sent"),
        ({"reason_input": ""}, "The reason was not sent"),
    ],
)
def test_a_malformed_keep_is_a_400_that_says_why(amira, sign_in, extra, message) -> None:
    response = _keep(sign_in(amira), IMAGES, "Quoting", **extra)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LanguageKeep.objects.exists()


def test_the_service_takes_the_category_from_the_rules_and_tidies_the_phrase(amira) -> None:
    finding = _finding(IMAGES)
    keep = services.language_keep(
        by=amira,
        rule=finding.rule,
        phrase=f"  {finding.phrase}\n",
        reason="Why",
        form="F",
        field="text",
        text=IMAGES,
    )
    assert keep.category == finding.category
    assert keep.phrase == finding.phrase  # as flagged, spaces tidied
    with pytest.raises(RecordError, match="no such rule"):
        services.language_keep(
            by=amira, rule="x", phrase="p", reason="Why", form="", field="t", text=IMAGES
        )
    with pytest.raises(RecordError, match="Enter why"):
        services.language_keep(
            by=amira, rule=finding.rule, phrase="p", reason=" ", form="", field="t", text=IMAGES
        )


def test_only_words_the_check_flags_in_the_text_can_be_kept(amira, sign_in) -> None:
    """The record holds a flagged phrase, never free text of the writer's
    choosing (which would reach the supervisor's report)."""
    finding = _finding(IMAGES)
    with pytest.raises(RecordError, match="not flagged in the text"):
        services.language_keep(
            by=amira,
            rule=finding.rule,
            phrase="Jade Morgan DOB 01/02/2012 lives at 4 High Street",
            reason="Why",
            form="",
            field="text",
            text="Nothing flagged here.",
        )
    data = {
        "field": "text",
        "text": "Nothing flagged here.",
        "rule": finding.rule,
        "phrase": "Jade Morgan DOB 01/02/2012",
        "reason_input": "text-language-reason-1",
        "text-language-reason-1": "Quoting",
    }
    response = sign_in(amira).post(reverse("language-keep"), data)
    assert response.status_code == 400
    assert "not flagged in the text" in response.content.decode()
    assert not LanguageKeep.objects.exists()


def test_keeping_the_same_words_twice_at_once_is_one_keep(amira, sign_in) -> None:
    client = sign_in(amira)
    assert _keep(client, IMAGES, "Quoting Tia").status_code == 200
    assert _keep(client, IMAGES, "Quoting Tia").status_code == 200
    assert LanguageKeep.objects.count() == 1


def test_a_text_with_many_findings_shows_the_first_twenty_and_says_how_many_more(
    amira, sign_in
) -> None:
    text = "She absconded again. " * 50
    page = _check(sign_in(amira), text).content.decode()
    assert page.count('class="harbour-language__finding"') == 20
    assert "And 30 more phrases the check would change" in page


# On save: the form shown again checks its text at once


def test_a_form_shown_again_with_errors_checks_its_text_on_load() -> None:
    data = QueryDict(mutable=True)
    data.update({"note_type": "", "text": IMAGES})
    data.setlist("text-language-kept", ["child_sends_images:x"])
    form = NoteForm(data=data)
    assert not form.is_valid()
    attrs = form.fields["text"].widget.attrs
    assert attrs["hx-trigger"].startswith("load, ")
    assert '"text-language-kept-before": ["child_sends_images:x"]' in attrs["hx-vals"]
    fresh = NoteForm()
    assert "load" not in fresh.fields["text"].widget.attrs["hx-trigger"]


def test_the_note_page_shown_again_asks_for_the_check_on_load(
    amira, jade, jades_case, sign_in
) -> None:
    response = sign_in(amira).post(reverse("note-add", args=[jade.pk]), {"text": IMAGES})
    page = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert re.search(r'hx-trigger="load, input changed', page)
    assert 'id="text-language-status"' in page
    assert "language/check.js" in page


# The report


def _keeps_for_report(amira, ben, tom) -> None:
    for who, reason in ((amira, "Quoting Tia"), (ben, "Quoting the police"), (tom, "Afon")):
        services.language_keep(
            by=who,
            rule=_finding(IMAGES).rule,
            phrase=_finding(IMAGES).phrase,
            reason=reason,
            form="NoteForm",
            field="text",
            text=IMAGES,
        )
    services.language_keep(
        by=amira,
        rule=_finding(RELATIONSHIP).rule,
        phrase=_finding(RELATIONSHIP).phrase,
        reason="Her words",
        form="NoteForm",
        field="text",
        text=RELATIONSHIP,
    )


def test_the_supervisor_sees_their_teams_keeps_counted_with_reasons(
    amira, ben, tom, sam, sign_in
) -> None:
    _keeps_for_report(amira, ben, tom)
    visible = set(access.language_keeps_visible_to(verified(sam)).values_list("reason", flat=True))
    assert "Quoting Tia" in visible
    assert "Afon" not in visible
    page = sign_in(sam).get(reverse("language-report")).content.decode()
    assert "Words your teams kept" in page
    assert "Quoting Tia" in page
    assert "Her words" in page
    assert "Afon" not in page
    counts = {row.rule: row.count for row in selectors.keep_counts(verified(sam))}
    assert counts[_finding(RELATIONSHIP).rule] == 1
    assert AuditEvent.objects.filter(object_type="languagekeep", username="sam").exists()


def test_a_cse_lead_of_another_district_sees_no_keeps(amira, ben, tom, rhian, sign_in) -> None:
    _keeps_for_report(amira, ben, tom)
    page = sign_in(rhian).get(reverse("language-report")).content.decode()
    assert "Quoting Tia" not in page
    assert "Her words" not in page


def test_practitioners_see_no_report_and_no_keeps(amira, ben, tom, sign_in) -> None:
    _keeps_for_report(amira, ben, tom)
    assert sign_in(amira).get(reverse("language-report")).status_code == 404
    assert not access.language_keeps_visible_to(verified(amira)).exists()
    assert not access.language_keeps_visible_to(verified(tom)).exists()


def test_keeps_stay_with_the_team_they_were_kept_in(
    amira, ben, tom, sam, kingsmere_social_care, sign_in
) -> None:
    """A worker who moves team takes nothing to the new supervisor and the
    old one keeps the record; a worker who leaves still counts."""
    from tests.factories import TeamFactory, UserFactory

    _keeps_for_report(amira, ben, tom)
    olu = UserFactory(username="olu", role=Role.SUPERVISOR, agency=kingsmere_social_care)
    amira.team = TeamFactory(name="Second team", agency=kingsmere_social_care, supervisor=olu)
    amira.is_active = False
    amira.save()
    sams = set(access.language_reasons_visible_to(verified(sam)).values_list("reason", flat=True))
    assert {"Quoting Tia", "Her words"} <= sams
    assert not access.language_keeps_visible_to(verified(olu)).exists()
    assert sum(row.count for row in selectors.keep_counts(verified(sam))) >= 2


def test_a_cse_lead_counts_their_districts_keeps_but_reads_no_reasons(
    amira, ben, tom, jo, rhian, kingsmere
) -> None:
    _keeps_for_report(amira, ben, tom)
    counts = {row.rule: row.count for row in selectors.keep_counts(verified(jo))}
    assert counts[_finding(RELATIONSHIP).rule] == 1
    assert counts[_finding(IMAGES).rule] == 2  # Amira and Ben, not Tom of Afon Valley
    assert selectors.recent_keeps(verified(jo)) == []
    # A worker covering both districts is counted by both leads; neither
    # reads the reason unless they supervise the team it was kept in.
    tom.areas.add(kingsmere)
    assert sum(row.count for row in selectors.keep_counts(verified(jo))) == 4
    assert sum(row.count for row in selectors.keep_counts(verified(rhian))) == 1
    assert not access.language_reasons_visible_to(verified(rhian)).exists()


def test_a_new_supervisor_of_the_team_reads_nothing_kept_before_them(
    amira, ben, tom, sam, kingsmere_social_care
) -> None:
    from tests.factories import UserFactory

    _keeps_for_report(amira, ben, tom)
    olu = UserFactory(username="olu", role=Role.SUPERVISOR, agency=kingsmere_social_care)
    team = amira.team
    team.supervisor = olu
    team.save()
    assert not access.language_reasons_visible_to(verified(olu)).exists()
    assert not access.language_keeps_visible_to(verified(olu)).exists()
    reasons = access.language_reasons_visible_to(verified(sam)).values_list("reason", flat=True)
    assert "Quoting Tia" in set(reasons)


def test_the_report_runs_the_same_queries_however_many_notes_and_keeps(
    amira, ben, tom, sam, jade, jades_case, sign_in
) -> None:
    from cse_cases import services as record_services

    client = sign_in(sam)

    def report_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("language-report")).status_code == 200
        return len(queries)

    writer = verified(amira)
    record_services.case_note_add(
        by=writer, case=jades_case, note_type="contact_young_person", text="Jade absconded."
    )
    _keeps_for_report(amira, ben, tom)
    few = report_queries()
    for n in range(8):
        record_services.case_note_add(
            by=writer,
            case=jades_case,
            note_type="contact_young_person",
            text=f"Jade absconded again ({n}).",
        )
        _keeps_for_report(amira, ben, tom)
    assert report_queries() == few
