from django.urls import path

from pimh.contacts import views

urlpatterns = [
    path("work/", views.worklist, name="worklist"),
    path("team/", views.team_overview, name="team-overview"),
    path("team/<int:pk>/overdue/", views.team_member_overdue, name="team-member-overdue"),
    path("tasks/<int:pk>/contact/", views.task_contact, name="task-contact"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task-cancel"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact-detail"),
    path("families/<int:pk>/contacts/add/", views.contact_add, name="contact-add"),
    path("contacts/<int:pk>/recorded/", views.contact_recorded, name="contact-recorded"),
]
