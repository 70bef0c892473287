"""Every form's error state: each message says what to do, each error-summary
link reaches its field (issue 15, item 6).

The forms are discovered, not listed: every Form and ModelForm class defined
in the project's apps is built, bound empty and bound with bad values, and its
error summary and fields are rendered with the shared templates. A new form
with no way to build it here fails ``test_every_form_can_be_built_here``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from cse_cases.date_input import GovukDateField
from cse_cases.models import Agency, Area, Location, PersonOfConcern, Team, User, YoungPerson

pytestmark = pytest.mark.django_db

APPS = ("cse_cases", "referrals", "assessments", "supervision", "reports")


def _django_defaults() -> set[str]:
    """Django's own wording for every form field, which must never reach a person."""
    found = set()
    for klass in vars(forms).values():
        if inspect.isclass(klass) and issubclass(klass, forms.Field):
            for cls in klass.__mro__:
                found |= {str(m) for m in getattr(cls, "default_error_messages", {}).values()}
    return found


DJANGO_DEFAULTS = _django_defaults()
# The parameterised ones, by how they start.
DJANGO_PREFIXES = ("Ensure this value", "Select a valid choice", "Enter a valid")


def discovered_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in APPS:
        package = importlib.import_module(app)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or info.name.endswith(("settings", "wsgi", "asgi")):
                continue
            modules.append(importlib.import_module(info.name))
        for module in modules:
            for _, klass in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(klass, forms.BaseForm)
                    and klass.__module__.split(".")[0] in APPS
                    and klass.__module__ == module.__name__
                ):
                    found[f"{klass.__module__}.{klass.__qualname__}"] = klass
    return [found[name] for name in sorted(found)]


def _people(**_) -> dict:
    # As the access policy's *_choices give them: with agency and team, which
    # each option's label shows.
    return {"people": User.objects.select_related("agency", "team")}


# How to build each form that needs more than its data. A form not named
# here is built with no extra arguments.
BUILD: dict[str, Callable[..., dict]] = {
    "AssignForm": lambda **_: {"teams": Team.objects.all(), "workers": User.objects.all()},
    "DecisionForm": lambda kingsmere, **_: {
        "workers": User.objects.all(),
        "referral": SimpleNamespace(area=kingsmere),
        "referrer_agency": Agency.objects.first(),
        "needs_lead": True,
    },
    "MemberForm": _people,
    "ShareForm": _people,
    "NoteForm": _people,
    "ParticipantForm": lambda kingsmere, **_: {
        "people": User.objects.all(),
        "meeting": SimpleNamespace(area=kingsmere),
    },
    "ActionForm": lambda kingsmere, **_: {
        "people": User.objects.all(),
        "young_person": SimpleNamespace(display_name="Jade", area=kingsmere),
    },
    "PlanForm": _people,
    "InterviewForm": lambda **_: {"interviewers": User.objects.all()},
    "LinkForm": lambda **_: {
        "people": PersonOfConcern.objects.all(),
        "young_people": YoungPerson.objects.all(),
        "locations": Location.objects.all(),
    },
    "TrailFilterForm": lambda amira, **_: {"people": [(amira.pk, "Amira")]},
    "AssessmentForm": lambda template, **_: {"template": template},
    "MeetingForm": lambda **_: {"areas": Area.objects.all()},
    "ServiceTokenForm": lambda **_: {"accounts": User.objects.all()},
    "AccountForm": lambda amira, **_: {"instance": amira},
    "ProfileForm": lambda kingsmere, **_: {
        "districts": [(str(kingsmere.pk), "Kingsmere")],
        "today": date(2027, 4, 15),
    },
    "ChronologyFilterForm": lambda **_: {
        "kinds": [("note", "Notes")],
        "agencies": list(Agency.objects.values_list("pk", "name")),
    },
}
# Forms whose first argument is the account they change.
TAKES_USER = {"HarbourPasswordChangeForm", "ResetPasswordForm"}
# Rendered by Django's admin, not Harbour's templates: messages are checked,
# the admin draws its own error list.
ADMIN_FORMS = {"AccountForm", "AccountCreateForm"}


