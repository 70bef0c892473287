from django.urls import include, path
from rest_framework.routers import SimpleRouter

from assessments.meetings.api import ActionViewSet, MeetingViewSet
from assessments.plans.api import PlanViewSet
from assessments.risk.api import AssessmentTemplateViewSet, AssessmentViewSet
from cse_cases.api import contexts, missing, records, views
from referrals.api import ReferralViewSet
from supervision.api import FlagViewSet

router = SimpleRouter(trailing_slash=True)
router.register("areas", views.AreaViewSet, basename="area")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("teams", views.TeamViewSet, basename="team")
router.register("young-people", records.YoungPersonViewSet, basename="young-person")
router.register("cases", records.CaseViewSet, basename="case")
router.register("case-notes", records.CaseNoteViewSet, basename="case-note")
router.register(
    "persons-of-concern", contexts.PersonOfConcernViewSet, basename="person-of-concern-api"
)
router.register("locations", contexts.LocationViewSet, basename="location-api")
router.register("context-links", contexts.ContextLinkViewSet, basename="context-link")
router.register("referrals", ReferralViewSet, basename="referral-api")
router.register("missing-episodes", missing.MissingEpisodeViewSet, basename="missing-episode-api")
router.register(
    "return-interviews", missing.ReturnInterviewViewSet, basename="return-interview-api"
)
router.register("assessments", AssessmentViewSet, basename="assessment-api")
router.register(
    "assessment-templates", AssessmentTemplateViewSet, basename="assessment-template-api"
)
router.register("meetings", MeetingViewSet, basename="meeting-api")
router.register("actions", ActionViewSet, basename="action-api")
router.register("plans", PlanViewSet, basename="plan-api")
router.register("flags", FlagViewSet, basename="flag-api")

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("", include(router.urls)),
]
