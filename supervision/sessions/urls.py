from django.urls import path

from supervision.sessions import views

urlpatterns = [
    path("supervision/", views.session_list, name="supervision-sessions"),
    path("supervision/new/", views.session_new, name="supervision-session-new"),
    path("supervision/<int:pk>/", views.session_detail, name="supervision-session"),
    path("supervision/<int:pk>/edit/", views.session_edit, name="supervision-session-edit"),
    path(
        "supervision/<int:pk>/reflection/",
        views.reflection,
        name="supervision-session-reflection",
    ),
]
