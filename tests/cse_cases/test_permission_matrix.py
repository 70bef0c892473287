"""Every URL against every persona: allowed, or 404 (never 403: existence stays hidden).

`test_every_url_is_in_the_matrix` fails when someone adds a URL without
deciding here who may use it. The records the URLs point at are the story's
(tests/cse_cases/permission_story.py), made once for the module.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.assessments.language_permission_rows import LANGUAGE_ROWS
from tests.cast import Cast
from tests.conftest import fresh_cache_keys, signed_in_client
from tests.cse_cases.permission_rows_sessions import SESSION_ROWS
from tests.cse_cases.permission_story import (
    COMPLETES,
    CSE_LEADS,
    DECIDES_REFERRAL,
    EDITS_JADE,
    EVERYONE,
    INTELLIGENCE,
    KINGSMERE_INTELLIGENCE,
    MAY_BREAK_GLASS,
    PERSONAS,
    RECORD_ROLES,
    SCREENERS,
    SEES_JADE,
    SEES_REFERRAL,
    SIGNS_OFF,
    amiras_token,
    build_story,
    ok_for,
)
from tests.reports.network.permission_rows import NETWORK_ROWS
from tests.reports.permission_rows import REPORT_ROWS
from tests.supervision.caseloads.permission_rows import CASELOAD_ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def story_and_sessions(django_db_setup, django_db_blocker):
    """The story and a signed-in session per persona, made once for the module
    (not a second or more for every URL) in a transaction rolled back at the
    end; each test runs in a savepoint inside it. (The sessions last the idle
    timeout, 30 minutes, from the start of the module.)"""
    with django_db_blocker.unblock(), transaction.atomic():
        cast = Cast()
        story = build_story(cast)
        sessions = {
            persona: signed_in_client(cast(persona)).cookies[settings.SESSION_COOKIE_NAME].value
            for persona in PERSONAS
        }
        yield story, sessions
        transaction.set_rollback(True)


def answers(url: str, method: str, sessions: dict, expected: dict, data: list) -> dict:
    """Each persona's request, from a new client with their session, in a
    savepoint rolled back after it: no request sees what another changed (its
    session's included). The personas not answered as expected, and what they got."""
    wrong = {}
    for persona, session in sessions.items():
        fresh_cache_keys()
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        with transaction.atomic():
            response = getattr(client, method)(url, *data)
            transaction.set_rollback(True)
        if response.status_code != expected[persona]:
            wrong[persona] = f"{response.status_code}, expected {expected[persona]}"
    return wrong


# name -> (method, kwargs from the story, expected status per persona[, form data])
MATRIX: dict[str, tuple] = {
    "young-people": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "young-person-create": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "young-person": ("get", lambda s: {"pk": s["jade"].pk}, ok_for(SEES_JADE)),
    "young-person-edit": ("get", lambda s: {"pk": s["jade"].pk}, ok_for(EDITS_JADE)),
    "note-add": ("get", lambda s: {"pk": s["jade"].pk}, ok_for(EDITS_JADE)),
    "chronology": ("get", lambda s: {"pk": s["jade"].pk}, ok_for(SEES_JADE)),
    "case-note-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    # A team note: everyone who sees the case reads it.
    "case-note-detail": ("get", lambda s: {"pk": s["note"].pk}, ok_for(SEES_JADE)),
    "case-close": ("get", lambda s: {"pk": s["case"].pk}, ok_for(EDITS_JADE)),
    "case-risk": ("get", lambda s: {"pk": s["case"].pk}, ok_for(EDITS_JADE)),
    "case-member-add": ("get", lambda s: {"pk": s["case"].pk}, ok_for(EDITS_JADE)),
    "case-member-remove": (
        "post",
        lambda s: {"pk": s["case"].pk, "member_pk": s["member"].pk},
        ok_for(EDITS_JADE, ok=302),
    ),
    "case-share": ("get", lambda s: {"pk": s["case"].pk}, ok_for(EDITS_JADE)),
    # Emergency access takes no id: everyone who may ask gets the page, which
    # opens only what their own last search found (tests/cse_cases/test_break_glass.py).
    "break-glass": ("get", lambda s: {}, ok_for(MAY_BREAK_GLASS)),
    # Only the CSE lead of the new record's district decides.
    "possible-duplicate-resolve": (
        "post",
        lambda s: {"pk": s["duplicate"].pk},
        ok_for({"jo"}, ok=302),
    ),
    "link-add": ("get", lambda s: {"pk": s["jade"].pk}, ok_for(EDITS_JADE)),
    "persons-of-concern": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "person-of-concern-create": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    # Restricted Kingsmere intelligence: not for Afon Valley's police (Tom) or
    # CSE lead (Rhian) until it is shared with them (CROSS_DISTRICT below).
    "person-of-concern": (
        "get",
        lambda s: {"pk": s["suspect"].pk},
        ok_for(KINGSMERE_INTELLIGENCE),
    ),
    "person-of-concern-share": (
        "get",
        lambda s: {"pk": s["suspect"].pk},
        ok_for(KINGSMERE_INTELLIGENCE),
    ),
    # An empty decision is refused with its field errors.
    "person-of-concern-api-share": (
        "post",
        lambda s: {"pk": s["suspect"].pk},
        ok_for(KINGSMERE_INTELLIGENCE, 400),
    ),
    "locations": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "location-create": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "location": ("get", lambda s: {"pk": s["place"].pk}, ok_for(RECORD_ROLES)),
    "disruption-add": (
        "get",
        lambda s: {"kind": "person", "pk": s["suspect"].pk},
        ok_for(KINGSMERE_INTELLIGENCE),
    ),
    "person-of-concern-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "person-of-concern-api-detail": (
        "get",
        lambda s: {"pk": s["suspect"].pk},
        ok_for(KINGSMERE_INTELLIGENCE),
    ),
    "location-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "location-api-detail": ("get", lambda s: {"pk": s["place"].pk}, ok_for(RECORD_ROLES)),
    "context-link-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    # The link is restricted, and joins Jade: police and CSE leads who see Jade.
    "context-link-detail": ("get", lambda s: {"pk": s["link"].pk}, ok_for({"jo"})),
    # Opening a case: Jade already has one, so those who may try are told so.
    "case-open": ("post", lambda s: {"pk": s["jade"].pk}, ok_for(EDITS_JADE, ok=302)),
    # Information governance of Jade's district only (Iwan serves Afon Valley).
    "audit-trail": ("get", lambda s: {"pk": s["jade"].pk}, ok_for({"dev"})),
    "audit-trail-export": ("get", lambda s: {"pk": s["jade"].pk}, ok_for({"dev"})),
    "audit-find": ("get", lambda s: {}, ok_for({"dev", "iwan"})),
    "break-glass-queue": ("get", lambda s: {}, ok_for({"dev", "iwan"})),
    "break-glass-review": ("get", lambda s: {"pk": s["grant"].pk}, ok_for({"dev"})),
    "draft-save": (
        "post",
        lambda s: {},
        ok_for(RECORD_ROLES),
        {"form_key": "young-person-new", "legal_first_name": "Typed"},
    ),
    "draft-discard": ("post", lambda s: {}, ok_for(RECORD_ROLES, ok=302), {"form_key": "x"}),
    # Only the CSE lead of Jade's district may merge her record.
    "young-person-merge": ("get", lambda s: {"pk": s["jade"].pk}, ok_for({"jo"})),
    "young-person-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "young-person-detail": ("get", lambda s: {"pk": s["jade"].pk}, ok_for(SEES_JADE)),
    "case-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "case-detail": ("get", lambda s: {"pk": s["case"].pk}, ok_for(SEES_JADE)),
    "referrals": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "referral-create": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "referral-queue": ("get", lambda s: {}, ok_for(SCREENERS)),
    "referral": ("get", lambda s: {"pk": s["referral"].pk}, ok_for(SEES_REFERRAL)),
    "referral-attachment": (
        "get",
        lambda s: {"pk": s["referral"].pk, "attachment_pk": s["attachment"].pk},
        ok_for(SEES_REFERRAL),
    ),
    # Actions: those who may act get through to the form (an empty one is
    # refused with 400, or starting screening redirects); everyone else, 404.
    "referral-assign": ("post", lambda s: {"pk": s["referral"].pk}, ok_for(DECIDES_REFERRAL, 400)),
    "referral-start": ("post", lambda s: {"pk": s["referral"].pk}, ok_for(DECIDES_REFERRAL, 302)),
    "referral-screening": (
        "post",
        lambda s: {"pk": s["referral"].pk},
        ok_for(DECIDES_REFERRAL, 400),
    ),
    "referral-identify": ("get", lambda s: {"pk": s["referral"].pk}, ok_for(DECIDES_REFERRAL)),
    "referral-transfer": (
        "post",
        lambda s: {"pk": s["referral"].pk},
        ok_for(DECIDES_REFERRAL, 400),
    ),
    "referral-decide": ("get", lambda s: {"pk": s["referral"].pk}, ok_for(DECIDES_REFERRAL)),
    "referral-close": ("post", lambda s: {"pk": s["referral"].pk}, ok_for(DECIDES_REFERRAL, 302)),
    "referral-reopen": ("post", lambda s: {"pk": s["referral"].pk}, ok_for(DECIDES_REFERRAL, 400)),
    "referral-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "referral-api-detail": ("get", lambda s: {"pk": s["referral"].pk}, ok_for(SEES_REFERRAL)),
    "referral-api-start-screening": (
        "post",
        lambda s: {"pk": s["referral"].pk},
        ok_for(DECIDES_REFERRAL),
    ),
    **{
        f"referral-api-{name}": (
            "post",
            lambda s: {"pk": s["referral"].pk},
            ok_for(DECIDES_REFERRAL, 400),
        )
        for name in ("assign", "screening", "identify", "transfer", "decide")
    },
    # The referral is still received: closing or reopening it is refused (409).
    **{
        f"referral-api-{name}": (
            "post",
            lambda s: {"pk": s["referral"].pk},
            ok_for(DECIDES_REFERRAL, 409),
        )
        for name in ("close", "reopen")
    },
    "missing-episode-create": ("get", lambda s: {"pk": s["jade"].pk}, ok_for(EDITS_JADE)),
    "missing-episode": ("get", lambda s: {"pk": s["episode"].pk}, ok_for(SEES_JADE)),
    "missing-episode-edit": ("get", lambda s: {"pk": s["episode"].pk}, ok_for(EDITS_JADE)),
    # The story's episode already has its interview: those who may record are sent back.
    "return-interview-create": (
        "get",
        lambda s: {"pk": s["episode"].pk},
        ok_for(EDITS_JADE, 302),
    ),
    "missing-review-done": (
        "post",
        lambda s: {"pk": s["review"].pk},
        ok_for(EDITS_JADE, 302),
    ),
    # Police missing notifications: police officers and CSE leads.
    "missing-import": ("get", lambda s: {}, ok_for({"jo", "rhian", "tom"})),
    "missing-episode-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "missing-episode-api-detail": ("get", lambda s: {"pk": s["episode"].pk}, ok_for(SEES_JADE)),
    "return-interview-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "return-interview-api-detail": (
        "get",
        lambda s: {"pk": s["interview"].pk},
        ok_for(SEES_JADE),
    ),
    # Assessments: Amira leads Jade's case and Jo is the district's CSE lead
    # (they complete it); each agency in the team writes its section; Sam
    # (Amira's supervisor) and Jo sign off. The story's assessment is a draft,
    # so signing off or returning it is refused with a message (200 or 400).
    "assessment-start": ("post", lambda s: {"pk": s["case"].pk}, ok_for(COMPLETES, 302)),
    "assessment": ("get", lambda s: {"pk": s["assessment"].pk}, ok_for(SEES_JADE)),
    "assessment-edit": ("get", lambda s: {"pk": s["assessment"].pk}, ok_for(COMPLETES)),
    "assessment-autosave": (
        "post",
        lambda s: {"pk": s["assessment"].pk},
        ok_for(COMPLETES),
        {"version": 1, "rationale": "Typed"},
    ),
    "assessment-section": ("get", lambda s: {"pk": s["assessment"].pk}, ok_for(EDITS_JADE)),
    "assessment-section-autosave": (
        "post",
        lambda s: {"pk": s["assessment"].pk},
        ok_for(EDITS_JADE),
        {"version": 0, "contribution": "Typed"},
    ),
    "assessment-sign-off": ("post", lambda s: {"pk": s["assessment"].pk}, ok_for(SIGNS_OFF)),
    "assessment-return": ("post", lambda s: {"pk": s["assessment"].pk}, ok_for(SIGNS_OFF)),
    "assessment-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "assessment-api-detail": ("get", lambda s: {"pk": s["assessment"].pk}, ok_for(SEES_JADE)),
    "assessment-api-section": (
        "post",
        lambda s: {"pk": s["assessment"].pk},
        ok_for(EDITS_JADE, 400),
    ),
    "assessment-api-submit": (
        "post",
        lambda s: {"pk": s["assessment"].pk},
        ok_for(COMPLETES, 400),
    ),
    **{
        f"assessment-api-{name}": (
            "post",
            lambda s: {"pk": s["assessment"].pk},
            ok_for(SIGNS_OFF, 400),
        )
        for name in ("sign-off", "return")
    },
    # Templates identify no child: everyone who works with records reads them;
    # CSE leads (of any district) prepare and publish versions.
    "assessment-templates": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "assessment-template": ("get", lambda s: {"pk": s["template"].pk}, ok_for(RECORD_ROLES)),
    "assessment-template-new-version": (
        "post",
        lambda s: {"pk": s["template"].pk},
        ok_for(CSE_LEADS, 302),
    ),
    # The story's template is published: editing or publishing it again is refused.
    "assessment-template-edit": (
        "get",
        lambda s: {"pk": s["template"].pk},
        ok_for(CSE_LEADS, 302),
    ),
    "assessment-template-publish": (
        "post",
        lambda s: {"pk": s["template"].pk},
        ok_for(CSE_LEADS, 302),
    ),
    "assessment-template-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "assessment-template-api-detail": (
        "get",
        lambda s: {"pk": s["template"].pk},
        ok_for(RECORD_ROLES),
    ),
    "assessment-template-api-new-version": (
        "post",
        lambda s: {"pk": s["template"].pk},
        ok_for(CSE_LEADS, 201),
    ),
    "assessment-template-api-publish": (
        "post",
        lambda s: {"pk": s["template"].pk},
        ok_for(CSE_LEADS, 409),
    ),
    # Meetings: Jo chairs a strategy discussion about Jade and invited Grace.
    # Everyone who sees Jade sees the meeting; Jo runs it; the papers are for
    # those on the list (and those running it).
    "meetings": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "meeting-create": ("get", lambda s: {}, ok_for(CSE_LEADS)),
    "meeting": ("get", lambda s: {"pk": s["meeting"].pk}, ok_for(SEES_JADE)),
    **{
        name: ("post", lambda s: {"pk": s["meeting"].pk}, ok_for({"jo"}, 302))
        for name in (
            "meeting-participant-add",
            "meeting-attendance",
            "meeting-contexts",
            "meeting-cancel",
        )
    },
    "meeting-young-person-add": ("get", lambda s: {"pk": s["meeting"].pk}, ok_for({"jo"})),
    "meeting-reschedule": ("get", lambda s: {"pk": s["meeting"].pk}, ok_for({"jo"})),
    "meeting-young-person-remove": (
        "post",
        lambda s: {"pk": s["meeting"].pk, "subject_pk": s["subject"].pk},
        ok_for({"jo"}, 302),
    ),
    **{
        name: (
            "get",
            lambda s: {"pk": s["meeting"].pk, "subject_pk": s["subject"].pk},
            ok_for({"jo"}),
        )
        for name in ("meeting-minutes", "meeting-action-add")
    },
    "meeting-distribute": (
        "post",
        lambda s: {"pk": s["meeting"].pk, "kind": "pack"},
        ok_for({"jo"}, 302),
    ),
    "meeting-pdf": (
        "get",
        lambda s: {"pk": s["meeting"].pk, "kind": "pack"},
        ok_for({"jo", "grace"}),
    ),
    "my-actions": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "action": ("get", lambda s: {"pk": s["action"].pk}, ok_for(SEES_JADE)),
    "plan": ("get", lambda s: {"pk": s["case"].pk}, ok_for(SEES_JADE)),
    "plan-review": ("get", lambda s: {"pk": s["case"].pk}, ok_for(EDITS_JADE)),
    "plan-version": ("get", lambda s: {"pk": s["case"].pk, "number": 1}, ok_for(SEES_JADE)),
    "meeting-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "meeting-api-detail": ("get", lambda s: {"pk": s["meeting"].pk}, ok_for(SEES_JADE)),
    **{
        f"meeting-api-{name}": ("post", lambda s: {"pk": s["meeting"].pk}, ok_for({"jo"}, 400))
        for name in ("participants", "attendance", "minutes", "distribute", "reschedule")
    },
    "action-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "action-api-detail": ("get", lambda s: {"pk": s["action"].pk}, ok_for(SEES_JADE)),
    "plan-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "plan-api-detail": ("get", lambda s: {"pk": s["plan"].pk}, ok_for(SEES_JADE)),
    # Flags: the review Jade's repeat missing asks for is Amira's; those who
    # see Jade see it; supervisors and CSE leads have the team view.
    "my-work": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "team-flags": ("get", lambda s: {}, ok_for(SCREENERS)),
    "flag-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "flag-api-detail": ("get", lambda s: {"pk": s["flag"].pk}, ok_for(SEES_JADE)),
    "home": ("get", lambda s: {}, ok_for(EVERYONE)),
    "password-change": ("get", lambda s: {}, ok_for(EVERYONE)),
    # API tokens: those who work with records make their own; Dev (IG for
    # Kingsmere's agency) reviews and revokes Amira's; Alex issues tokens to
    # service accounts only.
    "api-tokens": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "api-token-revoke": (
        "post",
        lambda s: {"pk": amiras_token(s).pk},
        {**ok_for(set()), "amira": 302, "dev": 302},
    ),
    # Every IG officer reviews the tokens of the districts they serve.
    "api-token-review": ("get", lambda s: {}, ok_for({"dev", "iwan"})),
    "service-tokens": ("get", lambda s: {}, ok_for({"alex"})),
    "api-me": ("get", lambda s: {}, ok_for(EVERYONE)),
    "api-docs": ("get", lambda s: {}, ok_for(EVERYONE)),
    "api-schema": ("get", lambda s: {}, ok_for(EVERYONE)),
    "area-list": ("get", lambda s: {}, ok_for(EVERYONE)),
    "area-detail": ("get", lambda s: {"pk": s["jade"].area_id}, ok_for(EVERYONE)),
    "agency-list": ("get", lambda s: {}, ok_for(EVERYONE)),
    "agency-detail": ("get", lambda s: {"pk": s["case"].lead_agency_id}, ok_for(EVERYONE)),
    "team-list": ("get", lambda s: {}, ok_for(EVERYONE)),
    # Teams are visible within their own agency (and to administrators).
    "team-detail": (
        "get",
        lambda s: {"pk": s["team"].pk},
        ok_for({"amira", "jo", "sam", "ben", "priya", "dev", "alex"}),
    ),
    # Accounts: Alex (the only administrator) asked to make Ben a CSE lead.
    # Administrators and Kingsmere's information governance (Dev) see the
    # changes waiting; Ben's account page is his, the administrators' and Dev's.
    # Every IG officer has the list (Iwan's holds only Afon Valley's changes);
    # a Kingsmere account's change and page are for Kingsmere's IG.
    "account-changes": ("get", lambda s: {}, ok_for({"alex", "dev", "iwan"})),
    "account-change": ("get", lambda s: {"pk": s["account_change"].pk}, ok_for({"alex", "dev"})),
    "account": (
        "get",
        lambda s: {"pk": s["account_change"].account_id},
        ok_for({"ben", "alex", "dev"}),
    ),
    **CASELOAD_ROWS,
    **LANGUAGE_ROWS,
    **REPORT_ROWS,
    **NETWORK_ROWS,
}

