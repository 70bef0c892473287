from django.urls import path

from supervision.caseloads import views

urlpatterns = [
    path("cases/mine/", views.my_cases, name="my-cases"),
    path("cases/<int:pk>/allocate/", views.allocate, name="case-allocate"),
    path("cases/<int:pk>/load-factors/", views.case_load_factors, name="case-load-factors"),
    path("team/caseloads/", views.team_caseloads, name="team-caseloads"),
    path("team/caseloads/<int:pk>/", views.worker_caseload, name="worker-caseload"),
    path("team/caseloads/<int:pk>/capacity/", views.worker_capacity, name="worker-capacity"),
    path("team/continuity/", views.continuity, name="team-continuity"),
    path("caseloads/weighting/", views.weighting_schemes, name="weighting-schemes"),
    path("caseloads/weighting/new/", views.weighting_publish, name="weighting-publish"),
]
