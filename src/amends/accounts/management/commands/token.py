"""`amends token USERNAME`: issue a new API bearer token for a user and print it, once.

Only the token goes to standard output, so `TOKEN=$(amends token handler)` works; the token is stored as a
digest and cannot be shown again. Issuing is audited (`token.issue`, no acting user: the command line).
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amends.accounts.models import User
from amends.accounts.tokens import token_issue


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (send it as Authorization: Bearer <token>)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username", help="the staff member the token acts as")

    def handle(self, *args: Any, username: str, **opts: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named “{username}”.")
        if not user.is_active:
            raise CommandError(f"The user “{username}” is deactivated; a token for them would be refused.")
        self.stdout.write(token_issue(actor=None, user=user))
