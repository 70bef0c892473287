"""Meeting papers as PDF (WeasyPrint): the pack before a meeting (agenda and
each young person's summary) and the record after it (attendance, minutes,
decisions, actions).

Each copy is made for its reader: a young person they may not see is
withheld (only a count remains), never printed. Every copy is audited as an
export of each young person it holds.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from assessments.meetings.selectors import agenda_for, meeting_contexts
from assessments.models import DistributionKind, Meeting
from cse_cases import audit
from cse_cases.models import AuditAction, User
from cse_cases.pdf import render_pdf


def meeting_document(reader: User, meeting: Meeting, kind: str) -> tuple[bytes, str]:
    agenda = agenda_for(reader, meeting)
    html = render_to_string(
        "assessments/meetings/meeting_pdf.html",
        {
            "meeting": meeting,
            "kind": kind,
            "record": kind == DistributionKind.RECORD,
            "title": DistributionKind(kind).label,
            "participants": meeting.participants.select_related("agency"),
            "items": agenda["items"],
            "withheld": agenda["withheld"],
            "reader": reader,
            "made_at": timezone.now(),
            **meeting_contexts(reader, meeting),
        },
    )
    # Through the shared fetcher: text in a record never makes the server fetch.
    document = render_pdf(html)
    audit.record_many(
        user=reader,
        action=AuditAction.EXPORT,
        object_type="meeting",
        young_person_ids=[item.subject.young_person_id for item in agenda["items"]],
        detail=f"meeting {meeting.pk} {kind} PDF",
    )
    when = timezone.localtime(meeting.starts_at)
    return document, f"meeting-{meeting.pk}-{kind}-{when:%Y-%m-%d}.pdf"
