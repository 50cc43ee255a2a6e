from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from pimh.analytics import views as analytics_views
from pimh.api.fhir import fhir_api
from pimh.api.main import api
from pimh.core import views as core_views

admin.site.__class__ = OTPAdminSite
admin.site.site_header = "PIMH Pathway administration"
admin.site.site_title = "PIMH Pathway administration"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/second-factor/", core_views.otp_verify, name="otp-verify"),
    path("account/second-factor/set-up/", core_views.otp_setup, name="otp-setup"),
    path("account/second-factor/enrol/<str:token>/", core_views.otp_enrol, name="otp-enrol"),
    path("account/second-factor/enrolment-needed/", core_views.otp_enrolment_needed, name="otp-enrolment-needed"),
    path("help/", core_views.help_page, name="help"),
    path("team/break-glass/", core_views.break_glass_log, name="break-glass-log"),
    path("overview/", analytics_views.overview, name="overview"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("fhir/", fhir_api.urls),
    path("", include("pimh.api.urls")),
    path("", include("pimh.families.urls")),
    path("", include("pimh.contacts.urls")),
    path("", include("pimh.diary.urls")),
    path("", include("pimh.screening.urls")),
    path("", include("pimh.referrals.urls")),
    path("", include("pimh.workforce.urls")),
    path("", include("pimh.analytics.urls")),
]
