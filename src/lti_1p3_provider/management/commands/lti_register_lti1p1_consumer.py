"""Create or update an LTI 1.1 consumer and print its key, secret and URLs for the platform."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lti_1p3_provider.management.gate_arguments import add_gate_arguments
from lti_1p3_provider.models import Lti1p1Consumer
from lti_1p3_provider.models.consumers import USERNAME_SOURCES, new_shared_secret
from lti_1p3_provider.organizations.api import outside_org


class Command(BaseCommand):
    """``lti_register_lti1p1_consumer --title ... --site-origin https://moodle.example``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--title", required=True, help=_("Name shown in the admin."))
        parser.add_argument(
            "--consumer-key", default=None, help=_("Key to use or update; generated when new.")
        )
        parser.add_argument(
            "--site-origin",
            action="append",
            default=[],
            help=_("An origin of the platform's site (repeat for several)."),
        )
        parser.add_argument(
            "--username-source",
            default="",
            choices=[value for value, _label in USERNAME_SOURCES],
            help=_("Launch parameter for readable usernames (never used to match accounts)."),
        )
        parser.add_argument("--org", default="", help=_("Organization that owns the consumer."))
        add_gate_arguments(parser)
        parser.add_argument(
            "--new-secret", action="store_true", help=_("Replace the shared secret (and print it).")
        )
        parser.add_argument(
            "--base-url",
            default="https://<your LMS host>",
            help=_("This LMS's root URL, for the printed URLs."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["site_origin"]:
            raise CommandError(
                _("Give --site-origin: the platform's site frames the content and takes grades.")
            )
        gate = (options["allow_key"], options["allow_course"], options["allow_org"])
        if not options["allow_all_content"] and not any(gate):
            raise CommandError(
                _("Give the gate: --allow-course, --allow-key, --allow-org or --allow-all-content.")
            )
        outside = outside_org(options["org"], *gate, allow_all_content=options["allow_all_content"])
        if outside:
            raise CommandError(
                _("Outside the organization: %(values)s") % {"values": ", ".join(outside)}
            )
        consumer = None
        if options["consumer_key"]:
            consumer = Lti1p1Consumer.objects.filter(consumer_key=options["consumer_key"]).first()
        created = consumer is None
        if consumer is None:  # a new consumer: the given key, else a generated one
            consumer = Lti1p1Consumer()
            consumer.consumer_key = options["consumer_key"] or consumer.consumer_key
        if options["new_secret"]:
            consumer.shared_secret = new_shared_secret()
        consumer.title = options["title"]
        consumer.org = options["org"]
        consumer.site_origins = options["site_origin"]
        consumer.username_source = options["username_source"]
        consumer.allowed_keys, consumer.allowed_courses, consumer.allowed_orgs = map(list, gate)
        consumer.allow_all_content = options["allow_all_content"]
        try:
            consumer.full_clean()
        except ValidationError as exc:
            raise CommandError(_("Invalid consumer: %(error)s") % {"error": exc}) from exc
        consumer.save()
        done = _("Created LTI 1.1 consumer %(id)s (%(title)s).") if created else None
        done = done or _("Updated LTI 1.1 consumer %(id)s (%(title)s).")
        self.stdout.write(done % {"id": consumer.pk, "title": consumer.title})
        base = options["base_url"].rstrip("/")
        self.stdout.write(_("Give the platform these values:"))
        self.stdout.write(f"  {_('Consumer key')}: {consumer.consumer_key}")
        if created or options["new_secret"]:
            self.stdout.write(f"  {_('Shared secret (shown once)')}: {consumer.shared_secret}")
        self.stdout.write(f"  {_('Launch URL')}: {base}/lti/1p1/launch/<course key>/<usage key>")
        config = f"{base}/lti/1p1/consumers/{consumer.consumer_key}/config.xml"
        self.stdout.write(f"  {_('Configuration XML')}: {config}")
