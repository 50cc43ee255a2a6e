from django.urls import path

from pimh.analytics import views

urlpatterns = [
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/rebuild/", views.rebuild, name="indicators-rebuild"),
    path("indicators/indicators.<str:form>", views.download, name="indicators-download"),
]
