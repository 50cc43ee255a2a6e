from django.urls import path

from pimh.families import caseload_views, details_views, views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("families/register/", views.register_family, name="family-register"),
    path("families/break-glass/", views.break_glass, name="break-glass"),
    path("families/<int:pk>/", views.family_detail, name="family-detail"),
    path("families/<int:pk>/allocate/", caseload_views.allocate, name="family-allocate"),
    path("families/<int:pk>/close/", caseload_views.close_family, name="family-close"),
    path("families/<int:pk>/contact-details/", details_views.edit_contact_details, name="family-contact-details"),
    path("families/<int:pk>/people/add/", views.add_person, name="person-add"),
    path("families/<int:pk>/service-level/", views.change_service_level, name="service-level-change"),
    path("families/<int:pk>/pregnancies/add/", views.add_pregnancy, name="pregnancy-add"),
    path("people/<int:pk>/edit/", views.edit_person, name="person-edit"),
    path("pregnancies/<int:pk>/birth/", views.record_birth, name="pregnancy-birth"),
    path("pregnancies/<int:pk>/loss/", views.record_loss, name="pregnancy-loss"),
    path("pregnancies/<int:pk>/edd/", views.correct_edd, name="pregnancy-edd"),
    path("people/<int:pk>/moved-in/", views.record_move_in, name="person-move-in"),
    path("people/<int:pk>/moved-out/", views.record_move_out, name="person-move-out"),
    path("people/<int:pk>/death/", views.record_death, name="person-death"),
    path("people/<int:pk>/looked-after/", views.record_looked_after, name="person-looked-after"),
    path("people/<int:pk>/looked-after/end/", views.end_looked_after, name="person-looked-after-end"),
]
