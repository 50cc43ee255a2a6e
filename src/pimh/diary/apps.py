from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "pimh.diary"
    label = "diary"
    verbose_name = "Diary: booked contacts"

    def ready(self) -> None:
        from pimh.diary import presenters
        from pimh.families import timeline

        timeline.register_section(presenters.family_section)
