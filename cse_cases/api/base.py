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
    """

    forbidden: ClassVar[tuple[str, ...]] = ("get_queryset", "queryset")

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.forbidden:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} must not define {name}: implement scoped_queryset(user) "
                    "with a function from cse_cases/access.py instead."
                )

    def scoped_queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scoped_queryset(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
