"""Authentication backends."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from cse_cases.access.scope import SIGNED_IN_AREA_IDS

UserModel = get_user_model()


class HarbourModelBackend(ModelBackend):
    """Username and password, except that demo accounts work only while DEBUG is on.

    Demo passwords are published in the README; a production database that
    somehow holds demo accounts must not let anyone in with them.

    Service accounts (partner systems) use the API with tokens only: the
    password step refuses them and a session naming one is not honoured, even
    if someone gave the account a password.
    """

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.is_service_account:
            return None
        return user

    def get_user(self, user_id):
        # With the agency: every audit row names it, and most pages write one.
        # With the ids of their districts, read inside the same statement: the
        # access policy needs them on most pages (a CSE lead's every case
        # condition), and they cost one more query of their own otherwise.
        area_ids = ArraySubquery(
            UserModel.areas.through.objects.filter(user_id=OuterRef("pk")).values("area_id")
        )
        try:
            user = (
                UserModel._default_manager.select_related("agency")
                .annotate(**{SIGNED_IN_AREA_IDS: area_ids})
                .get(pk=user_id)
            )
        except UserModel.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        if user.is_service_account:
            return None
        return user
