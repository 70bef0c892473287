"""Forms for meetings and actions (GOV.UK markup through GovukFormMixin)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings

from assessments.models import (
    ASSESSED_LEVELS,
    ActionStatus,
    Decision,
    MeetingKind,
)
from assessments.text import text_field, too_long
from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin, PersonChoiceField, person_label
from cse_cases.models import Agency, Area, User


class MeetingTimeForm(GovukFormMixin, forms.Form):
    """When and where: for scheduling a meeting and for moving it."""

    day = GovukDateField(
        label="Date",
        message_name="The date of the meeting",
        error_messages={"required": "Enter the date of the meeting"},
    )
    time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the start time", "invalid": "Enter a time like 14:30"},
    )
    place = forms.CharField(label="Place", required=False, max_length=300)
    online = forms.BooleanField(label="Online", required=False)

    def starts_at(self) -> datetime:
        zone = ZoneInfo(settings.TIME_ZONE)
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"], tzinfo=zone)


class MeetingForm(MeetingTimeForm):
    kind = forms.ChoiceField(
        label="Kind of meeting", choices=MeetingKind.choices, widget=forms.RadioSelect
    )
    area = forms.ModelChoiceField(label="District", queryset=Area.objects.none(), empty_label=None)
    field_order = ["kind", "area", "day", "time", "place", "online"]

    def __init__(self, *args, areas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ParticipantForm(GovukFormMixin, forms.Form):
    user = PersonChoiceField(
        label="Someone who uses Harbour",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a person",
    )
    name = forms.CharField(
        label="Or the name of someone outside Harbour", required=False, max_length=200
    )
    agency = forms.ModelChoiceField(
        label="Their agency",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="Choose an agency",
    )
    agency_name = forms.CharField(label="Or the agency's name", required=False, max_length=200)
    role = forms.CharField(label="Role", required=False, max_length=200)

    def __init__(self, *args, people, meeting, **kwargs) -> None:
        """`people`: access.meeting_invitee_choices(meeting)."""
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = people
        field.help_text = (
            f"People who work in {meeting.area.name}, and those in the team around a young "
            "person on the agenda. Invite anyone else by name, as someone outside Harbour."
        )
        field.error_messages["invalid_choice"] = (
            f"Choose someone from the list: people who work in {meeting.area.name} or see a "
            "young person on the agenda. Invite anyone else by name and agency, as someone "
            "outside Harbour."
        )


class MinutesForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    minutes = text_field(
        "Minutes", rows=8, help_text="What was shared and discussed about this young person."
    )
    young_persons_views = text_field(
        "The young person's views, in their own words",
        help_text="As they said it, or how they were asked and why they could not say.",
    )
    agreed_level = forms.ChoiceField(
        label="Agreed level of risk",
        choices=[("", "Not agreed at this meeting"), *ASSESSED_LEVELS],
        required=False,
        widget=forms.RadioSelect,
    )
    child_protection_enquiries = forms.ChoiceField(
        label="Child protection enquiries (section 47)",
        choices=[("", "Not decided"), *Decision.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    criminal_investigation = forms.ChoiceField(
        label="Criminal investigation",
        choices=[("", "Not decided"), *Decision.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    plan_decision = text_field("Decision about the plan", rows=3)


class ActionOwnerField(PersonChoiceField):
    """The owner's list says, beside each name, who cannot see the young
    person's record yet (access.action_owner_choices annotates it), so the
    chair knows before agreeing the action."""

    def label_from_instance(self, obj: User) -> str:
        label = person_label(obj)
        if getattr(obj, "sees_young_person", True) is False:
            label += ": cannot see this young person's record yet"
        return label


class ActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label="What is to be done",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what is to be done.", **too_long(5000)},
    )
    owner = ActionOwnerField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose who owns the action."},
    )
    add_owner_to_team = forms.BooleanField(
        label="If the owner cannot see this young person's record yet, add them to the team "
        "around the child",
        required=False,
    )
    due_on = GovukDateField(
        label="Due by",
        message_name="The due date",
        error_messages={"required": "Enter the due date"},
    )
    confirm_past = forms.BooleanField(
        label="Yes, the due date is in the past: record it as already due", required=False
    )

    def __init__(self, *args, people, young_person, **kwargs) -> None:
        """`people`: access.action_owner_choices(young_person, meeting=...)."""
        super().__init__(*args, **kwargs)
        name = young_person.display_name
        owner = self.fields["owner"]
        owner.queryset = people
        owner.help_text = (
            f"People who see {name}'s record, and others in {young_person.area.name} who "
            "could join the team around them. Someone marked \u201ccannot see this young "
            "person's record yet\u201d could not read the action until they join it."
        )
        owner.error_messages["invalid_choice"] = (
            f"Choose an owner from the list: someone who sees {name}'s record or works in "
            f"{young_person.area.name}."
        )
        self.fields["add_owner_to_team"].help_text = (
            "Joining the team around the child lets them see the whole record, as everyone "
            "in the team does. Their role in it is recorded as their job title."
        )


class ActionUpdateForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    evidence = forms.CharField(
        label="Evidence of completion",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=too_long(5000),
    )
