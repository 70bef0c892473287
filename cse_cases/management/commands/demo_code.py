"""Print the current two-factor code of a demo account (development only)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code for a demo user (only with DEBUG on)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code works only with DEBUG on (HARBOUR_ENV=development).")
        device = TOTPDevice.objects.filter(
            user__username=username, user__is_demo=True, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{username} is not a demo account with two-factor set up.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
