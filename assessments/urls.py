"""The assessments app's URLs: each sub-package's own, in one list (names are
global, as the pages and the permission matrix use them)."""

from django.urls import include, path

urlpatterns = [
    path("", include("assessments.language.urls")),
    path("", include("assessments.risk.urls")),
    path("", include("assessments.meetings.urls")),
    path("", include("assessments.plans.urls")),
]
