"""The language check's URLs: the live check, keeping words, its rules and the report."""

from django.urls import path

from assessments.language import views

urlpatterns = [
    path("language/", views.language_rules, name="language-rules"),
    path("language/check/", views.language_check, name="language-check"),
    path("language/keep/", views.language_keep, name="language-keep"),
    path("language/report/", views.language_report, name="language-report"),
]