# Supervision sessions (tests/cse_cases/permission_rows_sessions.py).
MATRIX.update(SESSION_ROWS)

# Persons of concern across districts: the same URLs for a restricted Kingsmere
# person Jo shared with Afon Valley, whose police (Tom) and CSE lead (Rhian)
# now see them; Kingsmere's practitioners still do not.
CROSS_DISTRICT: dict[str, tuple] = {
    f"{name} (shared with Afon Valley)": (name, "get", kwargs, ok_for(INTELLIGENCE))
    for name, kwargs in (
        ("person-of-concern", lambda s: {"pk": s["shared_suspect"].pk}),
        ("person-of-concern-api-detail", lambda s: {"pk": s["shared_suspect"].pk}),
        ("person-of-concern-share", lambda s: {"pk": s["shared_suspect"].pk}),
        ("disruption-add", lambda s: {"kind": "person", "pk": s["shared_suspect"].pk}),
    )
}

# URLs decided elsewhere, with the reason.
ELSEWHERE = {
    "sign-in": "open to all: test_anonymous",
    "sign-in-code": "open to all: test_anonymous",
    "sign-in-enrol": "open to all: test_anonymous",
    "sign-out": "open to all: test_anonymous",
    "signed-out": "open to all: test_anonymous",
    "healthz": "open to all: test_anonymous",
    "admin": "administrators only: test_admin",
    "password-reset-confirm": "the holder's emailed link: test_anonymous, test_accounts_takeover",
    "password-reset-complete": "open to all: test_anonymous",
}


def all_url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                names.add("admin")
                continue
            names |= all_url_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    missing = all_url_names() - set(MATRIX) - set(ELSEWHERE)
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name: str, story_and_sessions) -> None:
    """Every persona against one URL."""
    story, sessions = story_and_sessions
    method, kwargs, expected, *data = MATRIX[name]
    wrong = answers(reverse(name, kwargs=kwargs(story)), method, sessions, expected, data)
    assert not wrong, (name, wrong)


@pytest.mark.parametrize("label", sorted(CROSS_DISTRICT))
def test_persons_of_concern_across_districts(label: str, story_and_sessions) -> None:
    story, sessions = story_and_sessions
    name, method, kwargs, expected = CROSS_DISTRICT[label]
    wrong = answers(reverse(name, kwargs=kwargs(story)), method, sessions, expected, [])
    assert not wrong, (label, wrong)
