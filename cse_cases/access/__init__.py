"""The access policy: the only place that decides who may see and do what.

Views, the API, exports, search and reports ask these functions; none of them
decides on its own. Someone without access to a record gets 404 (``Http404``),
never 403, so that the record's existence is not revealed.

Who sees a case (DESIGN.md section 4):
- its lead professional and the team around the child (members from any agency);
- CSE leads of the case's district;
- supervisors of the lead professional or of a team member;
- a person the case was shared with by a recorded information-sharing decision
  (a django-guardian object permission, granted by services.case_share);
- someone holding an unexpired break-glass grant.
Commissioners and administrators never see an identifiable record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast, Lower
from django.http import Http404
from django.utils import timezone
from guardian.models import UserObjectPermission

from cse_cases.models import (
    Agency,
    AgencyKind,
    Area,
    BreakGlassGrant,
    Case,
    CaseMember,
    CaseNote,
    ContextLink,
    Disruption,
    Location,
    NoteVisibility,
    PersonOfConcern,
    PersonOfConcernShare,
    Role,
    Team,
    User,
    YoungPerson,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Roles whose work is children's records: only they open records, lead cases
# and join teams. Commissioners and administrators never see an identifiable
# record (DESIGN.md section 4); information governance reviews the audit trail
# rather than browsing records.
RECORD_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.CSE_LEAD})


def is_signed_in(user: User | AnonymousUser) -> bool:
    """Signed in, active, and past the two-factor step."""
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "is_verified", lambda: False)()
    )


def has_role(user: User | AnonymousUser, *roles: Role) -> bool:
    return is_signed_in(user) and user.role in roles


def may_see_identifiable_records(user: User | AnonymousUser) -> bool:
    return has_role(user, *RECORD_ROLES)


def require_records(user: User | AnonymousUser) -> None:
    """For views: commissioners and administrators are told nothing exists (404)."""
    if not may_see_identifiable_records(user):
        raise Http404


def works_with_records(user: User) -> bool:
    """Whether this person (not necessarily the one signed in) can hold a case."""
    return bool(user.is_active and user.role in RECORD_ROLES)


def may_administer(user: User | AnonymousUser) -> bool:
    """Administrators manage areas, agencies, teams and accounts (Django admin)."""
    return is_signed_in(user) and user.role == Role.ADMINISTRATOR


def may_review_sign_in_activity(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.INFORMATION_GOVERNANCE, Role.ADMINISTRATOR)


def sign_in_activity_usernames(user: User | AnonymousUser) -> QuerySet[User] | None:
    """Whose lockouts and failed sign-ins this person reviews: administrators
    everyone's (None: no narrowing, unknown usernames included, since they
    unlock accounts); information governance the accounts of the districts it
    serves (an account with no areas by its agency's)."""
    if not may_review_sign_in_activity(user):
        return User.objects.none()
    if may_administer(user):
        return None
    areas = [area.pk for area in user.areas.all()]
    return (
        User.objects.filter(Q(areas__in=areas) | Q(areas__isnull=True, agency__areas__in=areas))
        .values("username")
        .distinct()
    )


# --- Scoped querysets -----------------------------------------------------------
# Reference data about the partnership (which areas exist, which agencies serve
# them) identifies no child, so everyone signed in may read it.


def areas_visible_to(user: User | AnonymousUser) -> QuerySet[Area]:
    if not is_signed_in(user):
        return Area.objects.none()
    return Area.objects.all()


def agencies_visible_to(user: User | AnonymousUser) -> QuerySet[Agency]:
    if not is_signed_in(user):
        return Agency.objects.none()
    return Agency.objects.all()


def teams_visible_to(user: User | AnonymousUser) -> QuerySet[Team]:
    """A person sees the teams of their own agency; administrators see all."""
    if not is_signed_in(user):
        return Team.objects.none()
    if may_administer(user):
        return Team.objects.all()
    return Team.objects.filter(agency_id=user.agency_id)


def colleagues_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """People a user may look up (to add to a team around a child, say).

    Practitioners across the partnership need to find each other, so every
    active person is visible to anyone who works with records; commissioners
    see nobody, and administrators see everyone to manage accounts.
    """
    if not is_signed_in(user):
        return User.objects.none()
    if may_administer(user):
        return User.objects.all()
    if not may_see_identifiable_records(user):
        return User.objects.filter(pk=user.pk)
    return User.objects.filter(is_active=True)


# --- The young person's record ---------------------------------------------------

SHARED_CASE_PERMISSION = "view_shared_case"
# Emergency (break-glass) access is for people who work with children's records
# in an agency with a statutory duty to safeguard them and an out-of-hours
# need to act on what a record says: police, children's social care, health
# and youth justice (Children Act 2004 s11). Schools, the voluntary sector and
# housing refer to those agencies instead. docs/access.md explains the choice.
MAY_BREAK_GLASS = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.CSE_LEAD})
BREAK_GLASS_AGENCY_KINDS = frozenset(
    {
        AgencyKind.POLICE,
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        AgencyKind.HEALTH,
        AgencyKind.YOUTH_JUSTICE,
    }
)


def _case_visibility(user: User) -> Q:
    """One condition for every route to a case, evaluated inside PostgreSQL."""
    now = timezone.now()
    active_member = CaseMember.objects.filter(case=OuterRef("pk"), removed_at__isnull=True)
    shared = UserObjectPermission.objects.filter(
        user=user,
        permission__codename=SHARED_CASE_PERMISSION,
        content_type=ContentType.objects.get_for_model(Case),
        object_pk=Cast(OuterRef("pk"), CharField()),
    )
    condition = (
        Q(lead_professional=user)
        | Exists(active_member.filter(user=user))
        | Exists(shared)
        | Exists(BreakGlassGrant.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=now))
    )
    if user.role == Role.CSE_LEAD:
        condition |= Q(area__in=user.areas.all())
    if user.role == Role.SUPERVISOR:
        condition |= Q(lead_professional__team__supervisor=user) | Exists(
            active_member.filter(user__team__supervisor=user)
        )
    return condition


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    if not may_see_identifiable_records(user):
        return Case.objects.none()
    return Case.objects.filter(_case_visibility(user))


