from django.apps import AppConfig


class CseCasesConfig(AppConfig):
    name = "cse_cases"
    verbose_name = "Harbour core"

    def ready(self) -> None:
        from cse_cases import (
            receivers,  # noqa: F401 - connects the receivers
            rules,
        )
        from cse_cases.access import scope  # noqa: F401 - a reader's scope lasts one request
        from cse_cases.merge import register_core_merge_handlers

        register_core_merge_handlers()
        rules.register()
        register_api_routes()


def register_api_routes() -> None:
    """The core record's API (the wiring's router serves every app's routes)."""
    from cse_cases.api import contexts, missing, records, routes, views

    routes.register("areas", views.AreaViewSet, basename="area")
    routes.register("agencies", views.AgencyViewSet, basename="agency")
    routes.register("teams", views.TeamViewSet, basename="team")
    routes.register("young-people", records.YoungPersonViewSet, basename="young-person")
    routes.register("cases", records.CaseViewSet, basename="case")
    routes.register("case-notes", records.CaseNoteViewSet, basename="case-note")
    routes.register(
        "persons-of-concern", contexts.PersonOfConcernViewSet, basename="person-of-concern-api"
    )
    routes.register("locations", contexts.LocationViewSet, basename="location-api")
    routes.register("context-links", contexts.ContextLinkViewSet, basename="context-link")
    routes.register(
        "missing-episodes", missing.MissingEpisodeViewSet, basename="missing-episode-api"
    )
    routes.register(
        "return-interviews", missing.ReturnInterviewViewSet, basename="return-interview-api"
    )
