"""/api/v1/referrals/: intake for partner systems, and screening, behind the same
services and access policy as the pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access, audit
from cse_cases import selectors as core_selectors
from cse_cases.api import query
from cse_cases.api.base import AuditedReads, ScopedViewSetMixin
from cse_cases.api.errors import error_body, field_errors
from cse_cases.api.parsers import HarbourFormParser, HarbourJSONParser, HarbourMultiPartParser
from cse_cases.models import Area, RiskLevel, Team, User
from cse_cases.services import EditConflict, RecordError
from referrals import services
from referrals.models import (
    Consent,
    Decision,
    Indicator,
    ParentsAware,
    Referral,
    ReferralAttachment,
    SharingBasis,
    Urgency,
)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralAttachment
        fields = ["id", "name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "area",
            "received_in_area",
            "received_at",
            "decision_due_at",
            "overdue",
            "referrer_name",
            "referrer_role",
            "referrer_agency_name",
            "referrer_email",
            "referrer_phone",
            "young_person",
            "identity_unknown",
            "given_name",
            "subject_description",
            "concerns",
            "indicators",
            "young_persons_words",
            "parents_aware",
            "parents_aware_detail",
            "consent",
            "consent_not_sought_reason",
            "sharing_basis",
            "urgency",
            "referrer_risk",
            "risk_level",
            "assigned_team",
            "assigned_to",
            "decision",
            "decided_at",
            "feedback",
            "feedback_sent_at",
            "case",
            "previous_referral",
            "attachments",
            "version",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Referral) -> bool:
        return obj.overdue()

    # Which record a referral is about, its case, an earlier referral and the
    # screening (risk, assignment) are for those who see the record or screen
    # the referral; a referrer who may not see the record gets the outcome
    # (the page's rule too).
    PRIVATE = (
        "young_person",
        "previous_referral",
        "case",
        "risk_level",
        "assigned_team",
        "assigned_to",
    )

    # For the schema (cse_cases/api/schema.py): these may be null for that reason.
    nulled_when_hidden = PRIVATE

    def to_representation(self, instance: Referral) -> dict:
        data = super().to_representation(instance)
        full_view = self.context.get("full_view")
        if full_view is not None and not full_view(instance):
            for name in self.PRIVATE:
                data[name] = None
        return data


class NewYoungPersonSerializer(serializers.Serializer):
    legal_first_name = serializers.CharField(max_length=100)
    legal_last_name = serializers.CharField(max_length=100)
    known_as = serializers.CharField(max_length=100, required=False, default="")
    date_of_birth = serializers.DateField()
    date_of_birth_estimated = serializers.BooleanField(required=False, default=False)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())


class ReferralCreateSerializer(serializers.Serializer):
    """Send exactly one of `young_person` (a record you may see), `new_young_person`,
    or `identity_unknown` with `subject_description` and `area`. A new young person
    who may already have a record you can see answers 409 `possible_duplicate`
    with the candidates, unless `confirm_not_duplicate` is true."""

    confirm_not_duplicate = serializers.BooleanField(required=False, default=False)

    referrer_name = serializers.CharField(max_length=200)
    referrer_role = serializers.CharField(max_length=200, required=False, default="")
    referrer_agency_name = serializers.CharField(max_length=200)
    referrer_email = serializers.EmailField(required=False, default="")
    referrer_phone = serializers.CharField(max_length=40, required=False, default="")
    received_at = serializers.DateTimeField(required=False)
    young_person = serializers.IntegerField(required=False)
    new_young_person = NewYoungPersonSerializer(required=False)
    identity_unknown = serializers.BooleanField(required=False, default=False)
    subject_description = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), required=False)
    concerns = serializers.CharField(max_length=20_000)
    indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=Indicator.choices), required=False, default=list
    )
    young_persons_words = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    parents_aware = serializers.ChoiceField(choices=ParentsAware.choices)
    parents_aware_detail = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    consent = serializers.ChoiceField(choices=Consent.choices)
    consent_not_sought_reason = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    sharing_basis = serializers.ChoiceField(
        choices=SharingBasis.choices, required=False, default="", allow_blank=True
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default="routine")
    referrer_risk = serializers.ChoiceField(
        choices=RiskLevel.choices, required=False, default="", allow_blank=True
    )

    def validate(self, data: dict) -> dict:
        given = [
            "young_person" in data,
            "new_young_person" in data,
            bool(data.get("identity_unknown")),
        ]
        if sum(given) != 1:
            raise serializers.ValidationError(
                "Send one of young_person, new_young_person, or identity_unknown"
            )
        return data


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    rationale = serializers.CharField(max_length=20_000)
    feedback = serializers.CharField(max_length=5000)
    advice = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)
    referred_on_to = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    lead_professional = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=(
            "Required when decision is cse_assessment and the young person has no open "
            "case: the id of the new case's lead professional, a practitioner, supervisor "
            "or CSE lead who works in the referral's area. Without it, or with anyone "
            "else, the answer is 400 with an error on lead_professional. Ignored when "
            "the young person's open case is joined."
        ),
    )


class AssignSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )


class ScreeningSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    risk_level = serializers.CharField(required=False, default="", allow_blank=True)
    screening_notes = serializers.CharField(
        max_length=20_000, required=False, default="", allow_blank=True
    )


class TransferSerializer(serializers.Serializer):
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    reason = serializers.CharField(max_length=5000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class IdentifySerializer(serializers.Serializer):
    young_person = serializers.IntegerField()


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A UUID; the same key from the same account makes one referral, "
    "and a repeat answers 200 with it",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[query.flag_parameter("queue", "Your screening queue, soonest due first")]
    )
)
class ReferralViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals you may see: those you made or were assigned, those of the
    districts you screen, and those about young people whose record you see.
    `?queue=1` lists your screening queue, soonest due first."""

    serializer_class = ReferralSerializer
    audit_type = "referral"
    parser_classes = [HarbourJSONParser, HarbourMultiPartParser, HarbourFormParser]

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        # Whether the reader sees each referral in full, by what decides it.
        self._full_views: dict[tuple, bool] = {}

    @staticmethod
    def _full_view_key(referral: Referral) -> tuple:
        return (referral.pk, referral.area_id, referral.assigned_to_id, referral.young_person_id)

    def get_serializer(self, *args, **kwargs):
        # A page of referrals: decided by the policy in one query for the page
        # rather than one per referral.
        if kwargs.get("many") and args:
            self._note_full_views(list(args[0]))
        return super().get_serializer(*args, **kwargs)

    def _note_full_views(self, referrals: list[Referral]) -> None:
        unknown = [r for r in referrals if self._full_view_key(r) not in self._full_views]
        if unknown:
            full = access.referral_full_views(self.request.user, unknown)
            self._full_views.update({self._full_view_key(r): r.pk in full for r in unknown})

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()

        def full_view(referral: Referral) -> bool:
            self._note_full_views([referral])
            return self._full_views[self._full_view_key(referral)]

        context["full_view"] = full_view
        return context

    def scoped_queryset(self, user) -> QuerySet:
        if self.action == "list" and query.flag(self.request, "queue"):
            referrals = access.referral_queue(user).order_by("decision_due_at", "pk")
        else:
            referrals = access.referrals_visible_to(user).order_by("-received_at", "-pk")
        return referrals.prefetch_related("attachments")

    def _acting_on(self, pk, *, need: str = "decide") -> Referral:
        try:
            return access.referral_for_action(self.request.user, int(pk), need=need)
        except Http404:
            raise exceptions.NotFound from None

    def _answer(self, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
        referral = Referral.objects.prefetch_related("attachments").get(pk=referral.pk)
        return Response(self.get_serializer(referral).data, status=code)

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, 200: ReferralSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = ReferralCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        key = request.headers.get("Idempotency-Key") or None
        if key:
            try:
                key = str(serializers.UUIDField().to_internal_value(key))
            except serializers.ValidationError:
                raise exceptions.ValidationError(
                    {"Idempotency-Key": ["Send a UUID, like 0b7c1f5e-8f3c-4c57-9d11-3c5a1e1f2a10"]}
                ) from None
        young_person = None
        if "young_person" in data:
            young_person = (
                access.young_people_visible_to(request.user)
                .filter(pk=data.pop("young_person"))
                .first()
            )
            if young_person is None:
                raise exceptions.ValidationError({"young_person": ["No such young person."]})
        new_young_person = data.pop("new_young_person", None)
        hidden_ids: list[int] = []
        if new_young_person is not None:
            check = core_selectors.duplicate_candidates(
                request.user,
                first_name=new_young_person["legal_first_name"],
                last_name=new_young_person["legal_last_name"],
                date_of_birth=new_young_person["date_of_birth"],
                identifiers=[],
                aliases=[new_young_person["known_as"]] if new_young_person["known_as"] else [],
            )
            audit.record_duplicate_check(
                user=request.user, check=check, detail="duplicate check (referral API)"
            )
            confirmed = str(request.data.get("confirm_not_duplicate", "")).lower() == "true"
            if check.visible and not confirmed:
                body = error_body(
                    status_code=409,
                    code="possible_duplicate",
                    detail=(
                        "This young person may already have a record: send its id as "
                        "young_person, or confirm_not_duplicate=true if it is someone else."
                    ),
                )
                body["candidates"] = [person.pk for person in check.visible]
                return Response(body, status=status.HTTP_409_CONFLICT)
            # A likely record the caller may not see: the screener confirms.
            hidden_ids = list(check.hidden_ids)
        try:
            referral, created = services.referral_create(
                by=request.user,
                data=data,
                young_person=young_person,
                new_young_person=new_young_person,
                hidden_match_ids=hidden_ids,
                identity_unknown=data.pop("identity_unknown", False),
                area=data.pop("area", None),
                attachments=request.FILES.getlist("attachments"),
                idempotency_key=key,
                received_at=data.pop("received_at", None),
            )
        except RecordError as error:
            raise field_errors(error) from None
        return self._answer(referral, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=AssignSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk=None) -> Response:
        referral = self._acting_on(pk)
        incoming = AssignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._run(services.referral_assign, referral, **incoming.validated_data)

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="start-screening")
    def start_screening(self, request: Request, pk=None) -> Response:
        return self._run(services.referral_screening_start, self._acting_on(pk, need="screen"))

    @extend_schema(request=ScreeningSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def screening(self, request: Request, pk=None) -> Response:
        referral = self._acting_on(pk, need="screen")
        incoming = ScreeningSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._run(services.referral_screening_update, referral, **incoming.validated_data)

    @extend_schema(request=IdentifySerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def identify(self, request: Request, pk=None) -> Response:
        referral = self._acting_on(pk, need="screen")
        incoming = IdentifySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        young_person = (
            access.young_people_visible_to(request.user)
            .filter(pk=incoming.validated_data["young_person"])
            .first()
        )
        if young_person is None:
            raise exceptions.ValidationError({"young_person": ["No such young person."]})
        return self._run(services.referral_identify, referral, young_person=young_person)

    @extend_schema(request=TransferSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk=None) -> Response:
        referral = self._acting_on(pk)
        incoming = TransferSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        return self._run(
            services.referral_transfer, referral, to_area=data["area"], reason=data["reason"]
        )

    @extend_schema(request=DecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk=None) -> Response:
        referral = self._acting_on(pk)
        incoming = DecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._run(services.referral_decide, referral, **incoming.validated_data)

    @extend_schema(request=ReasonSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        referral = self._acting_on(pk)
        incoming = ReasonSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._run(services.referral_close, referral, **incoming.validated_data)

    @extend_schema(request=ReasonSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk=None) -> Response:
        referral = self._acting_on(pk)
        incoming = ReasonSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._run(services.referral_reopen, referral, **incoming.validated_data)

    def _run(self, service, referral: Referral, **kwargs) -> Response:
        try:
            result = service(by=self.request.user, referral=referral, **kwargs)
        except EditConflict as conflict:
            return Response(
                {
                    "status": 409,
                    "code": "conflict",
                    "detail": str(conflict),
                    "current_version": conflict.current.version,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except services.IllegalTransition as error:
            return Response(
                {"status": 409, "code": "illegal_transition", "detail": str(error)},
                status=status.HTTP_409_CONFLICT,
            )
        except RecordError as error:
            raise field_errors(error) from None
        return self._answer(result)
