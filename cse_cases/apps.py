from django.apps import AppConfig


class CseCasesConfig(AppConfig):
    name = "cse_cases"
    verbose_name = "Harbour core"
