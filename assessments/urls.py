from django.urls import path

from assessments import views

urlpatterns = [
    path("", views.language_rules, name="language-rules"),
    path("check/", views.language_check, name="language-check"),
    path("report/", views.language_report, name="language-report"),
]
