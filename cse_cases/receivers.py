"""Signal receivers: account changes that must have consequences wherever they are made
(the password-change page, Django admin, a management command)."""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from cse_cases import services
from cse_cases.models import User


@receiver(pre_save, sender=User)
def note_account_changes(sender: type[User], instance: User, **kwargs: object) -> None:
    if instance.pk is None:
        return
    # AbstractBaseUser.set_password keeps the raw password in _password until saved.
    instance._harbour_password_changed = getattr(instance, "_password", None) is not None
    was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._harbour_deactivated = bool(was_active) and not instance.is_active


@receiver(post_save, sender=User)
def act_on_account_changes(
    sender: type[User], instance: User, created: bool, **kwargs: object
) -> None:
    if created:
        return
    if getattr(instance, "_harbour_password_changed", False):
        services.user_password_changed(user=instance)
    if getattr(instance, "_harbour_deactivated", False):
        services.user_deactivated(user=instance)
