"""Authentication backends."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class HarbourModelBackend(ModelBackend):
    """Username and password, except that demo accounts work only while DEBUG is on.

    Demo passwords are published in the README; a production database that
    somehow holds demo accounts must not let anyone in with them.
    """

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)
