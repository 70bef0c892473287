from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Risk assessments, the language check, meetings and See Me, Hear Me plans."""

    name = "assessments"
