from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Risk assessments, the language check, meetings and See Me, Hear Me plans."""

    name = "assessments"

    def ready(self) -> None:
        from assessments import panels as assessment_panels
        from assessments import rules
        from assessments.chronology import action_entries, assessment_entries, meeting_entries
        from assessments.language.api import LanguageViewSet
        from assessments.meetings.api import ActionViewSet, MeetingViewSet
        from assessments.merge import register as register_merge_handlers
        from assessments.plans.api import PlanViewSet
        from assessments.risk.api import AssessmentTemplateViewSet, AssessmentViewSet
        from cse_cases import chronology, home_widgets, panels
        from cse_cases.access import RECORD_ROLES
        from cse_cases.api import routes

        chronology.register("assessment", "Assessments", assessment_entries)
        chronology.register("meeting", "Meetings", meeting_entries)
        chronology.register("action", "Actions", action_entries)
        register_merge_handlers()
        rules.register()

        routes.register("assessments", AssessmentViewSet, basename="assessment-api")
        routes.register(
            "assessment-templates", AssessmentTemplateViewSet, basename="assessment-template-api"
        )
        routes.register("meetings", MeetingViewSet, basename="meeting-api")
        routes.register("actions", ActionViewSet, basename="action-api")
        routes.register("plans", PlanViewSet, basename="plan-api")
        routes.register("language", LanguageViewSet, basename="language-api")

        # In the case column of the record page, under the team around the child.
        panels.register(
            panels.Panel(
                "assessments",
                "assessments/risk/_case_assessments.html",
                assessment_panels.case_assessments_panel,
                order=10,
            )
        )
        panels.register(
            panels.Panel(
                "plan-and-meetings",
                "assessments/_plan_and_meetings.html",
                assessment_panels.plan_and_meetings_panel,
                order=20,
            )
        )
        home_widgets.register(
            home_widgets.Widget(
                "assessments",
                "assessments/_home.html",
                assessment_panels.home_widget,
                RECORD_ROLES,
                order=20,
            )
        )
