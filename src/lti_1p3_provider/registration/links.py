"""One-time registration links: create them, find an open one, hold it while it is used."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import RegistrationLinkRefused, UnknownRegistrationLink
from lti_1p3_provider.models import RegistrationLink
from lti_1p3_provider.models.registration_links import token_digest
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.tool_keys import get_or_create_tool_key

TOKEN_BYTES = 32


@dataclass(frozen=True)
class LinkGate:
    """The launch gate the registration made through a link will get."""

    allow_all_content: bool = False
    allowed_keys: tuple[str, ...] = ()
    allowed_courses: tuple[str, ...] = ()
    allowed_orgs: tuple[str, ...] = ()


def new_token() -> str:
    """An unguessable link token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def default_expiry() -> timedelta:
    """How long a new link stays usable (LTI_1P3_PROVIDER_REGISTRATION_LINK_DAYS)."""
    return timedelta(days=provider_settings.LTI_1P3_PROVIDER_REGISTRATION_LINK_DAYS)


def create_link(
    label: str,
    gate: LinkGate,
    *,
    key_name: str = "default",
    expires_in: timedelta | None = None,
    org: str = "",
) -> tuple[RegistrationLink, str]:
    """A new link and its token; only the token's digest is stored, so show the URL now."""
    key, _created = get_or_create_tool_key(key_name)
    token = new_token()
    link = RegistrationLink.objects.create(
        label=label,
        org=org,
        token_digest=token_digest(token),
        tool_key=key,
        allow_all_content=gate.allow_all_content,
        allowed_keys=list(gate.allowed_keys),
        allowed_courses=list(gate.allowed_courses),
        allowed_orgs=list(gate.allowed_orgs),
        expires_at=timezone.now() + (expires_in or default_expiry()),
    )
    return link, token


def link_path(token: str) -> str:
    """The link's path on this LMS (the platform's 'register by URL' field takes it)."""
    return reverse("lti_1p3_provider:register", kwargs={"token": token})


def open_link(token: str) -> RegistrationLink:
    """The open link with this token; RegistrationLinkRefused when unknown, used or expired."""
    link = None
    if 0 < len(token) <= 128:
        link = RegistrationLink.objects.select_related("tool_key").filter(
            token_digest=token_digest(token)
        )
        link = link.first()
    if link is None:
        raise UnknownRegistrationLink(_("This registration link is not known to this site."))
    if link.status == "used":
        raise RegistrationLinkRefused(
            _("This registration link was already used: it registers one platform, once.")
        )
    if link.status == "expired":
        raise RegistrationLinkRefused(
            _("This registration link expired on %(date)s UTC.")
            % {"date": f"{link.expires_at:%Y-%m-%d %H:%M}"}
        )
    return link


@contextmanager
def holding(link: RegistrationLink, seconds: int) -> Iterator[None]:
    """Hold the link while the platform is called: a second use at the same time is refused."""
    key = f"lti1p3:registration-link:{link.pk}"
    cache = provider_cache()
    if not cache.add(key, 1, seconds):
        raise RegistrationLinkRefused(
            _("This registration link is being used right now; wait for that registration to end.")
        )
    try:
        yield
    finally:
        cache.delete(key)
