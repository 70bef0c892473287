from django.urls import path

from supervision import views

urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("team/flags/", views.team, name="team-flags"),
]
