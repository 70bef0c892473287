from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Caseloads, supervision, the drift engine (flags) and the work dashboards."""

    name = "supervision"

    def ready(self) -> None:
        from cse_cases import chronology
        from cse_cases.api import routes
        from supervision.api import FlagViewSet
        from supervision.merge import register as register_merge_handlers
        from supervision.sessions import merge as session_merge
        from supervision.sessions import rules as session_rules
        from supervision.sessions.api import SupervisionSessionViewSet
        from supervision.sessions.chronology import KIND, case_supervision_entries

        register_merge_handlers()
        routes.register("flags", FlagViewSet, basename="flag-api")
        routes.register(
            "supervision-sessions", SupervisionSessionViewSet, basename="supervision-session-api"
        )
        session_rules.register()
        session_merge.register()
        chronology.register(KIND, "Case supervision", case_supervision_entries)
