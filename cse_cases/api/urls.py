from django.urls import include, path
from rest_framework.routers import SimpleRouter

from cse_cases.api import views

router = SimpleRouter(trailing_slash=True)
router.register("areas", views.AreaViewSet, basename="area")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("teams", views.TeamViewSet, basename="team")

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("", include(router.urls)),
]
