from django.apps import AppConfig


class CseCasesConfig(AppConfig):
    name = "cse_cases"
    verbose_name = "Harbour core"

    def ready(self) -> None:
        from cse_cases import receivers  # noqa: F401 - connects the receivers
        from cse_cases.access import scope  # noqa: F401 - a reader's scope lasts one request
        from cse_cases.merge import register_core_merge_handlers

        register_core_merge_handlers()
