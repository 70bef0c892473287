"""The young person: who they are, where they live and learn, their identifiers."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Lower, Upper
from django.utils import timezone

from cse_cases.identifiers import validate_nhs_number, validate_upn
from cse_cases.models.partnership import Area


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "In another way (describe)"
    NOT_KNOWN = "not_known", "Not known"
    NOT_SAID = "not_said", "Prefers not to say"


class Ethnicity(models.TextChoices):
    """ONS 2021 census categories (England and Wales)."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = (
        "black_other",
        "Black, Black British, Caribbean or African: any other Black background",
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other mixed background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    NOT_KNOWN = "not_known", "Not known"
    NOT_SAID = "not_said", "Prefers not to say"


class LegalStatus(models.TextChoices):
    NONE = "none", "None"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"


class LookedAfterBasis(models.TextChoices):
    VOLUNTARY = "s20", "Accommodated by agreement (Children Act 1989 s20)"
    INTERIM_CARE_ORDER = "s38", "Interim care order (s38)"
    CARE_ORDER = "s31", "Care order (s31)"
    PLACEMENT_ORDER = "placement_order", "Placement order"
    REMAND = "remand", "Remanded to local authority accommodation"
    EMERGENCY = "emergency", "Police protection or emergency protection order"
    OTHER = "other", "Other (Wales, Scotland or Northern Ireland equivalent)"


class PlacementType(models.TextChoices):
    HOME = "home", "At home"
    FOSTER = "foster", "Foster care"
    SPECIALIST_FOSTER = "specialist_foster", "Specialist foster care"
    RESIDENTIAL = "residential", "Residential children's home"
    SECURE = "secure", "Secure children's home"
    SUPPORTED = "supported", "Supported accommodation"
    OUT_OF_AREA = "out_of_area", "Out of area"


class YoungPerson(models.Model):
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)

    date_of_birth = models.DateField()
    date_of_birth_estimated = models.BooleanField(default=False)
    # A record for someone 18 or over (a care leaver, a transition) needs a reason.
    adult_record_reason = models.TextField(blank=True)

    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN)
    gender_description = models.CharField("gender, in their words", max_length=100, blank=True)
    ethnicity = models.CharField(
        max_length=32, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    disability_or_send = models.TextField("disability or special educational needs", blank=True)
    # Restricted: shown only to those who may see restricted details (cse_cases/access/records.py).
    sexual_orientation = models.CharField(max_length=100, blank=True)

    legal_status = models.CharField(
        max_length=20, choices=LegalStatus.choices, default=LegalStatus.NONE
    )
    looked_after_basis = models.CharField(
        max_length=20, choices=LookedAfterBasis.choices, blank=True
    )
    placement_type = models.CharField(
        max_length=20, choices=PlacementType.choices, default=PlacementType.HOME
    )
    placement_start = models.DateField(null=True, blank=True)
    placement_moves = models.PositiveSmallIntegerField("placement moves", default=0)

    school = models.CharField(max_length=200, blank=True)
    attendance_concern = models.BooleanField(default=False)
    excluded = models.BooleanField(default=False)
    not_in_education_or_work = models.BooleanField(
        "not in education, employment or training", default=False
    )

    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="young_people")

    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    police_reference = models.CharField(max_length=50, blank=True)
    school_upn = models.CharField(
        "school UPN", max_length=13, blank=True, validators=[validate_upn]
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a save carries the version it read (services.py).
    version = models.PositiveIntegerField(default=1)
    # A duplicate merged into another record stays, pointing at the survivor.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(legal_status__in=LegalStatus.values),
                name="young_person_legal_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(legal_status=LegalStatus.LOOKED_AFTER)
                | ~models.Q(looked_after_basis=""),
                name="young_person_looked_after_has_basis",
            ),
            models.UniqueConstraint(
                "nhs_number",
                condition=~models.Q(nhs_number="") & models.Q(merged_into__isnull=True),
                name="young_person_nhs_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "date_of_birth"], name="yp_area_dob_idx"),
            models.Index(fields=["date_of_birth"], name="yp_dob_idx"),
            models.Index(Upper("police_reference"), name="yp_police_ref_idx"),
            models.Index(Upper("school_upn"), name="yp_upn_idx"),
            # Fuzzy name search (pg_trgm): see selectors.search_young_people.
            GinIndex(
                OpClass(Lower("legal_first_name"), name="gin_trgm_ops"),
                OpClass(Lower("legal_last_name"), name="gin_trgm_ops"),
                OpClass(Lower("known_as"), name="gin_trgm_ops"),
                name="yp_names_trgm_idx",
            ),
            # Whole-name search ("jade morgan", misspelt or not): GiST answers both
            # "similar to" and "nearest first" (KNN), so a search reads a page of
            # the index, however many names look alike. The inner pages hold a
            # signature of their names' trigrams: at the default 12 bytes, with a
            # million names, nearly every bit is set and the nearest-first walk
            # opens most of the tree; 256 bytes halves a search's time there
            # (benchmarks/bench_records.py, issue 16).
            GistIndex(
                OpClass(
                    Lower(Concat("legal_first_name", Value(" "), "legal_last_name")),
                    name="gist_trgm_ops(siglen=256)",
                ),
                name="yp_full_name_knn256_idx",
            ),
        ]
        verbose_name_plural = "young people"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.legal_first_name} {self.legal_last_name}"
        if self.known_as and self.known_as != self.legal_first_name:
            return f"{name} (known as {self.known_as})"
        return name

    def age_on(self, day: date) -> int:
        return relativedelta(day, self.date_of_birth).years

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def under_13(self) -> bool:
        return self.age < 13

    @property
    def under_16(self) -> bool:
        return self.age < 16


class Alias(models.Model):
    """Other names the young person is known by (street names, past names)."""

    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                "young_person", Lower("name"), name="alias_unique_per_young_person"
            )
        ]
        indexes = [
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="alias_name_trgm_idx"),
            # Whole-name search reads aliases nearest first (KNN), like names.
            GistIndex(OpClass(Lower("name"), name="gist_trgm_ops"), name="alias_name_knn_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class DuplicateOutcome(models.TextChoices):
    MERGED = "merged", "Merged: the same young person"
    DIFFERENT = "different", "Different young people"


class PossibleDuplicate(models.Model):
    # Not columns: set by cse_cases.selectors.search for the CSE lead's list.
    new_visible: bool
    match_visible: bool
    decidable: bool

    """A new record that may repeat one its author could not see: a CSE lead checks."""

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="possible_duplicates"
    )
    match = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=DuplicateOutcome.choices, blank=True)

    class Meta:
        ordering = ["raised_at"]
        indexes = [
            models.Index(
                fields=["raised_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="possible_duplicate_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Record {self.young_person_id} may repeat {self.match_id}"
