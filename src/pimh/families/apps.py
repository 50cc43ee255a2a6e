from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "pimh.families"
    label = "families"
    verbose_name = "Families and people"

    def ready(self) -> None:
        from pimh.families.timeline import family_entries, register

        register(family_entries)
