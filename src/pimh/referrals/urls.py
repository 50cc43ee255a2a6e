from django.urls import path

from pimh.referrals import letter_views, talk_views, views

urlpatterns = [
    path("families/<int:pk>/referrals/add/", views.add_referral, name="referral-add"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/letter.pdf", letter_views.referral_letter, name="referral-letter"),
    path("team/referrals/", views.team_referrals, name="referrals-team"),
    path("team/supervision/", views.team_supervision, name="team-supervision"),
    path("families/<int:pk>/specialist/add/", views.add_involvement, name="involvement-add"),
    path("team/supervision/record/", views.record_supervision, name="supervision-record"),
    path("team/training/record/", views.record_training, name="training-record"),
    path("specialist/", views.specialist_caseload, name="specialist-caseload"),
    path("families/<int:pk>/messages/", talk_views.family_messages, name="family-messages"),
    path("specialist/queue/", views.specialist_queue, name="specialist-queue"),
]
