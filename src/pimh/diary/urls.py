from django.urls import path

from pimh.diary import views

urlpatterns = [
    path("diary/", views.diary, name="diary"),
    path("families/<int:pk>/bookings/add/", views.book, name="booking-add"),
    path("bookings/<int:pk>/contact/", views.record, name="booking-contact"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="booking-cancel"),
]
