"""What goes out from a meeting: the pack (before) and the record (after) to
each Harbour user invited, and the emails that tell people of a distribution
or of a move. Each email holds a link, never a document or a child's name.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Distribution, DistributionKind, Meeting, MeetingStatus
from cse_cases import access, audit, background
from cse_cases.models import AuditAction, User
from cse_cases.services import RecordError


@transaction.atomic
def distribute(*, by: User, meeting: Meeting, kind: str) -> list[Distribution]:
    """Send the pack (before) or the record (after) to every Harbour user on the
    list. Each recipient's copy holds only the young people they may see; the
    count withheld is recorded. External attendees get nothing from Harbour."""
    if not access.may_manage_meeting(by, meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if kind not in DistributionKind.values:
        raise RecordError("Choose the pack or the record.")
    if kind == DistributionKind.RECORD and meeting.status != MeetingStatus.HELD:
        raise RecordError("Record attendance and minutes before distributing the record.")
    subjects = list(meeting.subjects.values_list("young_person_id", flat=True))
    sent = []
    recipients = User.objects.filter(
        pk__in=meeting.participants.filter(user__isnull=False).values("user_id"), is_active=True
    )
    for recipient in recipients:
        visible = access.young_people_seen_by(recipient, subjects)
        distribution = Distribution.objects.create(
            meeting=meeting,
            kind=kind,
            recipient=recipient,
            withheld=len(subjects) - len(visible),
            sent_by=by,
        )
        distribution.young_people.set(visible)
        sent.append(distribution)
        audit.record_many(
            user=by,
            action=AuditAction.EXPORT,
            object_type="meeting",
            young_person_ids=visible,
            detail=f"{kind} distributed to {recipient.get_username()}",
        )
    if kind == DistributionKind.RECORD and meeting.record_distributed_at is None:
        meeting.record_distributed_at = timezone.now()
        meeting.save(update_fields=["record_distributed_at"])
    ids = [d.pk for d in sent]
    transaction.on_commit(lambda: _notify_distribution(ids))
    return sent


def meeting_moved_notice_send(*, meeting_id: int, user_id: int) -> bool:
    """Tell someone invited that the meeting has moved: its kind, new time and
    place, and a link. Never the name of a young person on the agenda."""
    from django.conf import settings
    from django.core.mail import send_mail

    meeting = Meeting.objects.filter(pk=meeting_id, status=MeetingStatus.SCHEDULED).first()
    person = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if meeting is None or person is None:
        return False
    when = timezone.localtime(meeting.starts_at)
    where = ", ".join(filter(None, [meeting.place, "online" if meeting.online else ""]))
    send_mail(
        subject=f"Harbour: a {meeting.get_kind_display().lower()} you are invited to has moved",
        message=(
            f"It is now on {when:%A %-d %B %Y at %H:%M}, {where}.\n\n"
            f"The meeting in Harbour: {settings.SITE_URL}{reverse('meeting', args=[meeting.pk])}\n"
        ),
        from_email=None,
        recipient_list=[person.email],
    )
    return True


def _notify_distribution(ids: list[int]) -> None:
    for pk in ids:
        background.send("assessments.tasks.send_distribution_notice", pk)


def distribution_notice_send(*, distribution_id: int) -> bool:
    """Email a link (never the document, never a name): the PDF is fetched
    through Harbour, behind the access policy, and audited."""
    from django.conf import settings
    from django.core.mail import send_mail

    d = (
        Distribution.objects.select_related("recipient", "meeting")
        .filter(pk=distribution_id)
        .first()
    )
    if d is None or not d.recipient.email:
        return False
    link = reverse("meeting-pdf", args=[d.meeting_id, d.kind])
    send_mail(
        subject=f"Harbour: {d.get_kind_display().lower()} for a meeting on "
        f"{timezone.localtime(d.meeting.starts_at):%-d %B %Y}",
        message=f"Read it in Harbour: {settings.SITE_URL}{link}\n",
        from_email=None,
        recipient_list=[d.recipient.email],
    )
    return True
