"""Every write in the core goes through a function here (keyword-only
arguments, one transaction, the audit row, tasks sent on commit by name
through cse_cases.background). Callers use this package's names; behind it:

records.py            the young person's record: create, edit, break-glass, merge
cases.py              a case: open, close, the team around the child, risk, sharing
notes.py              case notes and the contact clock
contexts.py           persons of concern, locations, links, disruption
missing.py            missing episodes and return interviews (missing_import.py: CSV)
accounts.py           account changes by administrators
account_approvals.py  the second person's decision on a waiting change
passwords.py          passwords, sessions, reset links
governance.py         break-glass review; tokens.py API tokens; drafts.py autosave
"""

from cse_cases.services.account_approvals import (
    account_change_decide,
    account_change_withdraw,
    authenticator_removal_request,
)
from cse_cases.services.accounts import (
    AccountError,
    AccountUpdate,
    account_change_notice_send,
    account_create,
    account_update,
    account_update_check,
)
from cse_cases.services.cases import (
    case_close,
    case_member_add,
    case_member_remove,
    case_open,
    case_risk_agreed,
    case_risk_screened,
    case_risk_set,
    case_share,
)
from cse_cases.services.contexts import (
    disruption_add,
    link_create,
    location_create,
    person_of_concern_create,
    person_of_concern_share,
)
from cse_cases.services.drafts import (
    draft_discard,
    draft_for,
    draft_save,
    drafts_clear_expired,
)
from cse_cases.services.governance import break_glass_review
from cse_cases.services.missing import (
    NeedsConfirmation,
    missing_episode_record,
    missing_episode_update,
    missing_review_done,
    repeat_check,
    return_interview_record,
)
from cse_cases.services.missing_import import ImportReport, missing_import
from cse_cases.services.notes import case_contact_recorded, case_note_add
from cse_cases.services.passwords import (
    password_changed_notice_send,
    password_reset_link_send,
    password_reset_send,
    sessions_clear_expired,
    user_deactivated,
    user_password_changed,
)
from cse_cases.services.records import (
    EditConflict,
    RecordError,
    break_glass_notice_send,
    break_glass_open,
    possible_duplicate_resolve,
    young_people_merge,
    young_person_create,
    young_person_update,
)

__all__ = [
    "AccountError",
    "AccountUpdate",
    "EditConflict",
    "ImportReport",
    "NeedsConfirmation",
    "RecordError",
    "account_change_decide",
    "account_change_notice_send",
    "account_change_withdraw",
    "account_create",
    "account_update",
    "account_update_check",
    "authenticator_removal_request",
    "break_glass_notice_send",
    "break_glass_open",
    "break_glass_review",
    "case_close",
    "case_contact_recorded",
    "case_member_add",
    "case_member_remove",
    "case_note_add",
    "case_open",
    "case_risk_agreed",
    "case_risk_screened",
    "case_risk_set",
    "case_share",
    "disruption_add",
    "draft_discard",
    "draft_for",
    "draft_save",
    "drafts_clear_expired",
    "link_create",
    "location_create",
    "missing_episode_record",
    "missing_episode_update",
    "missing_import",
    "missing_review_done",
    "password_changed_notice_send",
    "password_reset_link_send",
    "password_reset_send",
    "person_of_concern_create",
    "person_of_concern_share",
    "possible_duplicate_resolve",
    "repeat_check",
    "return_interview_record",
    "sessions_clear_expired",
    "user_deactivated",
    "user_password_changed",
    "young_people_merge",
    "young_person_create",
    "young_person_update",
]
