"""The API router: every route the apps registered (cse_cases/api/routes.py),
under /api/v1/, and who is signed in."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from cse_cases.api import routes, views

router = SimpleRouter(trailing_slash=True)
for route in routes.routes():
    router.register(route.prefix, route.viewset, basename=route.basename)

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("", include(router.urls)),
]
