"""Meeting and action URLs."""

from django.urls import path

from assessments.meetings import views

urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/participants/",
        views.participant_add,
        name="meeting-participant-add",
    ),
    path("meetings/<int:pk>/attendance/", views.attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/contexts/", views.contexts, name="meeting-contexts"),
    path("meetings/<int:pk>/cancel/", views.cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/move/", views.reschedule, name="meeting-reschedule"),
    path(
        "meetings/<int:pk>/young-people/",
        views.subject_add,
        name="meeting-young-person-add",
    ),
    path(
        "meetings/<int:pk>/young-people/<int:subject_pk>/remove/",
        views.subject_remove,
        name="meeting-young-person-remove",
    ),
    path(
        "meetings/<int:pk>/young-people/<int:subject_pk>/minutes/",
        views.minutes,
        name="meeting-minutes",
    ),
    path(
        "meetings/<int:pk>/young-people/<int:subject_pk>/actions/new/",
        views.action_add,
        name="meeting-action-add",
    ),
    path(
        "meetings/<int:pk>/distribute/<str:kind>/",
        views.distribute,
        name="meeting-distribute",
    ),
    path("meetings/<int:pk>/<str:kind>.pdf", views.meeting_pdf, name="meeting-pdf"),
    path("actions/", views.my_actions, name="my-actions"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
]
