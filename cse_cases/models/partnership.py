"""The partnership: areas, agencies, teams and the people who use Harbour."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower


class Nation(models.TextChoices):
    # Codes are those the `holidays` library uses for the UK's subdivisions,
    # so an area's bank holidays come straight from its nation.
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


# The first letter of an ONS (GSS) area code names the nation.
GSS_PREFIX_NATION = {
    "E": Nation.ENGLAND,
    "W": Nation.WALES,
    "S": Nation.SCOTLAND,
    "N": Nation.NORTHERN_IRELAND,
}


class Area(models.Model):
    """A local authority district: the unit referrals, queues and reports belong to."""

    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(
        "ONS area code",
        max_length=9,
        unique=True,
        validators=[
            RegexValidator(
                r"^[ENSW]\d{8}$",
                "Enter an ONS area code: a letter E, W, S or N and eight digits, like E08000035.",
            )
        ],
    )
    nation = models.CharField(max_length=3, choices=Nation.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nation__in=Nation.values), name="area_nation_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = GSS_PREFIX_NATION.get(self.code[:1]) if self.code else None
        if expected and self.nation and expected != self.nation:
            raise ValidationError(
                {"nation": f"Area code {self.code} belongs to {expected.label}, not this nation."}
            )


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY = "voluntary", "Voluntary sector"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    areas = models.ManyToManyField(Area, related_name="agencies")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AgencyKind.values), name="agency_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A supervisor and the practitioners they supervise, inside one agency."""

    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    supervisor = models.ForeignKey(
        "User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_teams",
    )

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"

    def clean(self) -> None:
        if self.supervisor_id is None:
            return
        supervisor = self.supervisor
        if supervisor.role not in (Role.SUPERVISOR, Role.CSE_LEAD):
            raise ValidationError(
                {"supervisor": "Choose someone with the supervisor or CSE lead role."}
            )
        if supervisor.agency_id != self.agency_id:
            raise ValidationError({"supervisor": "The supervisor must work for the team's agency."})


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    CSE_LEAD = "cse_lead", "CSE lead"
    SUPERVISOR = "supervisor", "Supervisor"
    COMMISSIONER = "commissioner", "Commissioner"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"
    ADMINISTRATOR = "administrator", "Administrator"


class HarbourUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes an administrator, not a Django superuser.

        A superuser passes every permission check (guardian's object
        permissions included), which would let an administrator read every
        child's record. Administrators get the admin site through their role.
        """
        extra_fields["role"] = Role.ADMINISTRATOR
        extra_fields["is_superuser"] = False
        return self.create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    """Someone who signs in: one agency, one role."""

    email = models.EmailField("email address")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    # Districts the person works in; for a CSE lead, the districts they lead.
    areas = models.ManyToManyField(Area, blank=True, related_name="staff")
    # Demo accounts (seed_demo) have published passwords: they sign in only
    # while DEBUG is on.
    is_demo = models.BooleanField(default=False, editable=False)
    # A partner system (a police or health case system) that uses the API with
    # tokens an administrator issues. It has a role, agency and areas like a
    # person, and the same access policy, but never signs in to the pages.
    is_service_account = models.BooleanField(default=False, editable=False)

    objects = HarbourUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            # Nobody bypasses the access policy (see HarbourUserManager).
            models.CheckConstraint(
                condition=models.Q(is_superuser=False), name="user_no_superuser"
            ),
            # Everyone but the partnership's administrators works for an agency.
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(role=Role.ADMINISTRATOR),
                name="user_agency_required",
            ),
        ]
        indexes = [models.Index(fields=["role"], name="user_role_idx")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        # Django's admin is for administrators only; keep the flag in step with the role.
        self.is_staff = self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.role != Role.ADMINISTRATOR and self.agency_id is None:
            raise ValidationError({"agency": "Choose the agency this person works for."})
        if self.team_id and self.agency_id and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "The team must belong to the person's agency."})

    @property
    def display_role(self) -> str:
        return Role(self.role).label
