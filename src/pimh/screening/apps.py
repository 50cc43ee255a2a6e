from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "pimh.screening"
    label = "screening"
    verbose_name = "Screening, decision support and urgent flags"

    def ready(self) -> None:
        from pimh.families import timeline
        from pimh.screening import presenters

        timeline.register(presenters.timeline_entries)
        timeline.register_section(presenters.sections)
