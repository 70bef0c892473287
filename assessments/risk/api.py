"""/api/v1/assessments/ and /api/v1/assessment-templates/: the same services and
access policy as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.models import (
    ASSESSED_LEVELS,
    MAX_WEIGHT,
    TEXT_MAX,
    AgencySection,
    Answer,
    Assessment,
    AssessmentTemplate,
    AssessmentTransition,
    DomainKind,
    IndicatorAnswer,
    ScoreBand,
    TemplateDomain,
    TemplateIndicator,
    Window,
)
from assessments.risk import services
from cse_cases import access
from cse_cases.api.base import AuditedReads, RecordsOnly, ScopedViewSetMixin
from cse_cases.api.errors import error_body, field_errors
from cse_cases.services import EditConflict, RecordError

# --- Templates ----------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateIndicator
        fields = ["id", "position", "text", "weight", "window"]


class DomainSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = TemplateDomain
        fields = ["id", "position", "key", "title", "kind", "guidance", "indicators"]


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreBand
        fields = ["min_score", "level", "label"]


class TemplateSerializer(serializers.ModelSerializer):
    domains = DomainSerializer(many=True, read_only=True)
    bands = BandSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentTemplate
        fields = [
            "id",
            "name",
            "version",
            "status",
            "description",
            "change_summary",
            "based_on",
            "created_at",
            "published_at",
            "bands",
            "domains",
        ]
        read_only_fields = fields


class IndicatorInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    weight = serializers.IntegerField(min_value=0, max_value=MAX_WEIGHT)
    window = serializers.ChoiceField(choices=Window.choices)


class DomainInSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=50)
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DomainKind.choices)
    guidance = serializers.CharField(required=False, default="", allow_blank=True)
    indicators = IndicatorInSerializer(many=True)


class BandInSerializer(serializers.Serializer):
    min_score = serializers.IntegerField(min_value=0)
    level = serializers.ChoiceField(choices=ASSESSED_LEVELS)
    label = serializers.CharField(max_length=200)


class TemplateContentSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    change_summary = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    bands = BandInSerializer(many=True)
    domains = DomainInSerializer(many=True)


def _refused(error: RecordError, code: str) -> Response:
    return Response(
        error_body(status_code=409, code=code, detail=str(error)), status=status.HTTP_409_CONFLICT
    )


def _problems(error: services.Incomplete) -> exceptions.ValidationError:
    errors: dict[str, list[str]] = {}
    for field, message in error.problems:
        errors.setdefault(field, []).append(message)
    return exceptions.ValidationError(errors)


class AssessmentTemplateViewSet(
    RecordsOnly,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Assessment templates: published versions for everyone who works with
    records, drafts for CSE leads. A CSE lead starts a new version from any
    version (`new-version`), replaces a draft's content (PUT) and publishes it.
    A published version never changes (409 `template_published`)."""

    serializer_class = TemplateSerializer

    def scoped_queryset(self, user) -> QuerySet:
        domains = TemplateDomain.objects.prefetch_related("indicators")
        return (
            access.templates_visible_to(user)
            .prefetch_related(Prefetch("domains", queryset=domains), "bands")
            .order_by("name", "-version")
        )

    def _managed(self) -> AssessmentTemplate:
        template = self.get_object()
        if not access.may_manage_templates(self.request.user):
            raise exceptions.NotFound
        return template

    def _answer(self, template: AssessmentTemplate, code: int = status.HTTP_200_OK) -> Response:
        template = self.scoped_queryset(self.request.user).get(pk=template.pk)
        return Response(self.get_serializer(template).data, status=code)

    @extend_schema(request=TemplateContentSerializer, responses=TemplateSerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        template = self._managed()
        incoming = TemplateContentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        content = services.TemplateContent(**incoming.validated_data)
        try:
            services.template_update(by=request.user, template=template, content=content)
        except services.Incomplete as error:
            raise _problems(error) from None
        except RecordError as error:
            return _refused(error, "template_published")
        return self._answer(template)

    @extend_schema(request=None, responses={201: TemplateSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk=None) -> Response:
        template = self._managed()
        try:
            new = services.template_new_version(by=request.user, template=template)
        except RecordError as error:
            return _refused(error, "draft_exists")
        return self._answer(new, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TemplateSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        template = self._managed()
        try:
            services.template_publish(by=request.user, template=template)
        except services.Incomplete as error:
            raise _problems(error) from None
        except RecordError as error:
            return _refused(error, "template_published")
        return self._answer(template)


# --- Assessments ---------------------------------------------------------------------


class AnswerSerializer(serializers.ModelSerializer):
    answer = serializers.ChoiceField(choices=Answer.choices, allow_blank=True)

    class Meta:
        model = IndicatorAnswer
        fields = ["indicator", "answer", "when", "evidence"]
        extra_kwargs = {"indicator": {"read_only": True}}


class SectionSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = AgencySection
        fields = ["agency", "agency_name", "contribution", "updated_by", "updated_at", "version"]
        read_only_fields = fields


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentTransition
        fields = ["from_status", "to_status", "by", "at", "comments"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    young_person = serializers.IntegerField(source="case.young_person_id", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "young_person",
            "template",
            "status",
            "author",
            "started_at",
            "score",
            "suggested_level",
            "judged_level",
            "rationale",
            "young_persons_views",
            "parents_views",
            "other_strengths",
            "answers",
            "sections",
            "submitted_by",
            "submitted_at",
            "signed_off_by",
            "signed_off_at",
            "next_review_on",
            "transitions",
            "version",
        ]
        read_only_fields = fields


class StartSerializer(serializers.Serializer):
    case = serializers.IntegerField()


class AnswerInSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=Answer.choices, allow_blank=True)
    when = serializers.CharField(
        max_length=services.WHEN_MAX, required=False, default="", allow_blank=True
    )
    evidence = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, **kwargs)


class AssessmentUpdateSerializer(serializers.Serializer):
    """Send only what changes, with the `version` you read."""

    version = serializers.IntegerField()
    young_persons_views = _text()
    parents_views = _text()
    other_strengths = _text()
    rationale = _text()
    judged_level = serializers.ChoiceField(
        choices=ASSESSED_LEVELS, required=False, allow_blank=True
    )
    answers = AnswerInSerializer(many=True, required=False)


class SectionInSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The section's version you read; 0 for a new one")
    contribution = serializers.CharField(max_length=TEXT_MAX)


class CommentsSerializer(serializers.Serializer):
    comments = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )


class AssessmentViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Risk assessments of the cases you may see. The lead professional starts
    one (POST with `case`) and completes it (PATCH with `version`); each agency
    in the team writes its own `section`; a supervisor or CSE lead who did not
    write it signs it off or returns it. A newer save answers 409 `conflict`;
    submitting with parts missing answers 400 with every problem."""

    serializer_class = AssessmentSerializer
    audit_type = "assessment"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def children_of(self, obj: Assessment) -> list[int]:
        return [obj.case.young_person_id]

    def scoped_queryset(self, user) -> QuerySet:
        return (
            access.assessments_visible_to(user)
            .select_related("case")
            .prefetch_related(
                "answers",
                Prefetch("sections", queryset=AgencySection.objects.select_related("agency")),
                "transitions",
            )
            .order_by("-started_at", "-pk")
        )

    def _answer(self, assessment: Assessment, code: int = status.HTTP_200_OK) -> Response:
        assessment = self.scoped_queryset(self.request.user).get(pk=assessment.pk)
        return Response(self.get_serializer(assessment).data, status=code)

    def _run(self, call) -> Response:
        try:
            result = call()
        except EditConflict as conflict:
            body = error_body(status_code=409, code="conflict", detail=str(conflict))
            body["current_version"] = conflict.current.version
            return Response(body, status=status.HTTP_409_CONFLICT)
        except services.Incomplete as error:
            raise _problems(error) from None
        except PermissionDenied:
            raise exceptions.NotFound from None
        except RecordError as error:
            raise field_errors(error) from None
        return result

    @extend_schema(request=StartSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = StartSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            case = access.case_to_assess(request.user, incoming.validated_data["case"])
        except Http404:
            raise exceptions.ValidationError(
                {"case": ["No such case, or you do not lead it."]}
            ) from None
        return self._run(
            lambda: self._answer(
                services.assessment_start(by=request.user, case=case), status.HTTP_201_CREATED
            )
        )

    @extend_schema(request=AssessmentUpdateSerializer, responses=AssessmentSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        assessment = self.get_object()
        if not access.may_complete_assessment(request.user, assessment.case):
            raise exceptions.NotFound
        incoming = AssessmentUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        answers = {a["indicator"]: a for a in data.pop("answers", [])}
        return self._run(
            lambda: self._answer(
                services.assessment_save(
                    by=request.user,
                    assessment=assessment,
                    version=version,
                    values=data,
                    answers=answers,
                )
            )
        )

    @extend_schema(request=SectionInSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def section(self, request: Request, pk=None) -> Response:
        """Write or update your agency's section."""
        assessment = self.get_object()
        if not access.may_contribute_assessment(request.user, assessment.case):
            raise exceptions.NotFound
        incoming = SectionInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)

        def save() -> Response:
            services.section_save(by=request.user, assessment=assessment, **incoming.validated_data)
            return self._answer(assessment)

        return self._run(save)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        assessment = self.get_object()
        if not access.may_complete_assessment(request.user, assessment.case):
            raise exceptions.NotFound
        return self._run(
            lambda: self._answer(services.assessment_submit(by=request.user, assessment=assessment))
        )

    def _review(self, service) -> Response:
        assessment = self.get_object()
        if not access.may_sign_off_assessment(self.request.user, assessment):
            raise exceptions.NotFound
        incoming = CommentsSerializer(data=self.request.data)
        incoming.is_valid(raise_exception=True)
        return self._run(
            lambda: self._answer(
                service(by=self.request.user, assessment=assessment, **incoming.validated_data)
            )
        )

    @extend_schema(request=CommentsSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk=None) -> Response:
        return self._review(services.assessment_sign_off)

    @extend_schema(request=CommentsSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk=None) -> Response:
        """Return to the lead professional; `comments` are required."""
        return self._review(services.assessment_return)
