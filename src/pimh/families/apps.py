from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "pimh.families"
    label = "families"
    verbose_name = "Families and people"

    def ready(self) -> None:
        from pimh.families.timeline import Section, family_entries, register, register_section

        register(family_entries)
        register_section(lambda request, family: [Section("families/_alerts.jinja", {}, place="top")])
