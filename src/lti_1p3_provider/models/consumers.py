"""LTI 1.1 consumers: platforms that launch with OAuth 1.0a signed POSTs."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from lti_1p3_provider.core.origins import normalize_origin, url_host
from lti_1p3_provider.models.gates import GateRules
from lti_1p3_provider.models.organizations import owner_org_field
from lti_1p3_provider.models.policies import clean_origins

# Launch parameters a consumer may name for readable usernames (never to match accounts).
USERNAME_SOURCES = (
    ("", _("None: a random lti_ username")),
    ("lis_person_contact_email_primary", _("The e-mail address's local part")),
    ("lis_person_sourcedid", _("lis_person_sourcedid")),
    ("ext_user_username", _("ext_user_username (Sakai, Moodle)")),
    ("custom_username", _("custom_username (a custom parameter)")),
)


def new_consumer_key() -> str:
    """A consumer key nobody guesses (it names the consumer in every signed launch)."""
    return "edx-" + secrets.token_hex(10)


def new_shared_secret() -> str:
    """A 256-bit shared secret; the admin shows it once, when the consumer is created."""
    return secrets.token_urlsafe(32)


class Lti1p1Consumer(GateRules):
    """A platform that launches with LTI 1.1: its key, secret, site, gate and organization.

    .. no_pii:
    """

    title = models.CharField(max_length=255)
    consumer_key = models.CharField(
        max_length=255,
        unique=True,
        default=new_consumer_key,
        help_text=_("The oauth_consumer_key the platform signs its launches with."),
    )
    shared_secret = models.CharField(
        max_length=255,
        default=new_shared_secret,
        help_text=_("The OAuth 1.0a shared secret. Generated; shown once, when saved first."),
    )
    org = owner_org_field()
    site_origins = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            'Origins of the platform\'s site, e.g. ["https://moodle.example.edu"]. They may '
            "frame launched content, and grades go only to outcome service URLs on their hosts."
        ),
    )
    username_source = models.CharField(
        max_length=64,
        blank=True,
        default="",
        choices=USERNAME_SOURCES,
        help_text=_(
            "A launch parameter that gives new users readable usernames (made unique). It is "
            "never used to find an existing account."
        ),
    )
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LTI 1.1 consumer")
        verbose_name_plural = _("LTI 1.1 consumers")

    def __str__(self) -> str:
        return f"{self.title} ({self.consumer_key})"

    def clean(self) -> None:
        """Normalise the site origins; refuse values that are not origins."""
        self.site_origins = clean_origins(self.site_origins, "site_origins")

    @property
    def frame_origins(self) -> tuple[str, ...]:
        """Origins allowed to frame this consumer's launched content."""
        return tuple(o for o in (normalize_origin(v) for v in self.site_origins or []) if o)

    @property
    def outcome_hosts(self) -> frozenset[str]:
        """Hosts this consumer's Basic Outcomes URLs may be on (from its site origins)."""
        return frozenset(h for h in (url_host(o) for o in self.frame_origins) if h)
