"""Every page each role can open, on a phone: nothing scrolls sideways.

At 375 px wide (an iPhone SE, the narrowest phone GOV.UK tests on) the page
itself never scrolls sideways: text wraps, and a table too wide for the screen
scrolls inside its own region, which the keyboard can reach. The pages come
from the permission matrix (tests/cse_cases/test_permission_matrix.py), so a
new page is checked here as soon as it has its row there. The matrix's story
is filled out with what makes pages wide in real use: long names, agencies and
email addresses, unbroken web addresses in notes, and many rows.

One browser page serves the whole test: sessions are made in Django before the
browser starts (sign-in has its own journeys), and the page moves from one
persona to the next by swapping the session cookie. Each page is measured in
one call into the page.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import islice

import pytest
from django.conf import settings
from django.urls import resolve, reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.views import APIView

from assessments.meetings import services as meeting_services
from assessments.risk import services as assessment_services
from cse_cases import services
from cse_cases.models import AgencyKind, CaseMember
from cse_cases.services import tokens
from cse_cases.wiring.demo.records import nhs_numbers
from referrals import services as referral_services
from supervision import services as sweep_services
from tests.browser.conftest import CHROMIUM, FLAGS
from tests.conftest import fresh_cache_keys, signed_in_client, verified
from tests.cse_cases.permission_story import story  # noqa: F401 (a fixture)
from tests.cse_cases.test_permission_matrix import MATRIX
from tests.factories import AgencyFactory, CaseFactory, UserFactory, YoungPersonFactory
from tests.supervision.conftest import record_returned_episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
# One persona per role that signs in to pages (Priya commissions: her pages too).
ROLES = {
    "amira": "practitioner",
    "jo": "CSE lead",
    "sam": "supervisor",
    "dev": "information governance",
    "alex": "administrator",
    "priya": "commissioner",
}
# Pages whose tables appear only once something is asked: (url name, query).
ASKED = [("young-people", "q=Featherstonehaugh"), ("audit-find", "q=Featherstonehaugh")]
# Pages the matrix's story sends these personas on from (302): here they are
# opened on a record that shows their form. A new one fails the test until it
# has its record here.
SHOWN_ON = {
    "return-interview-create": lambda s: {"pk": s["open_episode"].pk},
    "assessment-template-edit": lambda s: {"pk": s["draft_template"].pk},
}
# Not pages. The downloads, with the story's report still being made, answer
# its progress page (409), which the report's own page already shows; the
# status is an htmx fragment (opened alone it has no <head>, so the browser
# asks for /favicon.ico, a 404 console error). The problem profile's JSON,
# asked with no district, answers 400 (the API, not a page).
DOWNLOADS = {
    "problem-profile-api-list",
    "report-pdf",
    "report-csv",
    "report-table-csv",
    "report-estimates-csv",
    "report-status",
}
# At 1280 px these pages' tables fit without scrolling, as they did before.
DESKTOP_PAGES = ["referral-queue", "young-person", "meeting", "my-work", "audit-trail"]

LONG_AGENCY = "Kingsmere Metropolitan Borough Council Children's Services and Early Help"
LONG_URL = (
    "https://www.kingsmere.gov.uk/children-and-families/safeguarding/exploitation/"
    "multi-agency-referral-pathway-guidance-2026-revised-edition-final-version.pdf"
)
LONG_EMAIL = "designated.safeguarding.lead@kingsmere-academy-trust-north-campus.example.org.uk"

# Runs in the page: is it wider than the window, and if so, which elements
# stick out (those not already inside a region that scrolls or clips); which
# tables sit outside a region that scrolls, and which regions scroll now.
MEASURE = """() => {
  const vw = window.innerWidth;
  const doc = document.documentElement.scrollWidth, body = document.body.scrollWidth;
  const scrolling = [...document.querySelectorAll("main [role=region]")]
    .filter((r) => r.scrollWidth > r.clientWidth).map((r) => r.getAttribute("aria-label"));
  const result = {vw, doc, body, scrolling, culprits: [], tables: []};
  for (const table of document.querySelectorAll("main table")) {
    const region = table.closest("[role=region]");
    if (!region || region.getAttribute("tabindex") !== "0" || !region.getAttribute("aria-label")
        || !["auto", "scroll"].includes(getComputedStyle(region).overflowX)) {
      result.tables.push((table.id ? "#" + table.id : "") + " " +
        (table.caption ? table.caption.textContent.trim() : table.textContent.trim().slice(0, 40)));
    }
  }
  if (doc <= vw && body <= vw) return result;
  // Inside a region that scrolls or clips (an absolutely placed element
  // escapes every such region below its containing block).
  const clipped = (el) => {
    let position = getComputedStyle(el).position;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      const contains = position === "fixed" ? false
        : position === "absolute" ? style.position !== "static" : true;
      if (!contains) continue;
      if (style.overflowX !== "visible") return true;
      position = style.position;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map((c) => "." + c).join("");
  // Name the outermost elements that stick out: those whose parent does not.
  const escaping = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= vw + 0.5 || clipped(el)) continue;
    escaping.add(el);
    if (escaping.has(el.parentElement)) continue;
    result.culprits.push(`${name(el)} ${Math.round(box.width)}px wide, right edge at ` +
      `${Math.round(box.right)}px: "${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60)}"`);
  }
  return result;
}"""


def valid_nhs_numbers(count: int) -> list[str]:
    return list(islice(nhs_numbers(400_000), count))


@pytest.fixture
def busy_partnership(story, amira, jo, sam, grace, alex, kingsmere, kingsmere_team):  # noqa: F811
    """The matrix's story with a real caseload's length and width."""
    numbers = valid_nhs_numbers(40)
    agency = amira.agency
    agency.name = LONG_AGENCY
    agency.save()
    # An account known only by its username, an email address, in the masthead.
    alex.first_name = alex.last_name = ""
    alex.username = "alexandra.fordhammontgomery@kingsmeremetropolitanborough.example.org"
    alex.save()
    jade = story["jade"]
    jade.legal_last_name = "Morgan-Featherstonehaugh"
    jade.known_as = "Jade-Louise Featherstonehaugh-Wolstenholme"
    jade.nhs_number = numbers.pop()
    jade.school = "Kingsmere Academy Trust, North Campus (Alternative Provision Centre)"
    jade.address = "Flat 14b, Montgomery-Wolstenholme House, 221 Featherstonehaugh Road"
    jade.save()

    # A team around the child with long names and agencies.
    for n in range(6):
        other = AgencyFactory(
            name=f"Kingsmere and Afon Valley Integrated Health and Wellbeing Partnership {n}",
            kind=AgencyKind.HEALTH,
            areas=[kingsmere],
        )
        worker = UserFactory(
            username=f"worker{n}",
            first_name="Oluwaseun-Anastasia",
            last_name=f"Montgomery-Wolstenholme {n}",
            email=f"oluwaseun.montgomery-wolstenholme{n}@integrated-health.example.org.uk",
            agency=other,
            areas=[kingsmere],
        )
        CaseMember.objects.create(
            case=story["case"], user=worker, role="Specialist nurse", added_by=amira
        )

    # A caseload: young people with long names, each with a case Amira leads.
    people = []
    for n in range(30):
        person = YoungPersonFactory(
            legal_first_name=f"Anastasia-Oluwaseun{n}",
            legal_last_name="Featherstonehaugh-Wolstenholme",
            known_as="Stacey-Louise",
            area=kingsmere,
            created_by=amira,
            nhs_number=numbers.pop(),
        )
        CaseFactory(young_person=person, lead_professional=amira)
        people.append(person)

    verified(amira)
    verified(jo)
    verified(sam)
    for n in range(15):
        services.case_note_add(
            by=amira,
            case=story["case"],
            note_type="contact_young_person",
            text=(
                f"Visit {n}. Jade's school shared their guidance ({LONG_URL}) and asked that "
                f"updates go to {LONG_EMAIL}. She talked about the people she meets after school."
            ),
            young_persons_words="I want someone to listen to me " + "properly " * 20,
        )

    # A full screening queue, some of it overdue.
    for n, person in enumerate(people[:25]):
        referral_services.referral_create(
            by=amira,
            young_person=person,
            data={
                "referrer_name": "Oluwaseun-Anastasia Montgomery-Wolstenholme",
                "referrer_agency_name": LONG_AGENCY,
                "referrer_email": LONG_EMAIL,
                "concerns": f"Seen with older men near {LONG_URL}",
                "parents_aware": "not_known",
                "consent": "not_sought",
                "consent_not_sought_reason": "Asking could put her in more danger",
                "sharing_basis": "safeguarding",
                "urgency": "urgent" if n % 3 == 0 else "routine",
            },
            received_at=timezone.now() - timedelta(days=n % 5, hours=n),
        )

    # The meeting: more young people, many people invited, many actions, long minutes.
    meeting = story["meeting"]
    for person in people[:3]:
        meeting_services.subject_add(by=jo, meeting=meeting, young_person=person)
    for member in story["case"].members.exclude(user=grace).select_related("user"):
        meeting_services.participant_add(by=jo, meeting=meeting, user=member.user)
    for n in range(5):
        meeting_services.participant_add(
            by=jo,
            meeting=meeting,
            name=f"Bartholomew Featherstonehaugh-Wolstenholme {n}",
            agency_name=f"Kingsmere Community Rehabilitation and Youth Justice Partnership {n}",
            role="Youth justice worker",
        )
    for n in range(8):
        meeting_services.action_add(
            by=jo,
            meeting=meeting,
            young_person=jade,
            description=f"Share the school's guidance ({LONG_URL}) with the team, item {n}",
            owner=amira,
            due_on=timezone.localdate() + timedelta(days=n + 1),
        )
    subject = story["subject"]
    meeting_services.minutes_save(
        by=jo,
        subject=subject,
        version=subject.version,
        minutes=f"Discussed the school's guidance at {LONG_URL}. " * 5,
        young_persons_views="She said: " + "I want to go home. " * 10,
    )

    # Intelligence, places and tokens with long names.
    services.person_of_concern_create(by=jo, name="Maximilian Featherstonehaugh-Wolstenholme")
    services.location_create(
        by=jo,
        name="Featherstonehaugh Road Car Park (multi-storey, levels 4 to 7)",
        kind="hotel",
        area=kingsmere,
        address=LONG_URL,
    )
    tokens.api_token_create_by_command(user=amira, name="Kingsmere case management system " * 3)
    # An episode with no return interview yet, and a template version in draft.
    story["open_episode"] = record_returned_episode(
        by=amira,
        young_person=jade,
        returned_at=timezone.now() - timedelta(days=10) + timedelta(hours=5),
        missing_for=timedelta(hours=5),
        risk_grading="high",
    )
    story["draft_template"] = assessment_services.template_new_version(
        by=jo, template=story["template"]
    )
    # Every drift rule, so each page showing flags has some.
    sweep_services.flags_sweep(now=timezone.now())
    return story


def pages_for(persona: str, story_: dict) -> list[str]:
    """The pages the matrix says this persona may open, and the searches that
    show results. The API's JSON is left out; files (a PDF, a CSV) are passed
    over when the browser meets them."""
    urls = []
    for name, (method, kwargs, expected, *_) in sorted(MATRIX.items()):
        if method != "get" or expected[persona] == 404 or name in DOWNLOADS:
            continue
        if expected[persona] != 200:
            assert name in SHOWN_ON, f"{name} answers {expected[persona]}: add it to SHOWN_ON"
            kwargs = SHOWN_ON[name]
        urls.append(reverse(name, kwargs=kwargs(story_)))
    urls += [f"{reverse(name)}?{query}" for name, query in ASKED if MATRIX[name][2][persona] == 200]
    return [url for url in urls if not is_api(url)]


def is_api(url: str) -> bool:
    """A DRF view that answers in JSON (the API docs page is HTML: it stays)."""
    view = getattr(resolve(url.partition("?")[0]).func, "cls", None)
    return (
        view is not None
        and issubclass(view, APIView)
        and not any(issubclass(r, TemplateHTMLRenderer) for r in view.renderer_classes)
    )


def session_cookie(client, base_url: str) -> dict:
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def measure(page: Page, url: str) -> dict | None:
    """The page's width and what sticks out; None for a file or JSON."""
    try:
        response = page.goto(url, wait_until="domcontentloaded")
    except PlaywrightError as error:
        if "Download is starting" in error.message:
            return None
        raise
    assert response is not None, url
    assert response.status == 200, (url, response.status)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None
    return page.evaluate(MEASURE)


