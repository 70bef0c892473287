from django.urls import path

from reports.profile import views

urlpatterns = [
    path("reports/profile/", views.profile, name="problem-profile"),
    path("reports/profile/profile.pdf", views.profile_pdf, name="problem-profile-pdf"),
]
