from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "pimh.referrals"
    label = "referrals"
    verbose_name = "Referrals, service directory and specialist caseloads"
