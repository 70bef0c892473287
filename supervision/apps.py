from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Caseloads, supervision, the drift engine (flags) and the work dashboards."""

    name = "supervision"

    def ready(self) -> None:
        from cse_cases import chronology, home_widgets, panels
        from cse_cases.access import RECORD_ROLES
        from cse_cases.api import routes
        from supervision.api import FlagViewSet
        from supervision.caseloads import api as caseload_api
        from supervision.caseloads import panels as caseload_panels
        from supervision.caseloads.chronology import allocation_entries
        from supervision.merge import register as register_merge_handlers
        from supervision.sessions import merge as session_merge
        from supervision.sessions import rules as session_rules
        from supervision.sessions.api import SupervisionSessionViewSet
        from supervision.sessions.chronology import KIND, case_supervision_entries

        register_merge_handlers()
        routes.register("flags", FlagViewSet, basename="flag-api")
        routes.register("caseloads", caseload_api.CaseloadViewSet, basename="caseload-api")
        routes.register("cases/mine", caseload_api.MyCaseViewSet, basename="my-case-api")
        routes.register(
            "weighting-schemes",
            caseload_api.WeightingSchemeViewSet,
            basename="weighting-scheme-api",
        )
        routes.register(
            "case-allocations", caseload_api.CaseAllocationViewSet, basename="case-allocation-api"
        )
        chronology.register("allocation", "Changes of lead professional", allocation_entries)
        # First on the home page of everyone who carries a caseload.
        home_widgets.register(
            home_widgets.Widget(
                "your-cases",
                "supervision/caseloads/_home.html",
                caseload_panels.home_widget,
                RECORD_ROLES,
                order=5,
            )
        )
        # On the record page, before the assessments: who leads the case, and moving it.
        panels.register(
            panels.Panel(
                "case-allocation",
                "supervision/caseloads/_record_panel.html",
                caseload_panels.case_allocation_panel,
                order=5,
            )
        )
        routes.register(
            "supervision-sessions", SupervisionSessionViewSet, basename="supervision-session-api"
        )
        session_rules.register()
        session_merge.register()
        chronology.register(KIND, "Case supervision", case_supervision_entries)
