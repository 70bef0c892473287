"""The base for every API viewset: its queryset always comes from the access policy."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import QuerySet
from rest_framework import viewsets


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
                    "with a function from cse_cases/access.py, and look records up by "
                    "their numeric id."
                )

    def scoped_queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scoped_queryset(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
