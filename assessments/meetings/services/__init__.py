"""Every write to meetings and actions (see each module): the meeting itself,
what is distributed from it and the emails that go out, and actions."""

from assessments.meetings.services.actions import (
    OwnerNotInTeam,
    action_add,
    action_notice_send,
    action_update,
)
from assessments.meetings.services.distribution import (
    distribute,
    distribution_notice_send,
    meeting_moved_notice_send,
)
from assessments.meetings.services.meetings import (
    attendance_record,
    meeting_cancel,
    meeting_context_change,
    meeting_day_starts,
    meeting_reschedule,
    meeting_schedule,
    minutes_save,
    participant_add,
    people_to_tell_of_a_move,
    subject_add,
    subject_remove,
)

__all__ = [
    "OwnerNotInTeam",
    "action_add",
    "action_notice_send",
    "action_update",
    "attendance_record",
    "distribute",
    "distribution_notice_send",
    "meeting_cancel",
    "meeting_context_change",
    "meeting_day_starts",
    "meeting_moved_notice_send",
    "meeting_reschedule",
    "meeting_schedule",
    "minutes_save",
    "participant_add",
    "people_to_tell_of_a_move",
    "subject_add",
    "subject_remove",
]
