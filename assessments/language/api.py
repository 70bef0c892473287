"""/api/v1/language/: the language check for partner systems and scripts, with
the same rules, services and access policy as the pages.

- GET  /api/v1/language/rules/   the rule set: version, categories and rules
- POST /api/v1/language/check/   the findings for a text
- POST /api/v1/language/keeps/   keep a flagged phrase with a reason

Offsets are in Unicode code points of the text sent. Commissioners and
administrators write in no record: every action answers them 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.language import rules as language
from assessments.language import selectors, services
from assessments.language.models import REASON_MAX, LanguageKeep
from cse_cases import access
from cse_cases.api.base import RecordsOnly, ScopedViewSetMixin
from cse_cases.api.errors import run_service

TEXT_MAX = 50_000
KEPT_MAX = 50


class FindingSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    phrase = serializers.CharField()
    suggestion = serializers.CharField()
    drop_in = serializers.BooleanField(help_text="Whether the suggestion can replace the phrase")
    rule = serializers.CharField()
    category = serializers.CharField()
    why = serializers.CharField()


class CheckInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, trim_whitespace=False)
    kept = serializers.ListField(
        child=serializers.CharField(max_length=300),
        max_length=KEPT_MAX,
        required=False,
        default=list,
        help_text='Phrases kept in this editing session, as "rule:phrase"',
    )


class CheckOutSerializer(serializers.Serializer):
    version = serializers.CharField()
    findings = FindingSerializer(many=True)


class KeepInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)
    rule = serializers.CharField(max_length=100)
    phrase = serializers.CharField(max_length=1_000, trim_whitespace=False)
    reason = serializers.CharField(max_length=REASON_MAX + 100, allow_blank=True)
    field = serializers.RegexField(r"^[A-Za-z0-9_-]{1,100}$")
    # Where the words were written: a form's class name or a page's name.
    form = serializers.RegexField(r"^[A-Za-z0-9_.:-]{0,100}$", required=False, default="")


class KeepSerializer(serializers.ModelSerializer):
    class Meta:
        model = LanguageKeep
        fields = ["id", "kept_at", "rule", "rules_version", "category", "phrase", "reason"]
        read_only_fields = fields


class RuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    category = serializers.CharField()
    label = serializers.CharField()
    suggestion = serializers.CharField()
    advice = serializers.BooleanField()
    why = serializers.CharField()


class RuleSetSerializer(serializers.Serializer):
    version = serializers.CharField()
    categories = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    rules = RuleSerializer(many=True)


class LanguageViewSet(RecordsOnly, ScopedViewSetMixin, viewsets.GenericViewSet):
    # No action lists records; keeps, were one to, come from the access policy.
    serializer_class = KeepSerializer
    pagination_class = None

    def scoped_queryset(self, user) -> QuerySet[LanguageKeep]:
        return access.language_reasons_visible_to(user)

    @extend_schema(responses=RuleSetSerializer)
    @action(detail=False, methods=["get"])
    def rules(self, request: Request) -> Response:
        """The rule set the check applies, for review."""
        body = {
            "version": language.VERSION,
            "categories": language.CATEGORIES,
            "rules": language.RULES,
        }
        return Response(RuleSetSerializer(body).data)

    @extend_schema(request=CheckInSerializer, responses=CheckOutSerializer)
    @action(detail=False, methods=["post"])
    def check(self, request: Request) -> Response:
        """The findings for a text (nothing is stored)."""
        incoming = CheckInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        shown = selectors.findings_for(
            incoming.validated_data["text"], incoming.validated_data["kept"]
        )
        body = {"version": language.VERSION, "findings": [s.finding for s in shown]}
        return Response(CheckOutSerializer(body).data)

    @extend_schema(request=KeepInSerializer, responses={201: KeepSerializer})
    @action(detail=False, methods=["post"])
    def keeps(self, request: Request) -> Response:
        """Keep a phrase the check flags in `text`, with a reason."""
        incoming = KeepInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data

        def keep() -> Response:
            kept = services.language_keep(
                by=request.user,  # type: ignore[arg-type]
                rule=data["rule"],
                phrase=data["phrase"],
                reason=data["reason"],
                form=data["form"],
                field=data["field"],
                text=data["text"],
            )
            return Response(KeepSerializer(kept).data, status=status.HTTP_201_CREATED)

        return run_service(keep)
