from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Risk assessments, the language check, meetings and See Me, Hear Me plans."""

    name = "assessments"

    def ready(self) -> None:
        from assessments.chronology import action_entries, assessment_entries, meeting_entries
        from cse_cases import chronology

        chronology.register("assessment", "Assessments", assessment_entries)
        chronology.register("meeting", "Meetings", meeting_entries)
        chronology.register("action", "Actions", action_entries)

        from assessments.merge import register as register_merge_handlers

        register_merge_handlers()
