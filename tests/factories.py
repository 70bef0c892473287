"""factory_boy factories for the partnership."""

from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import Agency, AgencyKind, Area, Nation, Role, Team, User

PASSWORD = "correct horse battery staple"


@functools.cache
def password_hash() -> str:
    return make_password(PASSWORD)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")
    code = factory.Sequence(lambda n: f"E06{n:06d}")
    nation = Nation.ENGLAND


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.CHILDRENS_SOCIAL_CARE

    @factory.post_generation
    def areas(self, create: bool, extracted: list[Area] | None, **kwargs) -> None:
        if create and extracted:
            self.areas.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.PRACTITIONER
    agency = factory.SubFactory(AgencyFactory)
    # Argon2 is deliberately slow: hash the shared test password once.
    password = factory.LazyFunction(lambda: password_hash())

    @factory.post_generation
    def areas(self, create: bool, extracted: list[Area] | None, **kwargs) -> None:
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def two_factor(self, create: bool, extracted: bool | None, **kwargs) -> None:
        """Every user has a confirmed authenticator unless two_factor=False."""
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="Test authenticator", confirmed=True)
        if create:
            self.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    agency = factory.SubFactory(AgencyFactory)
