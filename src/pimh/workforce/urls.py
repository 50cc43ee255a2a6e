from django.urls import path

from pimh.workforce import views

urlpatterns = [
    path("team/caseload-weights/", views.caseload_weights, name="workforce-caseloads"),
    path("workforce/", views.commissioner, name="workforce-commissioner"),
    path("workforce/report.pdf", views.commissioner_pdf, name="workforce-commissioner-pdf"),
    path("workforce/report.csv", views.commissioner_csv, name="workforce-commissioner-csv"),
]
