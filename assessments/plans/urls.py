"""See Me, Hear Me plan URLs."""

from django.urls import path

from assessments.plans import views

urlpatterns = [
    path("cases/<int:pk>/plan/", views.plan, name="plan"),
    path("cases/<int:pk>/plan/review/", views.plan_review, name="plan-review"),
    path(
        "cases/<int:pk>/plan/versions/<int:number>/",
        views.plan_version,
        name="plan-version",
    ),
]
