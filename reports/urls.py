from django.urls import include, path

from reports import views

urlpatterns = [
    path("reports/", views.catalogue, name="reports"),
    path("", include("reports.profile.urls")),
    path("reports/<int:pk>/", views.run, name="report-run"),
    path("reports/<int:pk>/status/", views.status, name="report-status"),
    path("reports/<int:pk>/again/", views.again, name="report-again"),
    path("reports/<int:pk>/report.pdf", views.pdf, name="report-pdf"),
    path("reports/<int:pk>/tables.csv", views.csv, name="report-csv"),
    path("reports/<int:pk>/tables/<str:table>.csv", views.csv, name="report-table-csv"),
    path("reports/<int:pk>/estimates.csv", views.estimates_csv, name="report-estimates-csv"),
]
