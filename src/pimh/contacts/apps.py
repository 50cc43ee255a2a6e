from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "pimh.contacts"
    label = "contacts"
    verbose_name = "Contacts, tasks and worklists"
