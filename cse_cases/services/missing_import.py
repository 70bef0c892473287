"""Import of police missing notifications from a CSV file (docs/missing-import.md).

All or nothing: every row is checked, and the file is imported only when every
row is good; otherwise nothing is saved and each bad row gets its error. The
same file twice adds nothing: an episode's police reference is its identity.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet, TextChoices
from django.db.models.functions import Lower
from django.utils import timezone

from cse_cases import access, audit
from cse_cases.identifiers import nhs_number_is_valid, normalise_nhs_number
from cse_cases.models import (
    AuditAction,
    EpisodeSource,
    MissingEpisode,
    MissingFrom,
    MissingOrAbsent,
    PoliceRiskGrading,
    User,
    YoungPerson,
)
from cse_cases.services.missing import missing_episode_record, missing_episode_update
from cse_cases.services.records import RecordError

REQUIRED = (
    "police_reference",
    "last_seen_at",
    "reported_at",
    "risk_grading",
    "missing_or_absent",
    "missing_from",
)
OPTIONAL = (
    "nhs_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "returned_at",
    "where_found",
    "exploitation_concern",
    "safe_and_well_check",
)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
REFERENCE_LENGTH = 50
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class ImportReport:
    rows: int = 0
    added: int = 0
    already: int = 0
    updated: int = 0  # already imported, and now with the return
    # (row number in the file, counting the header as row 1; message)
    errors: list[tuple[int, str]] = field(default_factory=list)
    problem: str = ""  # the file as a whole

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problem


class RowError(Exception):
    pass


def _time(row: dict, name: str, *, required: bool = True) -> datetime | None:
    text = (row.get(name) or "").strip()
    if not text:
        if required:
            raise RowError(f"{name} is empty")
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(
            f"{name} '{text[:40]}' is not a date and time like 2026-11-20 18:30"
        ) from None
    return value if value.tzinfo else timezone.make_aware(value)


def _choice(row: dict, name: str, choices: type[TextChoices]) -> str:
    text = (row.get(name) or "").strip().lower().replace(" ", "_")
    if text not in choices.values:
        raise RowError(f"{name} '{text[:40]}' must be one of: {', '.join(choices.values)}")
    return text


def _yes_no(row: dict, name: str) -> bool:
    text = (row.get(name) or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(f"{name} '{text[:20]}' must be yes or no")


def _young_person(row: dict, visible: QuerySet[YoungPerson]) -> YoungPerson:
    nhs = normalise_nhs_number(row.get("nhs_number") or "")
    if nhs:
        if not nhs_number_is_valid(nhs):
            raise RowError(f"nhs_number {nhs} is not a valid NHS number")
        found = list(visible.filter(nhs_number=nhs)[:2])
        if len(found) == 1:
            return found[0]
    first = (row.get("first_name") or "").strip().lower()
    last = (row.get("last_name") or "").strip().lower()
    dob_text = (row.get("date_of_birth") or "").strip()
    if not (first and last and dob_text):
        raise RowError(
            "No young person you can see has this NHS number; give first_name, last_name "
            "and date_of_birth to match by name"
            if nhs
            else "Give an nhs_number, or first_name, last_name and date_of_birth"
        )
    try:
        dob = date.fromisoformat(dob_text)
    except ValueError:
        raise RowError(f"date_of_birth '{dob_text[:20]}' is not a date like 2012-03-14") from None
    found = list(
        visible.annotate(lfirst=Lower("legal_first_name"), llast=Lower("legal_last_name"))
        .filter(llast=last, date_of_birth=dob)
        .filter(lfirst=first)[:2]
    )
    if not found:
        raise RowError(
            f"No young person you can see is called {first.title()} {last.title()}, born "
            f"{dob:%-d %B %Y}"
        )
    if len(found) > 1:
        raise RowError("More than one young person matches: add the NHS number")
    if nhs and found[0].nhs_number and found[0].nhs_number != nhs:
        # Same name and birthday, different NHS number: a different child.
        raise RowError(
            "The young person with this name and date of birth has a different NHS number"
        )
    return found[0]


def _episode_data(row: dict) -> dict:
    return {
        "police_reference": (row.get("police_reference") or "").strip(),
        "last_seen_at": _time(row, "last_seen_at"),
        "reported_at": _time(row, "reported_at"),
        "returned_at": _time(row, "returned_at", required=False),
        "risk_grading": _choice(row, "risk_grading", PoliceRiskGrading),
        "missing_or_absent": _choice(row, "missing_or_absent", MissingOrAbsent),
        "missing_from": _choice(row, "missing_from", MissingFrom),
        "where_found": (row.get("where_found") or "").strip()[:2000],
        "exploitation_concern": _yes_no(row, "exploitation_concern"),
        "safe_and_well_check": _yes_no(row, "safe_and_well_check"),
    }


def _record_return(by: User, episode: MissingEpisode, data: dict) -> bool:
    """A later notification of an episode already here may bring the return."""
    if episode.returned_at is not None or data["returned_at"] is None:
        return False
    with transaction.atomic():
        missing_episode_update(
            by=by,
            episode=episode,
            version=episode.version,
            data={"returned_at": data["returned_at"], "where_found": data["where_found"]},
        )
    return True


def missing_import(*, by: User, data: bytes, filename: str = "") -> ImportReport:
    """Import a police missing-notification file; see the module's docstring."""
    if not access.may_import_missing(by):
        raise PermissionDenied
    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.problem = f"The file is larger than {MAX_BYTES // 1_048_576} MB: split it"
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.problem = "The file is not UTF-8 text: save it as CSV (UTF-8) and try again"
        return report
    reader = csv.DictReader(io.StringIO(text))
    try:
        headers = [h.strip() for h in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in headers]
        if missing:
            report.problem = f"The file is missing columns: {', '.join(missing)}"
            return report
        rows = list(reader)
    except csv.Error as error:
        report.problem = f"The file is not a readable CSV file (line {reader.line_num}): {error}"
        return report
    if len(rows) > MAX_ROWS:
        report.problem = f"The file has {len(rows)} rows: send at most {MAX_ROWS} at a time"
        return report
    visible = access.young_people_visible_to(by).filter(merged_into__isnull=True)
    seen_keys: set[str] = set()
    with transaction.atomic():
        for number, raw in enumerate(rows, start=2):
            report.rows += 1
            row = {(k or "").strip(): v for k, v in raw.items()}
            try:
                reference = (row.get("police_reference") or "").strip()
                if not reference:
                    raise RowError("police_reference is empty")
                if len(reference) > REFERENCE_LENGTH:
                    raise RowError(f"police_reference is longer than {REFERENCE_LENGTH} characters")
                key = f"police:{reference.upper()}"
                if key in seen_keys:
                    raise RowError(f"police_reference {reference} appears twice in the file")
                seen_keys.add(key)
                episode_data = _episode_data(row)
                existing = MissingEpisode.objects.filter(
                    import_key=key, young_person__in=visible.values("pk")
                ).first()
                if existing is None:
                    young_person = _young_person(row, visible)
                    # Recorded by hand before the notification arrived: the
                    # same episode, now known to the import.
                    existing = MissingEpisode.objects.filter(
                        young_person=young_person, police_reference__iexact=reference
                    ).first()
                    if existing is not None:
                        MissingEpisode.objects.filter(pk=existing.pk).update(import_key=key)
                if existing is None and MissingEpisode.objects.filter(import_key=key).exists():
                    raise RowError(
                        f"police_reference {reference} is already recorded for a young person "
                        "whose record you cannot see: ask a CSE lead to import this row"
                    )
                if existing is not None:
                    if _record_return(by, existing, episode_data):
                        report.updated += 1
                    else:
                        report.already += 1
                    continue
                with transaction.atomic():
                    missing_episode_record(
                        by=by,
                        young_person=young_person,
                        data=episode_data,
                        source=EpisodeSource.POLICE_IMPORT,
                        import_key=key,
                    )
                report.added += 1
            except (RowError, RecordError) as error:
                report.errors.append((number, str(error)))
            except PermissionDenied:
                report.errors.append((number, "You may not record episodes for this young person"))
        if not report.ok:
            # Nothing half-imported: the whole file waits until every row is right.
            transaction.set_rollback(True)
            report.added = 0
    audit.record(
        user=by,
        action=AuditAction.CREATE if report.ok else AuditAction.SEARCH,
        object_type="missingimport",
        detail=(
            f"missing import {filename[:100]}: {report.rows} rows, {report.added} added, "
            f"{report.already} already imported, {report.updated} returns added, "
            f"{len(report.errors)} errors"
        ),
    )
    return report
