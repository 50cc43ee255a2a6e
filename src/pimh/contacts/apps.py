from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "pimh.contacts"
    label = "contacts"
    verbose_name = "Contacts, tasks and worklists"

    def ready(self) -> None:
        from pimh.contacts import presenters
        from pimh.families import timeline

        timeline.register(presenters.family_entries)
        timeline.register_section(presenters.family_section)