def case_for(user: User | AnonymousUser, pk: int) -> Case:
    """The case, or 404 whether it is missing or merely not theirs."""
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def young_people_visible_to(user: User | AnonymousUser) -> QuerySet[YoungPerson]:
    """Young people with a case the user may see, plus, for a CSE lead, everyone
    living in their districts. (Creating a record opens its case in the same
    transaction, so its author sees it as lead professional, and stops seeing
    it when they leave the case.)"""
    if not may_see_identifiable_records(user):
        return YoungPerson.objects.none()
    return _young_people_visible(user)


def _young_people_visible(user: User) -> QuerySet[YoungPerson]:
    """The rule itself, for a person who need not be the one signed in."""
    visible_case = Case.objects.filter(_case_visibility(user), young_person=OuterRef("pk"))
    condition = Exists(visible_case)
    if user.role == Role.CSE_LEAD:
        # The cheap district test first: PostgreSQL evaluates an OR in order,
        # so the per-row case subquery runs only for children outside it.
        condition = Q(area__in=user.areas.all()) | condition
    return YoungPerson.objects.filter(condition)


def young_person_for(user: User | AnonymousUser, pk: int) -> YoungPerson:
    young_person = young_people_visible_to(user).filter(pk=pk).first()
    if young_person is None:
        raise Http404("No such young person.")
    return young_person


def may_edit_young_person(user: User | AnonymousUser, young_person: YoungPerson) -> bool:
    """Work on the child's record itself: someone who may edit one of their cases,
    or a CSE lead of their district."""
    if not may_see_identifiable_records(user):
        return False
    if user.role == Role.CSE_LEAD and young_person.area_id in {a.pk for a in user.areas.all()}:
        return True
    return any(may_edit_case(user, case) for case in young_person.cases.all())


def may_edit_case(user: User | AnonymousUser, case: Case) -> bool:
    """Those working on the case change it; others who may see it only read.

    Break-glass and sharing give sight, not authorship; a supervisor oversees.
    """
    if not may_see_identifiable_records(user):
        return False
    if user.role == Role.CSE_LEAD and case.area_id in {a.pk for a in user.areas.all()}:
        return True
    return (
        case.lead_professional_id == user.pk
        or CaseMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists()
    )


def may_see_restricted_details(user: User | AnonymousUser, young_person: YoungPerson) -> bool:
    """Sexual orientation and similar: the lead professional of an open case,
    and CSE leads of the young person's district."""
    if not may_see_identifiable_records(user):
        return False
    if user.role == Role.CSE_LEAD and young_person.area_id in {a.pk for a in user.areas.all()}:
        return True
    return young_person.cases.filter(lead_professional=user, status="open").exists()


def may_break_glass(user: User | AnonymousUser) -> bool:
    """Whether this person may ask for emergency access at all (the role and
    the agency's safeguarding duty). They reach a record only by finding it:
    see break_glass_candidates."""
    return (
        has_role(user, *MAY_BREAK_GLASS)
        and bool(user.agency_id)
        and user.agency.kind in BREAK_GLASS_AGENCY_KINDS
    )


def break_glass_candidates(user: User | AnonymousUser, matches: QuerySet[YoungPerson]) -> list[int]:
    """Of the young people a strong search matched (name and date of birth, or
    an identifier), those this person cannot see and may open in an emergency:
    not merged away, with a case to open."""
    if not may_break_glass(user):
        return []
    visible = young_people_visible_to(user).values("pk")
    return list(
        matches.filter(merged_into__isnull=True, cases__isnull=False)
        .exclude(pk__in=visible)
        .values_list("pk", flat=True)
        .distinct()[:2]
    )


def break_glass_grants_visible_to(user: User | AnonymousUser) -> QuerySet[BreakGlassGrant]:
    """Uses of emergency access on the cases this person may see (the record's
    panel, the lead professional's "My work")."""
    if not may_see_identifiable_records(user):
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(case__in=cases_visible_to(user).values("pk"))


def notes_visible_to(user: User | AnonymousUser) -> QuerySet[CaseNote]:
    """Notes on cases the user sees, narrowed by each note's visibility.

    Team notes go to everyone who sees the case; agency notes to the author's
    agency; named notes to the people named. The author and the CSE leads of
    the case's district always see them.
    """
    if not may_see_identifiable_records(user):
        return CaseNote.objects.none()
    visible_cases = cases_visible_to(user).values("pk")
    condition = (
        Q(visibility=NoteVisibility.TEAM)
        | Q(author=user)
        | Q(visibility=NoteVisibility.AGENCY, author_agency_id=user.agency_id)
        | Q(visibility=NoteVisibility.NAMED, named_viewers=user)
    )
    if user.role == Role.CSE_LEAD:
        condition |= Q(case__area__in=user.areas.all())
    return CaseNote.objects.filter(condition, case__in=visible_cases).distinct()


# --- Contexts: persons of concern, locations, links, disruption --------------------
# A person of concern belongs to the districts where they were recorded
# (PersonOfConcern.area; for older records without one, the districts of
# whoever recorded them) and where they are linked: to a young person (the
# young person's district, and the district of a young person who is also this
# person of concern), to a place (the place's district), or to a meeting that
# considered them (the meeting's district). Police and CSE leads see restricted
# persons of their own districts and of those shared with their districts by a
# recorded decision (PersonOfConcernShare). Everyone else sees an unrestricted
# person only through a link they may see. Anyone else gets 404.


def may_see_intelligence(user: User | AnonymousUser) -> bool:
    """Police officers and CSE leads see restricted intelligence."""
    if not may_see_identifiable_records(user):
        return False
    return user.role == Role.CSE_LEAD or bool(
        user.agency_id and user.agency.kind == AgencyKind.POLICE
    )


