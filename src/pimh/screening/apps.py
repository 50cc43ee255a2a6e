from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "pimh.screening"
    label = "screening"
    verbose_name = "Screening, decision support and urgent flags"
