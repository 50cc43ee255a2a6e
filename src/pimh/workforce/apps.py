from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "pimh.workforce"
    label = "workforce"
    verbose_name = "Workforce: demand model and weighted caseloads"
