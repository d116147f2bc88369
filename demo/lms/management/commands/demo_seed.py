"""Seed the demo: a tool key, the built-in LMS's registration, a launch gate and the links."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.lms.models import DemoLineItem, DemoPlatform
from lti_1p3_provider.core.keys import generate_key_pair
from lti_1p3_provider.core.target_link import content_target_path
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.edxapp.sandbox.course import load_courses
from lti_1p3_provider.models import Lti1p1Consumer
from lti_1p3_provider.services.platform_registration import (
    PlatformRegistration,
    register_platform,
)
from lti_1p3_provider.services.registrations import tool_urls

CLIENT_ID = "demo-client"
DEPLOYMENT_ID = "demo-deployment"
LTI1P1_KEY = "demo-lti1p1"
LINK_TYPES = ("sequential", "vertical", "problem", "html")


# Demo only (make demo runs with DEBUG on loopback): shown in the README.
OWN_ACCOUNT = "dana"
OWN_ACCOUNT_PASSWORD = "dana-demo"


def seed(base_url: str, lms_url: str | None = None) -> DemoPlatform:
    """Create or refresh every demo row: the tool served at ``base_url``, the built-in LMS at
    ``lms_url`` (default: the same site; ``make demo`` uses another, as in production)."""
    base = base_url.rstrip("/")
    lms = (lms_url or base_url).rstrip("/")
    urls = tool_urls(base)
    with transaction.atomic():
        platform = DemoPlatform.objects.first()
        if platform is None:
            pair = generate_key_pair()
            platform = DemoPlatform(private_key=pair.private_pem, public_key=pair.public_pem)
        platform.issuer = f"{lms}/lms"
        platform.client_id = CLIENT_ID
        platform.deployment_id = DEPLOYMENT_ID
        platform.tool_login_url = urls.login_initiation
        platform.tool_redirect_uri = urls.redirect_uri
        platform.tool_jwks_url = urls.jwks
        platform.base_url = lms
        platform.save()
        course_keys = list(load_courses())
        register_platform(
            PlatformRegistration(
                title="Built-in demo LMS",
                issuer=platform.issuer,
                client_id=CLIENT_ID,
                auth_login_url=f"{lms}/lms/auth/",
                auth_token_url=f"{lms}/lms/token/",
                key_set_url=f"{lms}/lms/jwks/",
                deployment_ids=(DEPLOYMENT_ID,),
                key_name="demo",
                allowed_courses=tuple(str(k) for k in course_keys),
            )
        )
        _seed_lti1p1(platform, lms, course_keys)
        for course_key in course_keys:
            for block in edxapp.course_blocks(course_key):
                if block.block_type not in LINK_TYPES or not block.published:
                    continue
                DemoLineItem.objects.update_or_create(
                    resource_link_id=f"rl-{block.usage_key.block_id}",
                    defaults={
                        "label": f"{block.display_name} ({block.block_type})",
                        "target_link_uri": base + content_target_path(course_key, block.usage_key),
                        "score_maximum": block.weight or 1,
                    },
                )
    return platform


def _seed_lti1p1(platform: DemoPlatform, lms: str, course_keys: list) -> None:
    """The LMS as an LTI 1.1 consumer too: a consumer row here, its key and secret there."""
    consumer, _ = Lti1p1Consumer.objects.get_or_create(
        consumer_key=LTI1P1_KEY, defaults={"title": "Built-in demo LMS (LTI 1.1)"}
    )
    consumer.site_origins = [lms]
    consumer.allowed_courses = [str(k) for k in course_keys]
    consumer.save()
    platform.lti1p1_consumer_key = consumer.consumer_key
    platform.lti1p1_shared_secret = consumer.shared_secret
    platform.save(update_fields=["lti1p1_consumer_key", "lti1p1_shared_secret"])


class Command(BaseCommand):
    """``demo_seed --base-url http://127.0.0.1:8000 --lms-url http://localhost:8000``"""

    help = "Seed the demo: the tool at --base-url, the built-in LMS at --lms-url."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="the tool's site")
        parser.add_argument("--lms-url", default=None, help="the LMS's site (default: the same)")

    def handle(self, *args: Any, **options: Any) -> None:
        platform = seed(options["base_url"], options["lms_url"])
        _seed_own_account()
        self.stdout.write(
            f"Seeded the demo: tool at {options['base_url']}, LMS at {platform.base_url}/lms/"
        )


def _seed_own_account() -> None:
    """Dana's own account on the tool's site (a password, no LTI identity): what a learner
    links when a registration offers account linking (docs/registering.rst)."""
    users = get_user_model().objects
    if not users.filter(username=OWN_ACCOUNT).exists():
        users.create_user(OWN_ACCOUNT, f"{OWN_ACCOUNT}@example.edu", OWN_ACCOUNT_PASSWORD)