def build(klass, data, *, amira, kingsmere, template):
    extra = BUILD.get(klass.__name__, lambda **_: {})(
        amira=amira, kingsmere=kingsmere, template=template
    )
    args = [amira] if klass.__name__ in TAKES_USER else []
    form = klass(*args, data=data, files={}, **extra)
    if klass.__name__ in ADMIN_FORMS:
        form.by = amira
    return form


def bad_value(field: forms.Field) -> object:
    """Something a person might type or a tampered page might send."""
    if isinstance(field, GovukDateField):
        return None  # set as parts below
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return ["not-a-choice"]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "not-a-choice"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "twelve"
    if isinstance(field, forms.EmailField):
        return "sam at example"
    if isinstance(field, forms.DateTimeField | forms.DateField | forms.TimeField):
        return "next tuesday"
    if isinstance(field, forms.UUIDField):
        return "not-a-uuid"
    if isinstance(field, forms.BooleanField | forms.FileField):
        return ""
    return "x" * ((getattr(field, "max_length", None) or 10) + 1)


def bad_data(form: forms.BaseForm) -> dict:
    data: dict = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, GovukDateField):
            data.update({f"{key}_day": "31", f"{key}_month": "2", f"{key}_year": "2026"})
        else:
            value = bad_value(field)
            if value != "":
                data[key] = value
    return data


def rendered(form: forms.BaseForm) -> str:
    """The shared error summary and every field as the shared template draws it."""
    summary = render_to_string("govuk/error_summary.html", {"form": form})
    fields = "".join(
        str(bound) if bound.is_hidden else render_to_string("govuk/field.html", {"field": bound})
        for bound in form
    )
    return summary + fields


def assert_summary_reaches_fields(html: str, where: str) -> None:
    targets = re.findall(r'<a href="#([^"]*)"', html)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert "" not in targets, f"{where}: an error-summary link points at '#'"
    missing = [t for t in targets if t not in ids]
    assert not missing, f"{where}: summary links to ids not on the page: {missing}"


def assert_no_django_defaults(messages: list[str], where: str) -> None:
    bare = [m for m in messages if m in DJANGO_DEFAULTS or m.startswith(DJANGO_PREFIXES)]
    assert not bare, f"{where}: Django's default messages shown: {bare}"


FORMS = discovered_forms()


def test_forms_are_discovered() -> None:
    names = {klass.__name__ for klass in FORMS}
    # A few that must be among them, from each app that has forms.
    assert {"ReferralForm", "NoteForm", "BreakGlassForm", "MeetingTimeForm", "PlanForm"} <= names
    assert {"EpisodeForm", "InterviewForm", "AssessmentForm", "TokenForm", "AccountForm"} <= names
    assert len(FORMS) >= 45


@pytest.mark.parametrize("klass", FORMS, ids=lambda k: k.__name__)
@pytest.mark.parametrize("state", ["empty", "bad"])
@time_machine.travel("2026-11-17 10:00 +00:00", tick=False)
def test_every_form_says_what_to_do_and_links_to_its_fields(
    klass, state, amira, jade, kingsmere, template
) -> None:
    form = build(klass, {}, amira=amira, kingsmere=kingsmere, template=template)
    data = {} if state == "empty" else bad_data(form)
    form = build(klass, data, amira=amira, kingsmere=kingsmere, template=template)
    form.is_valid()
    messages = [str(m) for errors in form.errors.values() for m in errors]
    assert_no_django_defaults(messages, klass.__name__)
    if klass.__name__ in ADMIN_FORMS:
        return
    html = rendered(form)
    assert_summary_reaches_fields(html, klass.__name__)
    for name in form.errors:
        if name != "__all__" and not form[name].is_hidden:
            assert 'href="#' in html, f"{klass.__name__}.{name} has no summary link"


