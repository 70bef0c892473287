"""The language check on save: when a form with free text saves (it answers
with a redirect), the text as saved is checked once more. Each phrase still
flagged, and not kept with a reason, is recorded as saved unchanged and
counted in the language report, and the writer is told on the next page.
Nothing blocks the save: by the time this runs, it has happened.

Every textarea govuk/field.html draws names itself in a hidden
`language_fields` input, so no view needs to know about the check.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from assessments.language import selectors, services
from cse_cases import access
from cse_cases.forms import GovukFormMixin

# A young person's own words, as said, are never checked (cse_cases/forms.py).
OWN_WORDS = GovukFormMixin.own_words_fields

FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
# A form has few free-text fields; a request naming more is not one of ours.
FIELDS_MAX = 20
TEXT_MAX = 50_000
logger = logging.getLogger(__name__)


class LanguageOnSaveMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and 300 <= response.status_code < 400
            and not request.headers.get("HX-Request")
            and not request.path.startswith("/api/")
            and "language_fields" in request.POST
            and access.may_see_identifiable_records(request.user)
        ):
            try:
                self._saved(request)
            except Exception:
                # The save has happened: advice about it must never turn it
                # into an error page. Logged, so it is seen and fixed.
                logger.exception("language check on save failed")
        return response

    def _saved(self, request: HttpRequest) -> None:
        names = [
            name
            for name in dict.fromkeys(request.POST.getlist("language_fields")[:FIELDS_MAX])
            if FIELD_NAME.match(name) and name.rsplit("-", 1)[-1] not in OWN_WORDS
        ]
        # Only phrases this writer really kept with a reason are left out: a
        # hidden input alone does not stop a save being counted.
        really_kept = selectors.recently_kept(request.user)  # type: ignore[arg-type]
        fields = []
        for name in names:
            text = request.POST.get(name, "")[:TEXT_MAX].replace("\r\n", "\n")
            sent = request.POST.getlist(f"{name}-language-kept")[:50]
            kept = [
                key for key in sent if selectors.kept_key(*key.partition(":")[::2]) in really_kept
            ]
            shown = selectors.findings_for(text, kept) if text.strip() else []
            if shown:
                fields.append((name, [s.finding for s in shown]))
        if not fields:
            return
        match = request.resolver_match
        # Counted once a day however often the same words are saved; the
        # writer is told each time.
        services.language_saved(
            by=request.user,  # type: ignore[arg-type]
            fields=fields,
            form=match.view_name if match else "",
        )
        phrases = [" ".join(f.phrase.split()) for _, found in fields for f in found]
        more = len(phrases) - 1
        messages.info(
            request,
            f"Saved. The language check would still reword “{phrases[0][:100]}”"
            + (f" and {more} other phrase{'s' if more > 1 else ''}" if more else "")
            + ". It is counted in your team's language report; open the text again to "
            "reword it, or keep your words with a reason.",
        )
