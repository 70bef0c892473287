"""/api/v1/missing-episodes/ and /api/v1/return-interviews/: the same services
and policy as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access, services
from cse_cases.api.base import AuditedReads, ScopedViewSetMixin
from cse_cases.api.errors import error_body, field_errors
from cse_cases.models import MissingEpisode, ReturnInterview, User
from cse_cases.params import whole_number
from cse_cases.services.missing import EPISODE_FIELDS, INTERVIEW_FIELDS


class MissingEpisodeSerializer(serializers.ModelSerializer):
    young_person = serializers.PrimaryKeyRelatedField(read_only=True)
    interview_due_at = serializers.DateTimeField(read_only=True)
    long = serializers.BooleanField(read_only=True)

    class Meta:
        model = MissingEpisode
        fields = [
            "id",
            "young_person",
            *EPISODE_FIELDS,
            "interview_due_at",
            "long",
            "source",
            "recorded_at",
            "version",
        ]
        read_only_fields = ["id", "source", "recorded_at", "version"]


class EpisodeWriteSerializer(serializers.ModelSerializer):
    young_person = serializers.IntegerField()

    class Meta:
        model = MissingEpisode
        fields = ["young_person", *EPISODE_FIELDS]


class EpisodeUpdateSerializer(EpisodeWriteSerializer):
    """Send only what changes, with the `version` you read (a newer save answers 409)."""

    version = serializers.IntegerField(help_text="The version you read")
    partial_in_patch = True
    required_in_patch = ("version",)

    class Meta(EpisodeWriteSerializer.Meta):
        fields = ["version", *EPISODE_FIELDS]


class MissingEpisodeViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Missing episodes of young people you may see, most recent first. Create
    with `young_person`; record the return with PATCH and the `version` you
    read (a newer save answers 409)."""

    serializer_class = MissingEpisodeSerializer
    audit_type = "missingepisode"
    never_conflicts = ("create",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, user) -> QuerySet:
        return access.missing_episodes_visible_to(user).order_by("-last_seen_at", "pk")

    @extend_schema(request=EpisodeWriteSerializer, responses={201: MissingEpisodeSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = EpisodeWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        young_person = (
            access.young_people_visible_to(request.user).filter(pk=data.pop("young_person")).first()
        )
        if young_person is None:
            raise exceptions.ValidationError({"young_person": ["No such young person."]})
        try:
            episode = services.missing_episode_record(
                by=request.user, young_person=young_person, data=data
            )
        except services.RecordError as error:
            raise field_errors(error) from None
        except PermissionDenied:
            raise exceptions.NotFound from None
        return Response(self.get_serializer(episode).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EpisodeUpdateSerializer, responses=MissingEpisodeSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        episode = self.get_object()
        version = str(request.data.get("version", ""))
        if whole_number(version) is None:
            raise exceptions.ValidationError({"version": ["Send the version you read."]})
        incoming = EpisodeWriteSerializer(episode, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = {k: v for k, v in incoming.validated_data.items() if k in EPISODE_FIELDS}
        try:
            episode = services.missing_episode_update(
                by=request.user, episode=episode, version=whole_number(version), data=data
            )
        except services.EditConflict as conflict:
            body = error_body(status_code=409, code="conflict", detail=str(conflict))
            body["current_version"] = conflict.current.version
            return Response(body, status=status.HTTP_409_CONFLICT)
        except services.RecordError as error:
            raise field_errors(error) from None
        except PermissionDenied:
            raise exceptions.NotFound from None
        return Response(self.get_serializer(episode).data)


class ReturnInterviewSerializer(serializers.ModelSerializer):
    on_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = ReturnInterview
        fields = ["id", "episode", *INTERVIEW_FIELDS, "on_time", "recorded_at"]
        read_only_fields = fields


class InterviewWriteSerializer(serializers.ModelSerializer):
    episode = serializers.IntegerField()
    interviewer = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    confirm = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = ReturnInterview
        fields = ["episode", "confirm", *INTERVIEW_FIELDS]


class ReturnInterviewViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Return home interviews. The interviewer must be independent of the
    young person's carers and placement (400); their allocated social worker
    answers 409 `needs_confirmation` unless `confirm` is true."""

    serializer_class = ReturnInterviewSerializer
    audit_type = "returninterview"

    def children_of(self, obj: ReturnInterview) -> list[int]:
        return [obj.episode.young_person_id]

    def scoped_queryset(self, user) -> QuerySet:
        return (
            access.return_interviews_visible_to(user)
            .select_related("episode")
            .order_by("-offered_at", "pk")
        )

    @extend_schema(request=InterviewWriteSerializer, responses={201: ReturnInterviewSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = InterviewWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        confirmed = data.pop("confirm")
        episode = (
            access.missing_episodes_visible_to(request.user).filter(pk=data.pop("episode")).first()
        )
        if episode is None:
            raise exceptions.ValidationError({"episode": ["No such missing episode."]})
        try:
            interview = services.return_interview_record(
                by=request.user, episode=episode, data=data, confirmed=confirmed
            )
        except services.NeedsConfirmation as needs:
            body = error_body(status_code=409, code="needs_confirmation", detail=str(needs))
            return Response(body, status=status.HTTP_409_CONFLICT)
        except services.RecordError as error:
            raise field_errors(error) from None
        except PermissionDenied:
            raise exceptions.NotFound from None
        return Response(self.get_serializer(interview).data, status=status.HTTP_201_CREATED)
