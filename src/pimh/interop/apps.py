from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "pimh.interop"
    label = "interop"
    verbose_name = "Interoperability"