def _held_in(area_ids: QuerySet | list[int]) -> Q:
    """Persons of concern belonging to these districts, or shared with them:
    one condition of Exists subqueries, evaluated inside PostgreSQL."""
    from assessments.models import Meeting

    person = OuterRef("pk")
    links = ContextLink.objects.filter(person=person)
    recorder_areas = User.areas.through.objects.filter(
        user_id=OuterRef("created_by_id"), area_id__in=area_ids
    )
    return (
        Q(area_id__in=area_ids)
        | (Q(area__isnull=True) & Exists(recorder_areas))
        | Q(young_person__area_id__in=area_ids)
        | Exists(links.filter(young_person__area_id__in=area_ids))
        | Exists(links.filter(location__area_id__in=area_ids))
        | Exists(
            Meeting.persons.through.objects.filter(
                personofconcern_id=person, meeting__area_id__in=area_ids
            )
        )
        | Exists(PersonOfConcernShare.objects.filter(person=person, area_id__in=area_ids))
    )


def _links_seen(user: User) -> Q:
    """Links by their young people and their own restriction; who the person
    at one end is, is decided by persons_of_concern_visible_to."""
    young_people = young_people_visible_to(user).values("pk")
    condition = (Q(young_person__isnull=True) | Q(young_person__in=young_people)) & (
        Q(other_young_person__isnull=True) | Q(other_young_person__in=young_people)
    )
    if not may_see_intelligence(user):
        # Neither a restricted link nor one naming a restricted person of
        # concern: the person's restriction wins over the link's.
        condition &= (Q(restricted=False) | Q(created_by=user)) & (
            Q(person__isnull=True) | Q(person__restricted=False)
        )
    return condition


def _person_of_concern_visibility(user: User) -> Q:
    # Everyone: an unrestricted person through a link they may see.
    through_link = Q(restricted=False) & Exists(
        ContextLink.objects.filter(_links_seen(user), person=OuterRef("pk"))
    )
    if not may_see_intelligence(user):
        return through_link
    return _held_in(user.areas.values("pk")) | through_link


def persons_of_concern_visible_to(user: User | AnonymousUser) -> QuerySet[PersonOfConcern]:
    if not may_see_identifiable_records(user):
        return PersonOfConcern.objects.none()
    return PersonOfConcern.objects.filter(_person_of_concern_visibility(user))


def person_of_concern_for(user: User | AnonymousUser, pk: int) -> PersonOfConcern:
    person = persons_of_concern_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person of concern.")
    return person


def may_share_person_of_concern(user: User | AnonymousUser, person: PersonOfConcern) -> bool:
    """Police and CSE leads who see the person may share them with another district."""
    return (
        may_see_intelligence(user)
        and persons_of_concern_visible_to(user).filter(pk=person.pk).exists()
    )


def person_of_concern_held_in(person: PersonOfConcern, area: Area) -> bool:
    """Whether this district's police and CSE leads already see the person."""
    return PersonOfConcern.objects.filter(_held_in([area.pk]), pk=person.pk).exists()


@dataclass(frozen=True)
class PersonOfConcernSearch:
    people: QuerySet[PersonOfConcern]
    # The name also matches someone in another district this person may not
    # see: police and CSE leads are told only that (never who, or where).
    match_in_other_area: bool


CROSS_AREA_MATCH = "cross-area match"


def search_persons_of_concern(user: User | AnonymousUser, query: str) -> PersonOfConcernSearch:
    """Persons of concern the user may see whose name is like `query` (pg_trgm,
    on the lower(name) index), and whether a match exists beyond their sight."""
    people = persons_of_concern_visible_to(user)
    query = query.replace("\x00", "").strip()[:100].lower()
    if not query:
        return PersonOfConcernSearch(people=people, match_in_other_area=False)
    people = people.annotate(lname=Lower("name")).filter(lname__trigram_similar=query)
    elsewhere = False
    if may_see_intelligence(user):
        elsewhere = (
            PersonOfConcern.objects.annotate(lname=Lower("name"))
            .filter(lname__trigram_similar=query)
            # Per matching row (a handful, from the index), not the whole visible set.
            .exclude(_person_of_concern_visibility(user))
            .exists()
        )
    return PersonOfConcernSearch(people=people, match_in_other_area=elsewhere)


def links_visible_to(user: User | AnonymousUser) -> QuerySet[ContextLink]:
    """Links whose young people the user may see; restricted ones only for
    intelligence; and a link naming a person of concern only for those who may
    see that person, so a link never reveals someone hidden from its reader."""
    if not may_see_identifiable_records(user):
        return ContextLink.objects.none()
    return ContextLink.objects.filter(
        _links_seen(user),
        Q(person__isnull=True) | Q(person__in=persons_of_concern_visible_to(user).values("pk")),
    )


def locations_visible_to(user: User | AnonymousUser) -> QuerySet[Location]:
    """Places identify no child on their own: everyone working with records sees them."""
    if not may_see_identifiable_records(user):
        return Location.objects.none()
    return Location.objects.all()


def disruptions_visible_to(user: User | AnonymousUser) -> QuerySet[Disruption]:
    """Disruption against a place is seen with the place; against a person,
    only by those who may see the person."""
    if not may_see_identifiable_records(user):
        return Disruption.objects.none()
    return Disruption.objects.filter(
        Q(person__in=persons_of_concern_visible_to(user).values("pk")) | Q(location__isnull=False)
    )


# --- Referrals ---------------------------------------------------------------------
# Referrals are imported here, not at the top: the referrals app's models
# import the core's, and the policy stays in this one file.


def referral_screening_area_ids(user: User | AnonymousUser) -> list[int]:
    """Districts whose screening queue this person works: CSE leads and duty
    managers (supervisors) of the district."""
    if not has_role(user, Role.CSE_LEAD, Role.SUPERVISOR):
        return []
    return [area.pk for area in user.areas.all()]


def may_screen_referrals(user: User | AnonymousUser) -> bool:
    return bool(referral_screening_area_ids(user))


