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
from django.utils.safestring import mark_safe

from assessments.meetings.selectors import agenda_for, meeting_contexts, meeting_network
from assessments.models import DistributionKind, Meeting
from cse_cases import audit
from cse_cases.models import AuditAction, User
from cse_cases.pdf import render_pdf
from reports.network.services import audit_map_view
from reports.network.svg import network_svg


def _map(reader: User, meeting: Meeting, kind: str) -> dict:
    """A MACE panel's map for the pack, drawn for this reader as an SVG made
    here (so WeasyPrint draws it as vector), with a key table naming what
    its codes stand for; the view is audited as a view of /network/ is."""
    network = meeting_network(reader, meeting) if kind == DistributionKind.PACK else None
    if network is None:
        return {}
    audit_map_view(user=reader, network=network, detail=f"network map, meeting {meeting.pk} pack")
    if network.too_large or not network.nodes:
        return {"map_network": network}
    drawing = network_svg(network)
    names = {node.key: node.label for node in network.nodes}
    return {
        "map_network": network,
        # Our own markup: shapes, lines and codes, never text from a record.
        "map_svg": mark_safe(drawing.svg),  # noqa: S308
        "map_key": drawing.key,
        "map_links": [
            (drawing.codes[e.source], names[e.source], drawing.codes[e.target], names[e.target], e)
            for e in network.edges
        ],
    }


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
            **_map(reader, meeting, kind),
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
