"""Reports in the API, behind the same policy as the pages.

- GET /api/v1/reports/: your report runs (status and progress);
- POST /api/v1/reports/: ask for one (areas and a period), as the page does;
  the same report already being made is returned instead (200, not 201);
- GET /api/v1/reports/<id>/: its status and, when ready, every published
  figure: the same numbers as the page, the PDF and the CSV.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access
from cse_cases.api.base import ScopedViewSetMixin
from reports import services
from reports.models import ReportRun, RunStatus
from reports.period import Period, PeriodKind


class ReportsOnly:
    """Only commissioners have reports; anyone else is told nothing is here."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not access.may_request_reports(request.user):
            raise exceptions.NotFound


class ReportRunSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    sections = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "area_ids",
            "period_kind",
            "period_start",
            "period_end",
            "status",
            "progress",
            "stage",
            "requested_at",
            "finished_at",
            "expires_at",
            "sections",
        ]
        read_only_fields = fields

    def get_sections(self, run: ReportRun) -> list[dict] | None:
        """The published figures (suppressed cells have a null value and say
        why), only on the detail of a finished run."""
        if not self.context.get("detail") or run.status != RunStatus.DONE:
            return None
        return run.result


class ReportRequestSerializer(serializers.Serializer):
    area_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=200,
    )
    period_kind = serializers.ChoiceField(choices=PeriodKind.CHOICES)
    period_start = serializers.DateField()
    period_end = serializers.DateField()

    def validate(self, data: dict) -> dict:
        kind, start, end = data["period_kind"], data["period_start"], data["period_end"]
        period = Period(kind, start, end)
        # A month, quarter or year must be one: the previous period beside it
        # is worked out from its kind.
        expected = {
            PeriodKind.MONTH: lambda: Period.month(start.year, start.month),
            PeriodKind.QUARTER: lambda: Period.quarter(start.year, (start.month - 1) // 3 + 1),
            PeriodKind.YEAR: lambda: Period.year(start.year),
        }.get(kind)
        try:
            kind_mismatch = expected is not None and expected() != period
        except (ValueError, OverflowError):
            # Past the last date Python holds (the end of 9999): the check
            # below says the period is in the future.
            kind_mismatch = False
        if kind_mismatch:
            raise serializers.ValidationError(
                {
                    "period_end": f"A {kind} runs from its first day to its last: "
                    "give those dates, or use period_kind 'dates'."
                }
            )
        try:
            services.check_period(period, today=timezone.localdate())
        except services.ReportRequestError as error:
            field = "period_start" if error.field == "start" else "period_end"
            raise serializers.ValidationError({field: str(error)}) from error
        data["period"] = period
        return data


class ReportRunViewSet(
    ReportsOnly,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReportRunSerializer

    def scoped_queryset(self, user) -> QuerySet[ReportRun]:
        return access.report_runs_visible_to(user).order_by("-requested_at")

    def get_serializer_class(self):
        if self.action == "create":
            return ReportRequestSerializer
        return ReportRunSerializer

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        run = services.expire_if_due(self.get_object())
        if run.status == RunStatus.DONE:
            services.report_downloaded(user=request.user, run=run, what="figures (API)")
        return Response(self.get_serializer(run).data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = ReportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            requested = services.report_request(
                user=request.user,
                area_ids=incoming.validated_data["area_ids"],
                period=incoming.validated_data["period"],
            )
        except services.ReportRequestError as error:
            raise exceptions.Throttled(detail=str(error)) from error
        body = ReportRunSerializer(requested.run, context=self.get_serializer_context()).data
        return Response(
            body, status=status.HTTP_201_CREATED if requested.created else status.HTTP_200_OK
        )
