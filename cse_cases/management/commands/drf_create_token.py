"""``manage.py drf_create_token USERNAME``: issue an API token from the server.

Kept under DRF's old name so administrators' scripts keep working, under the
rules of every token: stored as a digest, named, expiring, refused for an
account that may not hold one. The key is printed once and never again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cse_cases.models import User
from cse_cases.services import RecordError, tokens


class Command(BaseCommand):
    help = "Issue a named, expiring API token to an account and print its key once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="The account (a person or a service account).")
        parser.add_argument(
            "-n",
            "--name",
            default="Issued with manage.py",
            help="Where the token is used, shown on the token pages.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"How long it lasts (1 to API_TOKEN_DAYS, now {settings.API_TOKEN_DAYS}).",
        )
        parser.add_argument(
            "-r",
            "--reset",
            action="store_true",
            help="Revoke the account's other tokens first.",
        )

    def handle(self, *args, username: str, name: str, days: int | None, reset: bool, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account with the username {username!r}.")
        try:
            issued = tokens.api_token_create_by_command(
                user=user, name=name, days=days, replace=reset
            )
        except RecordError as error:
            raise CommandError(str(error)) from error
        expires = timezone.localtime(issued.token.expiry)
        self.stderr.write(
            f"Token '{issued.token.name}' for {user.get_username()}, expires "
            f"{expires:%d %B %Y %H:%M}. It is shown once: hand it over as you would a password."
        )
        # DRF's own line, so scripts that read it keep working.
        self.stdout.write(f"Generated token {issued.key} for user {user.get_username()}")
