"""factory_boy factories for the partnership."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import (
    Agency,
    AgencyKind,
    Area,
    Case,
    Nation,
    Role,
    Team,
    User,
    YoungPerson,
)

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


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    legal_first_name = factory.Sequence(lambda n: f"Child{n}")
    legal_last_name = "Example"
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=15 * 365))
    area = factory.SubFactory(AreaFactory)
    created_by = factory.SubFactory(UserFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    young_person = factory.SubFactory(YoungPersonFactory)
    area = factory.LazyAttribute(lambda c: c.young_person.area)
    lead_professional = factory.SubFactory(UserFactory)
    lead_agency = factory.LazyAttribute(lambda c: c.lead_professional.agency)


def api_token_key(user, name: str = "Tests") -> str:
    """A new API token for this account, made as `manage.py drf_create_token` makes one."""
    from cse_cases.services import tokens

    return tokens.api_token_create_by_command(user=user, name=name).key


def date_parts(name: str, day) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: three boxes."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def posted_as_date_input(data: dict, *names: str) -> dict:
    """Form data with each named ISO date split into the date input's boxes,
    as a browser posts it."""
    data = dict(data)
    for name in names:
        value = data.pop(name, None)
        if value:
            data.update(date_parts(name, date.fromisoformat(str(value))))
    return data
