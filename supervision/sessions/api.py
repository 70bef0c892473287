"""/api/v1/supervision-sessions/: sessions you held or were supervised in.

The metadata (date, people, length, format) for everyone the access package
lets see a session (the pair; information governance of the districts); the
management part (cases discussed, decisions, actions) and the private parts
(development, support, mediation, wellbeing, reflection) to the pair only.
POST records a session (supervisors); PATCH changes one (a stale `version`
answers 409 `conflict`, nothing overwritten); the worker PATCHes only
`worker_reflection`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.models import TEXT_MAX, Action
from cse_cases import access, audit
from cse_cases.api.base import ScopedViewSetMixin
from cse_cases.api.errors import run_service
from cse_cases.models import AuditAction, User
from supervision.sessions import services
from supervision.sessions.models import (
    MAX_MINUTES,
    PRIVATE_FIELDS,
    CaseDiscussion,
    SessionFormat,
    SupervisionSession,
)

METADATA = ("id", "supervisor", "worker", "held_on", "duration_minutes", "format")


class SupervisionActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "description", "owner", "due_on", "status"]
        read_only_fields = fields


class CaseDiscussionSerializer(serializers.ModelSerializer):
    young_person = serializers.IntegerField(source="case.young_person_id", read_only=True)
    actions = SupervisionActionSerializer(many=True, read_only=True)

    class Meta:
        model = CaseDiscussion
        fields = ["id", "case", "young_person", "decision", "actions", "recorded_at"]
        read_only_fields = fields


class SupervisionSessionSerializer(serializers.ModelSerializer):
    """Fields a reader may not see are left out of the object (not null):
    `case_discussions` and `version` for the pair, the private parts too."""

    # Output only (writes go through SupervisionSessionWriteSerializer). Not read-only, so
    # that the schema does not list them as required: they are left out of the
    # object for those who may not read them.
    case_discussions = CaseDiscussionSerializer(many=True, required=False)

    class Meta:
        model = SupervisionSession
        fields = [*METADATA, "version", "case_discussions", *PRIVATE_FIELDS]
        read_only_fields = METADATA
        extra_kwargs = {name: {"required": False} for name in ("version", *PRIVATE_FIELDS)}

    def to_representation(self, instance: SupervisionSession) -> dict[str, Any]:
        data = super().to_representation(instance)
        found = access.session_access(self.context["request"].user, instance)
        if not found.reads_management:
            data.pop("case_discussions", None)
            data.pop("version", None)
        if not found.reads_private:
            for name in PRIVATE_FIELDS:
                data.pop(name, None)
        return data


class SupervisionActionWriteSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=5000)
    owner = serializers.IntegerField(min_value=1)
    due_on = serializers.DateField()


class CaseDiscussionWriteSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    decision = serializers.CharField(
        max_length=TEXT_MAX,
        error_messages={"max_length": f"This is too long: at most {TEXT_MAX:,} characters."},
    )
    actions = SupervisionActionWriteSerializer(many=True, required=False, max_length=20)


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=TEXT_MAX,
        error_messages={"max_length": f"This is too long: at most {TEXT_MAX:,} characters."},
        **kwargs,
    )


class SupervisionSessionWriteSerializer(serializers.Serializer):
    worker = serializers.IntegerField(min_value=1, required=False)
    version = serializers.IntegerField(min_value=1, required=False)
    held_on = serializers.DateField(required=False)
    duration_minutes = serializers.IntegerField(
        min_value=1,
        max_value=MAX_MINUTES,
        required=False,
        error_messages={
            "min_value": "The length must be at least 1 minute.",
            "max_value": f"The length must be at most {MAX_MINUTES} minutes (8 hours).",
        },
    )
    format = serializers.ChoiceField(choices=SessionFormat.choices, required=False)
    development = _text()
    support = _text()
    mediation = _text()
    wellbeing_rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        allow_null=True,
        required=False,
        error_messages={
            "min_value": "The wellbeing rating is from 1 to 5.",
            "max_value": "The wellbeing rating is from 1 to 5.",
        },
    )
    wellbeing_words = _text()
    worker_reflection = _text()
    case_discussions = CaseDiscussionWriteSerializer(many=True, required=False, max_length=20)


def _discussions(user: User, worker: User, rows: list[dict[str, Any]]) -> list[services.Discussion]:
    cases = {c.pk: c for c in access.discussable_cases(user, worker)}
    result = []
    for index, row in enumerate(rows):
        case = cases.get(row["case"])
        if case is None:
            raise exceptions.ValidationError(
                {
                    "case_discussions": [
                        f"Item {index + 1}: not one of {worker}'s open cases (they must lead it "
                        "or be in the team around the child)."
                    ]
                }
            )
        owners = {u.pk: u for u in access.session_action_owner_choices(case, worker)}
        actions = []
        for agreed in row.get("actions", []):
            owner = owners.get(agreed["owner"])
            if owner is None:
                raise exceptions.ValidationError(
                    {
                        "case_discussions": [
                            f"Item {index + 1}: the owner must be the worker or someone in the "
                            "team around the child."
                        ]
                    }
                )
            actions.append(
                services.ActionAgreed(
                    description=agreed["description"], owner=owner, due_on=agreed["due_on"]
                )
            )
        result.append(services.Discussion(case=case, decision=row["decision"], actions=actions))
    return result


PART_NAMES = (
    "held_on",
    "duration_minutes",
    "format",
    "development",
    "support",
    "mediation",
    "wellbeing_rating",
    "wellbeing_words",
)


class SupervisionSessionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Supervision sessions you may see (newest first)."""

    serializer_class = SupervisionSessionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        user = request.user
        if not (
            access.may_see_identifiable_records(user)
            or access.has_role(user, access.Role.INFORMATION_GOVERNANCE)
        ):
            raise exceptions.NotFound

    def scoped_queryset(self, user: Any) -> QuerySet:
        return (
            access.sessions_visible_to(user)
            .select_related("supervisor", "worker__team")
            .prefetch_related(
                Prefetch(
                    "case_discussions",
                    queryset=CaseDiscussion.objects.select_related("case").prefetch_related(
                        Prefetch("actions", queryset=Action.objects.order_by("pk"))
                    ),
                )
            )
            .order_by("-held_on", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        audit.record(
            user=request.user,
            action=AuditAction.SEARCH,
            object_type="supervisionsession",
            detail="API list",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        found = access.session_access(request.user, session)
        children = (
            [d.case.young_person_id for d in session.case_discussions.all()]
            if found.reads_management
            else []
        )
        services.session_read(
            by=request.user, session=session, young_person_ids=children, detail="API"
        )
        return Response(self.get_serializer(session).data)

    @extend_schema(
        request=SupervisionSessionWriteSerializer, responses={201: SupervisionSessionSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = SupervisionSessionWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        missing = [n for n in ("worker", "held_on", "duration_minutes") if n not in data]
        if missing:
            raise exceptions.ValidationError({n: ["This field is required."] for n in missing})
        try:
            worker = access.supervisee_for(request.user, data["worker"])
        except Http404:
            raise exceptions.ValidationError(
                {"worker": ["Not someone you supervise: choose a worker in your team."]}
            ) from None
        discussions = _discussions(request.user, worker, data.get("case_discussions", []))
        parts = services.SessionParts(**{n: data[n] for n in PART_NAMES if n in data})

        def record() -> Response:
            session = services.session_record(
                by=request.user, worker=worker, parts=parts, discussions=discussions
            )
            fresh = self.scoped_queryset(request.user).get(pk=session.pk)
            return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

        return run_service(record)

    @extend_schema(
        request=SupervisionSessionWriteSerializer, responses={200: SupervisionSessionSerializer}
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        found = access.session_access(request.user, session)
        incoming = SupervisionSessionWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        reflection = data.pop("worker_reflection", None)
        if reflection is not None and not found.may_reflect:
            raise exceptions.ValidationError(
                {"worker_reflection": ["Only the worker writes their reflection."]}
            )
        data.pop("worker", None)
        changes_parts = any(n in data for n in (*PART_NAMES, "case_discussions"))
        if changes_parts and not found.may_edit:
            raise exceptions.NotFound
        if changes_parts and "version" not in data:
            raise exceptions.ValidationError(
                {"version": ["Send the version you read, so no one's text is overwritten."]}
            )

        def save() -> Response:
            if changes_parts:
                discussions = _discussions(
                    request.user, session.worker, data.get("case_discussions", [])
                )
                parts = services.SessionParts(
                    **{n: data.get(n, getattr(session, n)) for n in PART_NAMES}
                )
                services.session_update(
                    by=request.user,
                    session=session,
                    version=data["version"],
                    parts=parts,
                    discussions=discussions,
                )
            if reflection is not None:
                services.reflection_save(by=request.user, session=session, text=reflection)
            fresh = self.scoped_queryset(request.user).get(pk=session.pk)
            return Response(self.get_serializer(fresh).data)

        return run_service(save)