def referrals_visible_to(user: User | AnonymousUser) -> QuerySet:
    """Who sees a referral:
    - the person who made it (to follow its outcome), and whoever it is assigned to;
    - CSE leads and duty managers of its district, and of a district it moved from;
    - those who see the young person's record, as part of their chronology.
    """
    from referrals.models import Referral, ReferralTransfer

    if not may_see_identifiable_records(user):
        return Referral.objects.none()
    condition = Q(referred_by=user) | Q(assigned_to=user)
    if user.team_id:
        condition |= Q(assigned_team_id=user.team_id)
    areas = referral_screening_area_ids(user)
    if areas:
        condition |= Q(area__in=areas) | Exists(
            ReferralTransfer.objects.filter(referral=OuterRef("pk"), from_area__in=areas)
        )
    condition |= Q(young_person__in=young_people_visible_to(user).values("pk"))
    return Referral.objects.filter(condition)


def referral_for(user: User | AnonymousUser, pk: int):
    referral = referrals_visible_to(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral.")
    return referral


def referral_queue(user: User | AnonymousUser) -> QuerySet:
    """Referrals awaiting a decision in the districts this person screens.

    A subset of referrals_visible_to, written as one indexed condition so the
    queue reads the small partial index (referral_queue_idx) only.
    """
    from referrals.models import AWAITING_DECISION, Referral

    areas = referral_screening_area_ids(user)
    if not areas:
        return Referral.objects.none()
    return Referral.objects.filter(area__in=areas, status__in=AWAITING_DECISION)


def may_decide_referral(user: User | AnonymousUser, referral) -> bool:
    """Assigning, moving, deciding, closing and reopening: the district's CSE
    leads and duty managers."""
    return referral.area_id in referral_screening_area_ids(user)


def may_screen_referral(user: User | AnonymousUser, referral) -> bool:
    """Screening work (notes, risk, identifying the young person): the
    district's screeners and the worker it is assigned to."""
    if may_decide_referral(user, referral):
        return True
    return may_see_identifiable_records(user) and referral.assigned_to_id == user.pk


def may_open_case(user: User | AnonymousUser, young_person: YoungPerson, *, referral=None) -> bool:
    """Opening a case: those who work on the record, and whoever may decide a
    referral about this young person that calls for an assessment."""
    if may_edit_young_person(user, young_person):
        return True
    return (
        referral is not None
        and referral.young_person_id == young_person.pk
        and may_decide_referral(user, referral)
    )


# --- Missing episodes and return home interviews ----------------------------------


def missing_episodes_visible_to(user: User | AnonymousUser) -> QuerySet:
    """Episodes of the young people whose record the user may see."""
    from cse_cases.models import MissingEpisode

    if not may_see_identifiable_records(user):
        return MissingEpisode.objects.none()
    return MissingEpisode.objects.filter(
        young_person__in=young_people_visible_to(user).values("pk")
    )


def return_interviews_visible_to(user: User | AnonymousUser) -> QuerySet:
    from cse_cases.models import ReturnInterview

    if not may_see_identifiable_records(user):
        return ReturnInterview.objects.none()
    return ReturnInterview.objects.filter(
        episode__young_person__in=young_people_visible_to(user).values("pk")
    )


def is_police(user: User | AnonymousUser) -> bool:
    return may_see_identifiable_records(user) and bool(
        user.agency_id and user.agency.kind == AgencyKind.POLICE
    )


def may_record_missing(user: User | AnonymousUser, young_person: YoungPerson) -> bool:
    """Those who work on the record, and police officers of the young person's
    district who can see it (break-glass from elsewhere gives sight, not authorship)."""
    if may_edit_young_person(user, young_person):
        return True
    return (
        is_police(user)
        and user.areas.filter(pk=young_person.area_id).exists()
        and young_people_visible_to(user).filter(pk=young_person.pk).exists()
    )


def may_import_missing(user: User | AnonymousUser) -> bool:
    """Police missing notifications come in through police officers and CSE leads."""
    return is_police(user) or has_role(user, Role.CSE_LEAD)


# --- Risk assessments and their templates ------------------------------------------


def assessments_visible_to(user: User | AnonymousUser) -> QuerySet:
    """Assessments of the cases the user may see."""
    from assessments.models import Assessment

    if not may_see_identifiable_records(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(case__in=cases_visible_to(user).values("pk"))


def assessment_for(user: User | AnonymousUser, pk: int):
    assessment = assessments_visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def may_complete_assessment(user: User | AnonymousUser, case: Case) -> bool:
    """The lead professional completes the assessment (indicators, strengths,
    views, judgement); a CSE lead of the district may step in."""
    if not may_see_identifiable_records(user):
        return False
    if user.role == Role.CSE_LEAD and case.area_id in {a.pk for a in user.areas.all()}:
        return True
    return case.lead_professional_id == user.pk


def may_contribute_assessment(user: User | AnonymousUser, case: Case) -> bool:
    """Each agency in the team around the child writes its own section."""
    return bool(may_edit_case(user, case) and user.agency_id)


def may_sign_off_assessment(user: User | AnonymousUser, assessment) -> bool:
    """Supervisors of the author or of the lead professional, and CSE leads of
    the district. Whether they wrote it themselves is the service's question,
    so that the author is told why rather than shown a 404."""
    if not has_role(user, Role.SUPERVISOR, Role.CSE_LEAD):
        return False
    case = assessment.case
    if user.role == Role.CSE_LEAD and case.area_id in {a.pk for a in user.areas.all()}:
        return True
    supervised = (
        User.objects.filter(pk__in=[assessment.author_id, case.lead_professional_id])
        .filter(team__supervisor=user)
        .exists()
    )
    return supervised and cases_visible_to(user).filter(pk=case.pk).exists()


def templates_visible_to(user: User | AnonymousUser) -> QuerySet:
    """Templates identify no child: everyone who works with records reads the
    published versions; CSE leads also see versions in preparation."""
    from assessments.models import AssessmentTemplate, TemplateStatus

    if not may_see_identifiable_records(user):
        return AssessmentTemplate.objects.none()
    if user.role == Role.CSE_LEAD:
        return AssessmentTemplate.objects.all()
    return AssessmentTemplate.objects.filter(status=TemplateStatus.PUBLISHED)


def template_for(user: User | AnonymousUser, pk: int):
    template = templates_visible_to(user).filter(pk=pk).first()
    if template is None:
        raise Http404("No such template.")
    return template


def may_manage_templates(user: User | AnonymousUser) -> bool:
    """CSE leads prepare and publish new versions of the assessment template."""
    return has_role(user, Role.CSE_LEAD)


def assessments_to_sign_off(user: User | AnonymousUser) -> QuerySet:
    """Submitted assessments this person may sign off, as one set-based query
    (the same rule as may_sign_off_assessment, less those they wrote)."""
    from assessments.models import Assessment, AssessmentStatus

    if not has_role(user, Role.SUPERVISOR, Role.CSE_LEAD):
        return Assessment.objects.none()
    if user.role == Role.CSE_LEAD:
        condition = Q(case__area__in=user.areas.all())
    else:
        condition = Q(author__team__supervisor=user) | Q(
            case__lead_professional__team__supervisor=user
        )
    return (
        assessments_visible_to(user)
        .filter(condition, status=AssessmentStatus.SUBMITTED)
        .exclude(author=user)
        .exclude(submitted_by=user)
    )


# --- Meetings, actions and plans ------------------------------------------------------


def could_see_young_person(person: User, young_person: YoungPerson) -> bool:
    """Whether someone other than the signed-in user (an action's owner, a
    meeting's attendee) may see this young person's record."""
    return young_person.pk in young_people_seen_by(person, [young_person.pk])


def young_people_seen_by(person: User, ids: list[int]) -> list[int]:
    """Which of these young people someone (not necessarily signed in) may see."""
    if not works_with_records(person) or not ids:
        return []
    return list(_young_people_visible(person).filter(pk__in=ids).values_list("pk", flat=True))


def could_see_case(person: User, case: Case) -> bool:
    if not works_with_records(person):
        return False
    if person.role == Role.CSE_LEAD and person.areas.filter(pk=case.area_id).exists():
        return True
    return Case.objects.filter(_case_visibility(person), pk=case.pk).exists()


def may_chair_meetings_in(user: User | AnonymousUser, area: Area) -> bool:
    """CSE leads chair the multi-agency meetings of their districts."""
    return has_role(user, Role.CSE_LEAD) and user.areas.filter(pk=area.pk).exists()


def meetings_visible_to(user: User | AnonymousUser) -> QuerySet:
    """A meeting is seen by its chair and the people on its list, by the CSE
    leads of its district, and by those who see a young person it discussed.
    What each sees of it is narrowed further: a young person's part only to
    those who may see that young person."""
    from assessments.models import Meeting, MeetingSubject, Participant

    if not may_see_identifiable_records(user):
        return Meeting.objects.none()
    condition = (
        Q(chair=user)
        | Exists(Participant.objects.filter(meeting=OuterRef("pk"), user=user))
        | Exists(
            MeetingSubject.objects.filter(
                meeting=OuterRef("pk"),
                young_person__in=young_people_visible_to(user).values("pk"),
            )
        )
    )
    if user.role == Role.CSE_LEAD:
        condition = Q(area__in=user.areas.all()) | condition
    return Meeting.objects.filter(condition)


def meeting_for(user: User | AnonymousUser, pk: int):
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def may_manage_meeting(user: User | AnonymousUser, meeting) -> bool:
    """The chair, and the CSE leads of the meeting's district."""
    if not has_role(user, Role.CSE_LEAD):
        return False
    return meeting.chair_id == user.pk or user.areas.filter(pk=meeting.area_id).exists()


def may_read_meeting_papers(user: User | AnonymousUser, meeting) -> bool:
    """The pack and the record: for those on the meeting's list and those who
    run it; each copy then holds only the young people the reader may see."""
    from assessments.models import Participant

    if may_manage_meeting(user, meeting):
        return True
    return (
        may_see_identifiable_records(user)
        and Participant.objects.filter(meeting=meeting, user=user).exists()
    )


def actions_visible_to(user: User | AnonymousUser) -> QuerySet:
    """Actions about young people the user may see, and their own actions."""
    from assessments.models import Action

    if not may_see_identifiable_records(user):
        return Action.objects.none()
    return Action.objects.filter(
        Q(owner=user) | Q(young_person__in=young_people_visible_to(user).values("pk"))
    )


def action_for(user: User | AnonymousUser, pk: int):
    action = actions_visible_to(user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action.")
    return action


def may_update_action(user: User | AnonymousUser, action) -> bool:
    """Its owner, whoever set it, those running its meeting, and those who work
    on the young person's record."""
    if not may_see_identifiable_records(user):
        return False
    if user.pk in (action.owner_id, action.created_by_id):
        return True
    if action.meeting_id and may_manage_meeting(user, action.meeting):
        return True
    return may_edit_young_person(user, action.young_person)


def plans_visible_to(user: User | AnonymousUser) -> QuerySet:
    from assessments.models import Plan

    if not may_see_identifiable_records(user):
        return Plan.objects.none()
    return Plan.objects.filter(case__in=cases_visible_to(user).values("pk"))


def plan_for(user: User | AnonymousUser, pk: int):
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


# --- People pickers: who may take a role for a child or a district ----------------
# Every list of people to choose from (an action's owner, a meeting's
# invitees, the named readers of a note, a referral's worker, a new case's
# lead professional, a return interviewer, a consistent worker) offers only
# those who can take that role there, and the service refuses anyone else by
# the same function, so the page and the API give one answer. Each list comes
# with the person's agency and team (select_related): pickers show them
# beside the name, so that two people of the same name are told apart.


def _people_for_roles() -> QuerySet[User]:
    """People who can hold a case (works_with_records), never a partner
    system's service account, each with their agency and team."""
    return (
        User.objects.filter(is_active=True, role__in=RECORD_ROLES, is_service_account=False)
        .select_related("agency", "team")
        .order_by("last_name", "first_name", "pk")
    )


def _works_in(area_ids: QuerySet | list[int]) -> Exists:
    """A condition on people: those whose districts include one of these."""
    return Exists(User.areas.through.objects.filter(user_id=OuterRef("pk"), area_id__in=area_ids))


def _sees_any_case(cases: QuerySet[Case]) -> Q:
    """A condition on people: those who see at least one of these cases, by
    the routes of _case_visibility read the other way round (one query for
    everyone who sees a child, where asking person by person would be one
    each). tests/assessments/test_people_pickers.py holds the two in step."""
    person = OuterRef("pk")
    members = CaseMember.objects.filter(case__in=cases, removed_at__isnull=True)
    shared = UserObjectPermission.objects.filter(
        user=person,
        permission__codename=SHARED_CASE_PERMISSION,
        content_type=ContentType.objects.get_for_model(Case),
        object_pk__in=cases.annotate(pk_text=Cast("pk", CharField())).values("pk_text"),
    )
    glass = BreakGlassGrant.objects.filter(
        case__in=cases, user=person, expires_at__gt=timezone.now()
    )
    return (
        Exists(cases.filter(lead_professional=person))
        | Exists(members.filter(user=person))
        | Exists(shared)
        | Exists(glass)
        | (Q(role=Role.CSE_LEAD) & Exists(cases.filter(area__staff=person)))
        | (
            Q(role=Role.SUPERVISOR)
            & (
                Exists(cases.filter(lead_professional__team__supervisor=person))
                | Exists(members.filter(user__team__supervisor=person))
            )
        )
    )


def _sees_young_people(young_people: QuerySet[YoungPerson]) -> Q:
    """A condition on people: those who see at least one of these young
    people (a case of theirs, or, for a CSE lead, the district they live in)."""
    return _sees_any_case(Case.objects.filter(young_person__in=young_people.values("pk"))) | (
        Q(role=Role.CSE_LEAD) & _works_in(young_people.values("area_id"))
    )


def _one(young_person: YoungPerson) -> QuerySet[YoungPerson]:
    return YoungPerson.objects.filter(pk=young_person.pk)


def people_who_see_young_person(young_person: YoungPerson) -> QuerySet[User]:
    """Everyone who may see this young person's record, as one query."""
    return _people_for_roles().filter(_sees_young_people(_one(young_person)))


def people_who_see_case(case: Case) -> QuerySet[User]:
    """Everyone who may see this case, as one query."""
    return _people_for_roles().filter(_sees_any_case(Case.objects.filter(pk=case.pk)))


def people_working_in(area_id: int) -> QuerySet[User]:
    """People of a district: those who may be given its referrals to screen
    and lead the cases opened from them."""
    return _people_for_roles().filter(_works_in([area_id]))


def works_in_district(person: User, area_id: int) -> bool:
    return people_working_in(area_id).filter(pk=person.pk).exists()


def action_owner_choices(young_person: YoungPerson, *, meeting=None) -> QuerySet[User]:
    """Who may own an action about this young person: anyone who sees their
    record, wherever they work; people of the child's district (and of the
    meeting's) who are not in the team around the child yet; and the Harbour
    users invited to the meeting. Each is annotated `sees_young_person`:
    False for those who must join the team around the child before they can
    read the action (the form says so beside their name)."""
    from assessments.models import Participant

    sees = _sees_young_people(_one(young_person))
    areas = [young_person.area_id]
    condition = sees | _works_in(areas)
    if meeting is not None:
        areas.append(meeting.area_id)
        condition = sees | _works_in(areas)
        condition |= Exists(Participant.objects.filter(meeting=meeting, user=OuterRef("pk")))
    return (
        _people_for_roles()
        .filter(condition)
        .annotate(sees_young_person=ExpressionWrapper(sees, output_field=BooleanField()))
    )


def may_own_action(person: User, young_person: YoungPerson, *, meeting=None) -> bool:
    return action_owner_choices(young_person, meeting=meeting).filter(pk=person.pk).exists()


def meeting_invitee_choices(meeting) -> QuerySet[User]:
    """Who may be invited to a meeting as a Harbour user: people of its
    district, and anyone who sees a young person on its agenda (a worker in
    another district in the team around one of them). Anyone else attends as
    someone outside Harbour, by name and agency."""
    from assessments.models import MeetingSubject

    agenda = YoungPerson.objects.filter(
        pk__in=MeetingSubject.objects.filter(meeting=meeting).values("young_person_id")
    )
    return _people_for_roles().filter(_works_in([meeting.area_id]) | _sees_young_people(agenda))


def may_be_invited(person: User, meeting) -> bool:
    return meeting_invitee_choices(meeting).filter(pk=person.pk).exists()


def named_viewer_choices(case: Case) -> QuerySet[User]:
    """Who may be named as a reader of a restricted note: those who see the
    case (a note is read only through its case, so naming anyone else would
    give them nothing)."""
    return people_who_see_case(case)


def return_interviewer_choices(young_person: YoungPerson) -> QuerySet[User]:
    """Who may hold a return home interview: people of the young person's
    district, and those who already see their record elsewhere (the
    district a child was placed in, say)."""
    return _people_for_roles().filter(
        _works_in([young_person.area_id]) | _sees_young_people(_one(young_person))
    )


def consistent_worker_choices(case: Case) -> QuerySet[User]:
    """The young person's consistent worker is one of the people working with
    them: the lead professional or someone in the team around the child."""
    members = CaseMember.objects.filter(case=case, removed_at__isnull=True, user=OuterRef("pk"))
    return _people_for_roles().filter(Q(pk=case.lead_professional_id) | Exists(members))


# --- Flags (the drift engine) ---------------------------------------------------------


# Flags whose subject has its own access rule; every other flag is about a
# young person's record and is seen by whoever may see that young person.
FLAG_SUBJECTS_WITH_OWN_RULE = ("referral", "meeting")


def flags_visible_to(user: User | AnonymousUser) -> QuerySet:
    """A flag is seen by those who may see its subject: the referral, the
    meeting, or otherwise the young person it concerns."""
    from supervision.models import Flag

    if not may_see_identifiable_records(user):
        return Flag.objects.none()
    by_subject = {
        "referral": referrals_visible_to(user),
        "meeting": meetings_visible_to(user),
    }
    condition = ~Q(subject_type__in=FLAG_SUBJECTS_WITH_OWN_RULE) & Q(
        young_person__in=young_people_visible_to(user).values("pk")
    )
    for subject_type, subjects in by_subject.items():
        condition |= Q(subject_type=subject_type, subject_id__in=subjects.values("pk"))
    return Flag.objects.filter(condition)


def flags_about_young_people(young_person_ids: list[int]) -> QuerySet:
    """The flags on these young people's records, for a reader already allowed
    to see each of them (a meeting's agenda, or a copy made for its reader):
    by the rule above, seeing the young person is seeing these flags."""
    from supervision.models import Flag

    return Flag.objects.filter(young_person__in=young_person_ids).exclude(
        subject_type__in=FLAG_SUBJECTS_WITH_OWN_RULE
    )


def flag_for(user: User | AnonymousUser, pk: int):
    flag = flags_visible_to(user).filter(pk=pk).first()
    if flag is None:
        raise Http404("No such flag.")
    return flag


def may_see_team_flags(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.CSE_LEAD)


# --- Information governance ------------------------------------------------------------
# IG officers audit the districts they serve (their areas); one with no area
# set serves none, so a mistake in an account shows nothing rather than
# everything.


def governance_area_ids(user: User | AnonymousUser) -> list[int]:
    if not has_role(user, Role.INFORMATION_GOVERNANCE):
        return []
    return [area.pk for area in user.areas.all()]


def may_audit(user: User | AnonymousUser) -> bool:
    return bool(governance_area_ids(user))


def audited_young_people(user: User | AnonymousUser) -> QuerySet[YoungPerson]:
    """Records whose trail this IG officer may read: the young person lives in
    a district they serve, or has a case there (a child who moved keeps the
    trail of the district that worked with them). Merged records included:
    their trail is history too."""
    areas = governance_area_ids(user)
    if not areas:
        return YoungPerson.objects.none()
    return YoungPerson.objects.filter(
        Q(area__in=areas) | Exists(Case.objects.filter(young_person=OuterRef("pk"), area__in=areas))
    )


def audited_young_person_for(user: User | AnonymousUser, pk: int) -> YoungPerson:
    young_person = audited_young_people(user).filter(pk=pk).first()
    if young_person is None:
        raise Http404("No such record.")
    return young_person


def break_glass_grants_to_review(user: User | AnonymousUser) -> QuerySet[BreakGlassGrant]:
    """Emergency access to records of the districts this officer serves (the
    district whose record was opened reviews it, not the requester's)."""
    areas = governance_area_ids(user)
    if not areas:
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(case__area__in=areas)


def break_glass_grant_for_review(user: User | AnonymousUser, pk: int) -> BreakGlassGrant:
    grant = (
        break_glass_grants_to_review(user)
        .select_related(
            "user__agency",
            "case__young_person",
            "case__lead_professional",
            "case__area",
            "review__reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404("No such use of emergency access.")
    return grant


# --- Accounts ------------------------------------------------------------------------
# Administrators manage accounts but must not be able to take one over
# (docs/access.md, "Accounts and administrators"). These rules say who may ask
# for an account change, who sees the changes waiting, and who approves them.

# Roles an account may be given only with a second person's approval: those
# that see records, audit trails, or manage the accounts themselves (a second
# administrator account is a second approver).
ACCESS_GRANTING_ROLES = RECORD_ROLES | {Role.INFORMATION_GOVERNANCE, Role.ADMINISTRATOR}


def may_request_account_change(user: User | AnonymousUser, account: User) -> bool:
    """Administrators ask for changes to any account; what they may not do to
    their own (role, areas, authenticator) the service refuses with a reason."""
    return may_administer(user)


def information_governance_area_ids(person: User) -> set[int]:
    """The districts an information governance officer serves: the areas on
    their account, and none when none are set (the same rule as
    governance_area_ids, for a person who need not be the one signed in)."""
    if person.role != Role.INFORMATION_GOVERNANCE:
        return set()
    return {area.pk for area in person.areas.all()}


def account_area_ids(account: User) -> set[int]:
    """The districts an account belongs to: its areas, or its agency's areas
    when it has none. Empty for an account in no district (an administrator):
    every IG officer then counts as its IG. Reads prefetched areas if present."""
    own = {area.pk for area in account.areas.all()}
    if own or not account.agency_id:
        return own
    return {area.pk for area in account.agency.areas.all()}


def information_governance_for(area_ids: set[int]) -> QuerySet[User]:
    """Active IG officers serving any of these districts (all of them when the
    account belongs to no district)."""
    officers = User.objects.filter(is_active=True, role=Role.INFORMATION_GOVERNANCE)
    if not area_ids:
        return officers
    return officers.filter(areas__in=area_ids).distinct()


def _change_area_ids(change_request) -> set[int]:
    """A change concerns the districts the account is in and those it would join."""
    ids = account_area_ids(change_request.account)
    areas = change_request.changes.get("areas")
    if areas:
        ids |= set(areas[0]) | set(areas[1])
    return ids


def _serves(user: User, area_ids: set[int]) -> bool:
    return not area_ids or bool(information_governance_area_ids(user) & area_ids)


def may_review_account_changes(user: User | AnonymousUser) -> bool:
    """The page of account changes: administrators and information governance."""
    return has_role(user, Role.ADMINISTRATOR, Role.INFORMATION_GOVERNANCE)


def account_change_requests_visible_to(user: User | AnonymousUser) -> QuerySet:
    """Administrators see every request; information governance those about
    accounts in the districts it serves (or in none); anyone else, the
    requests about their own account."""
    from cse_cases.models import AccountChangeRequest

    if not is_signed_in(user):
        return AccountChangeRequest.objects.none()
    if may_administer(user):
        return AccountChangeRequest.objects.all()
    if user.role == Role.INFORMATION_GOVERNANCE:
        area_ids = information_governance_area_ids(user)
        in_no_district = Q(account__areas__isnull=True) & (
            Q(account__agency__isnull=True) | Q(account__agency__areas__isnull=True)
        )
        # A change also concerns the districts it would move the account into or
        # out of (the rule account_changes_decidable_by decides by).
        moving = Q(pk__in=[])
        for area_id in area_ids:
            moving |= Q(changes__areas__0__contains=[area_id]) | Q(
                changes__areas__1__contains=[area_id]
            )
        served = (
            Q(account__areas__in=area_ids)
            | (Q(account__areas__isnull=True) & Q(account__agency__areas__in=area_ids))
            | in_no_district
            | moving
        )
        ids = AccountChangeRequest.objects.filter(served).values("pk")
        return AccountChangeRequest.objects.filter(Q(pk__in=ids) | Q(account=user))
    return AccountChangeRequest.objects.filter(account=user)


def account_change_request_for(user: User | AnonymousUser, pk: int):
    if not may_review_account_changes(user):
        raise Http404("No such account change.")
    change_request = (
        account_change_requests_visible_to(user)
        .select_related("account__agency", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if change_request is None:
        raise Http404("No such account change.")
    return change_request


def may_decide_account_change(user: User | AnonymousUser, change_request) -> bool:
    """A second person approves or rejects: never the one who asked, nor the
    account's holder. Another administrator; or, when the asker is the only
    active administrator, information governance of the account's districts."""
    return change_request.pk in account_changes_decidable_by(user, [change_request])


def account_changes_decidable_by(user: User | AnonymousUser, change_requests: list) -> set[int]:
    """Which of these requests this person may decide (the rule above), in a
    fixed number of queries however many there are: prefetch each request's
    account areas and agency areas."""
    from cse_cases.models import AccountChangeStatus

    if not has_role(user, Role.ADMINISTRATOR, Role.INFORMATION_GOVERNANCE):
        return set()
    pending = [
        r
        for r in change_requests
        if r.status == AccountChangeStatus.PENDING
        and user.pk not in (r.requested_by_id, r.account_id)
    ]
    if may_administer(user):
        return {r.pk for r in pending}
    administrators = set(
        User.objects.filter(is_active=True, role=Role.ADMINISTRATOR).values_list("pk", flat=True)
    )
    served = information_governance_area_ids(user)
    return {
        r.pk
        for r in pending
        # IG decides only where no administrator but the asker (and the
        # account itself, if it is one) could.
        if not (administrators - {r.requested_by_id, r.account_id})
        and (not (areas := _change_area_ids(r)) or served & areas)
    }


def may_withdraw_account_change(user: User | AnonymousUser, change_request) -> bool:
    from cse_cases.models import AccountChangeStatus

    return (
        may_administer(user)
        and change_request.status == AccountChangeStatus.PENDING
        and change_request.requested_by_id == user.pk
    )


def account_for(user: User | AnonymousUser, pk: int) -> User:
    """An account's page (its changes and requests): its holder, administrators,
    and information governance of its districts. Others get 404."""
    account = User.objects.select_related("agency", "team").filter(pk=pk).first()
    if account is None or not is_signed_in(user):
        raise Http404("No such account.")
    if account.pk == user.pk or may_administer(user):
        return account
    if user.role == Role.INFORMATION_GOVERNANCE and (
        _serves(user, account_area_ids(account))
        # Told of a change moving the account into their district: they see it.
        or account_change_requests_visible_to(user).filter(account=account).exists()
    ):
        return account
    raise Http404("No such account.")


# --- API tokens ------------------------------------------------------------------
# A token acts as its holder: the API applies the holder's access exactly as
# the pages do. These rules decide who may hold, make, list and revoke tokens.
# Only people who work with records hold tokens (the API serves commissioners,
# information governance and administrators nothing they need a token for);
# a token is refused the moment its holder could not sign in.


def may_hold_api_token(holder: User) -> bool:
    """Whether this account (not necessarily the one signed in) may hold a token.

    Active, allowed to sign in (no demo account outside development), and in a
    role that works with records. Checked when a token is made and each time
    it is used, so a change of role or a deactivation stops it at once.
    """
    from cse_cases.auth_backends import HarbourModelBackend

    return bool(
        holder.is_active
        and holder.role in RECORD_ROLES
        and HarbourModelBackend().user_can_authenticate(holder)
    )


def may_create_own_api_token(user: User | AnonymousUser) -> bool:
    """A person makes their own token only in a session that passed two-factor."""
    return is_signed_in(user) and not user.is_service_account and may_hold_api_token(user)


def may_issue_service_tokens(user: User | AnonymousUser) -> bool:
    """Administrators issue tokens to partner systems' service accounts."""
    return may_administer(user)


def may_review_api_tokens(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.INFORMATION_GOVERNANCE)


def api_token_review_area_ids(user: User) -> list[int]:
    """The districts whose tokens information governance reviews: the ones it
    serves (governance_area_ids, the one rule for everything IG sees)."""
    return governance_area_ids(user)


def _holders_in_areas(area_ids: list[int]) -> Q:
    """Accounts working in these districts: by their areas, or, for an account
    with no areas (a service account, say), by the areas its agency serves."""
    return Q(user__areas__in=area_ids) | Q(
        user__areas__isnull=True, user__agency__areas__in=area_ids
    )


def api_tokens_visible_to(user: User | AnonymousUser):
    """Unexpired tokens this person may see and revoke.

    The holder sees their own; information governance sees those of accounts
    in the districts it serves; administrators see service accounts' tokens
    (they issue them). Nobody sees a key: only names and dates.
    """
    from cse_cases.models import ApiToken

    if not is_signed_in(user):
        return ApiToken.objects.none()
    live = ApiToken.objects.filter(expiry__gt=timezone.now())
    condition = Q(user=user)
    if may_review_api_tokens(user):
        area_ids = api_token_review_area_ids(user)
        if area_ids:
            condition |= _holders_in_areas(area_ids)
    if may_issue_service_tokens(user):
        condition |= Q(user__is_service_account=True)
    ids = live.filter(condition).values("pk")
    return live.filter(pk__in=ids).select_related("user", "user__agency")


def api_token_for(user: User | AnonymousUser, pk: int):
    """A token this person may revoke, or 404 (missing and not theirs alike)."""
    token = api_tokens_visible_to(user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def service_accounts_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    if not may_issue_service_tokens(user):
        return User.objects.none()
    return User.objects.filter(is_service_account=True)
