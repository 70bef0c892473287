"""/api/v1/meetings/ and /api/v1/actions/: the same services and access policy
as the pages. A meeting's young people appear only to those who may see them;
the rest are counted as withheld."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.meetings import services
from assessments.meetings.services import OwnerNotInTeam
from assessments.models import (
    ASSESSED_LEVELS,
    MINUTES_FIELDS,
    TEXT_MAX,
    Action,
    ActionStatus,
    Attendance,
    Decision,
    DistributionKind,
    Meeting,
    MeetingKind,
    MeetingSubject,
    Participant,
)
from cse_cases import access, audit
from cse_cases.api import query
from cse_cases.api.base import AuditedReads, RecordsOnly, ScopedViewSetMixin
from cse_cases.api.errors import run_service
from cse_cases.models import Agency, Area, AuditAction, User
from cse_cases.services import RecordError

# --- Meetings -----------------------------------------------------------------------


class ParticipantSerializer(serializers.ModelSerializer):
    external = serializers.BooleanField(read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "user", "name", "agency", "agency_name", "role", "attendance", "external"]
        read_only_fields = fields


class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingSubject
        fields = ["id", "young_person", *MINUTES_FIELDS, "minuted_by", "minuted_at", "version"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(many=True, read_only=True)
    subjects = serializers.SerializerMethodField()
    withheld = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "area",
            "starts_at",
            "place",
            "online",
            "chair",
            "status",
            "core_agencies_note",
            "record_due_at",
            "record_distributed_at",
            "participants",
            "subjects",
            "withheld",
            "version",
        ]
        read_only_fields = fields

    def _visible(self, meeting: Meeting) -> list[MeetingSubject]:
        visible = self.context["visible_ids"]
        return [s for s in meeting.subjects.all() if s.young_person_id in visible]

    @extend_schema_field(SubjectSerializer(many=True))
    def get_subjects(self, meeting: Meeting) -> list[dict]:
        return SubjectSerializer(self._visible(meeting), many=True).data

    def get_withheld(self, meeting: Meeting) -> int:
        return len(meeting.subjects.all()) - len(self._visible(meeting))


class RescheduleInSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    online = serializers.BooleanField(required=False, default=False)


class MeetingCreateSerializer(RescheduleInSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    young_people = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )


class ParticipantInSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    agency_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    role = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class AttendanceInSerializer(serializers.Serializer):
    attendance = serializers.DictField(
        child=serializers.ChoiceField(choices=Attendance.choices),
        help_text="Participant id to attendance",
    )
    core_agencies_note = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )


class MinutesInSerializer(serializers.Serializer):
    subject = serializers.IntegerField(help_text="The meeting's subject (young person) id")
    version = serializers.IntegerField()
    minutes = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )
    young_persons_views = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )
    agreed_level = serializers.ChoiceField(
        choices=ASSESSED_LEVELS, required=False, default="", allow_blank=True
    )
    child_protection_enquiries = serializers.ChoiceField(
        choices=Decision.choices, required=False, default="", allow_blank=True
    )
    criminal_investigation = serializers.ChoiceField(
        choices=Decision.choices, required=False, default="", allow_blank=True
    )
    plan_decision = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )


class DistributeInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DistributionKind.choices)


class MeetingViewSet(
    RecordsOnly,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Multi-agency meetings you chair, are invited to, run as a CSE lead, or
    that discussed a young person you may see. Only the young people you may
    see are listed; `withheld` counts the others. CSE leads schedule (POST);
    the chair records `participants`, `attendance`, `minutes` and `distribute`s."""

    serializer_class = MeetingSerializer

    def scoped_queryset(self, user) -> QuerySet:
        return (
            access.meetings_visible_to(user)
            .prefetch_related("participants", "subjects")
            .order_by("-starts_at", "-pk")
        )

    def get_serializer(self, *args, **kwargs) -> serializers.BaseSerializer:
        """Each meeting lists only the young people the reader may see: asked
        once for the young people of the meetings being shown (their subjects
        are prefetched), not for everyone the reader could see."""
        found = args[0] if args else kwargs.get("instance")
        if found is None:
            meetings: list[Meeting] = []
        elif isinstance(found, Meeting):
            meetings = [found]
        else:
            meetings = list(found)
        context = self.get_serializer_context()
        context["visible_ids"] = access.visible_young_person_ids(
            self.request.user, (s.young_person_id for m in meetings for s in m.subjects.all())
        )
        kwargs["context"] = context
        return super().get_serializer(*args, **kwargs)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = self.get_serializer(page, many=True).data
        self._audit(request, [s["young_person"] for m in data for s in m["subjects"]], "API list")
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        meeting = self.get_object()
        data = self.get_serializer(meeting).data
        self._audit(request, [s["young_person"] for s in data["subjects"]], f"meeting {meeting.pk}")
        return Response(data)

    def _audit(self, request: Request, ids: list[int], detail: str) -> None:
        audit.record_many(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="meeting",
            young_person_ids=ids,
            detail=detail,
        )

    def _answer(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        meeting = self.scoped_queryset(self.request.user).get(pk=meeting.pk)
        return Response(self.get_serializer(meeting).data, status=code)

    def _managed(self) -> Meeting:
        meeting = self.get_object()
        if not access.may_manage_meeting(self.request.user, meeting):
            raise exceptions.NotFound
        return meeting

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = MeetingCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if not access.may_chair_meetings_in(request.user, data["area"]):
            raise exceptions.NotFound
        ids = data.pop("young_people")
        people = list(access.young_people_visible_to(request.user).filter(pk__in=ids))
        if len(people) != len(set(ids)):
            raise exceptions.ValidationError({"young_people": ["No such young person."]})
        return run_service(
            lambda: self._answer(
                services.meeting_schedule(by=request.user, young_people=people, **data),
                status.HTTP_201_CREATED,
            )
        )

    @extend_schema(request=ParticipantInSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, pk=None) -> Response:
        """Add a Harbour user, or someone outside Harbour by `name` and agency."""
        meeting = self._managed()
        incoming = ParticipantInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)

        def add() -> Response:
            services.participant_add(by=request.user, meeting=meeting, **incoming.validated_data)
            return self._answer(meeting)

        return run_service(add)

    @extend_schema(request=RescheduleInSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk=None) -> Response:
        """Move a scheduled meeting: `starts_at`, and `place` or `online`."""
        meeting = self._managed()
        incoming = RescheduleInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return run_service(
            lambda: self._answer(
                services.meeting_reschedule(
                    by=request.user, meeting=meeting, **incoming.validated_data
                )
            )
        )

    @extend_schema(request=AttendanceInSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk=None) -> Response:
        meeting = self._managed()
        incoming = AttendanceInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            marks = {int(k): v for k, v in incoming.validated_data["attendance"].items()}
        except ValueError:
            raise exceptions.ValidationError({"attendance": ["Use participant ids."]}) from None
        return run_service(
            lambda: self._answer(
                services.attendance_record(
                    by=request.user,
                    meeting=meeting,
                    attendance=marks,
                    core_agencies_note=incoming.validated_data["core_agencies_note"],
                )
            )
        )

    @extend_schema(request=MinutesInSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk=None) -> Response:
        meeting = self._managed()
        incoming = MinutesInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        subject = meeting.subjects.filter(pk=data.pop("subject")).first()
        if subject is None or not access.sees_young_person(request.user, subject.young_person_id):
            raise exceptions.ValidationError({"subject": ["No such young person at this meeting."]})

        def save() -> Response:
            services.minutes_save(by=request.user, subject=subject, **data)
            return self._answer(meeting)

        return run_service(save)

    @extend_schema(request=DistributeInSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def distribute(self, request: Request, pk=None) -> Response:
        meeting = self._managed()
        incoming = DistributeInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)

        def send() -> Response:
            services.distribute(by=request.user, meeting=meeting, **incoming.validated_data)
            return self._answer(meeting)

        return run_service(send)


