from django.urls import include, path

from supervision import views

urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("team/flags/", views.team, name="team-flags"),
    path("", include("supervision.caseloads.urls")),
    path("", include("supervision.sessions.urls")),
]
