"""E-mail each user the overdue and upcoming deadlines of the countries they follow."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.core.management.base import BaseCommand, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from recommendations.deadlines import countries_followed, deadlines


class Command(BaseCommand):
    help = (
        "E-mail each active user with an e-mail address the overdue deadlines and those of the "
        "next N days of their countries, one message each. Users with none get nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="How many days ahead (30).")
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address, e.g. https://tracker.example.org, to link each deadline.",
        )

    def handle(self, *args, days: int, base_url: str, **options) -> None:
        until = timezone.localdate() + datetime.timedelta(days=days)
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(email="")
            .annotate(digest_language=F("membership__language"))
            .order_by("pk")
        )
        sent = sum(self.handle_one_user(user, until, days, base_url.rstrip("/")) for user in users)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"{sent} digest(s) sent."))

    def handle_one_user(
        self, user: AbstractBaseUser, until: datetime.date, days: int, base_url: str
    ) -> bool:
        """Send one user their digest, in the language of their membership or else the site's;
        False when they have no deadline to hear of."""
        with translation.override(user.digest_language or settings.LANGUAGE_CODE):
            # Inside the override: the deadlines' names are written in the reader's language.
            found = deadlines(countries_followed(user), until=until)
            if not found:
                return False
            context = {
                "user": user,
                "days": days,
                "overdue": [deadline for deadline in found if deadline.is_overdue],
                "upcoming": [deadline for deadline in found if not deadline.is_overdue],
                "base_url": base_url,
            }
            subject = gettext(
                "Your deadlines: %(count)d overdue, %(upcoming)d in the next %(days)d days"
            ) % {
                "count": len(context["overdue"]),
                "upcoming": len(context["upcoming"]),
                "days": days,
            }
            message = EmailMultiAlternatives(
                subject,
                render_to_string("recommendations/deadline_digest_email.txt", context),
                to=[user.email],
            )
            message.attach_alternative(
                render_to_string("recommendations/deadline_digest_email.html", context), "text/html"
            )
        message.send()
        return True
