from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "pimh.families"
    label = "families"
    verbose_name = "Families and people"
