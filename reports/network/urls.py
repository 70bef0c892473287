from django.urls import path

from reports.network import views

urlpatterns = [
    path("network/", views.network_map, name="network"),
]