def test_default_messages_follow_the_label_and_control(amira, kingsmere, template) -> None:
    from cse_cases.record_forms import BreakGlassForm, NoteForm

    note = build(NoteForm, {}, amira=amira, kingsmere=kingsmere, template=template)
    note.is_valid()
    assert note.errors["text"] == ["Enter the note"]
    assert note.errors["occurred_at"] == ["Enter when it happened"]
    assert note.errors["note_type"] == ["Select the type of note"]
    assert note.errors["visibility"] == ["Select who can read it"]
    glass = BreakGlassForm({})
    glass.is_valid()
    assert glass.errors["reason"][0].startswith("Explain why you need this record")


def test_radios_link_to_their_first_option(amira, kingsmere, template) -> None:
    from referrals.forms import ReferralForm

    form = ReferralForm({})
    form.is_valid()
    html = rendered(form)
    assert '<a href="#id_parents_aware_0">Say whether their parents or carers know</a>' in html
    assert '<a href="#id_consent_0">Say whether consent to share was given</a>' in html
    assert 'id="id_parents_aware_0"' in html


# Through the real pages: what a person sees after pressing the button with
# nothing filled in (the browser still sends the form's hidden fields).
PAGES = [
    ("referral-create", "sara", {"idempotency_key": "8f0d7a1e-3b55-4a53-9a0e-6c1f6f3f2b11"}),
    ("note-add", "amira", {"text": ""}),
    ("young-person-create", "amira", {"legal_first_name": ""}),
    ("break-glass", "tom", {"reason": ""}),
    ("missing-episode-create", "amira", {"police_reference": ""}),
    ("meeting-create", "jo", {"place": ""}),
]
# Pages about one young person (Jade).
ABOUT_JADE = {"note-add", "missing-episode-create"}


