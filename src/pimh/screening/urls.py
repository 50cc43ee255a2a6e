from django.urls import path

from pimh.screening import views

urlpatterns = [
    path("families/<int:pk>/screens/add/", views.add_screen, name="screen-add"),
    path("families/<int:pk>/flags/add/", views.raise_flag, name="flag-add"),
    path("families/<int:pk>/relationship/add/", views.add_relationship, name="relationship-add"),
    path("screens/<int:pk>/", views.screen_detail, name="screen-detail"),
    path("suggestions/<int:pk>/decide/", views.decide_suggestion, name="suggestion-decide"),
    path("flags/<int:pk>/", views.flag_detail, name="flag-detail"),
    path("relationship/<int:pk>/", views.relationship_detail, name="relationship-detail"),
    path("flags/<int:pk>/close/", views.close_flag, name="flag-close"),
    path("team/urgent-flags/", views.team_urgent_flags, name="team-urgent-flags"),
]