def too_wide(found: dict) -> bool:
    return max(found["doc"], found["body"]) > found["vw"]


def test_no_page_scrolls_sideways_on_a_phone(
    live_server, busy_partnership, amira, jo, sam, dev, alex, priya
) -> None:
    people = {"amira": amira, "jo": jo, "sam": sam, "dev": dev, "alex": alex, "priya": priya}
    plans = {}
    for persona, user in people.items():
        fresh_cache_keys()
        desktop = [
            reverse(name, kwargs=MATRIX[name][1](busy_partnership))
            for name in DESKTOP_PAGES
            if MATRIX[name][2][persona] == 200
        ]
        plans[persona] = (
            session_cookie(signed_in_client(user), live_server.url),
            pages_for(persona, busy_partnership),
            desktop,
        )
    queue = live_server.url + reverse("referral-queue")

    wide: list[str] = []
    bare_tables: set[str] = set()
    errors: list[str] = []
    checked: list[str] = []
    on_desktop: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = browser.new_context(
                viewport=PHONE, locale="en-GB", timezone_id="Europe/London"
            )
            page = context.new_page()
            now = {"role": ""}  # whose pages the console errors come from
            page.on(
                "console",
                lambda m: errors.append(f"{now['role']}: {m.text}") if m.type == "error" else None,
            )
            for persona, (cookie, urls, desktop) in plans.items():
                role = now["role"] = ROLES[persona]
                # The next persona: only their session, on a phone again.
                context.clear_cookies()
                context.add_cookies([cookie])
                page.set_viewport_size(PHONE)
                for url in urls:
                    found = measure(page, live_server.url + url)
                    if found is None:
                        continue
                    checked.append(f"{role}: {url}")
                    if too_wide(found):
                        wide.append(
                            f"{role} {url}: {found['doc']} px wide (body {found['body']}) "
                            f"in a {found['vw']} px window; " + "; ".join(found["culprits"][:3])
                        )
                    bare_tables |= {f"{url}: {table}" for table in found["tables"]}

                if persona == "jo":
                    # The queue is wider than a phone: its region scrolls by keyboard.
                    page.goto(queue, wait_until="domcontentloaded")
                    region = page.get_by_role("region", name="Referrals awaiting a decision")
                    region.focus()
                    width, shown = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
                    assert width > shown, (width, shown)
                    page.keyboard.press("ArrowRight")
                    # Chromium scrolls smoothly: wait for it to move.
                    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())

                # At 1280 px the pages look as they did: no table scrolls in its region.
                page.set_viewport_size(DESKTOP)
                for url in set(desktop) - on_desktop:
                    on_desktop.add(url)
                    found = measure(page, live_server.url + url)
                    if too_wide(found) or found["scrolling"]:
                        wide.append(
                            f"1280 px, {role} {url}: {found['doc']} px, {found['scrolling']}"
                        )
            context.close()
        finally:
            browser.close()

    print(f"\n{len(checked)} pages checked at 375 px:\n" + "\n".join(checked))
    print(f"At 1280 px: {sorted(on_desktop)}")
    assert not wide, "Pages wider than the window:\n" + "\n".join(wide)
    assert not bare_tables, "Tables outside a scrolling region (role=region, tabindex=0, " + (
        "aria-label):\n" + "\n".join(sorted(bare_tables))
    )
    assert errors == [], errors