@pytest.mark.parametrize(("url_name", "who", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_submitted_empty_link_every_error_to_its_field(
    request, url_name, who, data, jade, jades_case, sign_in
) -> None:
    client = sign_in(request.getfixturevalue(who))
    args = [jade.pk] if url_name in ABOUT_JADE else []
    if url_name == "break-glass":
        # The page opens only the record the person's last search found.
        client.get(
            reverse("young-people"),
            {
                "q": f"{jade.legal_first_name} {jade.legal_last_name}",
                "date_of_birth": jade.date_of_birth.isoformat(),
            },
        )
    response = client.post(reverse(url_name, args=args), data)
    # Some pages answer a form with errors 400 (the request was not accepted).
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "There is a problem" in page
    assert_summary_reaches_fields(page, url_name)
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)
    assert links, f"{url_name}: no linked errors"
    assert_no_django_defaults([link.strip() for link in links], url_name)


@time_machine.travel("2026-11-17 10:00 +00:00", tick=False)
def test_date_input_messages_are_govuk_ones(kingsmere) -> None:
    from referrals.forms import ReferralForm

    def dob_errors(**parts) -> list[str]:
        data = {f"date_of_birth_{k}": v for k, v in parts.items()}
        form = ReferralForm(data)
        form.is_valid()
        return form.errors.get("date_of_birth", [])

    assert dob_errors(day="3", year="2012") == ["Date of birth must include a month"]
    assert dob_errors(year="2012") == ["Date of birth must include a day and a month"]
    assert dob_errors(day="31", month="2", year="2012") == ["Date of birth must be a real date"]
    assert dob_errors(day="3", month="13", year="2012") == ["Date of birth must be a real date"]
    assert dob_errors(day="3", month="4", year="12") == ["Year must include 4 numbers"]
    assert dob_errors(day="1", month="1", year="2027") == [
        "Date of birth must be today or in the past"
    ]
    assert dob_errors(day="17", month="11", year="2026") == []
    # The referral's age rule: someone under 18, told at once with the rest.
    assert dob_errors(day="17", month="11", year="2008") == [
        "This young person is 18. CSE referrals are for children under 18: for an adult "
        "at risk, contact adult safeguarding"
    ]
    assert dob_errors(day="18", month="11", year="2008") == []
    form = ReferralForm({"date_of_birth_day": "3", "date_of_birth_year": "2012"})
    form.is_valid()
    html = rendered(form)
    # The summary goes to the part that is missing; what was typed stays.
    assert '<a href="#id_date_of_birth_month">' in html
    assert 'name="date_of_birth_day" value="3"' in html
    assert 'name="date_of_birth_year" value="2012"' in html
    assert (
        'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"'
        in html
    )


def test_a_date_input_shows_its_value_and_reads_iso(kingsmere) -> None:
    from assessments.meetings.forms import MeetingTimeForm

    form = MeetingTimeForm(initial={"day": date(2026, 12, 3)})
    html = render_to_string("govuk/field.html", {"field": form["day"]})
    assert 'class="govuk-date-input"' in html
    for name, value in (("day", "3"), ("month", "12"), ("year", "2026")):
        assert f'name="day_{name}" value="{value}"' in html
    # An ISO date under the plain name (an older draft, a script) still works.
    iso = MeetingTimeForm({"day": "2026-12-03", "time": "14:30"})
    assert iso.is_valid(), iso.errors
    assert iso.cleaned_data["day"] == date(2026, 12, 3)


def test_the_merge_page_links_its_error_to_the_field_at_fault(
    jade, jades_case, jo, amira, kingsmere, sign_in
) -> None:
    """A form written by hand (no Form class): its one error links to the
    field the service named."""
    from tests.factories import YoungPersonFactory

    copy = YoungPersonFactory(legal_first_name="Jayde", area=kingsmere, created_by=amira)
    client = sign_in(jo)
    url = reverse("young-person-merge", args=[copy.pk])
    no_reason = client.post(url, {"keep": str(jade.pk), "reason": ""}).content.decode()
    assert '<a href="#reason">Give the reason for merging</a>' in no_reason
    assert_summary_reaches_fields(no_reason, "merge (reason)")
    assert 'value="' + str(jade.pk) + '"' in no_reason
    no_record = client.post(url, {"keep": "999999", "reason": "Same"}).content.decode()
    assert '<a href="#keep">Enter the number of a record you can see, to keep</a>' in no_record
    assert_summary_reaches_fields(no_record, "merge (record)")


def test_a_checkbox_list_in_error_is_looked_up_once(
    amira, kingsmere, template, django_assert_num_queries
) -> None:
    """The summary's link to the first person in a list and the list drawn
    below share one query: an error page keeps its query count."""
    from cse_cases.record_forms import NoteForm

    form = build(
        NoteForm,
        {"named_viewers": ["not-a-number"]},
        amira=amira,
        kingsmere=kingsmere,
        template=template,
    )
    assert "named_viewers" in form.errors
    with django_assert_num_queries(1):
        html = render_to_string("govuk/error_summary.html", {"form": form})
        html += render_to_string("govuk/field.html", {"field": form["named_viewers"]})
    assert '<a href="#id_named_viewers_0">' in html
    assert 'id="id_named_viewers_0"' in html


@time_machine.travel("2026-11-17 15:20 +00:00", tick=False)
def test_date_time_controls_show_the_time_already_recorded(amira, jade, jades_case, sign_in):
    """Where the time matters (missing from, returned at) the date-time control
    is kept, and it shows what is recorded, in local time, in a form the
    control can show (item 5's blank meeting date was a value it could not)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cse_cases import services
    from tests.conftest import verified

    london = ZoneInfo("Europe/London")
    episode = services.missing_episode_record(
        by=verified(amira),
        young_person=jade,
        data={
            # Summer time: 18:30 in London is 17:30 UTC.
            "last_seen_at": datetime(2026, 7, 3, 18, 30, tzinfo=london),
            "reported_at": datetime(2026, 7, 3, 20, 5, tzinfo=london),
            "returned_at": datetime(2026, 7, 4, 9, 0, tzinfo=london),
            "risk_grading": "medium",
            "missing_or_absent": "missing",
            "missing_from": "home",
        },
    )
    page = sign_in(amira).get(reverse("missing-episode-edit", args=[episode.pk]))
    html = page.content.decode()
    for name, value in (
        ("last_seen_at", "2026-07-03T18:30"),
        ("reported_at", "2026-07-03T20:05"),
        ("returned_at", "2026-07-04T09:00"),
    ):
        assert re.search(rf'type="datetime-local" name="{name}" value="{value}"', html), name
