from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "pimh.referrals"
    label = "referrals"
    verbose_name = "Referrals, service directory and specialist caseloads"

    def ready(self) -> None:
        from pimh.families import timeline
        from pimh.referrals import presenters

        timeline.register(presenters.family_entries)
        timeline.register_section(presenters.family_section)
