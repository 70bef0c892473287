"""The language check on save: text saved with a phrase still flagged is
counted as saved unchanged (never blocked), and the writer is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from assessments.language import selectors, services
from assessments.language.models import KeepHow, LanguageKeep
from cse_cases.models import CaseNote
from tests.conftest import verified

pytestmark = pytest.mark.django_db

FLAGGED = "Jade has been sending images to a 24-year-old man."


def _note(text: str, **extra) -> dict:
    return {
        "note_type": "contact_young_person",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "text": text,
        "young_persons_words": "",
        "visibility": "team",
        "language_fields": ["text", "young_persons_words"],
        **extra,
    }


def test_the_note_page_names_its_free_text_fields_for_the_check(jade, jades_case, amira, sign_in):
    page = sign_in(amira).get(reverse("note-add", args=[jade.pk])).content.decode()
    assert '<input type="hidden" name="language_fields" value="text">' in page
    # The young person's own words are recorded as said: never checked.
    assert 'value="young_persons_words"' not in page
    assert 'id="young_persons_words-language"' not in page


def test_the_young_persons_own_words_are_not_checked_on_save(jade, jades_case, amira, sign_in):
    data = _note("Met Jade at school.", young_persons_words="I chose to go with him, he's 25.")
    data["language_fields"] = ["text", "young_persons_words"]  # even when a request names it
    assert sign_in(amira).post(reverse("note-add", args=[jade.pk]), data).status_code == 302
    assert not LanguageKeep.objects.exists()


def test_saving_flagged_text_saves_it_counts_it_and_says_so(jade, jades_case, amira, sign_in):
    client = sign_in(amira)
    response = client.post(reverse("note-add", args=[jade.pk]), _note(FLAGGED))
    assert response.status_code == 302
    assert CaseNote.objects.filter(text=FLAGGED).exists()  # never blocked
    (saved,) = LanguageKeep.objects.filter(how=KeepHow.SAVED)
    assert (saved.user, saved.rule, saved.field, saved.reason) == (
        amira,
        "child_sends_images",
        "text",
        "",
    )
    assert saved.phrase in FLAGGED  # the phrase, not the text
    assert FLAGGED not in saved.phrase
    assert saved.form == "note-add"
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"would still reword “{saved.phrase}”" in m for m in told)


def test_a_phrase_kept_with_a_reason_is_not_counted_again_on_save(jade, jades_case, amira, sign_in):
    from assessments.language.rules import check

    (finding,) = check(FLAGGED)
    kept = selectors.kept_key(finding.rule, finding.phrase)
    data = _note(FLAGGED, **{"text-language-kept": kept})
    # A hidden input alone does not stop the save being counted...
    assert sign_in(amira).post(reverse("note-add", args=[jade.pk]), data).status_code == 302
    assert LanguageKeep.objects.filter(how=KeepHow.SAVED).count() == 1
    LanguageKeep.objects.all().delete()
    # ...a phrase really kept with a reason does.
    services.language_keep(
        by=amira,
        rule=finding.rule,
        phrase=finding.phrase,
        reason="Quoting",
        form="NoteForm",
        field="text",
        text=FLAGGED,
    )
    assert sign_in(amira).post(reverse("note-add", args=[jade.pk]), data).status_code == 302
    assert not LanguageKeep.objects.filter(how=KeepHow.SAVED).exists()


def test_saving_the_same_words_again_counts_them_once(jade, jades_case, amira, sign_in):
    client = sign_in(amira)
    for _ in range(3):
        assert client.post(reverse("note-add", args=[jade.pk]), _note(FLAGGED)).status_code == 302
    assert LanguageKeep.objects.filter(how=KeepHow.SAVED).count() == 1


def test_sound_text_or_a_save_that_fails_records_nothing(jade, jades_case, amira, sign_in):
    client = sign_in(amira)
    assert (
        client.post(reverse("note-add", args=[jade.pk]), _note("Met Jade at school.")).status_code
        == 302
    )
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(reverse("note-add", args=[jade.pk]), _note(FLAGGED, occurred_at=future))
    assert page.status_code == 200  # shown again with the error: not saved
    assert not LanguageKeep.objects.exists()


@pytest.mark.parametrize(
    ("names", "status"),
    [
        (["../text"], 302),
        (["x" * 200], 302),
        (["csrfmiddlewaretoken"], 302),
        (["nope"] * 500, 302),
        (["text\x00"], 400),  # NUL is refused before any view, as everywhere
    ],
)
def test_odd_field_names_on_save_are_ignored_not_errors(
    jade, jades_case, amira, sign_in, names, status
):
    data = _note(FLAGGED.replace("has been sending images to", "met"), language_fields=names)
    response = sign_in(amira).post(reverse("note-add", args=[jade.pk]), data)
    assert response.status_code == status
    assert CaseNote.objects.filter(young_person=jade).exists() == (status == 302)
    assert not LanguageKeep.objects.filter(how=KeepHow.SAVED).exists()


def test_the_report_counts_saved_unchanged_apart_from_kept(jade, jades_case, amira, sam, sign_in):
    sign_in(amira).post(reverse("note-add", args=[jade.pk]), _note(FLAGGED))
    (row,) = selectors.keep_counts(verified(sam))
    assert (row.kept, row.saved, row.count) == (0, 1, 1)
    assert selectors.recent_keeps(verified(sam)) == []  # no reason to show
    page = sign_in(sam).get(reverse("language-report")).content.decode()
    assert "Saved unchanged" in page
