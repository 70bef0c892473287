"""The base for every API viewset: its queryset always comes from the access policy."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import QuerySet
from rest_framework import exceptions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access, audit
from cse_cases.models import AuditAction


class ScopedViewSetMixin:
    """Subclasses say how to scope (``scoped_queryset``) and cannot skip it.

    Overriding ``get_queryset`` or setting ``queryset`` is refused at class
    creation, so no endpoint can list or fetch records outside the policy.
    Objects outside the scope are simply not found: 404.

    Ids in paths are ASCII digits (the router's ``lookup_value_regex``): any
    other id matches no route and answers the JSON 404, so no action ever
    sees ``"abc"`` or ``"²"`` as a primary key. A viewset may not loosen it.
    """

    forbidden: ClassVar[tuple[str, ...]] = (
        "get_queryset",
        "queryset",
        "lookup_value_regex",
        "lookup_field",
        "lookup_url_kwarg",
    )
    lookup_value_regex = "[0-9]+"

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.forbidden:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} must not define {name}: implement scoped_queryset(user) "
                    "with a function from the cse_cases/access/ package, and look records up by "
                    "their numeric id."
                )

    def scoped_queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scoped_queryset(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RecordsOnly:
    """Commissioners and administrators are told nothing exists here."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not access.may_see_identifiable_records(request.user):
            raise exceptions.NotFound


class AuditedReads(RecordsOnly):
    """List and detail reads that write their audit rows: one per child a list
    returned, one for each record opened."""

    audit_type = ""
    list_action = AuditAction.SEARCH
    list_detail = "API list"

    def children_of(self, obj: object) -> list[int]:
        """The young people a returned object is about."""
        return [obj.young_person_id] if getattr(obj, "young_person_id", None) else []

    def audit_list(self, page: list) -> None:
        audit.record_many(
            user=self.request.user,
            action=self.list_action,
            object_type=self.audit_type,
            young_person_ids=[pk for obj in page for pk in self.children_of(obj)],
            detail=self.list_detail,
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        self.audit_list(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        obj = self.get_object()
        children = self.children_of(obj)
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=obj,
            young_person_id=children[0] if children else None,
        )
        return Response(self.get_serializer(obj).data)