# --- Actions ------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "young_person",
            "meeting",
            "description",
            "owner",
            "owner_agency",
            "due_on",
            "status",
            "evidence",
            "completed_at",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ActionCreateSerializer(serializers.Serializer):
    young_person = serializers.IntegerField()
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)
    description = serializers.CharField(max_length=5000)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()
    confirm_past = serializers.BooleanField(required=False, default=False)
    add_owner_to_team = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The owner cannot see the young person yet: add them to the team around "
        "the child with this action (only those working on the case may).",
    )


class ActionUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    evidence = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[query.flag_parameter("mine", "Only yours: your work list, soonest due first")]
    )
)
class ActionViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Actions about young people you may see, and your own (`?mine=1`: your
    work list, soonest due first). A due date in the past answers 409
    `needs_confirmation` unless `confirm_past` is true; marking an action done
    needs `evidence`."""

    serializer_class = ActionSerializer
    audit_type = "action"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, user) -> QuerySet:
        actions = access.actions_visible_to(user)
        if self.action == "list" and query.flag(self.request, "mine"):
            actions = actions.filter(owner=user)
        return actions.order_by("status", "due_on", "pk")

    def _answer(self, result: Action, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(result).data, status=code)

    @extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = ActionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        young_person = (
            access.young_people_visible_to(request.user).filter(pk=data.pop("young_person")).first()
        )
        if young_person is None:
            raise exceptions.ValidationError({"young_person": ["No such young person."]})
        meeting_id = data.pop("meeting")
        meeting = None
        if meeting_id is not None:
            meeting = access.meetings_visible_to(request.user).filter(pk=meeting_id).first()
            if meeting is None:
                raise exceptions.ValidationError({"meeting": ["No such meeting."]})

        def add() -> Response:
            try:
                action = services.action_add(
                    by=request.user, young_person=young_person, meeting=meeting, **data
                )
            except OwnerNotInTeam as refused:
                raise RecordError(
                    f"{data['owner']} is not in the team around {young_person.display_name}, "
                    "so could not see their record or this action. Send add_owner_to_team: "
                    "true to add them to the team around the child with this action, or "
                    "choose someone who can already see the record.",
                    field=refused.field,
                ) from None
            return self._answer(action, status.HTTP_201_CREATED)

        return run_service(add)

    @extend_schema(request=ActionUpdateSerializer, responses=ActionSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        found = self.get_object()
        if not access.may_update_action(request.user, found):
            raise exceptions.NotFound
        incoming = ActionUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return run_service(
            lambda: self._answer(
                services.action_update(by=request.user, action=found, **incoming.validated_data)
            )
        )
