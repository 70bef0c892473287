"""Contexts of exploitation: persons of concern, locations, the links between them
and young people, and disruption activity (Victims, Offenders, Locations, Trends).

Police intelligence is sensitive: persons of concern, and links, are restricted
to police and CSE leads unless whoever records them opens them to the team.
A person of concern belongs to the districts where they were recorded or are
linked; sharing them with another district is a recorded decision
(PersonOfConcernShare). The rule itself is in cse_cases/access/contexts.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from cse_cases.models.cases import LawfulBasis
from cse_cases.models.partnership import Agency, Area
from cse_cases.models.young_people import YoungPerson


class PersonOfConcern(models.Model):
    name = models.CharField(max_length=200)
    nicknames = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    description = models.TextField(blank=True)
    phone_numbers = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    vehicles = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # The district where they were recorded. Required for new records (the
    # service fills it in); older records without one belong to the districts
    # of whoever recorded them.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True)
    # A young person may also be a person of concern (dual identity).
    young_person = models.OneToOneField(
        YoungPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="as_person_of_concern",
    )
    restricted = models.BooleanField(
        default=True, help_text="Only police and CSE leads see a restricted person of concern"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "persons of concern"
        indexes = [
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="poc_name_trgm_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonOfConcernShare(models.Model):
    """An information-sharing decision: a person of concern shared with another
    district, whose police and CSE leads then see them. Recorded, never edited."""

    person = models.ForeignKey(PersonOfConcern, on_delete=models.PROTECT, related_name="shares")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            # Once shared with a district, always shared with it: a second
            # decision would say nothing new.
            models.UniqueConstraint(fields=["person", "area"], name="poc_share_once_per_area"),
        ]
        # The access rule asks "shared with one of these districts?" per person.
        indexes = [models.Index(fields=["area", "person"], name="poc_share_area_idx")]

    def __str__(self) -> str:
        return f"Shared with {self.area} ({self.get_lawful_basis_display()})"


class LocationKind(models.TextChoices):
    HOTEL = "hotel", "Hotel or short-stay accommodation"
    TAKEAWAY = "takeaway", "Takeaway or restaurant"
    PARK = "park", "Park or open space"
    HOUSE = "house", "House or flat"
    SCHOOL = "school", "School or college"
    SHOPS = "shops", "Shops or shopping centre"
    TRANSPORT = "transport", "Station, bus stop or taxi rank"
    VEHICLE = "vehicle", "Vehicle"
    ONLINE = "online", "Online space (app, platform, group)"
    OTHER = "other", "Other"


class Location(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=LocationKind.choices)
    address = models.TextField(blank=True, help_text="Or the app or platform, for online spaces")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="locations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["area", "kind"], name="location_area_kind_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class SourceGrading(models.TextChoices):
    """Source evaluation of the UK 3x5x2 intelligence grading."""

    RELIABLE = "1", "1: Reliable"
    UNTESTED = "2", "2: Untested"
    NOT_RELIABLE = "3", "3: Not reliable"


class InformationGrading(models.TextChoices):
    KNOWN = "A", "A: Known directly to the source"
    INDIRECT_CORROBORATED = "B", "B: Known indirectly, corroborated"
    INDIRECT = "C", "C: Known indirectly"
    NOT_KNOWN = "D", "D: Cannot be judged"
    SUSPECTED_FALSE = "E", "E: Suspected to be false"


class LinkKind(models.TextChoices):
    YOUNG_PERSON_TO_PERSON = "yp_person", "Young person and person of concern"
    YOUNG_PERSON_TO_YOUNG_PERSON = "yp_yp", "Young person and another young person"
    YOUNG_PERSON_TO_LOCATION = "yp_location", "Young person and location"
    PERSON_TO_LOCATION = "person_location", "Person of concern and location"


class ContextLink(models.Model):
    """A known association, with where the information came from and how good it is."""

    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    person = models.ForeignKey(
        PersonOfConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    other_young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    source = models.TextField(help_text="Where this information came from")
    source_grading = models.CharField(max_length=1, choices=SourceGrading.choices)
    information_grading = models.CharField(max_length=1, choices=InformationGrading.choices)
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    restricted = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Each kind of link names exactly the two ends it joins.
            models.CheckConstraint(
                name="context_link_ends_match_kind",
                condition=(
                    models.Q(
                        kind="yp_person",
                        young_person__isnull=False,
                        person__isnull=False,
                        other_young_person__isnull=True,
                        location__isnull=True,
                    )
                    | models.Q(
                        kind="yp_yp",
                        young_person__isnull=False,
                        other_young_person__isnull=False,
                        person__isnull=True,
                        location__isnull=True,
                    )
                    | models.Q(
                        kind="yp_location",
                        young_person__isnull=False,
                        location__isnull=False,
                        person__isnull=True,
                        other_young_person__isnull=True,
                    )
                    | models.Q(
                        kind="person_location",
                        person__isnull=False,
                        location__isnull=False,
                        young_person__isnull=True,
                        other_young_person__isnull=True,
                    )
                ),
            ),
            models.CheckConstraint(
                name="context_link_seen_in_order",
                condition=models.Q(first_seen__isnull=True)
                | models.Q(last_seen__isnull=True)
                | models.Q(last_seen__gte=models.F("first_seen")),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class DisruptionKind(models.TextChoices):
    CAWN = "cawn", "Child Abduction Warning Notice"
    SRO = "sro", "Sexual Risk Order"
    SHPO = "shpo", "Sexual Harm Prevention Order"
    HOTEL_CHECK = "hotel_check", "Hotel check"
    LICENSING = "licensing", "Licensing check"
    ARREST = "arrest", "Arrest"
    OTHER = "other", "Other"


class Disruption(models.Model):
    """Action against a person of concern or a location, never waiting for a disclosure."""

    kind = models.CharField(max_length=16, choices=DisruptionKind.choices)
    person = models.ForeignKey(
        PersonOfConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="disruptions"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="disruptions"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                name="disruption_has_one_target",
                condition=models.Q(person__isnull=False, location__isnull=True)
                | models.Q(person__isnull=True, location__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
